import type { Page } from 'playwright-core';

/**
 * Collects what must never happen on a page: console errors (CSP violations land here too),
 * uncaught exceptions, failed responses, and requests that leave the app's own origin (the app works offline,
 * so it must never reach out for fonts, scripts or anything else).
 */
export function watchPageProblems(page: Page, appOrigin: string): { problems: string[] } {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.name}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    const errorText = request.failure()?.errorText ?? '?';
    if (isLiveStreamCut(request.url(), errorText)) return;
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
 * The live channel's stream (GET /api/sync/live) stays open for as long as the app is online: the
 * app ends it on purpose (offline, sign-out, another sign-in, leaving the page), and the network
 * going away cuts it. Neither is a failure.
 */
function isLiveStreamCut(url: string, errorText: string): boolean {
  return new URL(url).pathname === '/api/sync/live' && /ERR_ABORTED|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_NETWORK_IO_SUSPENDED/.test(errorText);
}
