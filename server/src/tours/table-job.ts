/** What tours/table-reader.ts asks a table worker (table-worker.ts) and what it answers. */
import type { Template } from '@shared/domain/schemas';
import type { ImportResult, TourTable } from '@shared/import';

interface JobBase {
  fileName: string;
  bytes: Uint8Array;
  maxBytes: number;
  maxRows: number;
}

export type TableJob = (JobBase & { kind: 'tour'; tourId: string }) | (JobBase & { kind: 'template'; templateId: string; templateName: string });

export type TableJobResult = { kind: 'tour'; result: ImportResult<TourTable> } | { kind: 'template'; result: ImportResult<Template> };
