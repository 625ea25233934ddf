/**
 * Which laptops still hold unsynced work (issue 15): each laptop reports, on every sync round,
 * what its outbox holds per tour (POST /api/carry/device-status); the desk lists, per tour, the
 * laptops whose last report still holds work of that tour (GET /api/tours/:id/carry-devices).
 *
 * A laptop that broke keeps its last report forever. When the same user imports a file exported
 * on it and that laptop's work has all been pushed from the other laptop, the other laptop's
 * report says so (`carried`: the file's newest HLC): the broken laptop counts as cleared when
 * its last report held nothing newer than that (HLCs of one laptop's own clock compare).
 *
 * What must stay true:
 * - A report replaces the laptop's previous one whole (one transaction), never adds to it.
 * - Only the user who reported from a laptop last can mark it carried (nobody clears another
 *   scorer's laptop from the desk's list by claiming to have carried it).
 */
import type { Kysely } from 'kysely';
import { deviceStatusReportSchema, type CarryDevice, type TourCarryDevices } from '@shared/sync/carry-protocol';
import type { z } from 'zod';
import type { Database } from '../db/schema.js';

type Report = z.output<typeof deviceStatusReportSchema>;

export async function saveDeviceStatus(db: Kysely<Database>, userId: string, report: Report, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const row = {
      user_id: userId,
      device_name: report.deviceName,
      app_version: report.appVersion ?? null,
      newest_pending_hlc: report.newestPendingHlc,
      reported_at: at,
    };
    await trx
      .insertInto('carry_devices')
      .values({ client_id: report.clientId, ...row, carried_through_hlc: null, carried_by_client_id: null, carried_at: null })
      .onConflict((oc) => oc.column('client_id').doUpdateSet(row))
      .execute();
    await trx.deleteFrom('carry_device_tours').where('client_id', '=', report.clientId).execute();
    const tours = report.pending.filter((p) => p.sheets + p.ballots + p.notes + p.photos + p.other > 0);
    if (tours.length > 0) {
      // one row per tour, the last report of a tour named twice wins
      const byTour = new Map(tours.map((p) => [p.tourId, p]));
      await trx
        .insertInto('carry_device_tours')
        .values([...byTour.values()].map((p) => ({ client_id: report.clientId, tour_id: p.tourId, sheets: p.sheets, ballots: p.ballots, notes: p.notes, photos: p.photos, other: p.other })))
        .execute();
    }
    for (const carried of report.carried) {
      if (carried.fromClientId === report.clientId) continue;
      const from = await trx.selectFrom('carry_devices').select(['user_id', 'carried_through_hlc']).where('client_id', '=', carried.fromClientId).executeTakeFirst();
      if (!from || from.user_id !== userId) continue;
      if (from.carried_through_hlc !== null && from.carried_through_hlc >= carried.throughHlc) continue;
      await trx
        .updateTable('carry_devices')
        .set({ carried_through_hlc: carried.throughHlc, carried_by_client_id: report.clientId, carried_at: at })
        .where('client_id', '=', carried.fromClientId)
        .execute();
    }
  });
}

export async function tourCarryDevices(db: Kysely<Database>, tourId: string): Promise<TourCarryDevices> {
  const rows = await db
    .selectFrom('carry_device_tours as t')
    .innerJoin('carry_devices as d', 'd.client_id', 't.client_id')
    .leftJoin('users as u', 'u.id', 'd.user_id')
    .select([
      'd.client_id',
      'd.device_name',
      'd.app_version',
      'd.reported_at',
      'd.newest_pending_hlc',
      'd.carried_through_hlc',
      'd.carried_at',
      'u.id as user_id',
      'u.username',
      'u.display_name',
      't.sheets',
      't.ballots',
      't.notes',
      't.photos',
      't.other',
    ])
    .where('t.tour_id', '=', tourId)
    .execute();
  const devices: CarryDevice[] = [];
  const carried: TourCarryDevices['carried'] = [];
  for (const r of rows) {
    const user = r.user_id && r.username && r.display_name ? { id: r.user_id, username: r.username, displayName: r.display_name } : null;
    const isCarried = r.carried_through_hlc !== null && r.carried_at !== null && (r.newest_pending_hlc === null || r.newest_pending_hlc <= r.carried_through_hlc);
    if (isCarried) {
      carried.push({ clientId: r.client_id, deviceName: r.device_name, user, carriedAt: r.carried_at! });
      continue;
    }
    devices.push({
      clientId: r.client_id,
      deviceName: r.device_name,
      appVersion: r.app_version,
      user,
      lastSeenAt: r.reported_at,
      pending: { sheets: Number(r.sheets), ballots: Number(r.ballots), notes: Number(r.notes), photos: Number(r.photos), other: Number(r.other) },
    });
  }
  // the laptop unseen the longest first: whom to chase
  devices.sort((a, b) => a.lastSeenAt.localeCompare(b.lastSeenAt) || a.deviceName.localeCompare(b.deviceName));
  carried.sort((a, b) => a.carriedAt.localeCompare(b.carriedAt));
  return { tourId, devices, carried };
}
