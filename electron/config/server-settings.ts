/**
 * The sync server setting as the rest of main sees it: the effective origin (for the CSP and
 * app info) and the user's saved choice (settings:get-server / settings:set-server).
 */
import type { ServerSettings, SetServerResult } from '@shared/ipc/contract';
import { IpcFailure } from '../ipc/ipc-handler';
import { resolveServerUrl, toServerOrigin, type ResolvedServerUrl } from './server-url';
import type { SettingsStore } from './settings-store';

export interface ServerSettingsService {
  /** the origin in effect now */
  current(): ResolvedServerUrl;
  get(): ServerSettings;
  set(serverUrl: string | null): Promise<SetServerResult>;
}

export function createServerSettings(options: {
  readonly store: SettingsStore;
  readonly envValue: string | undefined;
  readonly log: (message: string) => void;
}): ServerSettingsService {
  const { store, envValue, log } = options;
  const warned = new Set<string>();
  const current = (): ResolvedServerUrl =>
    resolveServerUrl({
      envValue,
      savedValue: store.get().serverUrl,
      onInvalid: (source, value) => {
        const key = `${source}:${value}`;
        if (warned.has(key)) return;
        warned.add(key);
        log(`ignoring unusable sync server URL from ${source}: ${JSON.stringify(value)}`);
      },
    });
  const get = (): ServerSettings => {
    const { serverUrl, source } = current();
    return { serverUrl, source, savedServerUrl: store.get().serverUrl };
  };
  return {
    current,
    get,
    async set(serverUrl) {
      const before = current().serverUrl;
      let origin: string | null = null;
      if (serverUrl !== null) {
        origin = toServerOrigin(serverUrl);
        if (origin === null) {
          throw new IpcFailure('not-allowed', 'the sync server URL must be http(s) without user name or password');
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
