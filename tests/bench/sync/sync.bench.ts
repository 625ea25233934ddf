/**
 * `npm run bench:sync` (issue 5): a day of offline work — 30 score sheets, 60 notes and 100
 * photos of 3 MB (incompressible) — pushed over loopback through a byte-counting proxy, next to
 * PouchDB replicating the same payload to express-pouchdb in the same run.
 *
 *   Guanmo   the real server (fresh data folder, SQLite, its own process like the PouchDB
 *            peer's server) and the real sync client: the app's db, repositories and sync
 *            engine running in headless Chromium (page/bench-page.ts), the page served by the
 *            server through the proxy. Sign in and a first sync (the tour
 *            arrives) are not timed; then the payload is written offline through the app's
 *            repositories, the counters are zeroed, and one sync round is timed until the server
 *            has confirmed every record and every photo's bytes.
 *   PouchDB  the same records as documents, each photo as an attachment (inline base64 in
 *            _bulk_docs), replicated with PouchDB's defaults to express-pouchdb (its own process),
 *            in two setups:
 *            - like for like (the goal is measured against this one): PouchDB's browser build in
 *              Chromium storing in IndexedDB, as a desktop app's renderer would hold the data,
 *              to express-pouchdb storing on disk (LevelDB, its default), page/pouch-page.ts;
 *            - the lightest PouchDB can be: PouchDB in this Node process, in memory at both ends
 *              (no browser, no disk), printed next to it.
 *   Cut      a fresh Guanmo server and client; the proxy resets every connection once 50% of the
 *            payload's bytes have gone upstream; the engine runs as the app runs it (start():
 *            back-off, retry, resume). The proxy parses the HTTP/1.1 requests and counts photo
 *            bytes sent more than once (tus PATCH ranges that overlap, and uploads made again).
 *            Twice: with the network back at once, and with it down for 3 s (cutVariants).
 *
 * Bytes on the wire = TCP payload both ways (HTTP heads and bodies), ÷ payload bytes (photo bytes
 * + the JSON of the records as stored on the device). Goals: bytes ≤ 1.05× the payload, time below
 * PouchDB's, after the cut at most one chunk sent twice. Prints figures; never asserts timing. The
 * exit code is non-zero only when something did not sync (or the bench itself failed).
 *
 * Timed runs alternate Guanmo and PouchDB, BENCH_SYNC_RUNS times each (default 5; medians are
 * compared), each right after sync(1) so that neither pays for what an untimed step wrote to disk. Env also: BENCH_SYNC_PHOTOS (100), BENCH_SYNC_PHOTO_BYTES (3000000), BENCH_SYNC_THUMB_BYTES (24000; 0: no thumbnails),
 * BENCH_SYNC_LANES and BENCH_SYNC_BODIES (files uploaded at once, requests with bytes at once; the app's defaults 2 and 1),
 * BENCH_SYNC_SKIP=pouchdb,cut, BENCH_SYNC_DEBUG=1 (lists the upload requests of the cut runs).
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import { uploadsPath } from '../../../server/src/photos/photo-uploads';
import { ByteCountingProxy } from './byte-counting-proxy';
import { openBenchClient, type BenchClient } from './guanmo-client';
import { startBenchGuanmoServer, type BenchGuanmoServer } from './guanmo-server';
import { describeCutUploads, HttpRequestTap, summariseResends, tusPatches, type ObservedRequest } from './http-request-tap';
import { buildBenchPage } from './page-bundle';
import { issuePayload, payloadSize, type PayloadSize, type PayloadSpec, type SeededPayload } from './payload';
import { openPouchBrowser, replicateToServer, seedPouch, startPouchServer, type PouchBrowserPeer, type PouchSeed, type PouchServer } from './pouchdb-peer';

const spec: PayloadSpec = {
  ...issuePayload,
  photos: Number(process.env.BENCH_SYNC_PHOTOS ?? issuePayload.photos),
  photoBytes: Number(process.env.BENCH_SYNC_PHOTO_BYTES ?? issuePayload.photoBytes),
  thumbBytes: Number(process.env.BENCH_SYNC_THUMB_BYTES ?? issuePayload.thumbBytes),
};
const skip = new Set((process.env.BENCH_SYNC_SKIP ?? '').split(',').filter(Boolean));
/** upload settings other than the app's defaults (files at once, requests with bytes at once), to compare */
const uploadQuery = (() => {
  const query = new URLSearchParams();
  if (process.env.BENCH_SYNC_LANES) query.set('lanes', process.env.BENCH_SYNC_LANES);
  if (process.env.BENCH_SYNC_BODIES) query.set('bodies', process.env.BENCH_SYNC_BODIES);
  return query.size > 0 ? `?${query}` : '';
})();
/** timed runs of each peer, alternating (loopback timings on a shared 2-core machine are noisy) */
const runs = Math.max(1, Number(process.env.BENCH_SYNC_RUNS ?? 5));

