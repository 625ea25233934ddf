/**
 * Asking the sync server what it is before anyone signs in (GET /api/server-info, shared
 * serverInfoSchema): today, whether it runs the demo.
 */
import { serverInfoSchema, type ServerInfo } from '@shared/sync/server-info';
import type { GuanmoDb } from '../db/guanmo-db';
import { getSyncState } from './sync-tables';
import { requestJson, SyncError } from './sync-http';
import { suggestedServerUrl } from './session-store';

export interface ServerInfoOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * The server's answer. Throws SyncError when there is none (offline, timeout, server error):
 * the app then keeps what it last knew. A server without the route (404) predates demo
 * detection and is taken as a real deployment: demo data appears only when a server says so.
 */
export async function fetchServerInfo(serverUrl: string, options: ServerInfoOptions = {}): Promise<ServerInfo> {
  const http = { fetch: options.fetch ?? globalThis.fetch.bind(globalThis), baseUrl: serverUrl, token: null, timeoutMs: options.timeoutMs ?? 8_000, signal: options.signal };
  try {
    return await requestJson(http, 'GET', '/api/server-info', serverInfoSchema);
  } catch (error) {
    if (error instanceof SyncError && error.status === 404) return { service: 'guanmo-server', demo: false };
    throw error;
  }
}

/**
 * The server this device talks to: the signed-in session's; else the address typed on the
 * sign-in screen, the desktop app's server setting, or (browser build) the page's own origin.
 */
export async function currentServerUrl(db: GuanmoDb): Promise<string> {
  const session = await getSyncState(db, 'session');
  return session?.serverUrl ?? (await suggestedServerUrl(db));
}
