/**
 * The sync protocol between the desktop app and the server (DESIGN.md § Sync), as zod schemas:
 * the server validates requests with them, the app validates responses.
 *
 *   POST /api/sync/push  PushRequest  → PushResponse   (one result per mutation, in order)
 *   GET  /api/sync/pull?cursor=&limit= → PullResponse
 *
 * Push. Each mutation changes one record: `fields` holds the changed fields and their new
 * values (a new record sends all of them), stamped with one HLC timestamp. The server merges per
 * field (shared/sync/merge.ts), validates the merged record with the collection's schema,
 * authorises it, and answers per mutation:
 *   - applied   stored (or already reflected: an older write that lost to newer ones is applied
 *               as a no-op; merging is idempotent);
 *   - duplicate this mutation id was applied before: nothing changed now; drop it from the outbox;
 *   - rejected  not stored, with a `code` to branch on and a `reason` to show; re-sending the
 *               same mutation will be rejected again unless the situation changes (e.g. a
 *               secretariat reopen). One rejected mutation never fails the rest of the batch.
 * `hlc` in a result is set when the server re-stamped the mutation because the client's clock
 * ran ahead of the server's: the record now carries that timestamp.
 * Re-sending a batch is always safe.
 *
 * Pull. Changes after the cursor, each record in its current state (data, versions, tombstone),
 * only what this user may see. Store the page, then advance to `cursor`; repeat while `hasMore`.
 * A record can arrive again later (a newer state, or re-announced because it became visible to
 * this user, e.g. when results are published or the user is assigned to a tour): merge it with
 * mergeRecord. For fields without a pending local change the server's value is authoritative.
 *
 * Conventions:
 * - `tourId` of a tour is the tour's own id.
 * - notes and photos: `authorId` is the author's user id (the account id of /api/auth/me).
 * - score sheets and ballots: `scorerId` is the scorer record (assignment) id, and the id is
 *   sheetId(tourId, stopId, scorerId) / ballotId(tourId, scorerId, group).
 */
import { z } from 'zod';
import { idSchema, text } from '../domain/schemas';
import { recordCollections } from './collections';
import { hlcNodeSchema, hlcStringSchema } from './hlc';

/** most mutations in one push; the client sends larger outboxes in several pushes */
export const MAX_PUSH_MUTATIONS = 500;
/** largest push body the server accepts (bytes); the client splits batches below this */
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;
export const DEFAULT_PULL_LIMIT = 500;
/**
 * When the network returns, a laptop starts its sync round after a random wait of up to this long
 * (renderer/src/sync/sync-engine.ts; "sync now" does not wait). The laptops of a tour lose and
 * regain the network together (one bus, one hotspot), and a hundred rounds arriving in the same
 * instant queue behind each other: each laptop's first round costs the server about 25 ms of CPU
 * on SQLite and about twice that with PostgreSQL's own processes, so a hundred of them need 2.5–5
 * s of a two-core server. Spread over this window, each request still finds the server nearly
 * idle. The bench's reconnect scenario models it (npm run bench:server).
 */
export const RECONNECT_JITTER_MS = 5_000;
export const MAX_PULL_LIMIT = 2000;

export const recordCollectionSchema = z.enum(recordCollections);

/** Names every object answers to (toString, constructor, __proto__ …): never the name of a field. */
const objectPrototypeNames: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Field names are plain identifiers (never `$…`, which merge bookkeeping uses), and never the name
 * of an Object.prototype member: such a key would read as present on every record.
 */
const fieldNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'field names are identifiers of at most 64 characters')
  .refine((name) => !objectPrototypeNames.has(name), 'a field cannot be named like a built-in object member (toString, constructor …)');

export const mutationSchema = z.object({
  /** unique per mutation (a UUID): the server applies each id once */
  id: z.uuid('mutation id must be a UUID'),
  collection: recordCollectionSchema,
  recordId: idSchema,
  tourId: idSchema,
  op: z.enum(['upsert', 'delete']),
  fields: z.record(fieldNameSchema, z.unknown()).default({}),
  hlc: hlcStringSchema,
});
export type Mutation = z.infer<typeof mutationSchema>;
export type MutationInput = z.input<typeof mutationSchema>;

export const pushRequestSchema = z.object({
  /** the device's id (its HLC node id) */
  clientId: hlcNodeSchema,
  mutations: z.array(mutationSchema).min(1, 'a push needs at least one mutation').max(MAX_PUSH_MUTATIONS, `at most ${MAX_PUSH_MUTATIONS} mutations per push`),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

/**
 * The push request as the server first reads it: the envelope whole, the mutations one by one
 * afterwards (mutationSchema each), so that a malformed mutation (a lone surrogate in its
 * recordId, a NUL in a field) is rejected alone, with its reason, and never fails the batch.
 */
export const pushEnvelopeSchema = z.object({
  clientId: hlcNodeSchema,
  mutations: z.array(z.unknown()).min(1, 'a push needs at least one mutation').max(MAX_PUSH_MUTATIONS, `at most ${MAX_PUSH_MUTATIONS} mutations per push`),
});
export type PushEnvelope = z.infer<typeof pushEnvelopeSchema>;

export const mutationStatusSchema = z.enum(['applied', 'duplicate', 'rejected']);
export type MutationStatus = z.infer<typeof mutationStatusSchema>;

/**
 * Why a mutation was rejected:
 * - invalid        the merged record fails its schema, or the mutation contradicts itself (ids)
 * - forbidden      this user may not write this record (role, not their sheet, not their tour)
 * - not_found      the tour, stop or record it refers to does not exist (or a delete of nothing)
 * - immutable      it changes a field that never changes (tourId, stopId, scorerId, authorId …)
 * - sheet_locked   the sheet (or ballot) is submitted: only a secretariat reopen unlocks it
 * - recused        a scorer's sheet for a project of their own unit
 * - tour_closed    the tour no longer accepts this change (scoring closed, not a scored tour)
 * - clock          the HLC timestamp cannot be used
 */
export const rejectionCodeSchema = z.enum(['invalid', 'forbidden', 'not_found', 'immutable', 'sheet_locked', 'recused', 'tour_closed', 'clock']);
export type RejectionCode = z.infer<typeof rejectionCodeSchema>;

export const mutationResultSchema = z.object({
  id: z.string(),
  status: mutationStatusSchema,
  code: rejectionCodeSchema.optional(),
  reason: z.string().optional(),
  /** set when the server re-stamped the mutation (client clock ahead) */
  hlc: z.string().optional(),
});
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResponseSchema = z.object({
  results: z.array(mutationResultSchema),
  /** the server's clock after the push: feed it to the device clock (HlcClock.receive) */
  serverHlc: z.string(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const pullQuerySchema = z.object({
  /** opaque; absent = from the beginning */
  cursor: text().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
});
export type PullQuery = z.infer<typeof pullQuerySchema>;

export const pulledRecordSchema = z.object({
  collection: recordCollectionSchema,
  id: z.string(),
  tourId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  versions: z.record(z.string(), z.string()),
  deleted: z.boolean(),
});
export type PulledRecord = z.infer<typeof pulledRecordSchema>;

export const pullResponseSchema = z.object({
  changes: z.array(pulledRecordSchema),
  /** pass back as `cursor` for the next page */
  cursor: z.string(),
  hasMore: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;
