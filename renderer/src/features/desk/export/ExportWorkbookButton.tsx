import { useState } from 'react';
import type { DeskTables } from '../rankings/ranking-tables';
import { saveBytes } from './save-file';

/** 导出 Excel: builds the workbook (exceljs loaded on first click) and saves or downloads it. */
export function ExportWorkbookButton({ tables }: { tables: DeskTables }) {
  const [state, setState] = useState<{ kind: 'idle' | 'busy' | 'done' | 'error'; message?: string }>({ kind: 'idle' });
  async function run() {
    setState({ kind: 'busy' });
    try {
      const { buildResultsWorkbook, workbookBytes, workbookFileName, XLSX_MIME } = await import('./build-workbook');
      const exportedOn = localDate(new Date());
      const bytes = await workbookBytes(await buildResultsWorkbook(tables, { exportedOn }));
      const outcome = await saveBytes(bytes, workbookFileName(tables.tourName, exportedOn), XLSX_MIME, { name: 'Excel 工作簿', extensions: ['xlsx'] });
      if (outcome.kind === 'failed') setState({ kind: 'error', message: outcome.message });
      else setState({ kind: outcome.kind === 'saved' ? 'done' : 'idle' });
    } catch (e) {
      setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
  return (
    <>
      <button type="button" className="button" onClick={() => void run()} disabled={state.kind === 'busy'} data-testid="export-xlsx">
        {state.kind === 'busy' ? '正在生成…' : '导出 Excel'}
      </button>
      {state.kind === 'done' && (
        <span className="muted" role="status">
          已导出
        </span>
      )}
      {state.kind === 'error' && (
        <span className="notice notice--error" role="alert">
          导出失败：{state.message}
        </span>
      )}
    </>
  );
}

export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
