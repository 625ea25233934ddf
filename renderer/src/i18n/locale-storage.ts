import { defaultLocale, isLocale, type Locale } from './catalogs';

const storageKey = 'guanmo.locale';

/**
 * The chosen language lives in localStorage (per device, never synced). Storage can throw
 * (disabled site data, sandboxed frames): the app then simply uses the default language.
 */
export function loadLocale(): Locale {
  try {
    const stored = globalThis.localStorage?.getItem(storageKey);
    return isLocale(stored) ? stored : defaultLocale;
  } catch {
    return defaultLocale;
  }
}

export function saveLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(storageKey, locale);
  } catch {
    // not persisted; the choice still holds for this session
  }
}
