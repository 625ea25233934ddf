/**
 * Map tile servers the renderer may load <img> tiles from (CSP img-src). Tile packs installed
 * for offline use are served locally and need no entry here.
 *
 * GUANMO_TILE_URL takes a Leaflet URL template; several may be separated by whitespace or
 * commas. A first host label containing `{s}` becomes a `*` wildcard (Leaflet's subdomains:
 * `{s}.tile.example.org` for a/b/c, `t{s}.tianditu.gov.cn` for t0–t7 …).
 */
export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const TILE_URL_ENV = 'GUANMO_TILE_URL';

/** CSP source expression for one tile URL template, or null when it is not a safe http(s) one. */
export function tileTemplateToCspSource(template: string): string | null {
  const match = /^(https?):\/\/([^/?#]+)(?:[/?#]|$)/i.exec(template.trim());
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  let host = match[2]!.toLowerCase();
  if (host.includes('@')) return null;
  let wildcard = false;
  const firstDot = host.indexOf('.');
  if (firstDot > 0 && host.slice(0, firstDot).includes('{s}')) {
    wildcard = true;
    host = host.slice(firstDot + 1);
  }
  // Anything else templated or odd in the host would be a CSP injection risk: refuse it.
  if (!/^[a-z0-9.-]+(?::\d{1,5})?$/.test(host) || host.startsWith('.') || host.includes('..')) return null;
  // `*.cn` would allow a whole top-level domain
  if (wildcard && !host.includes('.')) return null;
  return `${scheme}://${wildcard ? '*.' : ''}${host}`;
}

export function resolveTileSources(envValue: string | undefined, onInvalid?: (value: string) => void): string[] {
  const raw = envValue !== undefined && envValue.trim() !== '' ? envValue : DEFAULT_TILE_URL;
  const sources: string[] = [];
  for (const template of raw.split(/[\s,]+/).filter(Boolean)) {
    const source = tileTemplateToCspSource(template);
    if (source === null) onInvalid?.(template);
    else if (!sources.includes(source)) sources.push(source);
  }
  return sources;
}
