/**
 * The app's side of the sync protocol version gate (shared/sync/protocol-version.ts): the header
 * every request to the server carries, and what an answer says about versions — 426 (this app is
 * too old for the server: update it) or a server protocol below what this app needs (the server
 * is too old: the administrator must update it). Either way the round stops before anything is
 * sent or stored, the outbox stays as it is, and the app keeps working offline.
 */
import {
  appUpdateRequiredSchema,
  isServerTooOld,
  MIN_SERVER_SYNC_PROTOCOL,
  parseProtocolHeader,
  SYNC_PROTOCOL_HEADER,
} from '@shared/sync/protocol-version';
import { APP_SYNC_PROTOCOL } from './app-protocol';
import { SyncError } from './sync-http';

/** Headers announcing this app's protocol (sent with every request to the server). */
export function protocolHeaders(): Record<string, string> {
  return { [SYNC_PROTOCOL_HEADER]: String(APP_SYNC_PROTOCOL) };
}

/**
 * The version problem an answer reveals, or null. `minServerProtocol` is the oldest server this
 * app can sync with (tests lower or raise it to play the two sides).
 */
export async function versionGateError(response: Response, minServerProtocol: number = MIN_SERVER_SYNC_PROTOCOL): Promise<SyncError | null> {
  if (response.status === 426) {
    let body: unknown = null;
    try {
      body = await response.clone().json();
    } catch {
      // not JSON: still an upgrade demand, without a version to name
    }
    const parsed = appUpdateRequiredSchema.safeParse(body);
    const minAppVersion = parsed.success ? parsed.data.minAppVersion : undefined;
    return new SyncError('updateRequired', `426 the server needs a newer app${minAppVersion ? ` (${minAppVersion})` : ''}`, 426, undefined, 'app_update_required', { ...(minAppVersion ? { minAppVersion } : {}) });
  }
  const announced = parseProtocolHeader(response.headers.get(SYNC_PROTOCOL_HEADER));
  const serverProtocol = announced === 'malformed' ? null : announced;
  if (isServerTooOld(serverProtocol, minServerProtocol)) {
    return new SyncError('serverOutdated', `the server speaks sync protocol ${serverProtocol ?? 1}; this app needs ${minServerProtocol} or newer`, response.status, undefined, 'server_outdated', {
      serverProtocol: serverProtocol ?? 1,
    });
  }
  return null;
}
