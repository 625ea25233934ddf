/**
 * express-pouchdb (the CouchDB-compatible server of the PouchDB project) on 127.0.0.1, run as its
 * own process by pouchdb-peer.ts so that it does not share an event loop with the replicating
 * client. Prints `{"port":N}` once listening; exits when stdin closes (the bench ended, however it
 * ended).
 *
 * Environment (set by pouchdb-peer.ts):
 *   POUCH_BENCH_DIR     store databases on disk in this folder with PouchDB's default Node
 *                       adapter (LevelDB), as express-pouchdb does out of the box; unset: in memory
 *   POUCH_BENCH_STATIC  serve this folder's files at /bench-page/ (the browser peer's page, so that
 *                       it replicates to its own origin)
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';

const diskDir = process.env.POUCH_BENCH_DIR;
const staticDir = process.env.POUCH_BENCH_STATIC;

PouchDB.plugin(memoryAdapter);
const ServerPouch = diskDir ? PouchDB.defaults({ prefix: `${diskDir}${path.sep}` }) : PouchDB.defaults({ adapter: 'memory' });
// 'minimumForPouchDB': what PouchDB replication needs, without Fauxton, users or config files
const app = expressPouchDB(ServerPouch, { mode: 'minimumForPouchDB', inMemoryConfig: true });

const contentTypes: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** GET /bench-page/<file>: the browser peer's page and script, nothing else */
function servePage(request: http.IncomingMessage, response: http.ServerResponse): boolean {
  const match = /^\/bench-page\/([\w.-]+)$/.exec(request.url?.split('?')[0] ?? '');
  if (!staticDir || request.method !== 'GET' || !match) return false;
  const file = path.join(staticDir, match[1]!);
  const type = contentTypes[path.extname(file)];
  if (!type || !fs.existsSync(file)) return false;
  response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(fs.readFileSync(file));
  return true;
}

const server = http.createServer((request, response) => {
  if (!servePage(request, response)) app(request, response);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
