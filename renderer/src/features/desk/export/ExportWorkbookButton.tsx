import { useState } from 'react';
import type { TourStatus } from '@shared/domain/schemas';
import { useT } from '../../../i18n/use-t';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { describeDeskError } from '../desk-error';
import type { DeskTables } from '../rankings/ranking-tables';
import { saveBytes } from './save-file';

export interface ExportWorkbookButtonProps {
  tables: DeskTables;
  tourStatus: TourStatus;
  /** when `tables` were computed (stated in the workbook) */
  computedAt: Date;
  /** `tables` come from unsaved trial rules: ask first, and the file says so on every sheet */
  isTrial: boolean;
}

/**
 * 导出 Excel: builds the workbook (exceljs loaded on first click) and saves or downloads it. The
 * button speaks the user's language; the workbook itself (file name, sheets, headers) stays
 * Chinese: it is an official document for Chinese government readers (see build-workbook.ts).
 * With trial rules on screen it first asks whether to export those figures.
 */
export function ExportWorkbookButton({ tables, tourStatus, computedAt, isTrial }: ExportWorkbookButtonProps) {
  const t = useT();
  const [state, setState] = useState<{ kind: 'idle' | 'asking' | 'busy' | 'done' | 'error'; message?: string }>({ kind: 'idle' });
  async function run() {
    setState({ kind: 'busy' });
    try {
      const { buildResultsWorkbook, workbookBytes, workbookFileName, XLSX_MIME } = await import('./build-workbook');
      const exportedOn = localDate(new Date());
      const bytes = await workbookBytes(await buildResultsWorkbook(tables, { exportedOn, computedAt, tourStatus, isTrial }));
      const outcome = await saveBytes(bytes, workbookFileName(tables.tourName, exportedOn, isTrial), XLSX_MIME, { name: t('desk.export.fileFilter'), extensions: ['xlsx'] });
      if (outcome.kind === 'failed') setState({ kind: 'error', message: outcome.message });
      else setState({ kind: outcome.kind === 'saved' ? 'done' : 'idle' });
    } catch (e) {
      setState({ kind: 'error', message: describeDeskError(e, t) });
    }
  }
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() => (isTrial ? setState({ kind: 'asking' }) : void run())}
        disabled={state.kind === 'busy'}
        data-testid="export-xlsx"
      >
        {state.kind === 'busy' ? t('desk.export.busy') : t('desk.export.button')}
      </button>
      {state.kind === 'done' && (
        <span className="muted" role="status">
          {t(isTrial ? 'desk.export.doneTrial' : 'desk.export.done')}
        </span>
      )}
      {state.kind === 'error' && (
        <span className="notice notice--error" role="alert">
          {t('desk.export.failed', { reason: state.message ?? '' })}
        </span>
      )}
      <ConfirmDialog
        isOpen={state.kind === 'asking'}
        title={t('desk.export.trialTitle')}
        confirmLabel={t('desk.export.trialConfirm')}
        cancelLabel={t('desk.export.trialCancel')}
        onConfirm={() => void run()}
        onCancel={() => setState({ kind: 'idle' })}
      >
        <p>{t('desk.export.trialBody')}</p>
      </ConfirmDialog>
    </>
  );
}

export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
