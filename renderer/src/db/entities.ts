/**
 * The records stored in the local database. Domain records are the shared zod types, stored
 * exactly as validated; the rest (outbox, photo bytes, meta) are local bookkeeping.
 */
import type { RankBallot } from '@shared/domain/rank-vote';
import type { Note, PhotoMeta, ScoreSheet, Scorer, Stop, Tour, Unit } from '@shared/domain/schemas';
import type { TilePack } from '@shared/maps/pack-protocol';
import type { Sha256State } from '@shared/photos/sha256';

export type { Note, PhotoMeta, RankBallot, ScoreSheet, Scorer, Stop, Tour, Unit };

/** Tables whose records sync with the server (table name = collection name in the outbox). */
export const syncedCollections = ['tours', 'units', 'stops', 'scorers', 'sheets', 'notes', 'photos', 'ballots'] as const;
export type SyncedCollection = (typeof syncedCollections)[number];

export interface SyncedRecords {
  tours: Tour;
  units: Unit;
  stops: Stop;
  scorers: Scorer;
  sheets: ScoreSheet;
  notes: Note;
  photos: PhotoMeta;
  /** rank-vote ballots (schema version 5) */
  ballots: RankBallot;
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
  /**
   * hybrid logical clock stamp (formatHlc), issued by this device's persisted clock in the same
   * transaction as the change (hlc-clock.ts); null only on entries written by older releases,
   * which sync stamps before pushing
   */
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
  /** ~1600 px on the long side; null when the original is no bigger (the viewer shows the original) */
  display: Blob | null;
  /**
   * sha256 of `thumb`'s bytes (not indexed): the photo record's `thumbSha256` when this device
   * made the thumbnail or fetched it from the server. Absent on previews stored before
   * thumbnails synced. A photo added later with the same original bytes reuses this thumbnail.
   */
  thumbSha256?: string;
}

/**
 * A tour's offline basemap pack on this device (schema version 6, offline-maps/pack-store.ts):
 * what the server said of it, and how much of it is here. Keyed by the pack's sha256 (a rebuilt
 * pack is a new record; the old one is kept until the new one is verified).
 */
export interface TilePackRecord {
  sha256: string;
  tourId: string;
  /** the server's description (GET /api/tours/:id/tile-pack), validated */
  pack: TilePack;
  /**
   * 'downloading': chunks are arriving (or wait to resume); 'ready': every byte is here and the
   * sha256 matched; 'noSpace': not downloaded for want of space (the user is told)
   */
  state: 'downloading' | 'ready' | 'noSpace';
  /** bytes stored so far (a whole number of chunks until the last) */
  bytesStored: number;
  /** the size of each stored chunk (the last may be shorter) */
  chunkBytes: number;
  chunkCount: number;
  /** sha256 of the bytes stored so far, to go on with when the download resumes */
  hash: Sha256State;
  /** ISO instants */
  startedAt: string;
  updatedAt: string;
  readyAt: string | null;
  /** last time a map read tiles from it (eviction under storage pressure drops the oldest first) */
  lastOpenedAt: string | null;
}

/** One stored piece of a pack's bytes: `index` × chunkBytes onwards. */
export interface TilePackChunk {
  sha256: string;
  index: number;
  blob: Blob;
}

/** Something the app did to the offline maps on its own, to be told to the user. */
export interface TilePackNotice {
  /** ISO instant */
  at: string;
  tourId: string;
  tourName: string;
  /** bytes of the pack concerned */
  size: number;
  /**
   * 'tourOver': deleted, the tour ended two weeks ago; 'tourGone': deleted, the tour is no longer
   * on this device; 'storageShort': deleted, space ran short; 'noSpace': not downloaded, no
   * space; 'corrupt': the download did not match its sha256 and was thrown away
   */
  kind: 'tourOver' | 'tourGone' | 'storageShort' | 'noSpace' | 'corrupt';
}

