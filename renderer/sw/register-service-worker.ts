/**
 * Registers the app-shell service worker when the app is served over http(s) by the sync server.
 * Not under Electron (app:// is local already) and not on Vite's dev server (no sw.js there).
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD) return;
  if (!('serviceWorker' in navigator)) return;
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return;
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((error: unknown) => {
    // The app works without it while online; offline reloads need it, so leave a trace.
    console.warn('service worker registration failed', error);
  });
}
