import Dexie, { type DexieOptions, type EntityTable, type Table } from 'dexie';
import type { MetaEntry, MetaKey, Note, OutboxEntry, PhotoBlob, PhotoMeta, PhotoPreview, RankBallot, ScoreSheet, Scorer, SheetDraft, Stop, TilePackChunk, TilePackRecord, Tour, Unit } from './entities';
import { latestSchemaVersion, schemaVersions } from './schema-versions';

export interface GuanmoDbOptions {
  /** IndexedDB implementation (tests pass fake-indexeddb); default: the browser's */
  indexedDB?: DexieOptions['indexedDB'];
  IDBKeyRange?: DexieOptions['IDBKeyRange'];
  /** declare only the versions up to this one (tests create a database as an old release did) */
  upToVersion?: number;
  chromeTransactionDurability?: DexieOptions['chromeTransactionDurability'];
}

/** The local database of one device: domain records, the sync outbox, photo bytes and settings. */
export class GuanmoDb extends Dexie {
  // `declare`, not `!:`: with ES2022 class fields a plain field would be re-initialised to
  // undefined after Dexie's constructor has set up the tables.
  declare tours: Table<Tour, string>;
  declare units: Table<Unit, string>;
  declare stops: Table<Stop, string>;
  declare scorers: Table<Scorer, string>;
  declare sheets: Table<ScoreSheet, string>;
  /** local only: the text typed into each score field (see SheetDraft) */
  declare sheetDrafts: Table<SheetDraft, string>;
  declare notes: Table<Note, string>;
  declare photos: Table<PhotoMeta, string>;
  declare photoBlobs: Table<PhotoBlob, string>;
  declare photoPreviews: Table<PhotoPreview, string>;
  /** rank-vote ballots (schema version 5, see ballots-repo.ts) */
  declare ballots: Table<RankBallot, string>;
  /** offline basemap packs and their stored chunks (schema version 6, offline-maps/pack-store.ts) */
  declare tilePacks: Table<TilePackRecord, string>;
  declare tilePackChunks: Table<TilePackChunk, [string, number]>;
  declare outbox: EntityTable<OutboxEntry, 'seq'>;
  declare meta: Table<MetaEntry, MetaKey>;

  constructor(name: string, options: GuanmoDbOptions = {}) {
    const { upToVersion = latestSchemaVersion, ...dexieOptions } = options;
    super(name, dexieOptions);
    for (const { version, stores, upgrade } of schemaVersions) {
      if (version > upToVersion) break;
      const declared = this.version(version).stores(stores as Record<string, string | null>);
      if (upgrade) declared.upgrade(upgrade);
    }
  }
}

/** A database other than the app's own (tests, tools). The app uses the single `db` instance. */
export function createGuanmoDb(name: string, options?: GuanmoDbOptions): GuanmoDb {
  return new GuanmoDb(name, options);
}
