/**
 * CPU per push and per pull page, one after another (no concurrency, so the figures are the work
 * itself and not queueing): a tour of 100 scorers each pushes a day (30 sheets + 30 notes), then
 * scorers pull the whole log page by page (the app's page size, 500), three rounds (the first
 * fills the server's record JSON cache). Prints wall time, this process's CPU (the server's code
 * runs in it) and, on PostgreSQL, the CPU of the database's backends, per push and per page.
 *
 *   npm run bench:page -- [postgres|sqlite]
 *
 * (PostgreSQL: a fresh database next to GUANMO_TEST_DATABASE_URL or the default test URL.)
 */
import fs from 'node:fs/promises';
import { sql } from 'kysely';
import { pushMutations } from '../src/sync/push.js';
import { pullChanges } from '../src/sync/pull.js';
import { startCursor } from '../src/db/changes.js';
import { benchStopCount, openBenchTour } from './bench-tour.js';

const kind = process.argv[2] === 'sqlite' ? 'sqlite' : 'postgres';
const N = 100;
const { deps, users, mutationsOf, close } = await openBenchTour(kind, N);
const db = deps.db;
const stops = Array.from({ length: benchStopCount }, (_, k) => k + 1);

/** CPU ms of this database's backends so far (/proc/PID/stat utime + stime, in 1/100 s ticks) */
const backendCpu = async () => {
  if (kind !== 'postgres') return 0;
  const pids = (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)).rows.map((r) => r.pid);
  let ms = 0;
  for (const pid of pids) {
    try {
      const fields = (await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // the backend ended meanwhile
    }
  }
  return ms;
};
let t = performance.now();
const pcpu0 = await backendCpu();
const pu0 = process.cpuUsage();
for (let i = 1; i <= N; i++) await pushMutations(deps, { id: users[i - 1]!.id, username: `u${i}`, role: 'scorer' }, `c${i}`, mutationsOf(i, stops));
const pu = process.cpuUsage(pu0);
console.log(`${kind}: ${N} pushes of 60: ${((performance.now() - t) / N).toFixed(2)} ms each wall, node CPU ${((pu.user + pu.system) / 1000 / N).toFixed(2)} ms, db backend CPU ${((await backendCpu() - pcpu0) / N).toFixed(2)} ms per push`);
for (const round of [1, 2, 3]) {
  const cpu0 = await backendCpu();
  const u0 = process.cpuUsage();
  t = performance.now();
  let pages = 0;
  for (let v = 0; v < (round === 1 ? 5 : 20); v++) {
    let cursor = startCursor;
    for (;;) {
      const page = await pullChanges(db, kind, { id: users[v]!.id, role: 'scorer' }, cursor, 500);
      pages++;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
  }
  const ms = performance.now() - t;
  const u = process.cpuUsage(u0);
  console.log(`${kind} round ${round}: ${pages} pages, ${(ms / pages).toFixed(2)} ms each wall, node CPU ${((u.user + u.system) / 1000 / pages).toFixed(2)} ms, db backend CPU ${((await backendCpu() - cpu0) / pages).toFixed(2)} ms per page`);
}
await close();
