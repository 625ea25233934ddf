/**
 * Where the renderer lives: `app://guanmo/…`, a privileged standard scheme served from the
 * built renderer folder (protocol/app-protocol-handler.ts).
 *
 * What must stay true: the scheme and host never change. They are the renderer's origin, and
 * IndexedDB (every unsynced score sheet, photo and note) is keyed by origin: a new origin
 * would open an empty database.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'guanmo';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` is a document or resource of our app origin. Compares scheme and host by
 * hand: Node's URL reports origin "null" for schemes it does not know, so `.origin` cannot be
 * used in the main process.
 */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname.toLowerCase() === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
