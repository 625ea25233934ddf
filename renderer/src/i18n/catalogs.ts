import { en } from './messages/en';
import type { ZhMessageKey } from './messages/keys';
import { zhCN } from './messages/zh-CN';
import { interpolate, selectPlural, type Message, type MessageParams } from './message';

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'zh-CN';

export type MessageKey = ZhMessageKey;
export type Catalog = Readonly<Record<MessageKey, Message>>;

export const catalogs: Readonly<Record<Locale, Catalog>> = { 'zh-CN': zhCN, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** A translate function for one locale. Plural messages need a numeric `count` parameter. */
export function createTranslator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  const pluralRules = new Intl.PluralRules(locale);
  return (key, params) => {
    const message = catalog[key] ?? catalogs[defaultLocale][key];
    if (typeof message === 'string') return interpolate(message, params);
    const count = typeof params?.count === 'number' ? params.count : Number.NaN;
    return interpolate(selectPlural(message, count, pluralRules), params);
  };
}
