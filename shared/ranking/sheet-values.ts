/**
 * Reading a submitted score sheet against the template, in whole hundredths of a point.
 *
 * The rules (see README.md):
 * - A submitted sheet with a criterion unscored (null or absent) is EXCLUDED, not counted as 0:
 *   a 0 would punish the project for a scorer's slip, while leaving the sheet out only shrinks
 *   the sample. The desk lists it (reason 'incomplete') so the secretariat can reopen it.
 * - A score that is negative, above the criterion's max, not a finite number or not on the
 *   0.01 grid is invalid: the sheet is excluded (reason 'invalidScore').
 * - A score off the criterion's step (e.g. 17.3 where the step is 0.5) but otherwise valid
 *   counts as given, with a warning: the value is still exact to the hundredth.
 * - Keys that are not criteria of the template (e.g. a criterion removed after scoring) are
 *   ignored, with one warning per key for the whole tour.
 */
import type { Criterion, ScoreSheet } from '../domain/schemas';

export interface CriterionSpec {
  key: string;
  name: string;
  /** max in hundredths */
  max: number;
  /** step in hundredths */
  step: number;
}

export function criterionSpecs(criteria: readonly Criterion[]): CriterionSpec[] {
  // the schema keeps steps on the 0.01 grid; never let a step round to 0 hundredths
  return criteria.map((c) => ({ key: c.key, name: c.name, max: Math.round(c.max * 100), step: Math.max(1, Math.round(c.step * 100)) }));
}

/** Why a submitted sheet cannot count. */
export interface SheetFailure {
  reason: 'incomplete' | 'invalidScore';
  detail: string;
}

/** Tolerance for "on the 0.01 grid": binary noise of a two-decimal number ×100 is ~1e-12. */
const GRID_TOLERANCE = 1e-6;

/** Points as whole hundredths, or null when not a finite number ≥ 0 on the 0.01 grid. */
export function toHundredths(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  const scaled = value * 100;
  const hundredths = Math.round(scaled);
  if (Math.abs(scaled - hundredths) > GRID_TOLERANCE || !Number.isSafeInteger(hundredths)) return null;
  return hundredths;
}

/**
 * Reads a sheet's scores as hundredths into `parts[at … at + specs.length)` and returns the total
 * in hundredths, or why the sheet cannot count. Keys of criteria scored off their step are
 * appended to `offStep`. (Buffers instead of fresh arrays: this runs once per sheet, 24,000
 * times for a large tour, and allocation is what costs.)
 */
export function readSheet(
  sheet: ScoreSheet,
  specs: readonly CriterionSpec[],
  parts: Int32Array,
  at: number,
  offStep: string[],
): number | SheetFailure {
  const scores = sheet.scores as Record<string, unknown>;
  let total = 0;
  let missing: string[] | null = null;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    // own properties only: a criterion keyed like an Object.prototype member (toString) is no score
    const raw = Object.hasOwn(scores, spec.key) ? scores[spec.key] : undefined;
    if (raw === null || raw === undefined) {
      (missing ??= []).push(spec.key);
      continue;
    }
    const hundredths = toHundredths(raw);
    if (hundredths === null || hundredths > spec.max) {
      return {
        reason: 'invalidScore',
        detail: `${spec.key} = ${String(raw)} is not a score between 0 and ${spec.max / 100} on the 0.01 grid`,
      };
    }
    if (hundredths % spec.step !== 0) offStep.push(spec.key);
    parts[at + i] = hundredths;
    total += hundredths;
  }
  if (missing !== null) return { reason: 'incomplete', detail: `no score for ${missing.join(', ')}` };
  return total;
}

/** Keys of the sheet that are not template criteria. */
export function unknownKeys(sheet: ScoreSheet, keys: ReadonlySet<string>): string[] {
  const unknown: string[] = [];
  for (const key in sheet.scores) if (!keys.has(key)) unknown.push(key);
  return unknown;
}
