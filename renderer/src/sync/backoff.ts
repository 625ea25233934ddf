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
