import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createTranslator, type Locale } from './catalogs';
import { I18nContext, type I18nValue } from './i18n-context';
import { loadLocale, saveLocale } from './locale-storage';

export function I18nProvider({ children, initialLocale }: { children: ReactNode; initialLocale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => initialLocale ?? loadLocale());

  const setLocale = useCallback((next: Locale) => {
    saveLocale(next);
    setLocaleState(next);
  }, []);

  // lang drives font selection (CJK glyph variants), hyphenation and screen readers
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<I18nValue>(() => ({ locale, t: createTranslator(locale), setLocale }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
