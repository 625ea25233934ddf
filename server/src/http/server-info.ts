/**
 * GET /api/server-info (no sign-in): `{service, demo, syncProtocol, minSyncProtocol, minAppVersion,
 * version}` (shared/sync/server-info.ts).
 *
 * `demo` is true only when GUANMO_DEMO is set AND the demo tours are on this server: a server
 * started with GUANMO_DEMO on a data folder that already held real tours never loaded the demo
 * (bootstrap/first-start.ts), and an app told "demo" would then show tours that exist only in the
 * browser. Asked per request (one indexed lookup), so every process behind a load balancer
 * answers alike and a demo tour deleted later stops counting at once.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { demoManifestSchema } from '@shared/demo/demo-tours';
import type { ServerInfo } from '@shared/sync/server-info';
import type { ServerConfig } from '../config.js';
import type { Database } from '../db/schema.js';
import { demoManifestFileName } from '../bootstrap/demo-seed.js';
import { SYNC_PROTOCOL_VERSION } from '@shared/sync/protocol-version';
import { serverVersion } from '../version.js';

/** The demo tour ids of the manifest in `demoDir`; empty when it cannot be read (then no demo). */
export async function readDemoTourIds(demoDir: string): Promise<string[]> {
  try {
    const manifest = demoManifestSchema.parse(JSON.parse(await fs.readFile(path.join(demoDir, demoManifestFileName), 'utf8')));
    return manifest.tours.map((t) => t.id);
  } catch {
    return [];
  }
}

/** Whether any of the demo tours is stored (and not deleted) on this server. */
export async function hasDemoTours(db: Kysely<Database>, demoTourIds: readonly string[]): Promise<boolean> {
  if (demoTourIds.length === 0) return false;
  const row = await db
    .selectFrom('records')
    .select('id')
    .where('collection', '=', 'tours')
    .where('id', 'in', [...demoTourIds])
    .where('deleted', '=', 0)
    .executeTakeFirst();
  return row !== undefined;
}

export async function registerServerInfoRoute(app: FastifyInstance, db: Kysely<Database>, config: Pick<ServerConfig, 'demo' | 'demoDir' | 'versionGate'>): Promise<void> {
  const demoTourIds = config.demo ? await readDemoTourIds(config.demoDir) : [];
  app.get('/api/server-info', async (_request, reply) => {
    const body: ServerInfo = {
      service: 'guanmo-server',
      demo: config.demo && (await hasDemoTours(db, demoTourIds)),
      syncProtocol: SYNC_PROTOCOL_VERSION,
      minSyncProtocol: config.versionGate.minSyncProtocol,
      minAppVersion: config.versionGate.minAppVersion,
      version: serverVersion,
    };
    return reply.header('cache-control', 'no-store').send(body);
  });
}
