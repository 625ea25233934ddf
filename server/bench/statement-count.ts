/**
 * Statements each push and pull page sends to the database (counted at the pg client), and their
 * wall time, one after the other (no concurrency): the round trips a change saves, independent of
 * the machine's load. A fresh PostgreSQL database next to GUANMO_TEST_DATABASE_URL (or the
 * default test URL) is made and dropped.
 *
 *   npx tsx --tsconfig server/tsconfig.json server/bench/statement-count.ts [postgres|sqlite]
 *
 * (on SQLite the count stays 0: no pg client; the times still compare)
 */
import pg from 'pg';
import { pushMutations } from '../src/sync/push.js';
import { pullChanges } from '../src/sync/pull.js';
import { startCursor } from '../src/db/changes.js';
import { openBenchTour } from './bench-tour.js';

let statements = 0;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;

const kind = process.argv[2] === 'sqlite' ? 'sqlite' : 'postgres';
const { deps, users, mutationsOf, close } = await openBenchTour(kind, 20);
const db = deps.db;
const measure = async (label: string, runs: number, work: (i: number) => Promise<unknown>) => {
  const before = statements;
  const t = performance.now();
  for (let i = 1; i <= runs; i++) await work(i);
  console.log(`${kind} ${label}: ${((statements - before) / runs).toFixed(1)} statements each, ${((performance.now() - t) / runs).toFixed(2)} ms each (sequential)`);
};
await measure('push of 60 mutations', 10, (i) => pushMutations(deps, { id: users[i - 1]!.id, username: `u${i}`, role: 'scorer' }, `c${i}`, mutationsOf(i, Array.from({ length: 30 }, (_, k) => k + 1))));
await measure('push of 2 mutations', 10, (i) => pushMutations(deps, { id: users[i + 9]!.id, username: `u${i + 10}`, role: 'scorer' }, `c${i + 10}`, mutationsOf(i + 10, [1])));
let cursor = startCursor;
let pages = 0;
await measure('pull page (250)', 5, async () => {
  const page = await pullChanges(db, kind, { id: users[0]!.id, role: 'scorer' }, cursor, 250);
  cursor = page.cursor;
  pages++;
});
await close();
