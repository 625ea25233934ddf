/**
 * Gets the maps ready before anyone opens one: when the app is idle, loads the map code (Leaflet
 * and the map views, split from the app's first load) and opens the reader of every ready pack on
 * this device (its header and root directory parsed, pack-reader.ts keeps it), so opening a tour
 * page paints its first pack tiles without waiting for either.
 *
 * What must stay true: it only reads what is on this device; nothing here touches the network
 * beyond the app's own code files (served by the service worker when offline).
 */
import type { GuanmoDb } from '../../db/guanmo-db';
import { openPackReader } from '../../offline-maps/pack-reader';
import { listPacks } from '../../offline-maps/pack-store';

function whenIdle(work: () => void): void {
  const idle = (globalThis as { requestIdleCallback?: (callback: () => void, options?: { timeout: number }) => number }).requestIdleCallback;
  if (idle) idle(work, { timeout: 3_000 });
  else setTimeout(work, 500);
}

export function warmMaps(db: GuanmoDb): void {
  whenIdle(() => {
    void (async () => {
      const packs = (await listPacks(db)).filter((p) => p.state === 'ready');
      if (packs.length === 0) return;
      await import('./TourMap');
      for (const pack of packs) await openPackReader(db, pack).catch(() => undefined);
    })().catch((error: unknown) => console.warn('offline maps: warming up failed', error));
  });
}