/** Typed key/value settings of this device. */
export interface MetaValues {
  /** ISO instant when the demo tours were seeded on this device */
  demoSeeded: string;
  /** this device's id in sync (push `clientId`) */
  clientId: string;
  /** version of the demo data seeded (see seed-demo.ts); absent on devices seeded before versions existed */
  demoSeedVersion: number;
  /** who uses the app on this device (see current-user-repo.ts); null = nobody chosen yet */
  currentUser: CurrentUser | null;
  /** the last hybrid logical clock stamp this device issued (formatHlc), see hlc-clock.ts */
  hlc: string;
  /** the answer to navigator.storage.persist() at first start (see storage-safety.ts) */
  storagePersistence: StoragePersistence;
  /** the last answer of the sync server's GET /api/server-info (see server-mode-repo.ts) */
  serverMode: ServerMode;
  /** what clearing demo leftovers on a real server did, until the user has read it (demo-leftovers.ts) */
  demoCleanup: DemoCleanupReport;
  /** accounts that signed in on this device, newest first: "who uses this computer" on a real server */
  signedInAccounts: SignedInAccount[];
  /** what happened to offline maps by itself (evictions, refused downloads), newest first, until read */
  tilePackNotices: TilePackNotice[];
  /** the carry keys of accounts that signed in here (features/carry/carry-keys.ts): export and import work offline */
  carryKeys: CarryKeyEntry[];
  /** the readable name this laptop reports to the desk (features/carry/device-name.ts); absent: a default */
  deviceName: string;
  /** files of unsynced work imported here (features/carry/import-carried.ts), newest last */
  carryImports: CarryImport[];
}

/**
 * A user's key for `.guanmo` files, as the server handed it to them on this device. Kept like
 * the rest of the local data (not in the keychain): it only protects the file on its way between
 * laptops, and a device holding it is one the user signed in on.
 */
export interface CarryKeyEntry {
  userId: string;
  keyId: string;
  /** 32 bytes, base64 */
  key: string;
  serverUrl: string;
  /** ISO instant */
  savedAt: string;
}

/** A `.guanmo` file merged into this device's outbox. */
export interface CarryImport {
  exportId: string;
  fromClientId: string;
  fromDeviceName: string;
  /** newest HLC among the file's outbox entries: the exporting laptop's work up to here */
  throughHlc: string | null;
  /** every mutation id the file held (re-imports skip them) */
  mutationIds: string[];
  /** ISO instants */
  exportedAt: string;
  importedAt: string;
}

/** Whether the server this device talks to runs the demo, as it last said. */
export interface ServerMode {
  /** the server that answered (an origin) */
  serverUrl: string;
  isDemo: boolean;
  /** ISO instant of the answer */
  checkedAt: string;
}

/** Demo tours cleared from this device on a real server, and those kept for unsynced work. */
export interface DemoCleanupReport {
  /** ISO instant */
  at: string;
  removedTours: { id: string; name: string }[];
  /** demo tours holding work that never reached a server: kept (and marked 演示), never dropped silently */
  keptTours: { id: string; name: string; pendingChanges: number }[];
  /** the user has read the notice */
  isAcknowledged: boolean;
}

/** A server account that signed in here (names only: never a token or password). */
export interface SignedInAccount {
  userId: string;
  username: string;
  displayName: string;
  role: string;
  serverUrl: string;
  /** ISO instant of the last sign-in */
  lastSignInAt: string;
}

/** The person using the app on this device. Features read it through `useCurrentUser()`. */
export interface CurrentUser {
  userId: string;
  /** display name, e.g. 评委甲 */
  name: string;
  /** how this device learned who it is: the local picker now, server sign-in later */
  source: 'picker' | 'signIn';
  /** ISO instant */
  since: string;
}

export interface StoragePersistence {
  /** ISO instant of the request */
  requestedAt: string;
  /** true when the browser promised not to evict this app's data under storage pressure */
  isPersisted: boolean;
}

/**
 * The exact text typed into each score field of a sheet (criterion key → text), kept on this
 * device only and never synced: invalid or half-typed input ("12.", "30" where the max is 20)
 * survives a crash or reload without ever reaching the synced sheet, which only holds valid
 * values. Keyed by the sheet id.
 */
export interface SheetDraft {
  sheetId: string;
  tourId: string;
  stopId: string;
  scorerId: string;
  texts: Record<string, string>;
  /** ISO instant of the last save */
  updatedAt: string;
}
export type MetaKey = keyof MetaValues;
export type MetaEntry = { [K in MetaKey]: { key: K; value: MetaValues[K] } }[MetaKey];
