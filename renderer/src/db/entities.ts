/**
 * The records stored in the local database. Domain records are the shared zod types, stored
 * exactly as validated; the rest (outbox, photo bytes, meta) are local bookkeeping.
 */
import type { Note, PhotoMeta, ScoreSheet, Scorer, Stop, Tour, Unit } from '@shared/domain/schemas';

export type { Note, PhotoMeta, ScoreSheet, Scorer, Stop, Tour, Unit };

/** Tables whose records sync with the server (table name = collection name in the outbox). */
export const syncedCollections = ['tours', 'units', 'stops', 'scorers', 'sheets', 'notes', 'photos'] as const;
export type SyncedCollection = (typeof syncedCollections)[number];

export interface SyncedRecords {
  tours: Tour;
  units: Unit;
  stops: Stop;
  scorers: Scorer;
  sheets: ScoreSheet;
  notes: Note;
  photos: PhotoMeta;
}

/**
 * One local change waiting to be pushed. Written in the same transaction as the change itself,
 * so a change can never be saved without its outbox entry (nor the reverse).
 */
export interface OutboxEntry {
  /** local order of changes, assigned by IndexedDB (auto-increment) */
  seq: number;
  /** unique id of the mutation: the server answers `duplicate` when it sees it twice */
  mutationId: string;
  collection: SyncedCollection;
  recordId: string;
  /** the fields this change set; the server merges per field */
  changedFields: string[];
  /** hybrid logical clock stamp; null until the sync clock stamps it */
  hlc: string | null;
  /** ISO 8601 instant */
  createdAt: string;
  /**
   * true: the record was deleted (a tombstone: the record is gone locally, the delete must still
   * reach the server). Absent on ordinary changes.
   */
  deleted?: true;
}

/** Photo bytes, addressed by content hash, in their own table so listing photos never loads bytes. */
export interface PhotoBlob {
  sha256: string;
  blob: Blob;
  /**
   * 'pending' until the server has confirmed it holds these bytes (set by photo sync). Bytes
   * that are pending are never removed, even when no photo refers to them any more.
   */
  uploadState: PhotoUploadState;
}
export type PhotoUploadState = 'pending' | 'confirmed';

/**
 * Small JPEGs made from a photo's bytes on import (keyed by the same sha256): the gallery
 * lists `thumb`s, the viewer opens `display` without decoding the full original. Local only,
 * derived data: never synced.
 */
export interface PhotoPreview {
  sha256: string;
  /** ~320 px on the long side */
  thumb: Blob;
  /** ~1600 px on the long side (the original when it is smaller) */
  display: Blob;
}

/** Typed key/value settings of this device. */
export interface MetaValues {
  /** ISO instant when the demo tours were seeded on this device */
  demoSeeded: string;
  /** this device's id in sync (push `clientId`) */
  clientId: string;
}
export type MetaKey = keyof MetaValues;
export type MetaEntry = { [K in MetaKey]: { key: K; value: MetaValues[K] } }[MetaKey];
