import type { Page } from 'playwright-core';

/**
 * Collects what must never happen on a page: console errors (CSP violations land here too),
 * uncaught exceptions, failed responses, and requests that leave the app's own origin (the app works offline,
 * so it must never reach out for fonts, scripts or anything else).
 */
export function watchPageProblems(page: Page, appOrigin: string): { problems: string[] } {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // the browser's echo of a request failure, named by the resource's URL
    const networkError = /^Failed to load resource: (net::ERR_\w+)/.exec(message.text());
    if (networkError && message.location().url && isCutByNetworkLoss(message.location().url, networkError[1]!)) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.name}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    const errorText = request.failure()?.errorText ?? '?';
    if (isCutByNetworkLoss(request.url(), errorText)) return;
    problems.push(`request failed (${errorText}): ${request.url()}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== appOrigin) problems.push(`request outside the app: ${url}`);
  });
  return { problems };
}

/**
 * Requests the network going away may cut without anything being wrong:
 * - the live channel's stream (GET /api/sync/live) stays open for as long as the app is online: the
 *   app ends it on purpose (offline, sign-out, another sign-in, leaving the page), and the network
 *   going away cuts it;
 * - one-off reads a test can catch in flight when it pulls the cable right after a page load or a
 *   sync round: the server's mode at start (GET /api/server-info) and the offline-map check that
 *   follows a round (GET /api/tours/:id/tile-pack and its file; the app starts none while offline,
 *   see OfflineMapsSync, so only one in flight can fail this way).
 */
function isCutByNetworkLoss(url: string, errorText: string): boolean {
  const { pathname } = new URL(url);
  if (pathname === '/api/sync/live') return /ERR_ABORTED|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_NETWORK_IO_SUSPENDED/.test(errorText);
  if (pathname === '/api/server-info' || /^\/api\/tours\/[^/]+\/tile-pack(\/file)?$/.test(pathname)) return /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED/.test(errorText);
  return false;
}
