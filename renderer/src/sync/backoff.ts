/**
 * Delay before the next automatic round after `failures` failed rounds in a row: exponential
 * (base × 2^(failures−1), capped) with jitter ×[0.5, 1.5), so that a hundred laptops coming back
 * online after the server restarted do not all retry in the same second. Pure.
 */
export function backoffDelay(failures: number, random: () => number, baseMs = 2_000, maxMs = 5 * 60_000): number {
  if (failures <= 0) return 0;
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(Math.min(maxMs * 1.5, exponential * (0.5 + random())));
}

/**
 * Delay before retrying after a failed round whose server said when to come back (Retry-After
 * of a 429/503): never earlier than it said, plus up to a quarter more so that laptops told the
 * same instant do not all return in the same second; never shorter than the usual back-off. Pure.
 */
export function retryDelay(failures: number, random: () => number, retryAfterMs: number | undefined, baseMs?: number, maxMs?: number): number {
  const backoff = backoffDelay(failures, random, baseMs, maxMs);
  if (retryAfterMs === undefined) return backoff;
  return Math.max(backoff, Math.round(retryAfterMs * (1 + 0.25 * random())));
}
