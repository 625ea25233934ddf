/**
 * Worker thread entry: reads one table file (CSV or .xlsx) and turns it into a tour's units and
 * stops or a score sheet template, with the shared import code (shared/import). Parsing a table
 * is synchronous work that grows with the file; on the request thread a 5 MB, 100 000-row file
 * held every other request (health included) for seconds. tours/table-reader.ts starts one of
 * these per import, with memory and time limits, and ends it afterwards.
 *
 * Bundled to dist/table-worker.js beside dist/main.js (server/build.mjs); from source, bundled on
 * first use (table-reader.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { importTemplateTable, importTourTable, readTableFile } from '@shared/import';
import type { TableJob, TableJobResult } from './table-job.js';

function run(job: TableJob): TableJobResult {
  const rows = readTableFile(job.fileName, job.bytes, { maxBytes: job.maxBytes, maxRows: job.maxRows });
  if (!rows.ok) return { kind: job.kind, result: rows } as TableJobResult;
  if (job.kind === 'tour') return { kind: 'tour', result: importTourTable(rows.value, { tourId: job.tourId }) };
  return { kind: 'template', result: importTemplateTable(rows.value, { id: job.templateId, name: job.templateName }) };
}

parentPort?.postMessage(run(workerData as TableJob));
