/**
 * The Guanmo client of the sync bench, bundled for Chromium (see page-bundle.ts) and served by
 * the real server, loaded through the byte-counting proxy so that the page and its API are one
 * origin. It uses the app's own code: the Dexie database class, the repositories that write
 * sheets, notes and photos with their outbox entries, and the sync engine (renderer/src/sync).
 * The bench drives it through `window.__syncBench` with page.evaluate.
 */
import { loginResponseSchema } from '@shared/sync/auth-protocol';
import { createGuanmoDb, type GuanmoDb } from '../../../../renderer/src/db/guanmo-db';
import { addNote } from '../../../../renderer/src/db/notes-repo';
import { addPhoto } from '../../../../renderer/src/db/photos-repo';
import { submitSheet } from '../../../../renderer/src/db/sheets-repo';
import { createSyncEngine, type SyncEngine, type SyncReport, type SyncStatus } from '../../../../renderer/src/sync';
import { noteContent, photoBytes, sha256Hex, type PayloadSpec, type SeededPayload } from '../payload';

export interface PendingWork {
  outbox: number;
  pendingPhotos: number;
  pendingPhotoBytes: number;
}

export interface SyncBenchApi {
  /** signs in through POST /api/auth/login; returns the account id */
  signIn(username: string, password: string): Promise<string>;
  /** one sync round (engine.syncNow), timed in the page */
  syncOnce(): Promise<{ report: SyncReport; ms: number }>;
  /** writes the payload offline through the app's repositories */
  seed(spec: PayloadSpec, target: { tourId: string; userId: string }): Promise<SeededPayload>;
  pending(): Promise<PendingWork>;
  /** automatic rounds (engine.start): what the app does when the connection returns */
  startAuto(): void;
  stopAuto(): void;
  status(): SyncStatus;
  /** errors of the rounds so far (automatic ones included) */
  errors(): string[];
}

declare global {
  interface Window {
    __syncBench?: SyncBenchApi;
  }
}

const db: GuanmoDb = createGuanmoDb('guanmo-sync-bench', { chromeTransactionDurability: 'strict' });
let token: string | null = null;
const errors: string[] = [];

// upload settings to compare (BENCH_SYNC_LANES, BENCH_SYNC_BODIES): the app's defaults without them
const query = new URLSearchParams(window.location.search);
const numberParam = (name: string) => (query.get(name) ? Number(query.get(name)) : undefined);
const engine: SyncEngine = createSyncEngine({
  db,
  serverUrl: window.location.origin,
  uploadLanes: numberParam('lanes'),
  uploadBodiesInFlight: numberParam('bodies'),
  getToken: () => token,
});
engine.subscribe((status) => {
  const error = status.lastError;
  if (error && errors.at(-1) !== `${error.at} ${error.kind}: ${error.message}`) errors.push(`${error.at} ${error.kind}: ${error.message}`);
});

async function signIn(username: string, password: string): Promise<string> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const session = loginResponseSchema.parse(await response.json());
  token = session.token;
  return session.user.id;
}

async function syncOnce(): Promise<{ report: SyncReport; ms: number }> {
  const start = performance.now();
  const report = await engine.syncNow();
  return { report, ms: performance.now() - start };
}

/** Scores that respect each criterion's step (0.5) and maximum. */
function scoresFor(criteria: ReadonlyArray<{ key: string; max: number }>, i: number): Record<string, string> {
  return Object.fromEntries(criteria.map((c, k) => [c.key, String(Math.max(0, c.max - ((i + k) % 7) * 0.5))]));
}

async function seed(spec: PayloadSpec, { tourId, userId }: { tourId: string; userId: string }): Promise<SeededPayload> {
  const tour = await db.tours.get(tourId);
  if (!tour?.template) throw new Error(`tour ${tourId} is not on this device (pull first)`);
  const stops = (await db.stops.where('tourId').equals(tourId).toArray()).sort((a, b) => a.order - b.order);
  if (stops.length < spec.sheets) throw new Error(`${spec.sheets} sheets need ${spec.sheets} stops, the tour has ${stops.length}`);
  const payload: SeededPayload = { sheets: [], notes: [], photos: [], thumbBytes: spec.thumbBytes };

  for (let i = 0; i < spec.sheets; i++) {
    const sheet = await submitSheet(db, { tourId, stopId: stops[i]!.id, userId }, scoresFor(tour.template.criteria, i));
    payload.sheets.push({ ...sheet });
  }
  for (let i = 0; i < spec.notes; i++) {
    const { kind, text } = noteContent(i);
    const note = await addNote(db, { tourId, stopId: stops[i % stops.length]!.id, userId, kind, text });
    payload.notes.push({ ...note });
  }
  for (let i = 0; i < spec.photos; i++) {
    const bytes = await photoBytes(i, spec.photoBytes);
    const sha256 = await sha256Hex(bytes);
    // the thumbnail the import makes (incompressible like JPEG data), uploaded as its own blob
    const thumbBytes = spec.thumbBytes > 0 ? await photoBytes(i, spec.thumbBytes, 'thumb') : null;
    const stop = stops[i % stops.length]!;
    const result = await addPhoto(db, {
      tourId,
      stopId: stop.id,
      authorId: userId,
      sha256,
      size: bytes.length,
      mime: 'image/jpeg',
      width: 4000,
      height: 3000,
      takenAt: new Date(Date.UTC(2021, 11, 8, 1, 0, i)).toISOString(),
      lat: stop.lat,
      lng: stop.lng,
      original: new Blob([bytes], { type: 'image/jpeg' }),
      thumb: new Blob([thumbBytes ?? new Uint8Array(12_000)], { type: 'image/jpeg' }),
      thumbSha256: thumbBytes ? await sha256Hex(thumbBytes) : null,
      display: null,
    });
    if (result.status !== 'added') throw new Error(`photo ${i} was not added (${result.status})`);
    payload.photos.push({ ...result.photo });
  }
  return payload;
}

async function pending(): Promise<PendingWork> {
  let pendingPhotos = 0;
  let pendingPhotoBytes = 0;
  await db.photoBlobs
    .where('uploadState')
    .equals('pending')
    .each((b) => {
      pendingPhotos++;
      pendingPhotoBytes += b.blob.size;
    });
  return { outbox: await db.outbox.count(), pendingPhotos, pendingPhotoBytes };
}

window.__syncBench = {
  signIn,
  syncOnce,
  seed,
  pending,
  startAuto: () => engine.start(),
  stopAuto: () => engine.stop(),
  status: () => engine.getStatus(),
  errors: () => [...errors],
};
document.body.dataset.ready = 'true';
