/**
 * The PouchDB peer as an offline-first desktop app would run it: PouchDB's browser build in a
 * Chromium page, storing in IndexedDB (its default there), the photos as Blob attachments. The
 * page is served by the express-pouchdb process itself (same origin, as Guanmo's page is served
 * by the Guanmo server). The bench drives it through `window.__pouchBench` with page.evaluate.
 */
// the project's own browser build (self-contained, with its IndexedDB adapter), as a page using
// PouchDB without a bundler of its own would load it; types: pouchdb-modules.d.ts
import PouchDB from 'pouchdb/dist/pouchdb.js';
import { photoBytes, sha256Hex, type SeededPayload } from '../payload';

export interface PouchBrowserRun {
  ms: number;
  ok: boolean;
  docsWritten: number;
  writeFailures: number;
}

export interface PouchBenchApi {
  /**
   * The same records and photo bytes as the Guanmo client stored; returns how many documents were
   * written (the IndexedDB adapter's own counts, info() and allDocs, lagged behind right after).
   */
  seed(payload: SeededPayload): Promise<number>;
  /** One replication to `remotePath` on this origin with PouchDB's defaults, timed in the page. */
  replicate(remotePath: string): Promise<PouchBrowserRun>;
}

declare global {
  interface Window {
    __pouchBench?: PouchBenchApi;
  }
}

const local = new PouchDB('sync-bench-local');

window.__pouchBench = {
  async seed(payload) {
    const asDoc = ({ id, ...rest }: Record<string, unknown>) => ({ _id: String(id), ...rest });
    const records = await local.bulkDocs([...payload.sheets.map(asDoc), ...payload.notes.map(asDoc)]);
    const failed = records.filter((r) => r.error);
    for (const [i, photo] of payload.photos.entries()) {
      const bytes = await photoBytes(i, photo.size);
      const sha256 = await sha256Hex(bytes);
      if (sha256 !== photo.sha256) throw new Error(`photo ${i}: the bytes made here do not match the Guanmo client's`);
      const doc = { ...asDoc(photo), _attachments: { original: { content_type: String(photo.mime), data: new Blob([bytes], { type: String(photo.mime) }) } } };
      failed.push(...(await local.bulkDocs([doc])).filter((r) => r.error));
    }
    if (failed.length > 0) throw new Error(`PouchDB refused ${failed.length} documents: ${JSON.stringify(failed[0])}`);
    return records.length + payload.photos.length;
  },
  async replicate(remotePath) {
    const remote = new PouchDB(new URL(remotePath, window.location.origin).href);
    try {
      const started = performance.now();
      const result = await local.replicate.to(remote);
      const ms = performance.now() - started;
      return { ms, ok: result.ok, docsWritten: result.docs_written, writeFailures: result.doc_write_failures };
    } finally {
      await remote.close();
    }
  },
};
document.body.dataset.ready = 'true';