/**
 * sync(1) right before each timed run, of either peer: what the untimed preparation wrote (the
 * Guanmo client's 300 MB of photos into IndexedDB, the last run's server files) is written back
 * by the kernel now, not during the next timed round, where it cost Guanmo up to a second.
 */
async function flushDisk(): Promise<void> {
  await new Promise<void>((resolve) => execFile('sync', () => resolve()));
}
/** the whole bench stops by itself after this long, whatever hangs */
const benchDeadlineMs = 12 * 60_000;
/** the cut run waits this long at most for the client to finish after the cut */
const resumeDeadlineMs = 4 * 60_000;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

class BenchFailure extends Error {}

interface WireFigures {
  ms: number;
  up: number;
  down: number;
  ratio: number;
  requests: string;
}

/** "12 × POST /api/sync/push, …" — what went over the wire, by method and route. */
function describeRequests(requests: readonly ObservedRequest[]): string {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const route = r.target
      .split('?')[0]!
      .replace(/\/[0-9a-f]{64}$/, '/:sha256')
      .replace(/(\/api\/uploads)\/[^/]+$/, '$1/:id')
      .replace(/^\/sync-bench\/(?!_)[^/]+$/, '/sync-bench/:doc');
    const key = `${r.method} ${route}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n} × ${key}`).join(', ');
}

async function withProxy(targetPort: number) {
  const tap = new HttpRequestTap();
  const proxy = await ByteCountingProxy.start({
    targetPort,
    onUpstreamData: (id, chunk) => tap.feed(id, chunk),
    onConnectionEnd: (id) => tap.end(id),
  });
  return { proxy, tap };
}

/** Fresh server + proxy + Chromium client, signed in, tour pulled, payload written offline. */
async function prepareGuanmo(staticDir: string) {
  const server = await startBenchGuanmoServer({ staticDir, stops: Math.max(spec.sheets, 1) });
  const { proxy, tap } = await withProxy(server.port);
  let client: BenchClient | null = null;
  try {
    client = await openBenchClient(`${proxy.url}/${uploadQuery}`);
    const userId = await client.signIn(server.username, server.password);
    if (userId !== server.userId) throw new BenchFailure(`signed in as ${userId}, expected ${server.userId}`);
    const first = await client.syncOnce();
    if (first.report.error) throw new BenchFailure(`first sync failed: ${first.report.error.kind}: ${first.report.error.message}`);
    const started = performance.now();
    const payload = await client.seed(spec, { tourId: server.tourId, userId });
    const seedMs = performance.now() - started;
    const pending = await client.pending();
    if (pending.pendingPhotos !== spec.photos) throw new BenchFailure(`${pending.pendingPhotos} photos pending after seeding, expected ${spec.photos}`);
    return { server, proxy, tap, client, payload, seedMs, pending };
  } catch (error) {
    await client?.close();
    await proxy.close();
    await server.close();
    throw error;
  }
}

