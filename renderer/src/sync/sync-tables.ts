/**
 * The sync client's own tables (schema version 4 in db/schema-versions.ts), typed here so the
 * shared GuanmoDb class needs no change. Local bookkeeping only: never synced.
 */
import type { Table } from 'dexie';
import type { FieldVersions } from '@shared/sync/merge';
import type { Mutation, RejectionCode } from '@shared/sync/protocol';
import type { SyncedCollection } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';

/** The last state of a record the server sent (or confirmed): the base to merge with and to undo to. */
export interface ServerRecord {
  collection: SyncedCollection;
  id: string;
  tourId: string | null;
  data: Record<string, unknown>;
  versions: FieldVersions;
  deleted: boolean;
}

/** A change the server refused: kept (and shown) until the user retries or discards it. */
export interface SyncRejection {
  mutationId: string;
  collection: SyncedCollection;
  recordId: string;
  tourId: string;
  /** what was sent */
  mutation: Mutation;
  code: RejectionCode;
  reason: string;
  /** ISO instant */
  rejectedAt: string;
}

/** tus-js-client url storage entry (see tus-url-storage.ts). */
export interface StoredUpload {
  key: string;
  fingerprint: string;
  /** tus-js-client's PreviousUpload (uploadUrl, size, metadata, creationTime, …) */
  upload: Record<string, unknown>;
}

export interface SyncSession {
  serverUrl: string;
  token: string;
  /** ISO instant; the server slides it on use, so this is only a hint */
  expiresAt: string;
  user: { id: string; username: string; displayName: string; role: string };
  /** set when the server answered 401 for this token: local work goes on, sync waits for sign-in */
  isExpired?: boolean;
  /**
   * Desktop app: the token is kept in the OS keychain (session-store.ts), and `token` is empty
   * in IndexedDB; getSession() fills it in.
   */
  tokenInKeychain?: true;
}

export interface PullCursor {
  serverUrl: string;
  userId: string;
  cursor: string;
}

export interface SyncStateValues {
  session: SyncSession | null;
  /** the server address typed on the sign-in screen (kept after sign-out) */
  serverUrl: string;
  cursor: PullCursor;
  /** ISO instant of the last round that completed without error */
  lastSuccessAt: string;
}
export type SyncStateKey = keyof SyncStateValues;
export interface SyncStateEntry<K extends SyncStateKey = SyncStateKey> {
  key: K;
  value: SyncStateValues[K];
}

export function syncRecordsTable(db: GuanmoDb): Table<ServerRecord, [string, string]> {
  return db.table('syncRecords');
}
export function syncRejectionsTable(db: GuanmoDb): Table<SyncRejection, string> {
  return db.table('syncRejections');
}
export function syncUploadsTable(db: GuanmoDb): Table<StoredUpload, string> {
  return db.table('syncUploads');
}
export function syncStateTable(db: GuanmoDb): Table<SyncStateEntry, SyncStateKey> {
  return db.table('syncState');
}

export async function getSyncState<K extends SyncStateKey>(db: GuanmoDb, key: K): Promise<SyncStateValues[K] | undefined> {
  const entry = await syncStateTable(db).get(key);
  return entry?.value as SyncStateValues[K] | undefined;
}

export async function setSyncState<K extends SyncStateKey>(db: GuanmoDb, key: K, value: SyncStateValues[K]): Promise<void> {
  await syncStateTable(db).put({ key, value } as SyncStateEntry);
}
