/**
 * express-pouchdb (the CouchDB-compatible server of the PouchDB project) on 127.0.0.1, in-memory
 * storage, run as its own process by pouchdb-peer.ts so that it does not share an event loop
 * with the replicating client. Prints `{"port":N}` once listening; exits when stdin closes (the
 * bench ended, however it ended).
 */
import http from 'node:http';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';

PouchDB.plugin(memoryAdapter);
const ServerPouch = PouchDB.defaults({ adapter: 'memory' });
// 'minimumForPouchDB': what PouchDB replication needs, without Fauxton, users or config files
const app = expressPouchDB(ServerPouch, { mode: 'minimumForPouchDB', inMemoryConfig: true });
const server = http.createServer(app);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
