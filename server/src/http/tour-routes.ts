/**
 * The secretariat's routes beside sync, and rankings.
 *
 *   POST /api/sheets/:id/reopen {reason}   reopen a submitted sheet or ballot (audited)
 *   GET  /api/audit?tourId=&limit=&before= the audit log, newest first
 *   GET  /api/tours/:id/rankings           project and unit rankings (shared engine)
 *   POST /api/tours/import?name=&kind=&fileName=[&tourId=&startDate=&endDate=&status=]
 *        body: the tour table file itself (.csv / .xlsx), any binary or text content type
 *   POST /api/tours/:id/template/import?fileName=[&name=]
 *        body: the score sheet table (评分表) file
 *
 * The file name may also come in an `X-File-Name` header (URL-encoded, for Chinese names).
 * Import problems answer 422 `{error, message, issues: [{row, column, value, message, messageEn}]}`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idSchema, isoDateSchema, text, tourKindSchema, tourStatusSchema } from '@shared/domain/schemas';
import { TABLE_IMPORT_MAX_BYTES } from '../tours/table-reader.js';
import { rankingJsonReplacer } from '@shared/ranking';
import { requireUser, staffRoles } from '../auth/require-user.js';
import { userCanSeeTour } from '../sync/access.js';
import type { SyncDeps } from '../sync/push.js';
import { listAudit } from '../tours/audit-log.js';
import { importTour, importTourTemplate, type ImportOutcome } from '../tours/import-tour.js';
import { computeTourRankings, loadTour } from '../tours/rankings.js';
import { reopenSheet } from '../tours/reopen.js';
import { HttpError } from './errors.js';

const reopenBodySchema = z.object({
  reason: text().trim().min(1, 'a reason is required').max(1000, 'the reason is longer than 1000 characters'),
});

const auditQuerySchema = z.object({
  tourId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  before: z.coerce.number().int().min(1).optional(),
});

const fileNameSchema = text()
  .trim()
  .min(1, 'the file name is missing (fileName or X-File-Name)')
  .max(255)
  .refine((n) => /\.(csv|txt|xlsx|xlsm)$/i.test(n), 'the file must be a .csv or .xlsx table');

const tourImportQuerySchema = z.object({
  fileName: fileNameSchema.optional(),
  tourId: idSchema.optional(),
  name: text().trim().min(1, 'the tour needs a name').max(200),
  kind: tourKindSchema,
  startDate: isoDateSchema.optional(),
  endDate: isoDateSchema.optional(),
  status: tourStatusSchema.optional(),
});

const templateImportQuerySchema = z.object({
  fileName: fileNameSchema.optional(),
  name: text().trim().min(1).max(200).optional(),
});

const tableContentTypes = [
  'application/octet-stream',
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel.sheet.macroEnabled.12',
];

export function registerTourRoutes(app: FastifyInstance, deps: SyncDeps): void {
  app.post('/api/sheets/:id/reopen', async (request, reply) => {
    const user = await requireUser(request, staffRoles);
    const { id } = z.object({ id: idSchema }).parse(request.params);
    const { reason } = reopenBodySchema.parse(request.body);
    const result = await reopenSheet(deps, user, id, reason);
    request.log.info({ user: user.username, sheet: id }, 'sheet reopened');
    return reply.header('cache-control', 'no-store').send(result);
  });

  app.get('/api/audit', async (request, reply) => {
    await requireUser(request, staffRoles);
    const query = auditQuerySchema.parse(request.query);
    const entries = await listAudit(deps.db, { tourId: query.tourId, limit: query.limit, beforeId: query.before });
    return reply.header('cache-control', 'no-store').send({ entries });
  });

  app.get('/api/tours/:id/rankings', async (request, reply) => {
    const user = await requireUser(request);
    const { id } = z.object({ id: idSchema }).parse(request.params);
    const tour = await loadTour(deps.db, id);
    // a tour the user may not see answers like one that does not exist
    if (!tour || !(await userCanSeeTour(deps.db, deps.kind, user, id))) throw new HttpError(404, 'not_found', `There is no tour ${id}`);
    const isStaff = staffRoles.includes(user.role);
    if (!isStaff && tour.status !== 'results_published') {
      throw new HttpError(403, 'results_not_published', 'The rankings are shown once the secretariat has published the results');
    }
    const rankings = await computeTourRankings(deps.db, tour);
    return reply
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(rankings, rankingJsonReplacer));
  });

  // Raw table files: parsers scoped to these routes only.
  void app.register(async (scope) => {
    scope.addContentTypeParser(tableContentTypes, { parseAs: 'buffer', bodyLimit: TABLE_IMPORT_MAX_BYTES }, (_request, body, done) => done(null, body));

    scope.post('/api/tours/import', { bodyLimit: TABLE_IMPORT_MAX_BYTES }, async (request, reply) => {
      const user = await requireUser(request, staffRoles);
      const query = tourImportQuerySchema.parse(request.query);
      const fileName = fileNameOf(request, query.fileName);
      const outcome = await importTour(deps, user, { ...query, fileName, bytes: bodyBytes(request) });
      if (outcome.ok) request.log.info({ user: user.username, tour: outcome.value.tour.id, stops: outcome.value.stops }, 'tour imported');
      return sendOutcome(reply, outcome, 201);
    });

    scope.post('/api/tours/:id/template/import', { bodyLimit: TABLE_IMPORT_MAX_BYTES }, async (request, reply) => {
      const user = await requireUser(request, staffRoles);
      const { id } = z.object({ id: idSchema }).parse(request.params);
      const query = templateImportQuerySchema.parse(request.query);
      const fileName = fileNameOf(request, query.fileName);
      const outcome = await importTourTemplate(deps, user, { tourId: id, fileName, name: query.name, bytes: bodyBytes(request) });
      return sendOutcome(reply, outcome, 200);
    });
  });
}

function fileNameOf(request: FastifyRequest, fromQuery: string | undefined): string {
  if (fromQuery) return fromQuery;
  const header = request.headers['x-file-name'];
  let name: string | undefined;
  if (typeof header === 'string') {
    try {
      name = decodeURIComponent(header);
    } catch {
      throw new HttpError(400, 'invalid_request', 'X-File-Name must be URL-encoded');
    }
  }
  return fileNameSchema.parse(name ?? '');
}

function bodyBytes(request: FastifyRequest): Uint8Array {
  const body = request.body;
  if (!Buffer.isBuffer(body)) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the table file itself as the request body (Content-Type application/octet-stream, text/csv or the .xlsx type)');
  }
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

function sendOutcome<T>(reply: FastifyReply, outcome: ImportOutcome<T>, okStatus: number): FastifyReply {
  if (outcome.ok) return reply.code(okStatus).header('cache-control', 'no-store').send(outcome.value);
  return reply.code(outcome.status).send({ error: outcome.error, message: outcome.message, issues: outcome.issues, ...(outcome.rejected ? { rejected: outcome.rejected } : {}) });
}
