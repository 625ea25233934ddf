/**
 * Map tests: a tour with located stops and its participants written straight into the database,
 * and a map sources file in the data folder.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { scorerSchema, stopSchema, tourSchema, unitSchema, type Stop } from '@shared/domain/schemas';
import { serverOrigin, writeRecord, type RecordCollection } from '../db/records.js';
import type { Database } from '../db/schema.js';
import { mapSourcesFileName } from '../maps/map-sources.js';

export interface MapTourStop {
  day: string;
  order: number;
  lat: number | null;
  lng: number | null;
}

/** A small tour around 日照/潍坊: two days, five stops. */
export const smallTourStops: readonly MapTourStop[] = [
  { day: '2021-04-21', order: 1, lat: 35.46685, lng: 119.49643 },
  { day: '2021-04-21', order: 2, lat: 35.45938, lng: 119.46925 },
  { day: '2021-04-21', order: 3, lat: 35.45721, lng: 119.42411 },
  { day: '2021-04-22', order: 1, lat: 36.77, lng: 119.25215 },
  { day: '2021-04-22', order: 2, lat: 36.71, lng: 119.2362 },
];

export async function seedMapTour(
  db: Kysely<Database>,
  options: { tourId: string; stops: readonly MapTourStop[]; participantUserIds?: readonly string[]; status?: 'draft' | 'published' },
): Promise<Stop[]> {
  const tourId = options.tourId;
  const tour = tourSchema.parse({ id: tourId, name: `地图测试 ${tourId}`, kind: 'study', startDate: '2021-04-21', endDate: '2021-04-23', status: options.status ?? 'published' });
  const unit = unitSchema.parse({ id: `${tourId}-unit`, tourId, name: '东港区' });
  const stops = options.stops.map((s, i) =>
    stopSchema.parse({ id: `${tourId}-stop-${i + 1}`, tourId, unitId: unit.id, day: s.day, order: s.order, name: `项目${i + 1}`, lat: s.lat, lng: s.lng }),
  );
  const scorers = (options.participantUserIds ?? []).map((userId, i) => scorerSchema.parse({ id: `${tourId}-scorer-${i + 1}`, tourId, userId, name: `观摩人员${i + 1}`, role: 'observer' }));
  await db.transaction().execute(async (trx) => {
    const write = (collection: RecordCollection, record: { id: string }) =>
      writeRecord(trx, { collection, id: record.id, tourId, data: record as unknown as Record<string, unknown>, versions: {}, deleted: false }, serverOrigin);
    await write('tours', tour);
    await write('units', unit);
    for (const stop of stops) await write('stops', stop);
    for (const scorer of scorers) await write('scorers', scorer);
  });
  return stops;
}

export async function writeMapSources(dataDir: string, config: unknown): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(path.join(dataDir, mapSourcesFileName), JSON.stringify(config, null, 2));
}
