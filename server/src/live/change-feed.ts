/**
 * The change feed: every write of synced records announces, once its transaction has committed,
 * what it changed, and the live channel (live-hub.ts) decides per connected user whether to tell
 * them. The announcement names records by collection and id with what the visibility rules of
 * pull need (sync/access.ts canSeeRecord): their tour, tombstone state, the sheet's scorer, and
 * for participant records the user accounts they name (their access changes). It is server
 * memory only: clients never see it.
 *
 * Writers: push (sync/push.ts, which also serves the tour import) and the secretariat's reopen
 * (tours/reopen.ts). The demo seed writes before the server listens, when nobody is connected.
 *
 * What must stay true:
 * - publish() is called after the commit, never inside the transaction: a listener told about a
 *   change pulls at once, and that pull must find it.
 * - publish() never throws into the writer and never waits: a failing listener is the feed's
 *   problem, not the push's (the push has committed and answers the client either way).
 */
import type { RecordCollection } from '@shared/sync/collections';

export interface ChangedRecord {
  collection: RecordCollection;
  id: string;
  /** the record's tour (a tour's own id for a tour); null never happens for synced records today */
  tourId: string | null;
  deleted: boolean;
  /** data.scorerId of a sheet or ballot (null for other collections) */
  scorerId: string | null;
  /** participant (scorer) records: the user ids the record named before and after the write */
  userIds: readonly string[];
}

export interface ReannouncedRecords {
  tourId: string;
  collections: readonly RecordCollection[];
}

export interface CommittedChanges {
  /** the pushing device (push's clientId); null for the server's own writes (reopen) */
  clientId: string | null;
  records: readonly ChangedRecord[];
  /** records of a tour announced again because more users may see them now (sync/reannounce.ts) */
  reannounced: readonly ReannouncedRecords[];
}

export type ChangeListener = (changes: CommittedChanges) => void;

/**
 * Fan-out of committed changes to this server's live listeners.
 *
 * InProcessChangeFeed (SQLite, one server process): a listener hears the writes of this process.
 * PgChangeFeed (live/pg-change-feed.ts, PostgreSQL, any number of processes): every process hears
 * every process's writes through LISTEN/NOTIFY, each once it can be pulled.
 */
export interface ChangeFeed {
  /** Announces changes that have committed. Never throws, never waits. */
  publish(changes: CommittedChanges): void;
  /** Calls `listener` with every later announcement; returns what unsubscribes it. */
  subscribe(listener: ChangeListener): () => void;
  /** Resolves once what this process published so far has reached its listeners (tests, shutdown). */
  idle?(): Promise<void>;
}

export interface FeedLog {
  error(obj: object, msg: string): void;
}

export class InProcessChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();

  /**
   * `settle`: runs `deliver` once the announced changes can be pulled. PostgreSQL: a pull does
   * not return a change while an older write transaction is still open (db/changes.ts, the pull
   * horizon), so delivery waits for the write transactions of this process that were open at the
   * commit (sync/write-transaction.ts whenOpenWritesEnd). SQLite serialises writers: at once.
   */
  constructor(
    private readonly log: FeedLog,
    private readonly settle: (deliver: () => void) => void = (deliver) => deliver(),
  ) {}

  publish(changes: CommittedChanges): void {
    if (this.listeners.size === 0) return;
    if (changes.records.length === 0 && changes.reannounced.length === 0) return;
    this.settle(() => {
      for (const listener of this.listeners) {
        try {
          listener(changes);
        } catch (error) {
          this.log.error({ err: error }, 'live: a change listener failed');
        }
      }
    });
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
