/**
 * Importing the secretariat's itinerary table (观摩点位表, .csv or .xlsx in the ../shared/data
 * formats) as a new tour, and a score sheet table (评分表) as a tour's template.
 *
 * The table is parsed by the same shared code as the desktop app's import (so the ids and every
 * message agree), in a worker thread with size, row, memory and time limits (table-reader.ts),
 * then the records go through the one write path of the sync protocol
 * (pushMutations, all or nothing) as the signed-in secretariat user, stamped by the server
 * clock, and the import is written to the audit log in the same transaction.
 *
 * Problems in the file come back as the shared import issues: row, column, value and a Chinese
 * message (with an English one beside it).
 */
import { randomUUID } from 'node:crypto';
import { defaultRankingRules, tourSchema, type Tour, type TourKind, type TourStatus } from '@shared/domain/schemas';
import type { ImportIssue } from '@shared/import';
import type { RecordCollection } from '@shared/sync/collections';
import type { Mutation, MutationResult } from '@shared/sync/protocol';
import { pushMutations, type SyncDeps } from '../sync/push.js';
import type { Actor } from '../sync/record-rules.js';
import { writeAudit } from './audit-log.js';
import { loadTour } from './rankings.js';
import { readTableOffThread, TABLE_IMPORT_MAX_BYTES, TABLE_IMPORT_MAX_ROWS } from './table-reader.js';

export interface TourImportRequest {
  fileName: string;
  bytes: Uint8Array;
  tourId?: string;
  name: string;
  kind: TourKind;
  /** default: the first and last day of the table */
  startDate?: string;
  endDate?: string;
  status?: TourStatus;
}

export type ImportOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: 409 | 422; error: string; message: string; issues: ImportIssue[]; rejected?: MutationResult[] };

const serverClientId = 'server-import';

function mutationsStamped(deps: SyncDeps, tourId: string, records: Array<[RecordCollection, { id: string }]>, now: Date): Mutation[] {
  return records.map(([collection, record]) => ({
    id: randomUUID(),
    collection,
    recordId: record.id,
    tourId,
    op: 'upsert' as const,
    fields: { ...record } as Record<string, unknown>,
    hlc: deps.clock.stampAfter([], now.getTime()),
  }));
}

function rejectedOutcome<T>(results: MutationResult[]): ImportOutcome<T> {
  const rejected = results.filter((r) => r.status === 'rejected');
  const issues = rejected.map((r) => ({ row: 0, column: '', value: '', message: `导入失败：${r.reason ?? ''}`, messageEn: `Import failed: ${r.reason ?? ''}` }));
  return { ok: false, status: 422, error: 'import_failed', message: `导入失败：${rejected[0]?.reason ?? ''}`, issues, rejected };
}

export async function importTour(
  deps: SyncDeps,
  actor: Actor,
  request: TourImportRequest,
  now: Date = new Date(),
): Promise<ImportOutcome<{ tour: Tour; units: number; stops: number }>> {
  const tourId = request.tourId ?? randomUUID();
  const { result: table } = await readTableOffThread({ kind: 'tour', fileName: request.fileName, bytes: request.bytes, tourId, maxBytes: TABLE_IMPORT_MAX_BYTES, maxRows: TABLE_IMPORT_MAX_ROWS });
  if (!table.ok) return invalid(table.errors);

  if (await loadTour(deps.db, tourId)) {
    return { ok: false, status: 409, error: 'tour_exists', message: `观摩活动编号“${tourId}”已存在`, issues: [] };
  }
  const parsedTour = tourSchema.safeParse({
    id: tourId,
    name: request.name,
    kind: request.kind,
    startDate: request.startDate ?? table.value.startDate,
    endDate: request.endDate ?? table.value.endDate,
    status: request.status ?? 'draft',
    template: null,
    rules: defaultRankingRules,
  });
  if (!parsedTour.success) {
    const issues = parsedTour.error.issues.map((issue) => ({
      row: 0,
      column: String(issue.path[0] ?? ''),
      value: '',
      message: `观摩活动信息有误（${issue.path.join('.') || '活动'}）：${issue.message}`,
      messageEn: `Invalid tour details (${issue.path.join('.') || 'tour'}): ${issue.message}`,
    }));
    return invalid(issues);
  }
  const tour = parsedTour.data;
  const mutations = mutationsStamped(
    deps,
    tourId,
    [['tours', tour], ...table.value.units.map((u) => ['units', u] as [RecordCollection, { id: string }]), ...table.value.stops.map((s) => ['stops', s] as [RecordCollection, { id: string }])],
    now,
  );
  const summary = { units: table.value.units.length, stops: table.value.stops.length };
  const response = await pushMutations(deps, actor, serverClientId, mutations, {
    now,
    allOrNothing: true,
    beforeCommit: async (trx) => {
      await writeAudit(trx, actor, { tourId, action: 'tour_imported', collection: 'tours', recordId: tourId, reason: `导入 ${request.fileName}`, before: null, after: { tour, ...summary } }, now);
    },
  });
  if (response.results.some((r) => r.status === 'rejected')) return rejectedOutcome(response.results);
  return { ok: true, value: { tour, ...summary } };
}

export interface TemplateImportRequest {
  fileName: string;
  bytes: Uint8Array;
  tourId: string;
  /** template name; default: the tour's name + 评分表 */
  name?: string;
}

/** Sets a tour's score sheet template from a 评分表 table (only while no sheet exists for it). */
export async function importTourTemplate(deps: SyncDeps, actor: Actor, request: TemplateImportRequest, now: Date = new Date()): Promise<ImportOutcome<{ tour: Tour }>> {
  const tour = await loadTour(deps.db, request.tourId);
  if (!tour) return { ok: false, status: 422, error: 'not_found', message: `观摩活动“${request.tourId}”不存在`, issues: [] };
  const { result: template } = await readTableOffThread({
    kind: 'template',
    fileName: request.fileName,
    bytes: request.bytes,
    templateId: `${tour.id}-template`,
    templateName: request.name ?? `${tour.name}评分表`,
    maxBytes: TABLE_IMPORT_MAX_BYTES,
    maxRows: TABLE_IMPORT_MAX_ROWS,
  });
  if (!template.ok) return invalid(template.errors);
  const hasSheets = await deps.db.selectFrom('records').select('id').where('tour_id', '=', tour.id).where('collection', '=', 'sheets').where('deleted', '=', 0).executeTakeFirst();
  if (hasSheets) {
    return { ok: false, status: 409, error: 'tour_has_sheets', message: '该观摩活动已有评分表提交或草稿，不能再更换评分表模板', issues: [] };
  }
  const [mutation] = mutationsStamped(deps, tour.id, [['tours', { id: tour.id, template: template.value } as { id: string }]], now);
  const response = await pushMutations(deps, actor, serverClientId, [mutation!], {
    now,
    allOrNothing: true,
    beforeCommit: async (trx) => {
      await writeAudit(trx, actor, { tourId: tour.id, action: 'template_imported', collection: 'tours', recordId: tour.id, reason: `导入 ${request.fileName}`, before: tour.template, after: template.value }, now);
    },
  });
  if (response.results.some((r) => r.status === 'rejected')) return rejectedOutcome(response.results);
  return { ok: true, value: { tour: { ...tour, template: template.value } } };
}

function invalid<T>(issues: ImportIssue[]): ImportOutcome<T> {
  const first = issues[0]?.message ?? '文件有误';
  const more = issues.length > 1 ? `（共 ${issues.length} 处问题）` : '';
  return { ok: false, status: 422, error: 'import_failed', message: `${first}${more}`, issues };
}
