/**
 * Whether a batch of committed changes holds anything a listener may see, by the same rules as
 * pull (sync/access.ts canSeeRecord, visibleTour), and whose access a batch may have changed.
 * Pure: the hub (live-hub.ts) loads the access and applies the verdict.
 *
 * What must stay true:
 * - A listener is told only when a pull would show them at least one of the changes: a scorer
 *   hears nothing of another scorer's sheet or ballot while the tour is blind (not
 *   results_published), nor of a tour they do not take part in, nor of a draft tour.
 * - The verdict uses the access as it is after the write (the hub refreshes the access of those
 *   listeners staleAccessUsers names first), as a pull after the write would.
 */
import type { RecordCollection } from '@shared/sync/collections';
import { canSeeRecord, visibleTour, type ViewerAccess } from '../sync/access.js';
import type { CommittedChanges } from './change-feed.js';

const scoringCollections: ReadonlySet<RecordCollection> = new Set(['sheets', 'ballots']);

/** true when a pull by the listener with `access` would now return at least one of `changes` */
export function isAnyChangeVisible(access: ViewerAccess, changes: CommittedChanges): boolean {
  if (access.isStaff) return changes.records.length > 0 || changes.reannounced.length > 0;
  for (const record of changes.records) {
    const seen = canSeeRecord(access, {
      collection: record.collection,
      id: record.id,
      tourId: record.tourId,
      deleted: record.deleted,
      // canSeeRecord reads data.scorerId only (sheets and ballots)
      data: record.scorerId === null ? {} : { scorerId: record.scorerId },
    });
    if (seen) return true;
  }
  for (const { tourId, collections } of changes.reannounced) {
    const participation = visibleTour(access, tourId);
    if (!participation) continue;
    // re-announced sheets and ballots are everybody's: visible once results are published
    if (collections.some((c) => !scoringCollections.has(c) || participation.status === 'results_published')) return true;
  }
  return false;
}

/**
 * What in `changes` may change someone's access: the users participant records name (assigned,
 * removed, moved to another account), and tours whose record changed (every participant's: the
 * status decides what they see, a deleted tour ends their participation).
 */
export function changedAccessTours(changes: CommittedChanges): { userIds: Set<string>; tourIds: Set<string> } {
  const userIds = new Set<string>();
  const tourIds = new Set<string>();
  for (const record of changes.records) {
    if (record.collection === 'scorers') for (const id of record.userIds) userIds.add(id);
    else if (record.collection === 'tours') tourIds.add(record.id);
  }
  return { userIds, tourIds };
}

/** whether a listener's access must be read again before `changes` are judged for them */
export function isAccessStale(access: ViewerAccess, changed: { userIds: ReadonlySet<string>; tourIds: ReadonlySet<string> }): boolean {
  if (access.isStaff) return false;
  if (changed.userIds.has(access.viewer.id)) return true;
  for (const tourId of changed.tourIds) if (access.tours.has(tourId)) return true;
  return false;
}
