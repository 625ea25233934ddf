/**
 * PostgreSQL (pg) for deployments with several stateless server processes on one database.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { PostgresDialect } from 'kysely';

const int8Oid = 20;

/**
 * BIGINT (sequences, COUNT) as a JS number instead of pg's default string, so rows look the same
 * as on SQLite. A value beyond 2^53 would lose precision: fail loudly instead.
 */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${text} does not fit a JS number`);
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8Oid ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresHandle {
  dialect: PostgresDialect;
  pool: pg.Pool;
}

/**
 * Connections per server process. A push or pull holds one for a few short statements; more
 * connections than that let a burst of laptops queue inside PostgreSQL (where they compete for
 * the same cores) instead of in the pool, which is no faster. PostgreSQL's default
 * max_connections (100) leaves room for several processes.
 */
export const pgPoolSize = 16;

/**
 * A connection once opened is kept for the life of the process (a fixed-size pool, opened at
 * start by warmPool). Opening one costs a backend fork, a SCRAM exchange on both sides and a
 * cold catalog cache and plan for every statement it runs: pg's default of closing a connection
 * idle for 10 s made a busy server close and reopen them all through the day, and each reopening
 * came in a burst, a dozen at once exactly when load rose again. In the province bench
 * (bench:server --scenario province, 2 processes) every second with a server-side p99 above
 * 150 ms was a second in which PostgreSQL logged 10–20 new connections. So: size
 * max_connections for pgPoolSize per process (plus the live channel's one listener each).
 */
const poolIdleTimeoutMs = 0; // 0: never closed for being idle
/** how long a request waits for a free connection before it is answered 503 (http/sync-routes.ts) */
const poolWaitMs = 5_000;

const poolTimeoutMessage = 'timeout exceeded when trying to connect';

/** Whether `error` says the pool had no connection free within poolWaitMs (pg's own error). */
export function isPoolTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === poolTimeoutMessage;
}

/** the most statements one connection keeps prepared (each holds a plan in its backend's memory) */
export const maxPreparedPerConnection = 200;

/**
 * Statements with more parameters than this are not prepared: those are the ones whose text
 * grows with a list (a push's records, an IN list), of which every length would be another
 * statement kept; the short, hot ones (a pull page, a session lookup) are all below it.
 */
export const maxPreparedParameters = 32;

/**
 * Whether a statement may be prepared: not a long list (above), nor one whose result has a `*`
 * column list (a prepared `select *` fails with "cached plan must not change result type" once a
 * migration adds a column under a running process; anything with a `*` is left alone, which is
 * conservative).
 */
function isPreparable(text: string, values: readonly unknown[]): boolean {
  return values.length <= maxPreparedParameters && !text.includes('*');
}

/** statement text → its name (hashing the text on every query cost more than a lookup) */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `guanmo_${createHash('sha1').update(text).digest('base64url')}`;
    if (statementNames.size >= 4 * maxPreparedPerConnection) statementNames.clear(); // a bound, should texts keep coming
    statementNames.set(text, name);
  }
  return name;
}

/**
 * A pg client that has PostgreSQL parse and plan each statement once per connection (a named
 * prepared statement, by a hash of its text) instead of on every execution. Kysely sends every
 * query as text with parameters, so without this the pull page statement, say, was planned for
 * every page: 1.8 ms of planning for 1.0 ms of execution, on cores the server shares with
 * PostgreSQL. Statements are told apart only by their text; values are always parameters.
 * A migration that drops a column, or changes the type of one, that a running process's
 * statements read makes those statements fail on the connections that prepared them: deploy such
 * a migration with the processes restarted (as any schema change under a running version needs).
 */
class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();

  // pg's overloads are many; Kysely calls query(text, values) and that is the only form changed
  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    if (typeof text === 'string' && Array.isArray(values) && isPreparable(text, values)) {
      if (this.prepared.has(text) || this.prepared.size < maxPreparedPerConnection) {
        this.prepared.add(text);
        return (super.query as (...a: unknown[]) => never)({ name: statementName(text), text, values }, callback);
      }
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

/**
 * Opens the pool's connections one after another (each waits for the one before: a burst of
 * connections opening at once is what this avoids), and gives them back idle. Call it once the
 * server is serving, in the background: requests are served meanwhile and take connections as
 * usual. Stops early, without failing, when the database cannot give more (max_connections).
 */
export async function warmPool(pool: pg.Pool, size: number = pgPoolSize): Promise<number> {
  const held: pg.PoolClient[] = [];
  try {
    while (pool.totalCount < size) {
      const client = await pool.connect();
      held.push(client);
      // a new connection's first statement loads the catalog: pay that now, not in a request
      // (an error, e.g. a database not migrated yet, only means nothing was loaded)
      await client.query('select 1 from records, changes, sessions, users where false').catch(() => {});
    }
  } catch {
    // the database refused more connections, or went away: serving goes on with what is open
  } finally {
    for (const client of held) client.release();
  }
  return pool.totalCount;
}

export function createPostgresDialect(connectionString: string, onIdleError: (error: Error) => void): PostgresHandle {
  const pool = new pg.Pool({
    connectionString,
    max: pgPoolSize,
    Client: PreparingClient,
    application_name: 'guanmo-server',
    connectionTimeoutMillis: poolWaitMs,
    idleTimeoutMillis: poolIdleTimeoutMs,
    types,
  });
  // An idle client losing its connection (database restart) must not crash the process: the pool
  // drops it and the next query opens a fresh one.
  pool.on('error', onIdleError);
  return { dialect: new PostgresDialect({ pool }), pool };
}
