/**
 * Scorers whose totals sit far from the others' on the same projects (偏离度): what the
 * secretariat checks before publishing, e.g. a scorer who gives every project 10 points more.
 *
 * Method (pure, deterministic; works on the engine's output so it sees exactly the sheets that
 * make the ranking — counted and trimmed ones, never drafts, recused or excluded sheets):
 * - For every project, each scorer's deviation = their total − the mean of the OTHER scorers'
 *   totals on that project (leave-one-out, so a harsh scorer does not drag the reference toward
 *   themselves). Projects with fewer than `minOthers` other totals are skipped.
 * - A scorer's mean deviation is averaged over their projects (at least `minProjects`).
 * - Flagged when |mean deviation − mean of all scorers' mean deviations| > `sdFactor` × their
 *   standard deviation (needs ≥ 3 scorers), OR |mean deviation| ≥ `thresholdPoints`: with five
 *   scorers a z-score can never exceed 1.79, so a clear absolute threshold must exist as well.
 * Floats are fine here: this is a warning light, not a published figure.
 */
import type { TourRankings } from './types';

export interface ScorerDeviationOptions {
  /** default 2 */
  sdFactor?: number;
  /** points on the sheet total; default 5 */
  thresholdPoints?: number;
  /** other totals a project needs to serve as reference; default 2 */
  minOthers?: number;
  /** projects a scorer needs before being judged; default 2 */
  minProjects?: number;
}

export interface ScorerDeviation {
  scorerId: string;
  /** projects that entered the mean deviation */
  projects: number;
  /** mean of (own total − others' mean), in points; null when too few projects */
  meanDeviation: number | null;
  /** (meanDeviation − mean over scorers) / SD over scorers; null when not computable */
  zScore: number | null;
  isFlagged: boolean;
  /** lenient: scores higher than the others; harsh: lower */
  direction: 'lenient' | 'harsh' | null;
  /** why the flag was raised */
  reasons: Array<'sd' | 'threshold'>;
}

export function findScorerDeviations(rankings: Pick<TourRankings, 'projects' | 'scorers'>, options: ScorerDeviationOptions = {}): ScorerDeviation[] {
  const sdFactor = options.sdFactor ?? 2;
  const threshold = options.thresholdPoints ?? 5;
  const minOthers = options.minOthers ?? 2;
  const minProjects = options.minProjects ?? 2;

  const sums = new Map<string, { sum: number; count: number }>();
  for (const project of rankings.projects) {
    const totals = project.sheets.map((s) => ({ scorerId: s.scorerId, value: s.total.hundredths / 100 }));
    if (totals.length < minOthers + 1) continue;
    const all = totals.reduce((acc, t) => acc + t.value, 0);
    for (const t of totals) {
      const othersMean = (all - t.value) / (totals.length - 1);
      const entry = sums.get(t.scorerId) ?? { sum: 0, count: 0 };
      entry.sum += t.value - othersMean;
      entry.count += 1;
      sums.set(t.scorerId, entry);
    }
  }

  const scorerIds = new Set<string>([...rankings.scorers.map((s) => s.scorerId), ...sums.keys()]);
  const means = new Map<string, number>();
  for (const id of scorerIds) {
    const entry = sums.get(id);
    if (entry && entry.count >= minProjects) means.set(id, entry.sum / entry.count);
  }
  const values = [...means.values()];
  const center = values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  const sd = values.length >= 3 ? Math.sqrt(values.reduce((a, v) => a + (v - center) ** 2, 0) / values.length) : 0;

  return [...scorerIds].sort().map((scorerId) => {
    const mean = means.get(scorerId) ?? null;
    const projects = sums.get(scorerId)?.count ?? 0;
    if (mean === null) return { scorerId, projects, meanDeviation: null, zScore: null, isFlagged: false, direction: null, reasons: [] };
    const zScore = sd > 1e-9 ? (mean - center) / sd : null;
    const reasons: ScorerDeviation['reasons'] = [];
    if (zScore !== null && Math.abs(zScore) > sdFactor) reasons.push('sd');
    if (Math.abs(mean) >= threshold) reasons.push('threshold');
    const isFlagged = reasons.length > 0;
    return { scorerId, projects, meanDeviation: mean, zScore, isFlagged, direction: isFlagged ? (mean > 0 ? 'lenient' : 'harsh') : null, reasons };
  });
}
