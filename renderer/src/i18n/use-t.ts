import { useContext } from 'react';
import type { Translate } from './catalogs';
import { I18nContext, type I18nValue } from './i18n-context';

/** The translate function of the current language: `t('tours.title')`, `t('tours.stopCount', { count })`. */
export function useT(): Translate {
  return useContext(I18nContext).t;
}

/** Current language, its translate function and the setter (persisted in localStorage). */
export function useI18n(): I18nValue {
  return useContext(I18nContext);
}
