/**
 * The Content-Security-Policy sent with every app:// response.
 *
 * What must stay true:
 * - No 'unsafe-eval' and no inline or foreign scripts: script-src is 'self' only.
 * - The renderer may connect only to itself and the sync server; tiles and photos may be
 *   shown from the tile servers and the sync server; nothing else leaves the machine.
 * - Every source expression placed here has been validated (server-url.ts, tile-sources.ts),
 *   because a stray ';' or space would add directives.
 *
 * style-src allows 'unsafe-inline' on purpose: Leaflet and React position things with inline
 * styles and style elements; styles cannot run code, and Signal-Desktop makes the same call.
 */
export interface CspInputs {
  /** sync server origin, e.g. http://127.0.0.1:8787 */
  readonly serverOrigin: string;
  /** CSP source expressions of map tile servers, e.g. https://*.tianditu.gov.cn */
  readonly tileSources: readonly string[];
}

const SAFE_SOURCE = /^(?:https?):\/\/(?:\*\.)?[a-z0-9.-]+(?::\d{1,5})?$/i;

function checkedSources(sources: readonly string[]): string[] {
  for (const source of sources) {
    if (!SAFE_SOURCE.test(source)) throw new Error(`unsafe CSP source expression: ${JSON.stringify(source)}`);
  }
  return [...new Set(sources)];
}

export function buildContentSecurityPolicy({ serverOrigin, tileSources }: CspInputs): string {
  const server = checkedSources([serverOrigin]);
  const tiles = checkedSources(tileSources);
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:', ...server, ...tiles]],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...server]],
    ['media-src', ["'self'", 'blob:']],
    ['worker-src', ["'self'"]],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['child-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['form-action', ["'none'"]],
    ['base-uri', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${[...new Set(values)].join(' ')}`).join('; ');
}

/** Parses a CSP header into directive → sources (for tests and diagnostics). */
export function parseContentSecurityPolicy(header: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}
