/**
 * Reopening a submitted score sheet (or rank-vote ballot): the secretariat's only way to unlock
 * it, always with a reason, always audited (who, when, why, the record before and after).
 *
 * The change is stamped by the server clock after every version the record carries, so it wins
 * over the submit it answers even when the scorer's laptop clock ran a little ahead; the scorer's
 * laptop receives status 'reopened' on its next pull and may edit and submit again.
 */
import { recordSchemas } from '@shared/sync/collections';
import { applyFieldChanges } from '@shared/sync/merge';
import { scorerIdOf, toStoredRecord, writeRecord } from '../db/records.js';
import { HttpError } from '../http/errors.js';
import type { Actor } from '../sync/record-rules.js';
import type { SyncDeps } from '../sync/push.js';
import { recordLockKey, runWriteTransaction } from '../sync/write-transaction.js';
import { writeAudit, type AuditEntry } from './audit-log.js';

export interface ReopenResult {
  record: Record<string, unknown>;
  audit: AuditEntry;
}

export async function reopenSheet(deps: SyncDeps, actor: Actor, id: string, reason: string, now: Date = new Date()): Promise<ReopenResult> {
  const collection = id.startsWith('ballot:') ? 'ballots' : 'sheets';
  const what = collection === 'ballots' ? 'ballot' : 'score sheet';
  const result = await runWriteTransaction(deps.db, deps.kind, [recordLockKey(collection, id)], async (trx) => {
    const row = await trx.selectFrom('records').selectAll().where('collection', '=', collection).where('id', '=', id).executeTakeFirst();
    const current = row ? toStoredRecord(row) : null;
    if (!current || current.deleted) throw new HttpError(404, 'not_found', `There is no ${what} ${id}`);
    if (current.data.status !== 'submitted') {
      throw new HttpError(409, 'not_submitted', `The ${what} is not submitted (status ${String(current.data.status)}); only a submitted one can be reopened`);
    }
    const hlc = deps.clock.stampAfter(Object.values(current.versions), now.getTime());
    const merged = applyFieldChanges(current, { op: 'upsert', fields: { status: 'reopened', updatedAt: now.toISOString(), reopenReason: reason }, hlc }).record;
    const data = recordSchemas[collection].parse(merged.data) as Record<string, unknown>;
    await deps.clock.persist(trx, now);
    await writeRecord(trx, { collection, id, tourId: current.tourId, data, versions: merged.versions, deleted: false }, { mutationId: null, userId: actor.id }, now);
    const audit = await writeAudit(
      trx,
      actor,
      {
        tourId: current.tourId,
        action: collection === 'ballots' ? 'ballot_reopened' : 'sheet_reopened',
        collection,
        recordId: id,
        reason,
        before: current.data,
        after: data,
      },
      now,
    );
    return { record: data, audit, tourId: current.tourId, scorerId: scorerIdOf(collection, data) };
  });
  // after the commit: the scorer's laptops (and the desk) pull the reopened sheet at once
  deps.changes?.publish({
    clientId: null,
    records: [{ collection, id, tourId: result.tourId, deleted: false, scorerId: result.scorerId, userIds: [] }],
    reannounced: [],
  });
  return { record: result.record, audit: result.audit };
}
