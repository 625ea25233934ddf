/**
 * Photo worker: one job at a time (the pool hands out jobs), so a worker holds at most one
 * decoded photo in memory. Loaded with `new Worker(new URL('./photo-worker.ts', import.meta.url), { type: 'module' })`.
 */
import type { PhotoJob, PhotoJobResult } from './photo-worker-protocol';
import { processPhoto } from './process-photo';

interface WorkerScope {
  onmessage: ((event: MessageEvent<PhotoJob>) => void) | null;
  postMessage(message: PhotoJobResult): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { jobId, file } = event.data;
  processPhoto(jobId, file).then(
    (result) => scope.postMessage(result),
    // an unexpected error (e.g. out of memory while encoding) fails this photo, not the import
    () => scope.postMessage({ jobId, ok: false, failure: { kind: 'undecodable' } }),
  );
};
