/**
 * GET /api/health: for load balancers, monitoring and the desktop app's "server reachable" check.
 *
 * Anyone (no sign-in) gets what a load balancer needs and nothing more: `{ok, status}` with
 * 200 while the server can work (`ok`, or `degraded` when the database was busy or the disk full
 * lately: requests may be answered 503 with Retry-After), 503 `down` when the database does not
 * answer. The version, the database kind, uptime and the cause of a degradation are details an
 * attacker could use to pick an exploit or time an attack: they go only to monitoring presenting
 * the token of GUANMO_HEALTH_TOKEN in `X-Monitoring-Token`, or to a signed-in secretariat or
 * admin.
 *
 * What must stay true: the check answers fast whatever the database does (the SQLite probe
 * takes and drops the write lock without waiting; no await on a lock held elsewhere).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { requireUser, staffRoles } from '../auth/require-user.js';
import type { DbKind } from '../config.js';
import { pingDatabase } from '../db/database.js';
import type { DatabaseHealth, DatabaseHealthReport } from '../db/db-trouble.js';
import type { Database } from '../db/schema.js';
import { serverVersion } from '../version.js';

export type HealthStatus = 'ok' | 'degraded' | 'down';

/** What everyone gets. */
export interface PublicHealthBody {
  ok: boolean;
  status: HealthStatus;
}

/** What monitoring and the staff get. */
export interface HealthBody extends PublicHealthBody {
  service: 'guanmo-server';
  version: string;
  db: DbKind;
  database: DatabaseHealthReport | { status: 'down'; reason: string; since: string };
  /** seconds since this process started serving */
  uptime: number;
  startedAt: string;
  time: string;
}

export interface HealthRouteOptions {
  db: Kysely<Database>;
  kind: DbKind;
  startedAt: Date;
  health: DatabaseHealth;
  /** GUANMO_HEALTH_TOKEN; null: details only for signed-in staff */
  monitoringToken: string | null;
}

export const monitoringTokenHeader = 'x-monitoring-token';

function hasMonitoringToken(request: FastifyRequest, token: string | null): boolean {
  const given = request.headers[monitoringTokenHeader];
  if (token === null || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function mayReadDetails(request: FastifyRequest, token: string | null): Promise<boolean> {
  if (hasMonitoringToken(request, token)) return true;
  if (!request.headers.authorization) return false;
  try {
    await requireUser(request, staffRoles);
    return true;
  } catch {
    return false; // a wrong token or another role: the public answer, never an error
  }
}

export function registerHealthRoute(app: FastifyInstance, { db, kind, startedAt, health, monitoringToken }: HealthRouteOptions): void {
  app.get('/api/health', async (request, reply) => {
    let database: HealthBody['database'];
    try {
      await pingDatabase(db);
      database = await health.report();
    } catch (error) {
      request.log.error({ err: error }, 'health check: database unreachable');
      database = { status: 'down', reason: 'the database does not answer', since: new Date().toISOString() };
    }
    const status: HealthStatus = database.status === 'down' ? 'down' : database.status;
    reply.code(status === 'down' ? 503 : 200).header('cache-control', 'no-store');
    const publicBody: PublicHealthBody = { ok: status !== 'down', status };
    if (!(await mayReadDetails(request, monitoringToken))) return reply.send(publicBody);
    const now = new Date();
    const body: HealthBody = {
      ...publicBody,
      service: 'guanmo-server',
      version: serverVersion,
      db: kind,
      database,
      uptime: Math.round((now.getTime() - startedAt.getTime()) / 100) / 10,
      startedAt: startedAt.toISOString(),
      time: now.toISOString(),
    };
    return reply.send(body);
  });
}
