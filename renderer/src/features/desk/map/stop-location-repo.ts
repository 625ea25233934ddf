/**
 * The desk's write of a stop's location: only `lat` and `lng` (WGS-84) are written and marked
 * changed, over the stop as stored now, so an edit of another field that arrived meanwhile
 * (a reorder, a renamed project synced from another desk) survives. Syncs like every edit
 * (record + outbox entry in one `rw` transaction).
 */
import type { Stop } from '../../../db/entities';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { outboxTables, putSynced } from '../../../db/outbox';
import { isSamePoint, roundStored, type WgsPoint } from './stop-location';

/** Saves the stop's location (null: none). Resolves with the stop as stored; unchanged → no write. */
export async function saveStopLocation(db: GuanmoDb, stopId: string, point: WgsPoint | null): Promise<Stop> {
  return db.transaction('rw', [db.stops, ...outboxTables(db)], async () => {
    const current = await db.stops.get(stopId);
    if (!current) throw new Error(`stop ${stopId} does not exist here`);
    const next = point ? roundStored(point) : { lat: null, lng: null };
    if (isSamePoint(current, next)) return current;
    return putSynced(db, 'stops', { ...current, lat: next.lat, lng: next.lng }, ['lat', 'lng']);
  });
}
