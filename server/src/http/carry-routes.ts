/**
 * Unsynced work carried by file (shared/sync/carry-protocol.ts, server/API.md § Carried by file):
 * the user's carry key, each laptop's report of what it still holds, and the desk's list per tour.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { deviceStatusReportSchema } from '@shared/sync/carry-protocol';
import { idSchema } from '@shared/domain/schemas';
import { requireUser, staffRoles } from '../auth/require-user.js';
import { carryKeyFor } from '../carry/carry-key.js';
import { saveDeviceStatus, tourCarryDevices } from '../carry/device-status.js';
import type { Database } from '../db/schema.js';
import { HttpError } from './errors.js';
import type { WorkQueue } from './work-queue.js';

/** a report is a few hundred bytes per tour */
const MAX_REPORT_BYTES = 64 * 1024;

/** `work`: the sync work queue; a report is sync traffic (one per round per laptop) and waits its turn like a push */
export function registerCarryRoutes(app: FastifyInstance, db: Kysely<Database>, work: WorkQueue): void {
  app.get('/api/carry/key', async (request, reply) => {
    const user = await requireUser(request);
    return reply.header('cache-control', 'no-store').send(await carryKeyFor(db, user.id));
  });

  app.post('/api/carry/device-status', { bodyLimit: MAX_REPORT_BYTES }, async (request, reply) => {
    const user = await requireUser(request);
    const report = deviceStatusReportSchema.parse(request.body);
    await work.run(() => saveDeviceStatus(db, user.id, report));
    return reply.code(204).header('cache-control', 'no-store').send();
  });

  app.get<{ Params: { id: string } }>('/api/tours/:id/carry-devices', async (request, reply) => {
    await requireUser(request, staffRoles);
    const tourId = idSchema.parse(request.params.id);
    const tour = await db.selectFrom('records').select('id').where('collection', '=', 'tours').where('id', '=', tourId).where('deleted', '=', 0).executeTakeFirst();
    if (!tour) throw new HttpError(404, 'not_found', 'no such tour');
    return reply.header('cache-control', 'no-store').send(await tourCarryDevices(db, tourId));
  });
}
