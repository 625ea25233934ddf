import { catalogs, createTranslator, locales, type Locale, type MessageKey } from '../i18n/catalogs';
import { loadLocale } from '../i18n/locale-storage';

interface ProblemScreenProps {
  titleKey: MessageKey;
  bodyKey: MessageKey;
  details?: string;
  canReload?: boolean;
}

/**
 * A full message instead of a white screen. It reads the catalogs directly rather than through
 * the i18n context, because it must work when the React tree above it has failed: the chosen
 * language first, the other language below it, so it is readable in both.
 */
export function ProblemScreen({ titleKey, bodyKey, details, canReload = true }: ProblemScreenProps) {
  const primary: Locale = loadLocale();
  const secondary = locales.find((l) => l !== primary && catalogs[l]) ?? null;
  const t = createTranslator(primary);
  const t2 = secondary ? createTranslator(secondary) : null;
  return (
    <div className="problem" role="alert">
      <div className="problem__card">
        <h1 className="problem__title">{t(titleKey)}</h1>
        <p className="problem__body">{t(bodyKey)}</p>
        {t2 && (
          <div className="problem__secondary" lang={secondary ?? undefined}>
            <p className="problem__secondary-title">{t2(titleKey)}</p>
            <p>{t2(bodyKey)}</p>
          </div>
        )}
        {details && <pre className="problem__details">{details}</pre>}
        {canReload && (
          <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
            {t('error.reload')}
            {t2 && <span className="button__secondary"> · {t2('error.reload')}</span>}
          </button>
        )}
      </div>
    </div>
  );
}
