/**
 * Applying pushed mutations: the one write path for synced records, used by POST
 * /api/sync/push and by the server's own writes on behalf of the secretariat (tour import).
 *
 * Per mutation, in the order sent: duplicate check (applied mutation ids are stored) → clock
 * (clamped when the client runs ahead) → per-field LWW merge with the stored record
 * (shared/sync/merge.ts) → the merged record must pass the collection's zod schema → domain
 * rules and authorisation (record-rules.ts) → store the record and its change log entry, and
 * remember the mutation id. A rejected mutation is answered with a code and a reason and
 * changes nothing; it never fails the rest of the batch.
 *
 * What must stay true:
 * - The same mutation applied twice changes nothing the second time (its id is remembered in
 *   the same transaction as its effect; merging is idempotent anyway).
 * - One push is one short transaction (no network, no hashing inside): on PostgreSQL an open
 *   write transaction holds back every later change from pulls (see db/changes.ts).
 * - The server clock is persisted before the transaction that uses its stamps commits.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { PhotoMeta, Scorer, Stop, Tour, Unit } from '@shared/domain/schemas';
import { recordSchemas, type RecordCollection } from '@shared/sync/collections';
import { applyFieldChanges, diffRecords, type VersionedRecord } from '@shared/sync/merge';
import type { Mutation, MutationResult, PushResponse } from '@shared/sync/protocol';
import { contradiction, type BlobFacts, type BlobFactsReader } from '../blobs/blob-facts.js';
import type { DbKind } from '../config.js';
import type { ChangedRecord, ChangeFeed, CommittedChanges } from '../live/change-feed.js';
import { scorerIdOf, toStoredRecord, type ChangeOrigin, type StoredRecord } from '../db/records.js';
import type { AppliedMutationsTable, Database, RecordRow } from '../db/schema.js';
import { checkOwnSheetId, checkPermission, checkRecordShape, isBallotSubmission, reject, type Actor, type Rejection, type RuleContext } from './record-rules.js';
import { isStaffRole } from './access.js';
import { reannounceTourRecords } from './reannounce.js';
import type { ServerClock } from './server-clock.js';
import { recordLockKey, runWriteTransaction } from './write-transaction.js';

export interface SyncDeps {
  db: Kysely<Database>;
  kind: DbKind;
  clock: ServerClock;
  /** where committed writes are announced for the live channel (none: nobody listens) */
  changes?: ChangeFeed;
  /** the stored photo bytes, to check photo records against (none: not checked) */
  blobFacts?: BlobFactsReader;
}

/** fields of a photo record that must agree with its stored bytes */
const photoByteFields = ['sha256', 'size', 'mime', 'width', 'height'];

/** What widens visibility when written (see reannounce.ts). */
const tourContentCollections: readonly RecordCollection[] = ['units', 'stops', 'scorers', 'notes', 'photos'];
const scoringCollections: readonly RecordCollection[] = ['sheets', 'ballots'];

export interface PushOptions {
  now?: Date;
  /**
   * Server-made batches (an import): when any mutation is rejected, nothing is stored and the
   * results say why (statuses of the others are as they would have been).
   */
  allOrNothing?: boolean;
  /** more writes in the same transaction (e.g. an audit entry), after the mutations */
  beforeCommit?: (trx: Transaction<Database>) => Promise<void>;
}

class BatchRejected extends Error {
  constructor(readonly results: MutationResult[]) {
    super('batch rejected');
  }
}

