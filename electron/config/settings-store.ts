/**
 * Desktop settings kept by the main process in userData/settings.json. Only what main itself
 * needs before the renderer runs lives here (today: the sync server URL, because the CSP is
 * built from it); everything else the renderer keeps in IndexedDB.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFileSync, writeJsonFileAtomic } from '../files/json-file';

export const SETTINGS_FILE_NAME = 'settings.json';

export const desktopSettingsSchema = z.object({
  serverUrl: z.string().max(2048).nullable().default(null),
});
export type DesktopSettings = z.infer<typeof desktopSettingsSchema>;

const DEFAULT_SETTINGS: DesktopSettings = { serverUrl: null };

export interface SettingsStore {
  get(): DesktopSettings;
  update(patch: Partial<DesktopSettings>): Promise<DesktopSettings>;
}

/**
 * Loads once (synchronously, at start-up, before the first request needs the CSP) and keeps
 * the settings in memory; updates are written through.
 */
export function openSettingsStore(userDataDir: string): SettingsStore {
  const file = join(userDataDir, SETTINGS_FILE_NAME);
  let current: DesktopSettings = readJsonFileSync(file, desktopSettingsSchema) ?? DEFAULT_SETTINGS;
  // Serialise writes so two quick updates cannot land out of order.
  let pending: Promise<unknown> = Promise.resolve();
  return {
    get: () => current,
    update(patch) {
      const next: DesktopSettings = { ...current, ...patch };
      current = next;
      const write = pending.then(() => writeJsonFileAtomic(file, next));
      pending = write.catch(() => undefined);
      return write.then(() => next);
    },
  };
}
