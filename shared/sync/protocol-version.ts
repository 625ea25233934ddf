/**
 * The sync protocol version gate (issue 15): the app and the server each announce the version of
 * the sync protocol they speak, so that an outdated app never syncs wrongly with a newer server
 * (and a newer app notices an older server) — the app then keeps every local change and asks for
 * the update instead.
 *
 * What must stay true:
 * - Raise SYNC_PROTOCOL_VERSION whenever what the app sends or reads on /api changes in a way an
 *   older peer would misread. The server keeps serving older apps down to its configured minimum
 *   (GUANMO_MIN_SYNC_PROTOCOL, default LEGACY_SYNC_PROTOCOL), so raising the number alone cuts
 *   nobody off.
 * - A peer that sends no header predates the gate: it speaks LEGACY_SYNC_PROTOCOL.
 */
import { z } from 'zod';

/** The sync protocol this code speaks. 1: the protocol before the gate; 2: + the version header. */
export const SYNC_PROTOCOL_VERSION = 2;

/** What a peer that sends no protocol header speaks (apps and servers older than the gate). */
export const LEGACY_SYNC_PROTOCOL = 1;

/** The oldest server protocol this app can sync with; an older server gets "ask the administrator". */
export const MIN_SERVER_SYNC_PROTOCOL = 1;

/** Request header (app → server) and response header (server → app) carrying the protocol version. */
export const SYNC_PROTOCOL_HEADER = 'x-guanmo-sync-protocol';
/** Response header: the oldest app protocol the server still serves. */
export const MIN_SYNC_PROTOCOL_HEADER = 'x-guanmo-min-sync-protocol';

/** Largest protocol number accepted at the boundary (anything above is a malformed header). */
const maxProtocol = 9999;

/** A header value → protocol number; null when absent; 'malformed' when not a whole number 1…9999. */
export function parseProtocolHeader(value: string | readonly string[] | null | undefined): number | null | 'malformed' {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return 'malformed';
  const text = value.trim();
  if (!/^\d{1,4}$/.test(text)) return 'malformed';
  const n = Number(text);
  return n >= 1 && n <= maxProtocol ? n : 'malformed';
}

/** A dotted app version such as 0.2.0 (what the update feed and package.json carry). */
export const appVersionSchema = z.string().regex(/^\d{1,4}(\.\d{1,4}){1,3}$/, 'a version such as 0.2.0');

/**
 * 426 Upgrade Required: the app's protocol is below what the server still serves. The app keeps
 * working offline, keeps its outbox, and shows "请更新到 {minAppVersion} 后再同步".
 */
export const appUpdateRequiredSchema = z.object({
  error: z.literal('app_update_required'),
  message: z.string().max(500),
  /** the protocol the request announced (LEGACY_SYNC_PROTOCOL when it sent no header) */
  appProtocol: z.number().int().min(1),
  /** the oldest app protocol this server serves */
  minProtocol: z.number().int().min(1),
  /** the protocol this server speaks */
  serverProtocol: z.number().int().min(1),
  /** the app version to update to (the first one speaking minProtocol) */
  minAppVersion: appVersionSchema,
});
export type AppUpdateRequired = z.infer<typeof appUpdateRequiredSchema>;

/** Whether a server that speaks `serverProtocol` can still serve an app (its minimum is `minAppProtocol`). */
export function isAppTooOld(appProtocol: number, minAppProtocol: number): boolean {
  return appProtocol < minAppProtocol;
}

/** Whether this app can sync with a server speaking `serverProtocol` (null: it sent no header: legacy). */
export function isServerTooOld(serverProtocol: number | null, minServerProtocol: number = MIN_SERVER_SYNC_PROTOCOL): boolean {
  return (serverProtocol ?? LEGACY_SYNC_PROTOCOL) < minServerProtocol;
}
