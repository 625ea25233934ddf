/**
 * GET /api/health: for load balancers, monitoring and the desktop app's "server reachable" check.
 * 200 with ok:true when the database answers, 503 with ok:false when it does not.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DbKind } from '../config.js';
import { pingDatabase } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { serverVersion } from '../version.js';

export interface HealthBody {
  ok: boolean;
  service: 'guanmo-server';
  version: string;
  db: DbKind;
  /** seconds since this process started serving */
  uptime: number;
  startedAt: string;
  time: string;
}

export function registerHealthRoute(app: FastifyInstance, db: Kysely<Database>, dbKind: DbKind, startedAt: Date): void {
  app.get('/api/health', async (request, reply) => {
    let isDbUp = true;
    try {
      await pingDatabase(db);
    } catch (error) {
      isDbUp = false;
      request.log.error({ err: error }, 'health check: database unreachable');
    }
    const now = new Date();
    const body: HealthBody = {
      ok: isDbUp,
      service: 'guanmo-server',
      version: serverVersion,
      db: dbKind,
      uptime: Math.round((now.getTime() - startedAt.getTime()) / 100) / 10,
      startedAt: startedAt.toISOString(),
      time: now.toISOString(),
    };
    return reply.code(isDbUp ? 200 : 503).header('cache-control', 'no-store').send(body);
  });
}
