/**
 * The sync server setting as the rest of main sees it: the effective origin (for the CSP and
 * app info) and the user's saved choice (settings:get-server / settings:set-server).
 *
 * Plain http is fine on this laptop and on a private network (how the server is normally run on
 * the office LAN or the tour's hotspot); plain http to a public address sends the password and
 * every record readable on the way, so saving one needs the user's confirmation
 * (`allowPlainHttp`, after the renderer warned them), and one coming from GUANMO_SERVER_URL is
 * logged as a warning (shared/sync/server-address.ts decides which is which).
 */
import type { ServerSettings, SetServerResult } from '@shared/ipc/contract';
import { isPlainHttpOnPublicAddress } from '@shared/sync/server-address';
import { IpcFailure } from '../ipc/ipc-handler';
import { resolveServerUrl, toServerOrigin, type ResolvedServerUrl } from './server-url';
import type { SettingsStore } from './settings-store';

export interface ServerSettingsService {
  /** the origin in effect now */
  current(): ResolvedServerUrl;
  get(): ServerSettings;
  set(serverUrl: string | null, options?: { allowPlainHttp?: boolean }): Promise<SetServerResult>;
}

export function createServerSettings(options: {
  readonly store: SettingsStore;
  readonly envValue: string | undefined;
  readonly log: (message: string) => void;
}): ServerSettingsService {
  const { store, envValue, log } = options;
  const warned = new Set<string>();
  const current = (): ResolvedServerUrl => {
    const resolved = resolveServerUrl({
      envValue,
      savedValue: store.get().serverUrl,
      onInvalid: (source, value) => {
        const key = `${source}:${value}`;
        if (warned.has(key)) return;
        warned.add(key);
        log(`ignoring unusable sync server URL from ${source}: ${JSON.stringify(value)}`);
      },
    });
    if (isPlainHttpOnPublicAddress(resolved.serverUrl) && !warned.has(`plain:${resolved.serverUrl}`)) {
      warned.add(`plain:${resolved.serverUrl}`);
      log(`warning: the sync server ${resolved.serverUrl} (from ${resolved.source}) is plain http on a public address: passwords and data travel unencrypted; use https`);
    }
    return resolved;
  };
  const get = (): ServerSettings => {
    const { serverUrl, source } = current();
    return { serverUrl, source, savedServerUrl: store.get().serverUrl };
  };
  return {
    current,
    get,
    async set(serverUrl, options = {}) {
      const before = current().serverUrl;
      let origin: string | null = null;
      if (serverUrl !== null) {
        origin = toServerOrigin(serverUrl);
        if (origin === null) {
          throw new IpcFailure('not-allowed', 'the sync server URL must be http(s) without user name or password');
        }
        if (isPlainHttpOnPublicAddress(origin) && options.allowPlainHttp !== true) {
          throw new IpcFailure('needs-confirmation', 'plain http to a public address: the user must confirm it (allowPlainHttp) after being warned');
        }
      }
      try {
        await store.update({ serverUrl: origin });
      } catch {
        throw new IpcFailure('io', 'could not save the settings file');
      }
      const after = get();
      return { ...after, needsReload: after.serverUrl !== before };
    },
  };
}
