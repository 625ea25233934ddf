/**
 * Which sync server the desktop app talks to. It is also the only foreign origin the page's
 * Content-Security-Policy lets the renderer connect to (security/csp.ts).
 *
 * Precedence: GUANMO_SERVER_URL (developers, tests, managed installs) > the URL the user saved
 * in the app (settings store) > the default, a server on this laptop.
 */
import type { ServerUrlSource } from '@shared/ipc/contract';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';
export const SERVER_URL_ENV = 'GUANMO_SERVER_URL';

export interface ResolvedServerUrl {
  /** an origin: scheme, host and port, no path, no trailing slash */
  readonly serverUrl: string;
  readonly source: ServerUrlSource;
}

/**
 * The origin of an http(s) URL, or null when it is not a usable server address. Credentials,
 * other schemes and hostless URLs are refused: they would end up verbatim in the CSP header.
 */
export function toServerOrigin(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '' || url.hostname === '') return null;
  return url.origin;
}

export interface ServerUrlInputs {
  readonly envValue: string | undefined;
  readonly savedValue: string | null;
  /** called when a value is present but unusable, so a typo in the env is not silent */
  readonly onInvalid?: (source: 'env' | 'settings', value: string) => void;
}

export function resolveServerUrl({ envValue, savedValue, onInvalid }: ServerUrlInputs): ResolvedServerUrl {
  if (envValue !== undefined && envValue.trim() !== '') {
    const origin = toServerOrigin(envValue);
    if (origin) return { serverUrl: origin, source: 'env' };
    onInvalid?.('env', envValue);
  }
  if (savedValue !== null) {
    const origin = toServerOrigin(savedValue);
    if (origin) return { serverUrl: origin, source: 'settings' };
    onInvalid?.('settings', savedValue);
  }
  return { serverUrl: DEFAULT_SERVER_URL, source: 'default' };
}
