import { useLiveQuery } from 'dexie-react-hooks';
import type { TilePackNotice, TilePackRecord } from '../../db/entities';
import { useDb } from '../../db/db-context';
import { getMeta } from '../../db/meta-repo';
import { packsOfTour } from '../../offline-maps/pack-store';

/** A tour's packs on this device (the ready one, one downloading) and what happened to them. */
export function useTourPacks(tourId: string): { ready: TilePackRecord | null; pending: TilePackRecord | null; notices: TilePackNotice[] } | undefined {
  const db = useDb();
  return useLiveQuery(async () => {
    const packs = await packsOfTour(db, tourId);
    const notices = ((await getMeta(db, 'tilePackNotices')) ?? []).filter((n) => n.tourId === tourId);
    return { ...packs, notices };
  }, [db, tourId]);
}

/** Every pack on this device with its tour's name, and the notices not read yet. */
export function useOfflineMaps(): { packs: { record: TilePackRecord; tourName: string | null }[]; notices: TilePackNotice[] } | undefined {
  const db = useDb();
  return useLiveQuery(
    () =>
      db.transaction('r', [db.tilePacks, db.tours, db.meta], async () => {
        const records = await db.tilePacks.toArray();
        const tours = new Map((await db.tours.bulkGet([...new Set(records.map((r) => r.tourId))])).flatMap((t) => (t ? [[t.id, t] as const] : [])));
        // the coming and latest tours first (never by the name's pinyin), then the order they arrived
        const startOf = (tourId: string) => tours.get(tourId)?.startDate ?? '';
        return {
          packs: records
            .map((record) => ({ record, tourName: tours.get(record.tourId)?.name ?? null }))
            .sort((a, b) => startOf(b.record.tourId).localeCompare(startOf(a.record.tourId)) || a.record.startedAt.localeCompare(b.record.startedAt)),
          notices: (await getMeta(db, 'tilePackNotices')) ?? [],
        };
      }),
    [db],
  );
}
