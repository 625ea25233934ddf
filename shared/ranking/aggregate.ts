/**
 * From the counted values of one project (sheet totals) or one unit (rank-vote points) to one
 * exact mean: trimming, then scorer-group weights.
 *
 * The rules (see README.md):
 * - Without group weights all entries form one bucket; with group weights each weight group is
 *   a bucket of its own, and trimming applies per bucket (「各组分别去掉最高分、最低分」): a
 *   bucket with at least trim.minSheets entries loses its trim.dropLowest lowest and
 *   trim.dropHighest highest values, a smaller bucket keeps all.
 * - Equal values at the drop boundary: entries are ordered by (value, scorer id, entry id), the
 *   first ones are dropped as lowest and the last ones as highest. Equal values give the same
 *   mean whichever is dropped; the order only decides which sheet the report names, and makes
 *   that independent of input order.
 * - Project (unit) mean = Σ share_g × mean_g over the buckets that have entries, where
 *   share_g = weight_g / Σ weights of those buckets (groups without sheets are left out and the
 *   weights renormalised).
 * - Values are whole hundredths of a point, so sums are exact integers; means are exact
 *   rationals in points.
 */
import type { TrimRule } from '../domain/schemas';
import { compareText } from './issues';
import { add, div, mul, ONE, rational, ZERO, type Rational } from './rational';
import type { EntryFate } from './types';

export interface Entry {
  /** sheet or ballot id */
  id: string;
  scorerId: string;
  /** position of the scorer in scorer-id order: orders equal values (a number compares faster than the id) */
  order: number;
  /** bucket key when group weights are in use */
  weightGroup: string | null;
  /** hundredths of a point */
  value: number;
  /**
   * Where this entry's per-criterion hundredths start in the `parts` buffer given to
   * `partMeans` (score method); -1 for ballots.
   */
  partsAt: number;
  /** set by `aggregate` */
  fate: EntryFate;
}

export interface Bucket {
  /** null when group weights are not in use */
  weightGroup: string | null;
  weight: Rational;
  share: Rational;
  size: number;
  kept: readonly Entry[];
  trimmed: boolean;
  /** mean of the kept values, in points */
  mean: Rational;
}

export interface Aggregation {
  /** in points; null when nothing is counted */
  mean: Rational | null;
  buckets: Bucket[];
  keptCount: number;
  trimmed: boolean;
}

function compareEntries(a: Entry, b: Entry): number {
  return a.value - b.value || a.order - b.order || compareText(a.id, b.id);
}

/**
 * Marks the lowest (direction −1) or highest (+1) still-counted entry as dropped, in the order
 * (value, scorer, id); returns its value.
 */
function dropExtreme(list: readonly Entry[], direction: 1 | -1, fate: EntryFate): number {
  let pick: Entry | null = null;
  for (const entry of list) {
    if (entry.fate !== 'counted') continue;
    if (pick === null || compareEntries(entry, pick) * direction > 0) pick = entry;
  }
  pick!.fate = fate;
  return pick!.value;
}

/**
 * Sets every entry's `fate` and returns the mean. `weights` null = one bucket; otherwise every
 * entry's weightGroup must be a key of `weights` (callers exclude the others beforehand).
 */
export function aggregate(
  entries: readonly Entry[],
  trim: TrimRule | null,
  weights: ReadonlyMap<string, Rational> | null,
): Aggregation {
  const groups = new Map<string | null, readonly Entry[]>();
  if (weights === null) {
    if (entries.length > 0) groups.set(null, entries);
  } else {
    const lists = new Map<string, Entry[]>();
    for (const entry of entries) {
      const key = entry.weightGroup;
      if (key === null || !weights.has(key)) throw new Error(`aggregate: entry ${entry.id} has no weighted group`);
      const list = lists.get(key);
      if (list) list.push(entry);
      else lists.set(key, [entry]);
    }
    for (const [key, list] of lists) groups.set(key, list);
  }

  const buckets: Bucket[] = [];
  let totalWeight = ZERO;
  let keptCount = 0;
  const keys = [...groups.keys()].sort((a, b) => compareText(a ?? '', b ?? ''));
  for (const key of keys) {
    const list = groups.get(key)!;
    // (the schema makes minSheets exceed the drops; the last clause keeps a hand-made rule safe)
    const isTrimmed =
      trim !== null &&
      list.length >= trim.minSheets &&
      trim.dropHighest + trim.dropLowest > 0 &&
      list.length > trim.dropHighest + trim.dropLowest;
    let sum = 0;
    for (const entry of list) {
      entry.fate = 'counted';
      sum += entry.value;
    }
    if (isTrimmed) {
      // k ≤ 10 and a bucket has a few dozen entries: picking the extremes k times is cheaper
      // than sorting, and picks exactly the entries a sort by (value, scorer, id) would drop
      for (let k = 0; k < trim.dropLowest; k++) sum -= dropExtreme(list, -1, 'droppedLowest');
      for (let k = 0; k < trim.dropHighest; k++) sum -= dropExtreme(list, 1, 'droppedHighest');
    }
    const kept = isTrimmed ? list.filter((entry) => entry.fate === 'counted') : list;
    keptCount += kept.length;
    const weight = key === null ? ONE : weights!.get(key)!;
    totalWeight = add(totalWeight, weight);
    buckets.push({
      weightGroup: key,
      weight,
      share: ONE,
      size: list.length,
      kept,
      trimmed: isTrimmed,
      mean: rational(BigInt(sum), BigInt(kept.length) * 100n),
    });
  }

  let mean: Rational | null = null;
  if (buckets.length === 1) {
    mean = buckets[0]!.mean;
  } else if (buckets.length > 1) {
    mean = ZERO;
    for (const bucket of buckets) {
      bucket.share = div(bucket.weight, totalWeight);
      mean = add(mean, mul(bucket.share, bucket.mean));
    }
  }
  return { mean, buckets, keptCount, trimmed: buckets.some((b) => b.trimmed) };
}

/**
 * Per-part means (criterion means) over exactly the kept entries, combined with the same
 * shares as the mean — so that they add up to the mean. Null when nothing is counted.
 * `parts` holds each entry's `partCount` hundredths from its `partsAt`.
 */
export function partMeans(aggregation: Aggregation, parts: ArrayLike<number>, partCount: number): Rational[] | null {
  if (aggregation.mean === null) return null;
  // mean_i = Σ_b share_b · sum_ib / (100 · k_b), share_b = p_b / q_b: put everything over the
  // common denominator D = 100 · Π q_b·k_b and normalise once per part (BigInt gcd is the cost).
  const factors = aggregation.buckets.map((b) => ({ p: b.share.n, qk: b.share.d * BigInt(b.kept.length) }));
  let denominator = 100n;
  for (const f of factors) denominator *= f.qk;
  const numerators = new Array<bigint>(partCount).fill(0n);
  const sums = new Array<number>(partCount);
  aggregation.buckets.forEach((bucket, b) => {
    sums.fill(0);
    for (const entry of bucket.kept) {
      for (let i = 0; i < partCount; i++) sums[i] = sums[i]! + (parts[entry.partsAt + i] ?? 0);
    }
    const { p, qk } = factors[b]!;
    const scale = (p * denominator) / (100n * qk);
    for (let i = 0; i < partCount; i++) numerators[i] = numerators[i]! + scale * BigInt(sums[i]!);
  });
  return numerators.map((n) => rational(n, denominator));
}
