/**
 * The sync protocol version gate (shared/sync/protocol-version.ts).
 *
 * Every /api answer carries the protocol this server speaks and the oldest app protocol it still
 * serves (response headers), so an app learns both from any call. A request to a data route
 * (sync, photo bytes, tours, sheets, accounts) from an app below the minimum is answered 426
 * Upgrade Required with `appUpdateRequiredSchema`: the app then keeps its outbox untouched and asks
 * for the update. An app that sends no header predates the gate and speaks LEGACY_SYNC_PROTOCOL.
 *
 * What must stay true:
 * - Sign-in, /api/server-info and /api/health are never gated: an outdated app must still learn
 *   what to update to, and a signed-out one must still be able to sign in and see that message.
 * - Map tiles are never gated: Leaflet loads them as <img>, which cannot send a header.
 * - Preflights (answered by cors.ts before this hook) are never gated.
 * - A malformed header is bad input: 400, never a 5xx.
 */
import type { FastifyInstance } from 'fastify';
import {
  LEGACY_SYNC_PROTOCOL,
  MIN_SYNC_PROTOCOL_HEADER,
  parseProtocolHeader,
  SYNC_PROTOCOL_HEADER,
  SYNC_PROTOCOL_VERSION,
  type AppUpdateRequired,
} from '@shared/sync/protocol-version';
import type { VersionGateConfig } from '../config.js';

const gatedPrefixes = ['/api/sync', '/api/uploads', '/api/blobs', '/api/tours', '/api/sheets', '/api/users', '/api/audit'];

/** Whether a request path carries data whose meaning depends on the protocol. */
export function isGatedPath(url: string): boolean {
  const path = url.split('?', 1)[0]!;
  return gatedPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

export function registerProtocolGate(app: FastifyInstance, gate: VersionGateConfig): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!isApiPath(request.url)) return;
    reply.header(SYNC_PROTOCOL_HEADER, String(SYNC_PROTOCOL_VERSION)).header(MIN_SYNC_PROTOCOL_HEADER, String(gate.minSyncProtocol));
    if (request.method === 'OPTIONS' || !isGatedPath(request.url)) return;
    const announced = parseProtocolHeader(request.headers[SYNC_PROTOCOL_HEADER]);
    if (announced === 'malformed') {
      return reply.code(400).send({ error: 'bad_request', message: `${SYNC_PROTOCOL_HEADER} must be a whole number such as ${SYNC_PROTOCOL_VERSION}` });
    }
    const appProtocol = announced ?? LEGACY_SYNC_PROTOCOL;
    if (appProtocol >= gate.minSyncProtocol) return;
    const body: AppUpdateRequired = {
      error: 'app_update_required',
      message: `This server serves apps of sync protocol ${gate.minSyncProtocol} or newer; update the app to ${gate.minAppVersion} to sync. Nothing was changed.`,
      appProtocol,
      minProtocol: gate.minSyncProtocol,
      serverProtocol: SYNC_PROTOCOL_VERSION,
      minAppVersion: gate.minAppVersion,
    };
    return reply.code(426).header('upgrade', `guanmo-sync/${gate.minSyncProtocol}`).header('cache-control', 'no-store').send(body);
  });
}
