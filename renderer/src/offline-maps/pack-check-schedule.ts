/**
 * When the app asks the server about its tours' packs. A sync round runs after every saved
 * score; asking about every tour's pack that often is waste. So: after a successful round when
 * the tours on this device changed (a tour assigned, one removed), or when PACK_CHECK_EVERY_MS
 * has passed since the last complete check. A check cut short (no network, the server busy, the
 * signal lost mid-download) does not count: it is tried again after PACK_RETRY_AFTER_MS, so an
 * interrupted download resumes soon after the network is back.
 */
export const PACK_CHECK_EVERY_MS = 2 * 60_000;
export const PACK_RETRY_AFTER_MS = 30_000;

export interface PackCheck {
  /** ms since the epoch */
  at: number;
  /** the tours on this device then (their ids, sorted and joined) */
  tourKey: string;
}

export function isPackCheckDue(last: PackCheck | null, now: number, tourKey: string): boolean {
  return last === null || last.tourKey !== tourKey || now - last.at >= PACK_CHECK_EVERY_MS;
}

/** The device's tours as a key that changes when one is added or removed. */
export function tourKeyOf(tourIds: readonly string[]): string {
  return [...tourIds].sort().join('\u0000');
}
