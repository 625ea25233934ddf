import type { GuanmoDb } from './guanmo-db';
import { ensureClientId } from './meta-repo';
import { seedDemo, type LoadDemoTours } from './seed-demo';

export type LocalDataProblem = 'unavailable' | 'failed';

/**
 * Opens the local database and prepares a first start: this device's client id and the demo
 * tours. Upgrades of older schema versions run here (Dexie runs them inside `open`).
 */
export async function openLocalData(db: GuanmoDb, loadDemoTours: LoadDemoTours): Promise<void> {
  await db.open();
  await ensureClientId(db);
  await seedDemo(db, loadDemoTours);
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
