/**
 * The reference peer of the sync bench: PouchDB replicating the same payload to express-pouchdb.
 * Sheets and notes become documents; each photo record becomes a document with the photo bytes
 * as its attachment (PouchDB sends attachments inline, base64, in _bulk_docs). The server runs
 * in its own process (pouchdb-server.ts). Two clients: PouchDB's browser build in Chromium storing
 * in IndexedDB, replicating to express-pouchdb on disk (each side as it stores by default: the
 * like-for-like peer of Guanmo's renderer and server), and PouchDB in this Node process with
 * in-memory storage on both sides (the lightest setup PouchDB has). PouchDB's default replication
 * settings in both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import PouchDB, { type PouchDatabase, type ReplicationResult } from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { openCdpPage } from './cdp-page';
import type { PouchBenchApi, PouchBrowserRun } from './page/pouch-page';
import { photoBytes, sha256Hex, type SeededPayload } from './payload';

PouchDB.plugin(memoryAdapter);

const here = path.dirname(fileURLToPath(import.meta.url));

export interface PouchServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts express-pouchdb in a child process (same Node, same tsx loader as this process).
 * `diskDir`: databases on disk there (LevelDB, express-pouchdb's default) instead of in memory;
 * `staticDir`: the browser peer's page, served at /bench-page/.
 */
export async function startPouchServer(options: { diskDir?: string; staticDir?: string } = {}): Promise<PouchServer> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, path.join(here, 'pouchdb-server.ts')], {
    // the repo root: tsx's loader (inherited flags and TSX_TSCONFIG_PATH) resolves from there;
    // express-pouchdb writes no config files with inMemoryConfig
    cwd: path.resolve(here, '../../..'),
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...(options.diskDir ? { POUCH_BENCH_DIR: options.diskDir } : {}),
      ...(options.staticDir ? { POUCH_BENCH_STATIC: options.staticDir } : {}),
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('express-pouchdb did not start within 30 s')), 30_000);
      child.once('exit', (code) => reject(new Error(`express-pouchdb exited (${code}) before listening`)));
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        clearTimeout(timer);
        const parsed = JSON.parse(line) as { port?: unknown };
        if (typeof parsed.port === 'number') resolve(parsed.port);
        else reject(new Error(`unexpected first line from express-pouchdb: ${line}`));
      });
    });
    return { port, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface PouchSeed {
  local: PouchDatabase;
  docs: number;
}

/**
 * The payload as PouchDB documents in a fresh local (in-memory) database: the records exactly
 * as the Guanmo client stored them (`id` becomes `_id`), each photo's bytes as an attachment.
 * The bytes are made again here from the photo index and checked against the record's sha256.
 */
export async function seedPouch(payload: SeededPayload, name: string): Promise<PouchSeed> {
  const local = new PouchDB(name, { adapter: 'memory' });
  const asDoc = ({ id, ...rest }: Record<string, unknown>) => ({ _id: String(id), ...rest });
  const result = await local.bulkDocs([...payload.sheets.map(asDoc), ...payload.notes.map(asDoc)]);
  const failed = result.filter((r) => r.error);
  for (const [i, photo] of payload.photos.entries()) {
    const bytes = await photoBytes(i, photo.size);
    const sha256 = await sha256Hex(bytes);
    if (sha256 !== photo.sha256) throw new Error(`photo ${i}: the bytes made here do not match the client's (sha256 ${sha256} ≠ ${photo.sha256})`);
    // base64 input: PouchDB's node adapter takes it ~10× faster than a Buffer (seeding is not timed)
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    const doc = { ...asDoc(photo), _attachments: { original: { content_type: String(photo.mime), data } } };
    failed.push(...(await local.bulkDocs([doc])).filter((r) => r.error));
  }
  if (failed.length > 0) throw new Error(`PouchDB refused ${failed.length} documents: ${JSON.stringify(failed[0])}`);
  const info = await local.info();
  return { local, docs: info.doc_count };
}

export interface PouchRun {
  ms: number;
  result: ReplicationResult;
  /** documents the server holds afterwards */
  remoteDocs: number;
}

/**
 * Replicates the local database to `remoteUrl` (through the proxy) with PouchDB's defaults.
 * `onReplicated` runs as soon as replication has finished, before the check of the server's
 * document count (so the caller can read its wire counters without that request).
 */
export async function replicateToServer(local: PouchDatabase, remoteUrl: string, onReplicated?: () => void): Promise<PouchRun> {
  const remote = new PouchDB(remoteUrl);
  try {
    const start = performance.now();
    const result = await local.replicate.to(remote);
    const ms = performance.now() - start;
    onReplicated?.();
    const info = await remote.info();
    return { ms, result, remoteDocs: info.doc_count };
  } finally {
    await remote.close();
  }
}

export interface PouchBrowserPeer {
  /** stores the payload in the page's PouchDB (IndexedDB); returns the document count */
  seed(payload: SeededPayload): Promise<number>;
  /** one replication to `remotePath` on the page's origin, timed in the page */
  replicate(remotePath: string): Promise<PouchBrowserRun>;
  close(): Promise<void>;
}

/**
 * PouchDB's browser build in headless Chromium (page/pouch-page.ts at `pageUrl`), a fresh
 * profile: the PouchDB peer as a desktop app's renderer would run it, storing in IndexedDB.
 * Driven over a bare DevTools pipe (cdp-page.ts explains why not Playwright).
 */
export async function openPouchBrowser(pageUrl: string): Promise<PouchBrowserPeer> {
  const page = await openCdpPage(pageUrl, "document.body && document.body.dataset.ready === 'true'");
  const call = <T>(method: keyof PouchBenchApi, ...args: unknown[]): Promise<T> =>
    page.evaluate<T>(`window.__pouchBench.${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
  return {
    seed: (payload) => call('seed', payload),
    replicate: (remotePath) => call('replicate', remotePath),
    close: () => page.close(),
  };
}
