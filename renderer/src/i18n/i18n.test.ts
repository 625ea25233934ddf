import { describe, expect, it } from 'vitest';
import { catalogs, createTranslator, defaultLocale, locales } from './catalogs';
import { placeholdersOf } from './message';

describe('message catalogs', () => {
  const reference = catalogs[defaultLocale];
  const referenceKeys = Object.keys(reference).sort();

  it.each(locales.filter((l) => l !== defaultLocale))('%s has exactly the keys of zh-CN', (locale) => {
    expect(Object.keys(catalogs[locale]).sort()).toEqual(referenceKeys);
  });

  it.each(locales)('%s uses the same placeholders and message shapes as zh-CN', (locale) => {
    const catalog = catalogs[locale];
    for (const key of referenceKeys as (keyof typeof reference)[]) {
      const message = catalog[key];
      expect({ key, placeholders: placeholdersOf(message) }).toEqual({ key, placeholders: placeholdersOf(reference[key]) });
      expect({ key, isPlural: typeof message !== 'string' }).toEqual({ key, isPlural: typeof reference[key] !== 'string' });
      const texts = typeof message === 'string' ? [message] : Object.values(message);
      for (const text of texts) expect(text, `${locale} ${key}`).not.toBe('');
    }
  });

  it('plural messages use {count}', () => {
    for (const locale of locales) {
      for (const [key, message] of Object.entries(catalogs[locale])) {
        if (typeof message !== 'string') expect(placeholdersOf(message), `${locale} ${key}`).toContain('count');
      }
    }
  });
});

describe('createTranslator', () => {
  it('fills placeholders and picks plural forms by count', () => {
    const en = createTranslator('en');
    expect(en('tours.stopCount', { count: 1 })).toBe('1 project');
    expect(en('tours.stopCount', { count: 28 })).toBe('28 projects');
    const zh = createTranslator('zh-CN');
    expect(zh('tours.stopCount', { count: 28 })).toBe('28 个项目');
    expect(zh('tour.dayTitle', { number: 2 })).toBe('第 2 天');
  });

  it('leaves an unfilled placeholder visible instead of blank', () => {
    expect(createTranslator('en')('tour.dayTitle')).toBe('Day {number}');
  });
});
