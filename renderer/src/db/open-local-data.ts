import type { GuanmoDb } from './guanmo-db';
import { ensureClientId } from './meta-repo';
import { seedDemo, type LoadDemoTours } from './seed-demo';
import { getServerMode } from './server-mode-repo';

export type LocalDataProblem = 'unavailable' | 'failed';

/**
 * Opens the local database and prepares it: this device's client id, and the demo tours when the
 * server this device last asked said it runs the demo (a demo device seeded by an older release
 * gains what the current seed adds). A first start seeds nothing: the demo appears only once a
 * server says it runs the demo (ServerModeProvider). Upgrades of older schema versions run here
 * (Dexie runs them inside `open`).
 */
export async function openLocalData(db: GuanmoDb, loadDemoTours: LoadDemoTours): Promise<void> {
  await db.open();
  await ensureClientId(db);
  if ((await getServerMode(db))?.isDemo) await seedDemo(db, loadDemoTours);
}

/**
 * 'unavailable' when this browser cannot give us IndexedDB at all (no API, private mode,
 * site data disabled): the user needs to change something, not to retry.
 */
export function classifyOpenError(error: unknown): LocalDataProblem {
  const names = errorNames(error);
  const isUnavailable = names.some((n) => n === 'MissingAPIError' || n === 'SecurityError' || n === 'InvalidStateError');
  return isUnavailable ? 'unavailable' : 'failed';
}

/** The error's name and the names of the errors it wraps (Dexie wraps IndexedDB's in `inner`). */
function errorNames(error: unknown): string[] {
  const names: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { name, inner } = current as { name?: unknown; inner?: unknown };
    if (typeof name === 'string') names.push(name);
    current = inner;
  }
  return names;
}
