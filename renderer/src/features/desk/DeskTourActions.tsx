import { useEffect, useId, useRef, useState } from 'react';
import type { Tour } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import { useDb } from '../../db/db-context';
import { useT } from '../../i18n/use-t';
import { describeDeskError } from './desk-error';
import { ExportWorkbookButton } from './export/ExportWorkbookButton';
import { computeDeskRankings } from './rankings/compute-desk-rankings';
import type { DeskTables } from './rankings/ranking-tables';
import { loadTourRecords } from './rankings/use-rankings-data';
import '../../ui/ui.css';
import './desk-home.css';

/**
 * A tour's row on the desk home: 编辑 / 评分进度 / 排名与通报 / 导出. A study tour is not scored, so
 * it has the editor only.
 */
export function DeskTourActions({ tour }: { tour: Tour }) {
  const t = useT();
  const [isExportOpen, setIsExportOpen] = useState(false);
  const isScored = tour.kind === 'scored';
  return (
    <div className="desk-actions" data-testid="desk-tour-actions">
      <Link to={{ name: 'deskTour', tourId: tour.id }} className="desk-actions__link" data-action="edit">
        {t('deskHome.edit')}
      </Link>
      {isScored ? (
        <>
          <Link to={{ name: 'deskBoard', tourId: tour.id }} className="desk-actions__link" data-action="board">
            {t(tour.rules.method === 'rankVote' ? 'deskHome.boardRankVote' : 'deskHome.board')}
          </Link>
          <Link to={{ name: 'rankings', tourId: tour.id }} className="desk-actions__link" data-action="results">
            {t('deskHome.results')}
          </Link>
          <button type="button" className="desk-actions__link" onClick={() => setIsExportOpen(true)} data-action="export">
            {t('deskHome.export')}
          </button>
          {isExportOpen && <ExportDialog tour={tour} onClose={() => setIsExportOpen(false)} />}
        </>
      ) : (
        <span className="muted">{t('deskHome.notScored')}</span>
      )}
      <Link to={{ name: 'deskDevices', tourId: tour.id }} className="desk-actions__link" data-action="devices">
        {t('deskHome.devices')}
      </Link>
    </div>
  );
}

type Computed = { status: 'computing' } | { status: 'ready'; tables: DeskTables; computedAt: Date } | { status: 'failed'; message: string };

/**
 * 导出 from the desk home: the rankings workbook of the tour's SAVED rules (a trial on the
 * rankings page never leaks into it), through the rankings page's own export button, with the
 * sheets still missing said before the file is made.
 */
function ExportDialog({ tour, onClose }: { tour: Tour; onClose: () => void }) {
  const db = useDb();
  const t = useT();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [computed, setComputed] = useState<Computed>({ status: 'computing' });

  useEffect(() => {
    dialogRef.current?.showModal();
  }, []);

  useEffect(() => {
    let isCurrent = true;
    void (async () => {
      try {
        const records = await loadTourRecords(db, tour.id);
        if (!records) throw new Error(t('desk.common.tourNotFound'));
        const { tables, computedAt } = computeDeskRankings(records);
        if (isCurrent) setComputed({ status: 'ready', tables, computedAt });
      } catch (e) {
        if (isCurrent) setComputed({ status: 'failed', message: describeDeskError(e, t) });
      }
    })();
    return () => {
      isCurrent = false;
    };
  }, [db, tour.id, t]);

  const isRankVote = tour.rules.method === 'rankVote';
  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={titleId}
      data-testid="desk-export-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClose={onClose}
    >
      <h2 className="dialog__title" id={titleId}>
        {t('deskHome.exportTitle', { tour: tour.name })}
      </h2>
      <div className="dialog__body">
        <p>{t('deskHome.exportRules')}</p>
        {computed.status === 'computing' && (
          <p className="muted" role="status">
            {t('deskHome.exportComputing')}
          </p>
        )}
        {computed.status === 'ready' && computed.tables.missingCount > 0 && (
          <p className="notice notice--warning">
            {t(isRankVote ? 'deskHome.exportMissingBallots' : 'deskHome.exportMissingSheets', { count: computed.tables.missingCount })}
          </p>
        )}
      </div>
      {computed.status === 'failed' && (
        <p className="dialog__error" role="alert">
          {t('deskHome.exportFailed', { reason: computed.message })}
        </p>
      )}
      <div className="dialog__actions desk-export__actions">
        <button type="button" className="button button--large" onClick={onClose}>
          {t('deskHome.exportClose')}
        </button>
        {computed.status === 'ready' && (
          <span className="desk-export__button">
            <ExportWorkbookButton tables={computed.tables} tourStatus={tour.status} computedAt={computed.computedAt} isTrial={false} />
          </span>
        )}
      </div>
    </dialog>
  );
}
