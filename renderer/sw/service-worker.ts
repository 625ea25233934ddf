/**
 * Service worker of the web app (the renderer served by the sync server to an office browser).
 * It keeps the app shell — index.html and every built asset — in Cache Storage, so that after the
 * first visit the app opens and works with no connection at all. Under Electron the renderer is
 * loaded from app:// and this worker is never registered.
 *
 * What must stay true:
 * - /api/ requests are never cached or answered from cache: sync must see the real network.
 * - A new build installs its own cache beside the old one and takes over only when no tab runs
 *   the old build any more (no skipWaiting): an open tab keeps every lazy chunk it may still
 *   load. Old caches are deleted on activation.
 * - Precache is all-or-nothing (cache.addAll): a half-cached shell never activates.
 */
/// <reference lib="webworker" />
import { appShellRequestKind, cacheNameFor, isOwnCache } from './shell-routing';

declare const self: ServiceWorkerGlobalScope;
/** Injected at build time by the renderer's service-worker plugin. */
declare const __GUANMO_PRECACHE__: { version: string; files: string[] };

const { version, files } = __GUANMO_PRECACHE__;
const cacheName = cacheNameFor(version);
const scope = new URL(self.registration.scope);
const indexUrl = new URL('index.html', scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(cacheName).then((cache) => cache.addAll(files.map((f) => new URL(f, scope).href))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => isOwnCache(n) && n !== cacheName).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const kind = appShellRequestKind(event.request, scope);
  if (kind === 'network') return; // the browser handles it as if there were no worker
  event.respondWith(
    (async () => {
      const cache = await caches.open(cacheName);
      const cached = await cache.match(kind === 'navigation' ? indexUrl : event.request, { ignoreSearch: kind === 'navigation' });
      if (cached) return cached;
      return fetch(event.request);
    })(),
  );
});
