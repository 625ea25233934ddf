/**
 * How an open score sheet takes in values that arrive while it is on screen (a pull brings what
 * the same scorer saved on another laptop, or another tab writes): pure functions, shared by the
 * form (what the fields show) and the autosave (what is written).
 *
 * The form knows which fields the user owns: typed in since they last showed the stored value
 * (or holding a text the sheet cannot store). Ownership comes from the edits and the order of
 * the form's own saves, never from comparing a text with a stored value, nor from focus alone:
 * with write-through autosave, the user's own earlier keystroke ("1" of "18.5") comes back
 * through the live query after newer typing, and a field re-typed to the value it had before
 * looks exactly like an untouched one. Per criterion:
 *   - a field the user does not own follows the stored sheet: a newer stored value replaces it;
 *   - an owned field keeps the user's text. A value from elsewhere that differs gets a hint
 *     naming it and a way to take it, and the text is written again, after the pull, with a
 *     newer HLC stamp than the pulled version (the device clock has received it), so it wins
 *     everywhere by the one merge rule (shared/sync/merge.ts): keeping it on screen shows what
 *     the merge will end with. The form's own saves coming back never change an owned field;
 *   - an owned field becomes the stored sheet's again once the stored sheet holds its text and
 *     the user left the field.
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

/**
 * The texts to write: the user's text in the fields they own (see FieldEdits), the stored value
 * everywhere else. Ownership, not a comparison of the text with some remembered stored value,
 * decides: a user who re-types the value a field had before ("18.5" over 18.5) owns that text,
 * even while an earlier keystroke of theirs ("1") is what is stored now.
 */
export function mergeTypedWithStored(
  criteria: readonly CriterionRule[],
  typed: Readonly<Record<string, string | undefined>>,
  owned: Iterable<string>,
  stored: StoredScores,
): Record<string, string> {
  const isOwned = new Set(owned);
  const texts: Record<string, string> = {};
  for (const criterion of criteria) {
    const text = typed[criterion.key] ?? '';
    texts[criterion.key] = isOwned.has(criterion.key) || textMeansValue(criterion, text, stored[criterion.key]) ? text : formatScoreValue(stored[criterion.key]);
  }
  return texts;
}

/** What the form knows about its fields, to tell news in a stored sheet from its own writes coming back. */
export interface FieldEdits {
  /** criteria whose text is the user's: typed since they last showed the stored value (or a text the sheet cannot hold) */
  owned: ReadonlySet<string>;
  /** criterion key → number of the user's last edit of that field (edits are numbered in order; 0 or absent = never) */
  lastEdit: Readonly<Record<string, number>>;
  /** the criterion the user is typing in (focused and changed since it got focus): it stays theirs until they leave it */
  editingKey: string | null;
}

/** The stored sheet is one of the form's own saves (known by its version); `edits` = number of the last edit it carried. */
export interface OwnSave {
  edits: number;
}

export interface Reconciliation {
  /** criterion key → new text for a field the user does not own, whose stored value changed */
  updates: Record<string, string>;
  /** criterion key → value stored elsewhere that differs from what the user typed there (their text stays) */
  kept: Record<string, number | null>;
  /** owned fields whose text the stored sheet now holds, the user out of them: they follow the stored sheet again */
  released: string[];
  /** a kept text is not what the data holds now: write it again (the user's text wins) */
  needsSave: boolean;
}

/**
 * What the fields must do when the stored sheet changes from `base` (the last one the form took
 * in) to `stored` while they show `typed`; `own` when `stored` is the form's own save.
 *
 * - A field the user edited after that own save (lastEdit > own.edits) is left alone: the save
 *   is older than the text typed since, and never replaces it (nor releases it).
 * - A field whose text says the stored value: nothing to change; an owned one follows the stored
 *   sheet again, unless the user is still typing in it.
 * - An owned field with a different stored value: from elsewhere, the text stays with a hint
 *   (kept) and is written again; from the form's own save, nothing (that save wrote what it
 *   carried; a text the sheet cannot hold is stored as no value).
 * - Any other field takes the stored value if it changed since `base` (a pull, or a pulled
 *   value the form's own save merged in).
 */
export function reconcileWithStored(
  criteria: readonly CriterionRule[],
  typed: Readonly<Record<string, string | undefined>>,
  base: StoredScores,
  stored: StoredScores,
  fields: FieldEdits,
  own: OwnSave | null = null,
): Reconciliation {
  const result: Reconciliation = { updates: {}, kept: {}, released: [], needsSave: false };
  for (const criterion of criteria) {
    const { key } = criterion;
    if (own && (fields.lastEdit[key] ?? 0) > own.edits) continue;
    const text = typed[key] ?? '';
    const isOwned = fields.owned.has(key);
    if (textMeansValue(criterion, text, stored[key])) {
      if (isOwned && key !== fields.editingKey) result.released.push(key);
      continue;
    }
    if (sameValue(base[key], stored[key])) continue;
    if (!isOwned) result.updates[key] = formatScoreValue(stored[key]);
    else if (!own) {
      result.kept[key] = stored[key] ?? null;
      result.needsSave = true;
    }
  }
  return result;
}

/** The criteria the user owns when the sheet opens: texts that do not say the stored value (a draft typed earlier). */
export function ownedAtOpen(criteria: readonly CriterionRule[], typed: Readonly<Record<string, string | undefined>>, stored: StoredScores): Set<string> {
  return new Set(criteria.filter((c) => !textMeansValue(c, typed[c.key], stored[c.key])).map((c) => c.key));
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