async function verifyGuanmoServer(server: BenchGuanmoServer, payload: SeededPayload, label: string): Promise<void> {
  const counts = await server.countRecords();
  const blobs = await server.countBlobs(payload.photos.map((p) => p.sha256));
  const thumbShas = payload.photos.flatMap((p) => (typeof p.thumbSha256 === 'string' ? [p.thumbSha256] : []));
  const thumbs = await server.countBlobs(thumbShas);
  const expected = { sheets: payload.sheets.length, notes: payload.notes.length, photos: payload.photos.length };
  if (counts.sheets !== expected.sheets || counts.notes !== expected.notes || counts.photos !== expected.photos || blobs !== expected.photos || thumbs !== thumbShas.length) {
    throw new BenchFailure(
      `${label}: the server holds ${counts.sheets}/${expected.sheets} sheets, ${counts.notes}/${expected.notes} notes, ${counts.photos}/${expected.photos} photo records, ${blobs}/${expected.photos} photos' bytes, ${thumbs}/${thumbShas.length} thumbnails`,
    );
  }
}

async function runGuanmo(staticDir: string, run: number): Promise<{ figures: WireFigures; payload: SeededPayload; size: PayloadSize; chunkBytes: number }> {
  console.log(`Guanmo run ${run}: a fresh server and Chromium client, sign-in, first pull, payload written offline …`);
  const { server, proxy, tap, client, payload, seedMs, pending } = await prepareGuanmo(staticDir);
  try {
    const size = payloadSize(payload);
    console.log(`  seeded in ${sec(seedMs)}: ${payload.sheets.length} sheets, ${payload.notes.length} notes, ${payload.photos.length} photos; outbox ${pending.outbox}, ${mb(pending.pendingPhotoBytes)} of photo bytes pending`);
    proxy.resetCounters();
    tap.requests.length = 0;
    await server.clearServerTimes();
    await flushDisk();
    const { report, ms } = await client.syncOnce();
    if (report.error) throw new BenchFailure(`Guanmo sync failed after ${sec(ms)}: ${report.error.kind}: ${report.error.message}`);
    const after = await client.pending();
    if (after.outbox !== 0 || after.pendingPhotos !== 0) throw new BenchFailure(`Guanmo: after the round, ${after.outbox} changes and ${after.pendingPhotos} photos are still pending`);
    await verifyGuanmoServer(server, payload, 'Guanmo');
    const patches = tusPatches(tap.requests, uploadsPath, { withCreations: true });
    const chunkBytes = Math.max(0, ...patches.map((p) => p.bytes));
    const figures: WireFigures = {
      ms,
      up: proxy.bytesUp,
      down: proxy.bytesDown,
      ratio: (proxy.bytesUp + proxy.bytesDown) / size.total,
      requests: describeRequests(tap.requests),
    };
    console.log(
      `  synced in ${sec(ms)} (engine: ${report.pushed.applied} applied in ${report.pushed.batches} pushes, ${report.photos.confirmed} photos and ${report.photos.thumbnails ?? 0} thumbnails uploaded, ${report.pulled.records} records pulled in ${report.pulled.pages} pages)`,
    );
    console.log(`  wire: ${mb(figures.up)} up, ${mb(figures.down)} down; ${figures.requests}`);
    const busy = [...(await server.serverTimes())].sort((a, b) => b[1].ms - a[1].ms);
    console.log(`  server time (routed → sent, summed): ${busy.map(([route, t]) => `${route} ${sec(t.ms)} (${t.requests})`).join(', ')}`);
    return { figures, payload, size, chunkBytes };
  } finally {
    await client.close();
    await proxy.close();
    await server.close();
  }
}

async function runPouch(seed: PouchSeed, size: PayloadSize, run: number): Promise<WireFigures> {
  console.log(`PouchDB run ${run}: a fresh express-pouchdb (own process), replication from the local PouchDB …`);
  const server = await startPouchServer();
  const { proxy, tap } = await withProxy(server.port);
  try {
    await flushDisk();
    let atEnd = { up: 0, down: 0, requests: 0 };
    const result = await replicateToServer(seed.local, `${proxy.url}/sync-bench-${run}`, () => {
      atEnd = { up: proxy.bytesUp, down: proxy.bytesDown, requests: tap.requests.length };
    });
    if (!result.result.ok || result.result.doc_write_failures > 0 || result.remoteDocs !== seed.docs) {
      throw new BenchFailure(
        `PouchDB replication incomplete: ok=${result.result.ok}, ${result.result.doc_write_failures} failures, ${result.remoteDocs}/${seed.docs} documents on the server`,
      );
    }
    // the server's document count (the check above) is not part of the replication
    const figures: WireFigures = {
      ms: result.ms,
      up: atEnd.up,
      down: atEnd.down,
      ratio: (atEnd.up + atEnd.down) / size.total,
      requests: describeRequests(tap.requests.slice(0, atEnd.requests)),
    };
    console.log(`  replicated in ${sec(result.ms)}: ${result.result.docs_written} documents written`);
    console.log(`  wire: ${mb(figures.up)} up, ${mb(figures.down)} down; ${figures.requests}`);
    return figures;
  } finally {
    await proxy.close();
    await server.close();
  }
}

