import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../../../../i18n/use-t';
import { describeDeskError } from '../../desk-error';
import { saveBytes } from '../../export/save-file';
import type { PasswordEntry } from './scorer-list-files';

/** The class on <html> that makes printing show the slips only (scorers.css). */
const PRINT_CLASS = 'printing-password-slips';

/**
 * The one-time passwords of accounts just created, shown once: a table on screen, a sheet of
 * slips for the printer (one per person, to cut apart and hand out), and a workbook to download
 * (姓名, 账号, 初始密码). They live only in this component's memory: nothing keeps them, so the
 * sheet says so, and it stays until the clerk confirms they printed or saved it.
 *
 * Printing: while the sheet is shown, the slips sit in a portal under <body> and the print
 * style shows nothing else (other pages, e.g. the bulletin, keep their own print style).
 */
export function PasswordSheet({ tourName, serverUrl, entries, onClose }: { tourName: string; serverUrl: string | null; entries: readonly PasswordEntry[]; onClose: () => void }) {
  const t = useT();
  const [download, setDownload] = useState<{ kind: 'idle' | 'busy' | 'done' | 'error'; message?: string }>({ kind: 'idle' });
  const [hasKept, setHasKept] = useState(false);

  useEffect(() => {
    document.documentElement.classList.add(PRINT_CLASS);
    // a reload would lose the passwords: the browser asks first
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => {
      document.documentElement.classList.remove(PRINT_CLASS);
      window.removeEventListener('beforeunload', warn);
    };
  }, []);

  async function save() {
    setDownload({ kind: 'busy' });
    try {
      const { listFileName, passwordsWorkbook, XLSX_MIME } = await import('./scorer-list-files');
      const bytes = await passwordsWorkbook(tourName, entries);
      const outcome = await saveBytes(bytes, listFileName(tourName, '初始密码'), XLSX_MIME, { name: t('desk.export.fileFilter'), extensions: ['xlsx'] });
      if (outcome.kind === 'failed') setDownload({ kind: 'error', message: outcome.message });
      else {
        setDownload({ kind: outcome.kind === 'saved' ? 'done' : 'idle' });
        if (outcome.kind === 'saved') setHasKept(true);
      }
    } catch (e) {
      setDownload({ kind: 'error', message: describeDeskError(e, t) });
    }
  }

  return (
    <div className="password-sheet" role="region" aria-labelledby="password-sheet-title" data-testid="password-sheet">
      <h4 id="password-sheet-title">{t('desk.scorers.passwords.title', { count: entries.length })}</h4>
      <p className="notice notice--warning" role="alert">
        {t('desk.scorers.passwords.warning')}
      </p>
      <div className="desk-form__actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            window.print();
            setHasKept(true);
          }}
        >
          {t('desk.scorers.passwords.print')}
        </button>
        <button type="button" className="button" onClick={() => void save()} disabled={download.kind === 'busy'} data-testid="download-passwords">
          {download.kind === 'busy' ? t('desk.scorers.passwords.downloading') : t('desk.scorers.passwords.download')}
        </button>
        {download.kind === 'done' && (
          <span className="muted" role="status">
            {t('desk.scorers.passwords.downloaded')}
          </span>
        )}
        {download.kind === 'error' && (
          <span className="notice notice--error" role="alert">
            {t('desk.scorers.passwords.downloadFailed', { reason: download.message ?? '' })}
          </span>
        )}
      </div>
      <table className="desk-table password-sheet__table">
        <thead>
          <tr>
            <th scope="col">{t('desk.scorers.col.name')}</th>
            <th scope="col">{t('desk.scorers.col.post')}</th>
            <th scope="col">{t('desk.scorers.col.account')}</th>
            <th scope="col">{t('desk.scorers.passwords.password')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.username} data-testid="password-row">
              <td>{e.name}</td>
              <td>{e.post ?? ''}</td>
              <td className="mono">{e.username}</td>
              <td className="mono password-sheet__password">{e.password}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="desk-form__actions">
        <button type="button" className="button" onClick={onClose} data-testid="close-passwords">
          {hasKept ? t('desk.scorers.passwords.close') : t('desk.scorers.passwords.closeUnsaved')}
        </button>
      </div>
      {createPortal(<PasswordSlips tourName={tourName} serverUrl={serverUrl} entries={entries} />, document.body)}
    </div>
  );
}

/** The printed sheet: a title, then one slip per person with a dashed line to cut along. */
function PasswordSlips({ tourName, serverUrl, entries }: { tourName: string; serverUrl: string | null; entries: readonly PasswordEntry[] }) {
  const t = useT();
  return (
    <div className="password-slips" data-testid="password-slips">
      <p className="password-slips__title">{t('desk.scorers.slips.title', { tour: tourName })}</p>
      <div className="password-slips__grid">
        {entries.map((e) => (
          <div key={e.username} className="password-slip">
            <p className="password-slip__who">
              {e.name}
              {e.post && <span className="password-slip__post">{e.post}</span>}
            </p>
            <dl>
              <dt>{t('desk.scorers.slips.account')}</dt>
              <dd className="mono">{e.username}</dd>
              <dt>{t('desk.scorers.slips.password')}</dt>
              <dd className="mono">{e.password}</dd>
              {serverUrl && (
                <>
                  <dt>{t('desk.scorers.slips.server')}</dt>
                  <dd className="mono">{serverUrl}</dd>
                </>
              )}
            </dl>
            <p className="password-slip__note">{t('desk.scorers.slips.note')}</p>
          </div>
        ))}
      </div>
    </div>
  );
}
