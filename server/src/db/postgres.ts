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

export function createPostgresDialect(connectionString: string, onIdleError: (error: Error) => void): PostgresHandle {
  const pool = new pg.Pool({
    connectionString,
    max: pgPoolSize,
    Client: PreparingClient,
    application_name: 'guanmo-server',
    connectionTimeoutMillis: poolWaitMs,
    types,
  });
  // An idle client losing its connection (database restart) must not crash the process: the pool
  // drops it and the next query opens a fresh one.
  pool.on('error', onIdleError);
  return { dialect: new PostgresDialect({ pool }), pool };
}
