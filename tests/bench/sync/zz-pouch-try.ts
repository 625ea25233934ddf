import { ByteCountingProxy } from './byte-counting-proxy';
import { startPouchServer, seedPouch, replicateToServer } from './pouchdb-peer';
import { photoBytes, sha256Hex, payloadSize, noteContent, type SeededPayload } from './payload';
const n = Number(process.argv[2] ?? 100);
const payload: SeededPayload = { sheets: [], notes: [], photos: [] };
for (let i = 0; i < 30; i++) payload.sheets.push({ id: `s${i}`, tourId: 't', stopId: `st${i}`, scorerId: 'x', scores: { a: 10, b: 12.5 }, status: 'submitted', comment: '', submittedAt: new Date().toISOString(), updatedAt: new Date().toISOString() });
for (let i = 0; i < 60; i++) payload.notes.push({ id: `n${i}`, ...noteContent(i) });
for (let i = 0; i < n; i++) { const b = await photoBytes(i, 3_000_000); payload.photos.push({ id: `p${i}`, sha256: await sha256Hex(b), size: b.length, mime: 'image/jpeg' }); }
const size = payloadSize(payload);
const server = await startPouchServer();
const proxy = await ByteCountingProxy.start({ targetPort: server.port });
const t = performance.now();
const seed = await seedPouch(payload, 'local-try');
console.log('seeded', seed.docs, (performance.now() - t).toFixed(0), 'ms');
const run = await replicateToServer(seed.local, `${proxy.url}/bench`);
console.log(run.ms.toFixed(0), 'ms', run.result.docs_written, run.remoteDocs, 'up', proxy.bytesUp, 'down', proxy.bytesDown, 'ratio', ((proxy.bytesUp + proxy.bytesDown) / size.total).toFixed(3), 'conns', proxy.connections.length);
await proxy.close(); await server.close();
