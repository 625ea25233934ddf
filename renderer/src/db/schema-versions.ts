import type { Transaction } from 'dexie';

/**
 * Every version of the local schema, oldest first. Never edit or remove a released version:
 * a device may still hold a database created by it. To change the schema, append a version
 * that lists only the tables it changes (null deletes a table) and, when existing records
 * must be rewritten, an `upgrade`. guanmo-db.test.ts opens a database created by version 1
 * with the latest code, so every upgrade path is exercised.
 *
 * Index syntax (Dexie): first entry is the primary key, `++` auto-increment, `&` unique,
 * `[a+b]` compound.
 */
export interface SchemaVersion {
  readonly version: number;
  readonly stores: Readonly<Record<string, string | null>>;
  readonly upgrade?: (tx: Transaction) => void | PromiseLike<unknown>;
}

export const schemaVersions: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: {
      tours: 'id, startDate, status',
      units: 'id, tourId',
      // the itinerary is read in (day, order) order for one tour
      stops: 'id, tourId, unitId, [tourId+day+order]',
      scorers: 'id, tourId, userId, [tourId+userId]',
      sheets: 'id, [tourId+stopId], [tourId+scorerId], status',
      notes: 'id, tourId, stopId',
      photos: 'id, tourId, stopId, sha256',
      photoBlobs: 'sha256',
      outbox: '++seq, &mutationId, createdAt, [collection+recordId]',
      meta: 'key',
    },
  },
  {
    // photos: a blob knows whether the server has confirmed it (uploadState, indexed so photo
    // sync finds what to upload); thumbnails and viewer-sized copies get their own table.
    version: 2,
    stores: {
      photoBlobs: 'sha256, uploadState',
      photoPreviews: 'sha256',
    },
    upgrade: (tx) =>
      tx
        .table('photoBlobs')
        .toCollection()
        .modify((blob: { uploadState?: string }) => {
          if (blob.uploadState === undefined) blob.uploadState = 'pending';
        }),
  },
  {
    // scoring and notes: sheetDrafts (local only, never synced) keeps the exact text typed
    // into each score field of a sheet, even text that is not a valid score yet, so nothing
    // typed is lost; notes gained `deletedAt` (deleted notes stay as tombstones).
    version: 3,
    stores: {
      sheetDrafts: 'sheetId, [tourId+scorerId]',
    },
    upgrade: (tx) =>
      tx
        .table('notes')
        .toCollection()
        .modify((note: { deletedAt?: string | null }) => {
          if (note.deletedAt === undefined) note.deletedAt = null;
        }),
  },
  {
    // sync client (renderer/src/sync, tables typed in sync/sync-tables.ts): the last state the
    // server sent of each record (syncRecords, to merge and to undo a rejected change), changes
    // the server refused (syncRejections, shown until the user retries or discards them),
    // resumable photo uploads (syncUploads, tus-js-client's url storage) and small sync state
    // (syncState: session, pull cursor, last success).
    version: 4,
    stores: {
      syncRecords: '[collection+id], tourId',
      syncRejections: 'mutationId, [collection+recordId], rejectedAt',
      syncUploads: 'key, fingerprint',
      syncState: 'key',
    },
  },
  {
    // rank-vote ballots (排序投票, shared/domain/rank-vote.ts): synced like score sheets. One per
    // (tour, scorer, ranking list), id from ballotId(); read per tour (desk) and per (tour,
    // scorer) (the scorer's own ballots). No upgrade: the table is new.
    version: 5,
    stores: {
      ballots: 'id, tourId, [tourId+scorerId], status',
    },
  },
  {
    // offline basemaps (issue 13, renderer/src/offline-maps): a tour's PMTiles pack as the server
    // built it, downloaded in 1 MiB chunks that are stored as they arrive (tilePackChunks, keyed by
    // [sha256+index]) so an interrupted download resumes; tilePacks holds each pack's description,
    // progress and the unfinished sha256, read per tour. No upgrade: the tables are new.
    version: 6,
    stores: {
      tilePacks: 'sha256, tourId',
      tilePackChunks: '[sha256+index]',
    },
  },
];

export const latestSchemaVersion = schemaVersions[schemaVersions.length - 1]!.version;
