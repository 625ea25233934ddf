import { useId, useState } from 'react';
import { Link } from '../../app/Link';
import { useDb } from '../../db/db-context';
import { formatBytes, formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { usePendingSummary } from '../../sync/use-sync-overview';
import { describePending } from '../sign-in/sync-words';
import { saveBytes } from '../desk/export/save-file';
import { CARRY_FILE_EXTENSION } from './carry-file';
import { describeCarryError, describeWork, totalWork } from './carry-words';
import { DeviceNameField } from './DeviceNameField';
import { exportUnsynced } from './export-unsynced';
import { mergeCarried, readCarriedFile, type CarriedFile } from './import-carried';
import { useCarryAccess } from './use-carry-access';
import './carry.css';

type Outcome = { tone: 'success' | 'error' | 'info'; text: string } | null;

/**
 * Settings → 用文件转移未同步的工作: export what this laptop has not synced to a `.guanmo` file,
 * and import such a file from another laptop (after a preview of what it holds).
 */
export function CarryPanel() {
  const { t, locale } = useI18n();
  const db = useDb();
  const access = useCarryAccess();
  const pending = usePendingSummary();
  const fileInputId = useId();
  const [busy, setBusy] = useState<'export' | 'read' | 'import' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [preview, setPreview] = useState<CarriedFile | null>(null);
  const hasCrypto = typeof globalThis.crypto?.subtle?.encrypt === 'function';

  async function onExport() {
    setBusy('export');
    setOutcome(null);
    setPreview(null);
    try {
      const file = await exportUnsynced(db);
      const list = describeWork(t, totalWork(file.summary.tours));
      const saved = await saveBytes(file.bytes, file.fileName, 'application/octet-stream', { name: t('carry.title'), extensions: [CARRY_FILE_EXTENSION] });
      if (saved.kind === 'cancelled') setOutcome({ tone: 'info', text: t('carry.exportCancelled') });
      else if (saved.kind === 'failed') setOutcome({ tone: 'error', text: t('carry.exportFailed', { reason: saved.message }) });
      else setOutcome({ tone: 'success', text: t(saved.path ? 'carry.exported' : 'carry.exportedDownload', { file: saved.path ?? file.fileName, list }) });
    } catch (error) {
      setOutcome({ tone: 'error', text: t('carry.exportFailed', { reason: describeCarryError(t, error) }) });
    } finally {
      setBusy(null);
    }
  }

  async function onFile(file: File | undefined) {
    if (!file || !access?.user) return;
    setBusy('read');
    setOutcome(null);
    setPreview(null);
    try {
      setPreview(await readCarriedFile(db, new Uint8Array(await file.arrayBuffer()), access.user.id));
    } catch (error) {
      setOutcome({ tone: 'error', text: t('carry.importFailed', { reason: describeCarryError(t, error) }) });
    } finally {
      setBusy(null);
    }
  }

  async function onConfirm(file: CarriedFile) {
    setBusy('import');
    try {
      const result = await mergeCarried(db, file);
      setPreview(null);
      if (result.status === 'alreadyImported') setOutcome({ tone: 'info', text: t('carry.preview.already') });
      else if (result.entries === 0 && result.photos === 0) setOutcome({ tone: 'info', text: t('carry.importedNothing') });
      else setOutcome({ tone: 'success', text: t('carry.imported', { list: describeWork(t, totalWork(file.summary.tours)) }) });
    } catch (error) {
      setOutcome({ tone: 'error', text: t('carry.importFailed', { reason: describeCarryError(t, error) }) });
    } finally {
      setBusy(null);
    }
  }

  const pendingText = pending ? describePending(t, pending) : null;
  const canUse = hasCrypto && access?.user != null && access.hasKey;
  return (
    <div className="panel carry-panel" id="carry" data-testid="carry-panel">
      <h2 className="panel__title">{t('carry.title')}</h2>
      <p className="muted">{t('carry.intro')}</p>
      {!hasCrypto ? (
        <p className="notice notice--warning">{t('carry.noCrypto')}</p>
      ) : access === undefined ? (
        <p className="muted">{t('common.loading')}</p>
      ) : access.user === null ? (
        <p className="notice notice--info">
          {t('carry.needSignIn')} <Link to={{ name: 'sync' }}>{t('carry.signIn')}</Link>
        </p>
      ) : !access.hasKey ? (
        <p className="notice notice--info">{t('carry.noKey', { name: access.user.displayName })}</p>
      ) : null}
      <p data-testid="carry-pending">{pending === undefined ? t('common.loading') : (pendingText ?? t('carry.nothingPending'))}</p>
      <div className="settings-actions">
        <button type="button" className="button button--primary" data-testid="carry-export" disabled={!canUse || busy !== null || !pendingText} onClick={() => void onExport()}>
          {busy === 'export' ? t('carry.exporting') : t('carry.export')}
        </button>
        <input
          id={fileInputId}
          type="file"
          className="visually-hidden"
          accept={`.${CARRY_FILE_EXTENSION}`}
          data-testid="carry-import-file"
          disabled={!canUse || busy !== null}
          onChange={(e) => {
            void onFile(e.currentTarget.files?.[0]);
            e.currentTarget.value = '';
          }}
        />
        <label htmlFor={fileInputId} className={`button${!canUse || busy !== null ? ' is-disabled' : ''}`} aria-disabled={!canUse || busy !== null} data-testid="carry-import">
          {busy === 'read' ? t('carry.reading') : t('carry.import')}
        </label>
      </div>
      <p className="muted panel__hint">{t('carry.importHint')}</p>
      {preview && (
        <section className="carry-preview" aria-labelledby={`${fileInputId}-preview`} data-testid="carry-preview">
          <h3 id={`${fileInputId}-preview`} className="carry-preview__title">
            {t('carry.preview.title')}
          </h3>
          <dl className="facts">
            <dt>{t('carry.preview.owner')}</dt>
            <dd>
              {preview.header.user.displayName}（{preview.header.user.username}）
            </dd>
            <dt>{t('carry.preview.from')}</dt>
            <dd>{preview.header.fromDevice.name}</dd>
            <dt>{t('carry.preview.exportedAt')}</dt>
            <dd>{formatDateTime(preview.header.exportedAt, locale)}</dd>
            <dt>{t('carry.preview.work')}</dt>
            <dd>
              <ul className="carry-preview__tours">
                {preview.summary.tours.map((tour) => (
                  <li key={tour.tourId}>{t('carry.preview.tourWork', { tour: tour.name, list: describeWork(t, tour) })}</li>
                ))}
                {preview.summary.photoBytes > 0 && <li className="muted">{t('carry.preview.photoBytes', { size: formatBytes(preview.summary.photoBytes, locale) })}</li>}
              </ul>
            </dd>
          </dl>
          {preview.isAlreadyImported && <p className="notice notice--info">{t('carry.preview.already')}</p>}
          <div className="settings-actions">
            {!preview.isAlreadyImported && (
              <button type="button" className="button button--primary" data-testid="carry-confirm" disabled={busy !== null} onClick={() => void onConfirm(preview)}>
                {busy === 'import' ? t('carry.importing') : t('carry.preview.confirm')}
              </button>
            )}
            <button type="button" className="button" onClick={() => setPreview(null)} disabled={busy === 'import'}>
              {t('carry.preview.cancel')}
            </button>
          </div>
        </section>
      )}
      {outcome && (
        <p className={`notice notice--${outcome.tone}`} role={outcome.tone === 'error' ? 'alert' : 'status'} data-testid="carry-outcome">
          {outcome.text}
        </p>
      )}
      <DeviceNameField />
    </div>
  );
}