/**
 * The like-for-like PouchDB peer, set up once (not timed) and kept for every run: express-pouchdb
 * storing on disk, serving the browser client's page, a proxy, and PouchDB in Chromium holding the
 * payload in IndexedDB. (One origin for all runs: IndexedDB belongs to the origin, and seeding
 * 300 MB again per run would only slow the bench.) Each run replicates to a new database.
 */
interface PouchBrowserSetup {
  server: PouchServer;
  proxy: ByteCountingProxy;
  tap: HttpRequestTap;
  browser: PouchBrowserPeer;
  diskDir: string;
  docs: number;
}

async function setUpPouchBrowser(staticDir: string, payload: SeededPayload): Promise<PouchBrowserSetup> {
  const diskDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-sync-bench-pouch-'));
  const server = await startPouchServer({ diskDir, staticDir });
  const { proxy, tap } = await withProxy(server.port);
  let browser: PouchBrowserPeer | null = null;
  try {
    browser = await openPouchBrowser(`${proxy.url}/bench-page/pouch.html`);
    const started = performance.now();
    const docs = await browser.seed(payload);
    console.log(`PouchDB in Chromium: IndexedDB seeded with the same payload in ${sec(performance.now() - started)}: ${docs} documents; express-pouchdb stores on disk (LevelDB)`);
    return { server, proxy, tap, browser, diskDir, docs };
  } catch (error) {
    await browser?.close();
    await proxy.close();
    await server.close();
    await fs.rm(diskDir, { recursive: true, force: true });
    throw error;
  }
}

async function tearDownPouchBrowser(setup: PouchBrowserSetup): Promise<void> {
  await setup.browser.close();
  await setup.proxy.close();
  await setup.server.close();
  await fs.rm(setup.diskDir, { recursive: true, force: true });
}

async function runPouchBrowser(setup: PouchBrowserSetup, size: PayloadSize, run: number): Promise<WireFigures> {
  console.log(`PouchDB in Chromium run ${run}: replication from IndexedDB to a new database of express-pouchdb on disk …`);
  const database = `sync-bench-browser-${run}`;
  setup.proxy.resetCounters();
  setup.tap.requests.length = 0;
  await flushDisk();
  const result = await setup.browser.replicate(`/${database}`);
  const figures: WireFigures = {
    ms: result.ms,
    up: setup.proxy.bytesUp,
    down: setup.proxy.bytesDown,
    ratio: (setup.proxy.bytesUp + setup.proxy.bytesDown) / size.total,
    requests: describeRequests(setup.tap.requests),
  };
  // the server's document count, asked past the proxy (not part of the replication)
  const info = (await (await fetch(`http://127.0.0.1:${setup.server.port}/${database}`)).json()) as { doc_count?: number };
  if (!result.ok || result.writeFailures > 0 || info.doc_count !== setup.docs) {
    throw new BenchFailure(`PouchDB (Chromium) replication incomplete: ok=${result.ok}, ${result.writeFailures} failures, ${info.doc_count}/${setup.docs} documents on the server`);
  }
  // dropped at once: LevelDB compacting 400 MB in the background would slow the next peer's run
  await fetch(`http://127.0.0.1:${setup.server.port}/${database}`, { method: 'DELETE' });
  console.log(`  replicated in ${sec(result.ms)}: ${result.docsWritten} documents written`);
  console.log(`  wire: ${mb(figures.up)} up, ${mb(figures.down)} down; ${figures.requests}`);
  return figures;
}

