/** Pure routing decisions of the service worker, kept apart so they can be tested in Node. */

const cachePrefix = 'guanmo-shell-';

export function cacheNameFor(version: string): string {
  return `${cachePrefix}${version}`;
}

export function isOwnCache(name: string): boolean {
  return name.startsWith(cachePrefix);
}

export type ShellRequestKind = 'navigation' | 'asset' | 'network';

/**
 * - `navigation`: a page load inside our scope → the cached index.html (hash routing: every view is
 *   index.html), so the app opens offline;
 * - `asset`: a GET for a file of ours → cache first, network as fallback;
 * - `network`: everything else (other origins, non-GET, and all of /api/) → not touched.
 */
export function appShellRequestKind(request: { method: string; url: string; mode: string }, scope: URL): ShellRequestKind {
  if (request.method !== 'GET') return 'network';
  const url = new URL(request.url);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return 'network';
  const inScope = url.pathname.slice(scope.pathname.length);
  if (inScope === 'api' || inScope.startsWith('api/')) return 'network';
  if (inScope === 'sw.js') return 'network';
  if (request.mode === 'navigate') return 'navigation';
  return 'asset';
}
