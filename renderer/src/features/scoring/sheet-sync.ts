/**
 * How an open score sheet takes in values that arrive while it is on screen (a pull brings what
 * the same scorer saved on another laptop, or another tab writes): pure functions, shared by the
 * form (what the fields show) and the autosave (what is written).
 *
 * The form remembers `base`: the stored scores its untouched fields show. Per criterion:
 *   - clean field (its text reads as base[key], and it is not the field the user is typing in):
 *     the user has not changed it since it last matched the stored sheet, so a newer stored
 *     value replaces the text;
 *   - the field being typed in, or a dirty one (a new value, an invalid text, a cleared field):
 *     the user's text stays, with a hint naming the newer value and a way to take it. Their
 *     autosave writes it after the pull, with a newer HLC stamp than the pulled version (the
 *     device clock has received it), so it wins everywhere by the one merge rule
 *     (shared/sync/merge.ts): keeping it on screen shows what the merge will end with. Write-
 *     through autosave means the field being typed in was often saved a moment before the pull
 *     replaced it; `needsSave` then asks the form to write it again, so screen and data agree.
 *
 * The autosave applies the same rule inside its write transaction (mergeTypedWithStored), so a
 * write queued before a pull landed cannot put back the old value of a field the user never
 * touched: the synced `scores` field is one map, and the last write of the map wins it whole.
 */
import type { Criterion } from '@shared/domain/schemas';
import { formatScoreValue, readScoreText } from '@shared/domain/score-input';

export type StoredScores = Readonly<Record<string, number | null | undefined>>;

type CriterionRule = Pick<Criterion, 'key' | 'max' | 'step'>;

function sameValue(a: number | null | undefined, b: number | null | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null) return x === y;
  return Math.round(x * 100) === Math.round(y * 100);
}

/** true when `text` says exactly `value` (empty text = not scored). */
export function textMeansValue(criterion: CriterionRule, text: string | undefined, value: number | null | undefined): boolean {
  const reading = readScoreText(criterion, text ?? '');
  if (reading.kind === 'empty') return (value ?? null) === null;
  if (reading.kind !== 'value') return false;
  return sameValue(reading.hundredths / 100, value);
}

/** What a text stores in the synced sheet: its value, or null (empty or not a valid score). */
export function storedFromText(criterion: CriterionRule, text: string | undefined): number | null {
  const reading = readScoreText(criterion, text ?? '');
  return reading.kind === 'value' ? reading.hundredths / 100 : null;
}

/** The texts to write: the user's changes over `base`, the stored value everywhere else. */
export function mergeTypedWithStored(
  criteria: readonly CriterionRule[],
  typed: Readonly<Record<string, string | undefined>>,
  base: StoredScores,
  stored: StoredScores,
): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const criterion of criteria) {
    const text = typed[criterion.key] ?? '';
    const isClean = textMeansValue(criterion, text, base[criterion.key]);
    texts[criterion.key] = isClean && !sameValue(base[criterion.key], stored[criterion.key]) ? formatScoreValue(stored[criterion.key]) : text;
  }
  return texts;
}

export interface Reconciliation {
  /** criterion key → new text for a clean field whose stored value changed */
  updates: Record<string, string>;
  /** criterion key → stored value that differs from what the user is typing there (their text stays) */
  kept: Record<string, number | null>;
  /** a kept text had already been saved (and was replaced in the data): write it again */
  needsSave: boolean;
}

/**
 * What the fields must do when the stored sheet changes from `base` to `stored` while they show
 * `typed`. Criteria whose stored value did not change are left alone (a field the user is editing
 * keeps its text; a field the user's own write just stored already shows it).
 */
export function reconcileWithStored(
  criteria: readonly CriterionRule[],
  typed: Readonly<Record<string, string | undefined>>,
  base: StoredScores,
  stored: StoredScores,
  /** the criterion the user is typing in (focused and changed since it got focus), if any */
  editingKey: string | null = null,
): Reconciliation {
  const result: Reconciliation = { updates: {}, kept: {}, needsSave: false };
  for (const criterion of criteria) {
    const { key } = criterion;
    if (sameValue(base[key], stored[key])) continue;
    const text = typed[key] ?? '';
    // the data already holds what the field would store (the user's own write, most often)
    if (sameValue(stored[key], storedFromText(criterion, text))) continue;
    const isClean = textMeansValue(criterion, text, base[key]);
    if (isClean && key !== editingKey) {
      result.updates[key] = formatScoreValue(stored[key]);
    } else {
      result.kept[key] = stored[key] ?? null;
      if (isClean) result.needsSave = true;
    }
  }
  return result;
}

/**
 * What the user had in the fields and is not in the sheet that got locked under them
 * (submitted on another laptop, or scoring closed): criterion key → typed text. Shown next to
 * the locked sheet so nothing typed disappears without a trace.
 */
export function textsNotIn(criteria: readonly CriterionRule[], typed: Readonly<Record<string, string | undefined>>, stored: StoredScores): Record<string, string> {
  const left: Record<string, string> = {};
  for (const criterion of criteria) {
    const text = (typed[criterion.key] ?? '').trim();
    if (text !== '' && !textMeansValue(criterion, text, stored[criterion.key])) left[criterion.key] = text;
  }
  return left;
}