interface CutFigures {
  label: string;
  cutAtBytes: number;
  connectionsCut: number;
  ms: number;
  ratio: number;
  patches: number;
  uploadsCreated: number;
  /** POST /api/blobs/batch requests (the thumbnails) */
  thumbnailBatches: number;
  bytesResent: number;
  chunksResent: number;
  patchesRepeated: number;
  /** how the re-sent bytes came about, per interrupted upload */
  explanation: string[];
  errors: string[];
}

/**
 * Two drops: the network is back at once (Chromium's network stack may then re-send the request
 * that was in flight on a new connection by itself, before the engine sees an error), and the
 * network stays down for a few seconds (that re-send fails too; the engine's back-off and resume
 * do all the work).
 */
const cutVariants = [
  { label: 'cut, network back at once', downForMs: 0 },
  { label: 'cut, network down for 3 s', downForMs: 3000 },
] as const;

async function runCut(staticDir: string, chunkHint: number, variant: (typeof cutVariants)[number]): Promise<CutFigures> {
  console.log(`Cut (${variant.label}): fresh server and client, connections reset at 50% of the payload bytes, the engine resumes on its own …`);
  const { server, proxy, tap, client, payload } = await prepareGuanmo(staticDir);
  try {
    const size = payloadSize(payload);
    proxy.resetCounters();
    tap.requests.length = 0;
    const cutAtBytes = Math.round(size.total / 2);
    const cut = proxy.cutAt(cutAtBytes, { downForMs: variant.downForMs });
    const started = performance.now();
    await client.startAuto();
    const event = await Promise.race([cut, new Promise<null>((resolve) => setTimeout(() => resolve(null), resumeDeadlineMs).unref())]);
    if (!event) throw new BenchFailure(`the cut at ${mb(cutAtBytes)} never happened (${mb(proxy.bytesUp)} went upstream)`);
    console.log(`  cut at ${mb(event.upstreamBytes)} upstream after ${sec(performance.now() - started)}: ${event.connectionsCut} connection(s) reset`);
    let pending = await client.pending();
    let status = await client.status();
    for (let i = 0; i < resumeDeadlineMs / 250 && (pending.outbox > 0 || pending.pendingPhotos > 0 || status.isSyncing); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      [pending, status] = await Promise.all([client.pending(), client.status()]);
    }
    const ms = performance.now() - started;
    await client.stopAuto();
    if (pending.outbox > 0 || pending.pendingPhotos > 0) {
      throw new BenchFailure(`after the cut the client did not finish within ${sec(resumeDeadlineMs)}: ${pending.outbox} changes, ${pending.pendingPhotos} photos pending; errors: ${(await client.errors()).join(' | ')}`);
    }
    await verifyGuanmoServer(server, payload, 'Cut');
    const patches = tusPatches(tap.requests, uploadsPath, { withCreations: true });
    const summary = summariseResends(patches);
    const chunkBytes = Math.max(chunkHint, ...patches.map((p) => p.bytes));
    // thumbnails go in batches (POST /api/blobs/batch), not through tus: each batch sent counts,
    // a batch cut and sent again included
    const batches = tap.requests.filter((r) => r.method === 'POST' && r.target.split('?')[0] === '/api/blobs/batch');
    const batchBytes = batches.reduce((sum, r) => sum + r.bodyBytes, 0);
    // every photo or thumbnail byte beyond the first copy: overlapping PATCH ranges, bytes of a
    // creating POST that was cut, whole uploads or batches made again
    const bytesResent = summary.bytesSent + batchBytes - size.photoBytes - size.thumbnailBytes;
    const uploadsCreated = tap.requests.filter((r) => r.method === 'POST' && r.target.split('?')[0] === uploadsPath && !r.headers['x-http-method-override']).length;
    console.log(`  finished ${sec(ms)} after the start; wire: ${describeRequests(tap.requests)}`);
    if (process.env.BENCH_SYNC_DEBUG) {
      for (const r of tap.requests.filter((r) => r.target.startsWith(uploadsPath))) {
        console.log(`    ${r.method} ${r.target} offset=${r.headers['upload-offset'] ?? '-'} body=${r.bodyBytes}${r.isComplete ? '' : ' (cut)'} conn=${r.connectionId}`);
      }
    }
    return {
      label: variant.label,
      cutAtBytes: event.upstreamBytes,
      connectionsCut: event.connectionsCut,
      ms,
      ratio: (proxy.bytesUp + proxy.bytesDown) / size.total,
      patches: summary.patches,
      uploadsCreated,
      thumbnailBatches: batches.length,
      bytesResent,
      chunksResent: chunkBytes > 0 ? bytesResent / chunkBytes : 0,
      patchesRepeated: summary.patchesRepeated,
      explanation: describeCutUploads(patches).map((u) => {
        const sentTo = u.offset + u.bytesBeforeCut;
        const kept = u.resumedAt === null ? 'the upload never went on' : `the engine resumed at the server's offset ${u.resumedAt} (${mb(Math.max(0, sentTo - u.resumedAt))} of what was sent before the cut was lost in flight)`;
        const repeated = u.repeatedBytes > 0 ? `; before that, the cut PATCH went out again whole from offset ${u.offset} (${mb(u.repeatedBytes)}) on a new connection: Chromium re-sends a request whose reused keep-alive connection was reset, and the server refuses it (409) as its offset has moved` : '';
        if (u.upload.startsWith('POST #')) {
          return `creating POST (first chunk in the request) cut after ${mb(u.bytesBeforeCut)}; its upload is unknown to the client, which creates a new one (the server drops the partial one when it expires)`;
        }
        return `PATCH at offset ${u.offset} cut after ${mb(u.bytesBeforeCut)}; ${kept}${repeated}`;
      }),
      errors: await client.errors(),
    };
  } finally {
    await client.close();
    await proxy.close();
    await server.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Summary {
  ms: number;
  ratio: number;
  bytes: number;
  times: string;
}

function summarise(figures: readonly WireFigures[]): Summary {
  return {
    ms: median(figures.map((f) => f.ms)),
    ratio: median(figures.map((f) => f.ratio)),
    bytes: median(figures.map((f) => f.up + f.down)),
    times: figures.map((f) => (f.ms / 1000).toFixed(1)).join(' / '),
  };
}

function printTable(
  size: PayloadSize,
  guanmoRuns: readonly WireFigures[],
  pouchBrowserRuns: readonly WireFigures[],
  pouchRuns: readonly WireFigures[],
  cuts: readonly CutFigures[],
  chunkBytes: number,
): void {
  const yesNo = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const guanmo = summarise(guanmoRuns);
  const pouchBrowser = pouchBrowserRuns.length > 0 ? summarise(pouchBrowserRuns) : null;
  const pouch = pouchRuns.length > 0 ? summarise(pouchRuns) : null;
  const rows: string[][] = [
    ['', 'median time', 'runs (s)', 'bytes on the wire', '÷ payload'],
    ['Guanmo: Chromium (IndexedDB) → server (SQLite + files)', sec(guanmo.ms), guanmo.times, mb(guanmo.bytes), `${guanmo.ratio.toFixed(3)}×`],
  ];
  if (pouchBrowser) {
    rows.push(['PouchDB: Chromium (IndexedDB) → express-pouchdb (LevelDB)', sec(pouchBrowser.ms), pouchBrowser.times, mb(pouchBrowser.bytes), `${pouchBrowser.ratio.toFixed(3)}×`]);
  }
  if (pouch) rows.push(['PouchDB: Node (memory) → express-pouchdb (memory)', sec(pouch.ms), pouch.times, mb(pouch.bytes), `${pouch.ratio.toFixed(3)}×`]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   ');

  console.log('');
  console.log(`Payload: ${spec.sheets} sheets + ${spec.notes} notes + ${spec.photos} photos × ${mb(spec.photoBytes)} = ${mb(size.total)} (${mb(size.photoBytes)} photo bytes, ${(size.recordBytes / 1000).toFixed(1)} kB of records)`);
  if (size.thumbnailBytes > 0) {
    console.log(`Besides: Guanmo also uploads each photo's thumbnail (${spec.photos} × ${(spec.thumbBytes / 1000).toFixed(0)} kB = ${mb(size.thumbnailBytes)}) so that other users see photos early: on the wire and in its time, not in the payload`);
  }
  console.log(`Loopback, ${os.cpus().length} cores; bytes = TCP payload both ways through the proxy; tus chunk ${mb(chunkBytes)}`);
  console.log('');
  for (const r of rows) console.log(line(r));
  console.log('');
  console.log(`Goal bytes ≤ 1.05× payload:        ${yesNo(guanmo.ratio <= 1.05)} (${guanmo.ratio.toFixed(3)}×)`);
  if (pouchBrowser) {
    console.log(`Goal time below PouchDB's:          ${yesNo(guanmo.ms < pouchBrowser.ms)} (medians ${sec(guanmo.ms)} vs ${sec(pouchBrowser.ms)}, each from a Chromium client storing in IndexedDB to its server storing on disk)`);
  }
  if (pouch) {
    console.log(`  against PouchDB in Node, in memory at both ends (no browser, no disk): ${guanmo.ms < pouch.ms ? 'faster' : 'slower'} (${sec(guanmo.ms)} vs ${sec(pouch.ms)})`);
  }
  for (const cut of cuts) {
    console.log(`Goal ≤ 1 chunk sent twice, ${cut.label.padEnd(27)} ${yesNo(cut.chunksResent <= 1)} (${cut.chunksResent.toFixed(3)} chunks = ${mb(cut.bytesResent)} re-sent)`);
    console.log(
      `  cut at ${mb(cut.cutAtBytes)} upstream, ${cut.connectionsCut} connection(s) reset; ${cut.patches} requests with upload bytes (PATCHes and creating POSTs), ${cut.patchesRepeated} restarted inside bytes already sent; ${cut.uploadsCreated} uploads created for ${spec.photos} photos${spec.thumbBytes > 0 ? `, their thumbnails in ${cut.thumbnailBatches} batch request(s)` : ''}; all confirmed ${sec(cut.ms)} after the start; ${cut.ratio.toFixed(3)}× on the wire`,
    );
    for (const line of cut.explanation) console.log(`  ${line}`);
    if (cut.errors.length > 0) console.log(`  errors the engine reported on the way: ${cut.errors.join(' | ')}`);
  }
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`bench:sync did not finish within ${benchDeadlineMs / 60_000} minutes: stopping`);
    process.exit(1);
  }, benchDeadlineMs);
  deadline.unref();

  console.log('Bundling the bench page (app db, repositories, sync engine) …');
  const staticDir = await buildBenchPage();
  let pouchSeed: PouchSeed | null = null;
  let browserSetup: PouchBrowserSetup | null = null;
  try {
    const guanmo: WireFigures[] = [];
    const pouchBrowser: WireFigures[] = [];
    const pouch: WireFigures[] = [];
    let first: Awaited<ReturnType<typeof runGuanmo>> | null = null;
    for (let run = 1; run <= runs; run++) {
      const result = await runGuanmo(staticDir, run);
      guanmo.push(result.figures);
      first ??= result;
      if (skip.has('pouchdb')) continue;
      browserSetup ??= await setUpPouchBrowser(staticDir, first.payload);
      pouchBrowser.push(await runPouchBrowser(browserSetup, first.size, run));
      if (!pouchSeed) {
        const started = performance.now();
        pouchSeed = await seedPouch(first.payload, `sync-bench-local-${Date.now()}`);
        console.log(`PouchDB: local in-memory PouchDB seeded with the same payload in ${sec(performance.now() - started)}: ${pouchSeed.docs} documents`);
      }
      pouch.push(await runPouch(pouchSeed, first.size, run));
    }
    const cuts: CutFigures[] = [];
    if (!skip.has('cut')) for (const variant of cutVariants) cuts.push(await runCut(staticDir, first!.chunkBytes, variant));
    printTable(first!.size, guanmo, pouchBrowser, pouch, cuts, first!.chunkBytes);
    console.log(`Machine load (1, 5, 15 min) at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  } finally {
    await pouchSeed?.local.destroy();
    if (browserSetup) await tearDownPouchBrowser(browserSetup);
    await fs.rm(staticDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error instanceof BenchFailure ? `bench:sync: ${error.message}` : error);
    process.exit(1);
  },
);
