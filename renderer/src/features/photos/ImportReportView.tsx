import { useT } from '../../i18n/use-t';
import type { ImportReport } from './import-photos';
import { describeFailure } from './photo-messages';

/** Progress of a running import. */
export function ImportProgress({ total, done, onCancel, label }: { total: number; done: number; onCancel?: () => void; label: string }) {
  const t = useT();
  return (
    <div className="photo-import-progress" role="status" data-testid="photo-import-progress">
      <span>{label}</span>
      <progress max={total} value={done} aria-label={label} />
      {onCancel && (
        <button type="button" className="button button--small" onClick={onCancel}>
          {t('photos.cancel')}
        </button>
      )}
    </div>
  );
}

/**
 * What an import did: photos added, files already there, files that could not be used (named,
 * with the reason), and, when the disk filled up, that everything saved before is intact.
 */
export function ImportReportView({ report, onDismiss }: { report: ImportReport; onDismiss?: () => void }) {
  const t = useT();
  const separator = t('common.listSeparator');
  const hasProblems = report.failed.length > 0 || report.storageError !== null;
  return (
    <div className={`photo-import-report${hasProblems ? ' photo-import-report--problems' : ''}`} role={hasProblems ? 'alert' : 'status'} data-testid="photo-import-report">
      {report.added.length > 0 && <p>{t('photos.report.added', { count: report.added.length })}</p>}
      {report.duplicates.length > 0 && <p>{t('photos.report.duplicates', { count: report.duplicates.length, names: report.duplicates.join(separator) })}</p>}
      {report.storageError && (
        <p className="photo-import-report__storage" data-testid="photo-import-storage-full">
          {report.storageError.kind === 'quota' ? t('photos.report.storageFull') : t(report.storageError.messageKey)}
        </p>
      )}
      {report.failed.length > 0 && (
        <>
          <p>{t('photos.report.failedTitle', { count: report.failed.length })}</p>
          <ul className="photo-import-report__failures">
            {report.failed.map((f, i) => (
              <li key={`${f.name}-${i}`} data-testid="photo-import-failure">
                <strong className="photo-import-report__name">{f.name}</strong>
                {t('photos.report.nameSeparator')}
                {describeFailure(t, f.failure)}
              </li>
            ))}
          </ul>
        </>
      )}
      {report.notSaved.length > 0 && <p>{t('photos.report.notSaved', { count: report.notSaved.length, names: report.notSaved.join(separator) })}</p>}
      {report.cancelled && report.notSaved.length > 0 && <p>{t('photos.report.cancelled')}</p>}
      {report.added.length === 0 && report.duplicates.length === 0 && !hasProblems && report.notSaved.length === 0 && <p>{t('photos.report.nothing')}</p>}
      {onDismiss && (
        <button type="button" className="button button--small" onClick={onDismiss}>
          {t('photos.report.dismiss')}
        </button>
      )}
    </div>
  );
}