export async function pushMutations(
  deps: SyncDeps,
  actor: Actor,
  clientId: string,
  mutations: readonly Mutation[],
  options: PushOptions = {},
): Promise<PushResponse> {
  const now = options.now ?? new Date();
  const nowMs = now.getTime();

  // Stamps first, outside the transaction: pure clock work, persisted before anything commits.
  const stamps = mutations.map((m) => {
    try {
      return deps.clock.admit(m.hlc, nowMs);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  });
  await deps.clock.persist(deps.db, now);

  // what the stored photo bytes are, read before the transaction (disk reads do not belong in it)
  const photoFacts = await readPhotoFacts(deps, mutations);

  const lockKeys = mutations.map((m) => recordLockKey(m.collection, m.recordId));
  /** what the committed attempt wrote (a retried transaction starts again from scratch) */
  let committed: CommittedChanges | null = null;
  const results = await runWriteTransaction(deps.db, deps.kind, lockKeys, async (trx) => {
    committed = null;
    const batch = new BatchState(trx, deps.kind, photoFacts, deps.blobFacts);
    const mutationIds = mutations.map((m) => m.id);
    // PostgreSQL: the batch's records, the ids already applied and the pusher's own scorer
    // records in ONE round trip (each round trip holds the transaction open a little longer)
    const appliedBefore =
      deps.kind === 'postgres'
        ? await batch.preloadPostgres(mutations, mutationIds, isStaffRole(actor.role) ? null : actor.id)
        : (await batch.preload(mutations), await findAppliedMutations(trx, mutationIds));
    const seenInBatch = new Set<string>();
    const appliedRows: AppliedMutationRow[] = [];
    const results: MutationResult[] = [];
    for (const [i, mutation] of mutations.entries()) {
      const stamp = stamps[i]!;
      if (appliedBefore.has(mutation.id) || seenInBatch.has(mutation.id)) {
        results.push({ id: mutation.id, status: 'duplicate' });
        continue;
      }
      if (stamp instanceof Error) {
        results.push({ id: mutation.id, status: 'rejected', code: 'clock', reason: stamp.message });
        continue;
      }
      const outcome = await applyOne(batch, actor, mutation, stamp.hlc, now);
      if ('code' in outcome) {
        results.push({ id: mutation.id, status: 'rejected', code: outcome.code, reason: outcome.reason });
        continue;
      }
      seenInBatch.add(mutation.id);
      appliedRows.push({
        id: mutation.id,
        user_id: actor.id,
        client_id: clientId,
        collection: mutation.collection,
        record_id: mutation.recordId,
        applied_at: now.toISOString(),
      });
      results.push({ id: mutation.id, status: 'applied', ...(stamp.restamped ? { hlc: stamp.hlc } : {}) });
    }
    if (options.allOrNothing && results.some((r) => r.status === 'rejected')) throw new BatchRejected(results);
    // PostgreSQL: the applied ids go with the records' statement (flushPostgres)
    const appliedLeft = await batch.flush(now, appliedRows);
    for (const rows of chunks(appliedLeft, 500)) await trx.insertInto('applied_mutations').values(rows).execute();
    for (const [tourId, collections] of batch.reannouncements) {
      await reannounceTourRecords(trx, tourId, [...collections], actor.id, now);
    }
    await options.beforeCommit?.(trx);
    committed = batch.committedChanges(clientId);
    return results;
  }).catch((error: unknown) => {
    if (error instanceof BatchRejected) return error.results;
    throw error;
  });
  // after the commit (see live/change-feed.ts); a rejected all-or-nothing batch stored nothing
  const announced = committed as CommittedChanges | null;
  if (announced) deps.changes?.publish(announced);
  return { results, serverHlc: deps.clock.current };
}

type AppliedMutationRow = Insertable<AppliedMutationsTable>;

/**
 * The facts of the stored bytes of every photo record the batch creates or whose byte fields it
 * changes (sha256 from the mutation, or from the stored record: sha256 never changes).
 */
async function readPhotoFacts(deps: SyncDeps, mutations: readonly Mutation[]): Promise<Map<string, BlobFacts | null>> {
  const facts = new Map<string, BlobFacts | null>();
  const reader = deps.blobFacts;
  if (!reader) return facts;
  const photos = mutations.filter((m) => m.collection === 'photos' && m.op === 'upsert' && photoByteFields.some((f) => Object.hasOwn(m.fields, f)));
  const hashes = new Set<string>();
  const storedIds: string[] = [];
  for (const m of photos) {
    if (typeof m.fields.sha256 === 'string') hashes.add(m.fields.sha256);
    else storedIds.push(m.recordId);
  }
  for (const part of chunks([...new Set(storedIds)], 400)) {
    const rows = await deps.db.selectFrom('records').select('data').where('collection', '=', 'photos').where('id', 'in', part).execute();
    for (const row of rows) {
      const sha = (JSON.parse(row.data) as { sha256?: unknown }).sha256;
      if (typeof sha === 'string') hashes.add(sha);
    }
  }
  for (const sha256 of hashes) {
    if (/^[0-9a-f]{64}$/.test(sha256)) facts.set(sha256, await reader.get(sha256));
  }
  return facts;
}

/** every column of records (RecordRow), of the table aliased `r` (the type check keeps the list complete) */
const recordColumnNames = { collection: 1, id: 1, tour_id: 1, data: 1, versions: 1, deleted: 1, scorer_id: 1, seq: 1, updated_at: 1 } satisfies Record<keyof RecordRow, 1>;
const recordColumns = sql.raw(
  Object.keys(recordColumnNames)
    .map((c) => `r.${c}`)
    .join(', '),
);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function findAppliedMutations(trx: Transaction<Database>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await trx.selectFrom('applied_mutations').select('id').where('id', 'in', [...new Set(ids)]).execute();
  return new Set(rows.map((r) => r.id));
}

type Applied = { written: boolean };

async function applyOne(batch: BatchState, actor: Actor, mutation: Mutation, hlc: string, now: Date): Promise<Applied | Rejection> {
  const { collection, recordId } = mutation;
  if (!isStaffRole(actor.role)) {
    const own = await batch.ownScorersOf(mutation.tourId, actor.id);
    const notOwn = checkOwnSheetId(collection, mutation.tourId, recordId, own);
    if (notOwn) return notOwn;
  }
  const current = await batch.get(collection, recordId);
  if (current && current.tourId !== mutation.tourId) return reject('invalid', `record ${recordId} does not belong to tour ${mutation.tourId}`);
  if (!current && mutation.op === 'delete') return reject('not_found', `there is no ${collection} record ${recordId} to delete`);

  const before: VersionedRecord | null = current ? { data: current.data, versions: current.versions, deleted: current.deleted } : null;
  const merged = applyFieldChanges(before, { op: mutation.op, fields: mutation.fields, hlc }).record;

  const parsed = recordSchemas[collection].safeParse(merged.data);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'record'}: ${issue.message}`)
      .join('; ');
    return reject('invalid', `invalid ${collection} record: ${detail}`);
  }
  const data = parsed.data as Record<string, unknown>;
  // own properties only: `toString` or `constructor` are no fields of any record, although every
  // object answers to them (`in` would let them through, and their versions would stay behind)
  const unknownFields = Object.keys(merged.data).filter((key) => !Object.hasOwn(data, key));
  if (unknownFields.length > 0) return reject('invalid', `unknown field${unknownFields.length > 1 ? 's' : ''} ${unknownFields.join(', ')} in a ${collection} record`);
  const next: VersionedRecord = { data, versions: merged.versions, deleted: merged.deleted };
  const diff = diffRecords(before, next);

  const tour = collection === 'tours' ? (next.deleted ? null : (data as unknown as Tour)) : await batch.tour(mutation.tourId);
  const stopId = typeof data.stopId === 'string' ? data.stopId : null;
  const ctx: RuleContext = {
    actor,
    mutation,
    current: before,
    next,
    changedFields: diff.changedFields,
    tour,
    ownScorers: tour && collection !== 'tours' ? await batch.ownScorersOf(mutation.tourId, actor.id) : [],
    stop: stopId ? await batch.stop(mutation.tourId, stopId) : null,
    hasUnit: () => false,
    hasUser: () => false,
    ballotSubmission: null,
  };
  // a ballot being submitted is checked against its list's units (read only then: drafts are many)
  if (collection === 'ballots' && tour && isBallotSubmission(next, diff.changedFields)) {
    const scorer = typeof data.scorerId === 'string' ? await batch.get('scorers', data.scorerId) : null;
    ctx.ballotSubmission = {
      units: await batch.unitsOf(mutation.tourId),
      scorer: scorer && !scorer.deleted && scorer.tourId === mutation.tourId ? (scorer.data as unknown as Scorer) : null,
    };
  }
  if (collection === 'stops' || collection === 'scorers') {
    const units = await batch.unitIdsOf(mutation.tourId);
    ctx.hasUnit = (id) => units.has(id);
  }
  if (collection === 'scorers' && typeof data.userId === 'string') {
    const exists = await batch.userExists(data.userId);
    ctx.hasUser = (id) => id === data.userId && exists;
  }
  const rejection = checkRecordShape(ctx) ?? checkPermission(ctx) ?? (await checkPhotoBytes(batch, collection, before, next, diff.changedFields));
  if (rejection) return rejection;
  if (!diff.isChanged) return { written: false };

  batch.write(
    {
      collection,
      id: recordId,
      tourId: mutation.tourId,
      data: next.data,
      versions: next.versions,
      deleted: next.deleted,
    },
    { mutationId: mutation.id, userId: actor.id },
    now,
  );
  noteVisibilityChanges(batch, collection, mutation.tourId, before, next, tour);
  return { written: true };
}

/**
 * A photo record must agree with its stored bytes (size, type, width × height from the header),
 * when the server holds them; bytes that arrive later are checked against the records then
 * referring to them only through possession (photo-access.ts): a record never makes bytes
 * visible unless its author holds them.
 */
async function checkPhotoBytes(batch: BatchState, collection: RecordCollection, before: VersionedRecord | null, next: VersionedRecord, changedFields: readonly string[]): Promise<Rejection | null> {
  if (collection !== 'photos' || next.deleted) return null;
  if (before && !changedFields.some((f) => photoByteFields.includes(f))) return null;
  const photo = next.data as unknown as PhotoMeta;
  const facts = await batch.photoFacts(photo.sha256);
  if (!facts) return null;
  const why = contradiction(photo, facts);
  return why ? reject('invalid', `the photo record does not match its uploaded bytes: ${why}`) : null;
}

/** Collects what must be re-announced because of this write (run once per tour at the end of the batch). */
function noteVisibilityChanges(
  batch: BatchState,
  collection: RecordCollection,
  tourId: string,
  before: VersionedRecord | null,
  after: VersionedRecord,
  tour: Tour | null,
): void {
  if (collection === 'tours') {
    const wasStatus = before && !before.deleted ? before.data.status : null;
    const isStatus = after.deleted ? null : after.data.status;
    if (wasStatus === isStatus || isStatus === null) return;
    if (wasStatus === 'draft') batch.reannounce(tourId, tourContentCollections);
    if (isStatus === 'results_published') batch.reannounce(tourId, scoringCollections);
    return;
  }
  if (collection === 'scorers' && tour && tour.status !== 'draft' && !after.deleted) {
    const isNewParticipant = !before || before.deleted || before.data.userId !== after.data.userId;
    if (isNewParticipant) {
      batch.reannounce(tourId, ['tours', ...tourContentCollections]);
      if (tour.status === 'results_published') batch.reannounce(tourId, scoringCollections);
    }
  }
}

/**
 * The batch's view of the database: records are read once (the batch's own records and the
 * tours and stops they refer to in a few bulk queries up front, anything else on demand), the
 * batch's writes are kept in memory so later mutations see earlier ones (a tour created, then
 * its units and stops), and written at the end in bulk: one change log entry and one record row
 * per record the batch changed (a pull returns a record's current state, so one entry per batch
 * is all a client needs). Few round trips keep the transaction short, which matters on
 * PostgreSQL: an open write transaction holds back every later change from pulls.
 */
class BatchState {
  private readonly records = new Map<string, StoredRecord | null>();
  private readonly pending = new Map<string, { record: StoredRecord; origin: ChangeOrigin }>();
  /** tour id → user id → that user's live scorer records in the tour */
  private readonly scorers = new Map<string, Map<string, Scorer[]>>();
  private readonly units = new Map<string, Set<string>>();
  private readonly users = new Map<string, boolean>();
  readonly reannouncements = new Map<string, Set<RecordCollection>>();
  /** what this batch changed, for the live channel: record key → summary */
  private readonly changed = new Map<string, ChangedRecord>();

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly kind: DbKind,
    private readonly knownPhotoFacts: Map<string, BlobFacts | null> = new Map(),
    private readonly blobFacts?: BlobFactsReader,
  ) {}

  /** The stored bytes' facts of a photo hash (read before the transaction; rarely here). */
  async photoFacts(sha256: string): Promise<BlobFacts | null> {
    if (this.knownPhotoFacts.has(sha256)) return this.knownPhotoFacts.get(sha256)!;
    const facts = this.blobFacts ? await this.blobFacts.get(sha256) : null;
    this.knownPhotoFacts.set(sha256, facts);
    return facts;
  }

  /** Reads the batch's records, their tours and the stops their fields name, in bulk. */
  async preload(mutations: readonly Mutation[]): Promise<void> {
    const wanted = new Map<RecordCollection, Set<string>>();
    const want = (collection: RecordCollection, id: string) => {
      if (this.records.has(recordLockKey(collection, id))) return;
      let ids = wanted.get(collection);
      if (!ids) wanted.set(collection, (ids = new Set()));
      ids.add(id);
    };
    for (const m of mutations) {
      want(m.collection, m.recordId);
      want('tours', m.tourId);
      if (typeof m.fields.stopId === 'string') want('stops', m.fields.stopId);
    }
    // one query for all collections (a push of a day's work is sheets, notes, their tour and stops)
    const keys = [...wanted].flatMap(([collection, ids]) => [...ids].map((id) => ({ collection, id })));
    for (const part of chunks(keys, 400)) {
      const values = sql.join(part.map((k) => sql`(${k.collection}, ${k.id})`));
      // the columns named: a statement with `*` is never prepared on PostgreSQL (db/postgres.ts)
      const query =
        this.kind === 'postgres'
          ? sql<RecordRow>`select ${recordColumns} from (values ${values}) as k (collection, id) join records r on r.collection = k.collection and r.id = k.id`
          : // a join on VALUES uses the primary key ("(collection, id) in (values …)" would scan the table)
            sql<RecordRow>`select ${recordColumns} from (values ${values}) as k cross join records r on r.collection = k.column1 and r.id = k.column2`;
      const rows = (await query.execute(this.trx)).rows;
      const found = new Map(rows.map((row) => [recordLockKey(row.collection, row.id), toStoredRecord(row)]));
      for (const k of part) {
        const key = recordLockKey(k.collection, k.id);
        this.records.set(key, found.get(key) ?? null);
      }
    }
  }

  /**
   * PostgreSQL: preload's records, the mutation ids already applied, and the live scorer
   * records of `ownUserId` (a participant pushing) in the batch's tours, in one statement whose
   * text does not depend on the batch's size (arrays as parameters), so it is prepared once per
   * connection (db/postgres.ts) instead of planned for every push. Returns the applied ids.
   */
  async preloadPostgres(mutations: readonly Mutation[], mutationIds: readonly string[], ownUserId: string | null): Promise<Set<string>> {
    const keys = new Map<string, { collection: RecordCollection; id: string }>();
    const want = (collection: RecordCollection, id: string) => {
      const key = recordLockKey(collection, id);
      if (!this.records.has(key)) keys.set(key, { collection, id });
    };
    const tourIds = new Set<string>();
    for (const m of mutations) {
      want(m.collection, m.recordId);
      want('tours', m.tourId);
      tourIds.add(m.tourId);
      if (typeof m.fields.stopId === 'string') want('stops', m.fields.stopId);
    }
    const wanted = [...keys.values()];
    const { rows } = await sql<RecordRow & { k: 'r' | 'a' | 'o' }>`
      select 'r' as k, ${recordColumns}
        from unnest(cast(${wanted.map((w) => w.collection)} as text[]), cast(${wanted.map((w) => w.id)} as text[])) as w (collection, id)
        join records r on r.collection = w.collection and r.id = w.id
      union all
      select 'a', null, a.id, null, null, null, null, null, null, null
        from applied_mutations a where a.id = any(cast(${[...new Set(mutationIds)]} as text[]))
      union all
      select 'o', r.collection, r.id, r.tour_id, r.data, null, null, null, null, null
        from records r
        where r.collection = 'scorers' and (r.data::json ->> 'userId') = ${ownUserId ?? ''} and ${ownUserId !== null}
          and r.tour_id = any(cast(${[...tourIds]} as text[])) and r.deleted = 0`.execute(this.trx);
    const applied = new Set<string>();
    const own = new Map<string, Scorer[]>([...tourIds].map((tourId) => [tourId, []]));
    for (const { k, ...row } of rows) {
      if (k === 'a') applied.add(row.id);
      else if (k === 'o') own.get(row.tour_id ?? '')?.push(JSON.parse(row.data) as Scorer);
      else this.records.set(recordLockKey(row.collection, row.id), toStoredRecord(row));
    }
    for (const key of keys.keys()) if (!this.records.has(key)) this.records.set(key, null);
    if (ownUserId !== null) {
      for (const [tourId, scorers] of own) {
        let byUser = this.scorers.get(tourId);
        if (!byUser) this.scorers.set(tourId, (byUser = new Map()));
        byUser.set(ownUserId, scorers);
      }
    }
    return applied;
  }

  async get(collection: RecordCollection, id: string): Promise<StoredRecord | null> {
    const key = recordLockKey(collection, id);
    if (this.records.has(key)) return this.records.get(key)!;
    const row = await this.trx.selectFrom('records').selectAll().where('collection', '=', collection).where('id', '=', id).executeTakeFirst();
    const record = row ? toStoredRecord(row) : null;
    this.records.set(key, record);
    return record;
  }

  async tour(tourId: string): Promise<Tour | null> {
    const record = await this.get('tours', tourId);
    return record && !record.deleted ? (record.data as unknown as Tour) : null;
  }

  async stop(tourId: string, stopId: string): Promise<Stop | null> {
    const record = await this.get('stops', stopId);
    return record && !record.deleted && record.tourId === tourId ? (record.data as unknown as Stop) : null;
  }

  /**
   * A user's live scorer records in a tour (normally one), with this batch's writes on top. Only
   * theirs are read: a tour has a hundred participants, and every push of a scorer asks this.
   */
  async ownScorersOf(tourId: string, userId: string): Promise<Scorer[]> {
    let byUser = this.scorers.get(tourId);
    if (!byUser) this.scorers.set(tourId, (byUser = new Map()));
    let scorers = byUser.get(userId);
    if (!scorers) {
      const userIdOfRecord = this.kind === 'postgres' ? sql<string>`(data::json ->> 'userId')` : sql<string>`json_extract(data, '$.userId')`;
      const rows = await this.trx
        .selectFrom('records')
        .select(['id', 'data'])
        .where(sql<boolean>`collection = 'scorers'`) // a literal: the partial index of migration 0005 applies
        .where(userIdOfRecord, '=', userId)
        .where('tour_id', '=', tourId)
        .where('deleted', '=', 0)
        .execute();
      const live = new Map(rows.map((r) => [r.id, JSON.parse(r.data) as Record<string, unknown>]));
      for (const { record } of this.pending.values()) {
        if (record.collection !== 'scorers' || record.tourId !== tourId) continue;
        if (record.deleted || record.data.userId !== userId) live.delete(record.id);
        else live.set(record.id, record.data);
      }
      scorers = [...live.values()].map((data) => data as unknown as Scorer);
      byUser.set(userId, scorers);
    }
    return scorers;
  }

  /** A tour's live units (id and group), with this batch's writes on top. */
  async unitsOf(tourId: string): Promise<Pick<Unit, 'id' | 'group'>[]> {
    return [...(await this.liveRecordsOf('units', tourId)).entries()].map(([id, data]) => ({ id, group: typeof data.group === 'string' ? data.group : null }));
  }

  async unitIdsOf(tourId: string): Promise<Set<string>> {
    let units = this.units.get(tourId);
    if (!units) {
      units = new Set((await this.liveRecordsOf('units', tourId)).keys());
      this.units.set(tourId, units);
    }
    return units;
  }

  /** Live records of a collection in a tour, as the database holds them with this batch's writes on top. */
  private async liveRecordsOf(collection: RecordCollection, tourId: string): Promise<Map<string, Record<string, unknown>>> {
    const rows = await this.trx
      .selectFrom('records')
      .select(['id', 'data'])
      .where('tour_id', '=', tourId)
      .where('collection', '=', collection)
      .where('deleted', '=', 0)
      .execute();
    const live = new Map(rows.map((r) => [r.id, JSON.parse(r.data) as Record<string, unknown>]));
    for (const { record } of this.pending.values()) {
      if (record.collection !== collection || record.tourId !== tourId) continue;
      if (record.deleted) live.delete(record.id);
      else live.set(record.id, record.data);
    }
    return live;
  }

  async userExists(userId: string): Promise<boolean> {
    let exists = this.users.get(userId);
    if (exists === undefined) {
      exists = (await this.trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()) !== undefined;
      this.users.set(userId, exists);
    }
    return exists;
  }

  /** Records a write (stored by flush). */
  write(record: Omit<StoredRecord, 'seq' | 'updatedAt'>, origin: { mutationId: string | null; userId: string | null }, now: Date): void {
    const key = recordLockKey(record.collection, record.id);
    this.noteChanged(key, record, this.records.get(key) ?? null);
    const stored: StoredRecord = { ...record, seq: 0, updatedAt: now.toISOString() };
    this.records.set(key, stored);
    this.pending.set(key, { record: stored, origin });
    if (record.collection === 'scorers') this.scorers.delete(record.tourId ?? '');
    if (record.collection === 'units') this.units.delete(record.tourId ?? '');
  }

  /**
   * Stores every pending write: change log entries first (their seqs), then the records.
   * PostgreSQL also stores `applied` (the mutation ids to remember) in the same statement;
   * returns the rows left for the caller to store.
   */
  async flush(now: Date, applied: readonly AppliedMutationRow[]): Promise<readonly AppliedMutationRow[]> {
    const at = now.toISOString();
    let appliedLeft = applied;
    for (const part of chunks([...this.pending.values()], 400)) {
      if (this.kind === 'postgres') {
        await this.flushPostgres(part, at, appliedLeft);
        appliedLeft = [];
        continue;
      }
      const inserted = await this.trx
        .insertInto('changes')
        .values(
          part.map(({ record, origin }) => ({
            collection: record.collection,
            record_id: record.id,
            tour_id: record.tourId,
            scorer_id: scorerIdOf(record.collection, record.data),
            mutation_id: origin.mutationId,
            user_id: origin.userId,
            created_at: at,
          })),
        )
        .returning(['seq', 'collection', 'record_id'])
        .execute();
      const seqOf = new Map(inserted.map((row) => [recordLockKey(row.collection, row.record_id), Number(row.seq)]));
      const rows = part.map(({ record }) => ({
        collection: record.collection,
        id: record.id,
        tour_id: record.tourId,
        data: JSON.stringify(record.data),
        versions: JSON.stringify(record.versions),
        deleted: record.deleted ? 1 : 0,
        scorer_id: scorerIdOf(record.collection, record.data),
        seq: seqOf.get(recordLockKey(record.collection, record.id))!,
        updated_at: at,
      }));
      await this.trx
        .insertInto('records')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['collection', 'id']).doUpdateSet({
            tour_id: sql`excluded.tour_id`,
            data: sql`excluded.data`,
            versions: sql`excluded.versions`,
            deleted: sql`excluded.deleted`,
            scorer_id: sql`excluded.scorer_id`,
            seq: sql`excluded.seq`,
            updated_at: sql`excluded.updated_at`,
          }),
        )
        .execute();
    }
    this.pending.clear();
    return appliedLeft;
  }

  /**
   * PostgreSQL: the change log entries, the records and the applied mutation ids in ONE
   * statement (a round trip to the database costs more than any of the inserts): the records
   * take their seqs from the RETURNING of the changes inserted by the same statement. Columns
   * go as arrays (unnest), so the statement's text is the same for every batch and is prepared
   * once per connection (db/postgres.ts) instead of planned for every push. The change log
   * entries are inserted in the batch's order (WITH ORDINALITY), so their seqs are too.
   */
  private async flushPostgres(part: ReadonlyArray<{ record: StoredRecord; origin: ChangeOrigin }>, at: string, applied: readonly AppliedMutationRow[]): Promise<void> {
    const column = <T>(pick: (entry: { record: StoredRecord; origin: ChangeOrigin }) => T): T[] => part.map(pick);
    const textArray = (values: ReadonlyArray<string | null>) => sql`cast(${values} as text[])`;
    const appliedColumn = (pick: (row: AppliedMutationRow) => string | null | undefined) => textArray(applied.map((row) => pick(row) ?? null));
    // no `*` anywhere: a statement with one is never prepared (db/postgres.ts)
    await sql`with v as (
        select v.collection, v.id, v.tour_id, v.data, v.versions, v.deleted, v.scorer_id, v.mutation_id, v.user_id, v.n from unnest(
          ${textArray(column((e) => e.record.collection))}, ${textArray(column((e) => e.record.id))}, ${textArray(column((e) => e.record.tourId))},
          ${textArray(column((e) => JSON.stringify(e.record.data)))}, ${textArray(column((e) => JSON.stringify(e.record.versions)))},
          cast(${column((e) => (e.record.deleted ? 1 : 0))} as int[]), ${textArray(column((e) => scorerIdOf(e.record.collection, e.record.data)))},
          ${textArray(column((e) => e.origin.mutationId))}, ${textArray(column((e) => e.origin.userId))}
        ) with ordinality as v (collection, id, tour_id, data, versions, deleted, scorer_id, mutation_id, user_id, n)
      ),
      c as (
        insert into changes (collection, record_id, tour_id, scorer_id, mutation_id, user_id, created_at)
        select v.collection, v.id, v.tour_id, v.scorer_id, v.mutation_id, v.user_id, ${at} from v order by v.n
        returning seq, collection, record_id
      ),
      a as (
        insert into applied_mutations (id, user_id, client_id, collection, record_id, applied_at)
        select u.id, u.user_id, u.client_id, u.collection, u.record_id, u.applied_at
        from unnest(${appliedColumn((r) => r.id)}, ${appliedColumn((r) => r.user_id)}, ${appliedColumn((r) => r.client_id)},
          ${appliedColumn((r) => r.collection)}, ${appliedColumn((r) => r.record_id)}, ${appliedColumn((r) => r.applied_at)})
          as u (id, user_id, client_id, collection, record_id, applied_at)
      )
      insert into records (collection, id, tour_id, data, versions, deleted, scorer_id, seq, updated_at)
      select v.collection, v.id, v.tour_id, v.data, v.versions, v.deleted, v.scorer_id, c.seq, ${at}
      from v
      join c on c.collection = v.collection and c.record_id = v.id
      on conflict (collection, id) do update set
        tour_id = excluded.tour_id, data = excluded.data, versions = excluded.versions, deleted = excluded.deleted,
        scorer_id = excluded.scorer_id, seq = excluded.seq, updated_at = excluded.updated_at`.execute(this.trx);
  }

  /** A participant record names a user before and after: both users' access may change. */
  private noteChanged(key: string, record: Omit<StoredRecord, 'seq' | 'updatedAt'>, before: StoredRecord | null): void {
    const userIds = new Set(this.changed.get(key)?.userIds);
    if (record.collection === 'scorers') {
      for (const data of [before?.data, record.data]) if (typeof data?.userId === 'string') userIds.add(data.userId);
    }
    this.changed.set(key, {
      collection: record.collection,
      id: record.id,
      tourId: record.tourId,
      deleted: record.deleted,
      scorerId: scorerIdOf(record.collection, record.data),
      userIds: [...userIds],
    });
  }

  committedChanges(clientId: string): CommittedChanges {
    return {
      clientId,
      records: [...this.changed.values()],
      reannounced: [...this.reannouncements].map(([tourId, collections]) => ({ tourId, collections: [...collections] })),
    };
  }

  reannounce(tourId: string, collections: readonly RecordCollection[]): void {
    let set = this.reannouncements.get(tourId);
    if (!set) this.reannouncements.set(tourId, (set = new Set()));
    for (const c of collections) set.add(c);
  }
}
