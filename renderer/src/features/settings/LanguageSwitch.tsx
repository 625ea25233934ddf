import { locales, type MessageKey } from '../../i18n/catalogs';
import { useI18n } from '../../i18n/use-t';

const languageNameKey = { 'zh-CN': 'language.zh-CN', en: 'language.en' } as const satisfies Record<(typeof locales)[number], MessageKey>;

export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <fieldset className="segmented">
      <legend className="segmented__legend">{t('settings.language')}</legend>
      {locales.map((l) => (
        <label key={l} className="segmented__option">
          <input type="radio" name="locale" value={l} checked={locale === l} onChange={() => setLocale(l)} />
          {/* each language is named in itself */}
          <span lang={l}>{t(languageNameKey[l])}</span>
        </label>
      ))}
    </fieldset>
  );
}
