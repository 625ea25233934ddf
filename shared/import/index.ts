/**
 * Import of the secretariat's tables (CSV or .xlsx): file → rows → validated domain records.
 * Pure TypeScript: runs in the renderer (file picker, drag and drop) and on the server.
 *
 *   const rows = readTableFile(file.name, bytes);           // .csv / .xlsx, encoding detection
 *   if (rows.ok) importTourTable(rows.value, { tourId });   // or importTemplateTable
 *
 * Every failure is an ImportIssue naming the spreadsheet row (as Excel numbers it), the column
 * header and the bad value, in Chinese (`message`) and English (`messageEn`).
 */
export type { ImportIssue, ImportResult } from './issues';
export { fileIssue } from './issues';
export { parseCsv, parseCsvDetailed } from './csv';
export { decodeText } from './decode-text';
export { readTableFile, MAX_TABLE_FILE_BYTES, type TableFileLimits } from './read-table-file';
export { readXlsx, XlsxError, XLSX_LIMITS } from './xlsx';
export { importTourTable, TOUR_COLUMNS, type CoordinateWarning, type TourTable } from './tour-table';
export { importTemplateTable, TEMPLATE_COLUMNS, DEFAULT_STEP } from './template-table';
export { readPastedTable } from './read-pasted-table';
export { importScorerTable, matchUnit, SCORER_COLUMNS, type ScorerTable, type ScorerTableRow, type ScorerRole } from './scorer-table';
export { planScorerRows, type AccountChoice, type ScorerRowPlan, type ScorerPlan } from './scorer-accounts';
