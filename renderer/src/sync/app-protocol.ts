/**
 * The sync protocol this build of the app speaks (shared/sync/protocol-version.ts), stamped into
 * the bundle at build time (vite.config.ts `__GUANMO_SYNC_PROTOCOL_STAMP__`, a string such as
 * `guanmo-sync-protocol=2`). It is a stamp rather than a bare number so that it survives
 * minification verbatim: the version-gate e2e builds the "previous app" by rewriting only this
 * stamp in a copy of the real build. Unit tests (no build) use the shared constant.
 */
import { SYNC_PROTOCOL_VERSION } from '@shared/sync/protocol-version';

/** `guanmo-sync-protocol=N`, defined by vite.config.ts; undeclared outside a Vite build */
declare const __GUANMO_SYNC_PROTOCOL_STAMP__: string | undefined;

export const SYNC_PROTOCOL_STAMP_PREFIX = 'guanmo-sync-protocol=';

export function protocolFromStamp(stamp: string | null): number {
  if (stamp === null || !stamp.startsWith(SYNC_PROTOCOL_STAMP_PREFIX)) return SYNC_PROTOCOL_VERSION;
  const n = Number(stamp.slice(SYNC_PROTOCOL_STAMP_PREFIX.length));
  return Number.isInteger(n) && n >= 1 ? n : SYNC_PROTOCOL_VERSION;
}

export const APP_SYNC_PROTOCOL: number = protocolFromStamp(typeof __GUANMO_SYNC_PROTOCOL_STAMP__ === 'string' ? __GUANMO_SYNC_PROTOCOL_STAMP__ : null);
