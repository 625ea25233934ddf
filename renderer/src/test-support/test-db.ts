import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { createGuanmoDb, type GuanmoDb } from '../db/guanmo-db';

// Dexie's liveQuery (and so every useX hook) silently never runs unless Dexie found a global
// IndexedDB when it loaded; node and happy-dom have none, so hand it fake-indexeddb's.
if (!Dexie.dependencies.indexedDB) Object.assign(Dexie.dependencies, { indexedDB, IDBKeyRange });

let counter = 0;

/**
 * A fresh in-memory IndexedDB (fake-indexeddb) per call, so tests never share state. Pass the
 * same `factory` to open a second connection to the same database (a second tab).
 */
export function createTestDb(options: { factory?: IDBFactory; name?: string; upToVersion?: number } = {}): GuanmoDb {
  const factory = options.factory ?? new IDBFactory();
  return createGuanmoDb(options.name ?? `guanmo-test-${++counter}`, { indexedDB: factory, IDBKeyRange, upToVersion: options.upToVersion });
}
