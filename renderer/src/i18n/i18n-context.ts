import { createContext } from 'react';
import { createTranslator, defaultLocale, type Locale, type Translate } from './catalogs';

export interface I18nValue {
  readonly locale: Locale;
  readonly t: Translate;
  readonly setLocale: (locale: Locale) => void;
}

/** Without a provider (e.g. a component rendered alone in a test) the default language applies. */
export const I18nContext = createContext<I18nValue>({
  locale: defaultLocale,
  t: createTranslator(defaultLocale),
  setLocale: () => {},
});
