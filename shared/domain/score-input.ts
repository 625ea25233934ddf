/**
 * What a scorer may type into one criterion of a score sheet, and the sheet's total, in exact
 * whole hundredths of a point (never binary floating point: 0.1 + 0.2 must not be 0.30000000000000004).
 *
 * What must stay true:
 * - A value is accepted only when it is a plain decimal number between 0 and the criterion's max
 *   (both included) and a whole multiple of its step: 12.5 with step 0.5 is fine, 12.3 is not.
 * - Parsing works on the text, digit by digit, so 12.3 is 1230 hundredths exactly and a value
 *   with a third non-zero decimal (12.345) can never sit on a step grid of 0.01 or coarser.
 * - Full-width digits and the full-width point (１２．５, as a Chinese input method types them) mean
 *   the same as 12.5: officials type with the IME switched on.
 * - An empty field is not an error in a draft (not scored yet); a submitted sheet needs every
 *   criterion. The renderer's form, the repositories and the server all use these rules.
 */
import { z } from 'zod';
import type { Criterion, Template } from './schemas';

/** Why a typed value is refused; the UI turns the code into a message in the user's language. */
export type ScoreIssueCode = 'notNumber' | 'range' | 'step' | 'required';

export type ScoreReading =
  | { readonly kind: 'empty' }
  | { readonly kind: 'value'; readonly hundredths: number }
  | { readonly kind: 'invalid'; readonly code: Exclude<ScoreIssueCode, 'required'> };

const FULL_WIDTH = /[０-９．]/g;
const DECIMAL = /^(\d*)(?:\.(\d*))?$/;
/** enough for any max the template schema allows (≤ 1000) while staying a safe integer */
const MAX_INTEGER_DIGITS = 9;

/** The text normalised as the user meant it: trimmed, full-width digits and point made ASCII. */
export function normalizeScoreText(text: string): string {
  return text.trim().replace(FULL_WIDTH, (ch) => (ch === '．' ? '.' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0)));
}

/** Whole hundredths from decimal text, or null when it is not a plain non-negative decimal or has more than two (non-zero) decimals. */
function parseHundredths(text: string): number | null | 'offGrid' {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const whole = match[1] ?? '';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (whole === '' && (match[2] ?? '') === '') return null; // "." alone
  if (whole.replace(/^0+/, '').length > MAX_INTEGER_DIGITS) return 'offGrid';
  if (fraction.length > 2) return 'offGrid';
  return Number(whole || '0') * 100 + Number(fraction.padEnd(2, '0'));
}

function hundredthsOf(value: number): number {
  return Math.round(value * 100);
}

/** Reads what was typed into the field of `criterion`. */
export function readScoreText(criterion: Pick<Criterion, 'max' | 'step'>, text: string): ScoreReading {
  const normalized = normalizeScoreText(text);
  if (normalized === '') return { kind: 'empty' };
  const parsed = parseHundredths(normalized);
  if (parsed === null) return { kind: 'invalid', code: 'notNumber' };
  const max = hundredthsOf(criterion.max);
  // a number with a third decimal is off any step the schema allows; but a huge one is first of all too high
  if (parsed === 'offGrid') return { kind: 'invalid', code: Number(normalized) > criterion.max ? 'range' : 'step' };
  if (parsed > max) return { kind: 'invalid', code: 'range' };
  if (parsed % Math.max(1, hundredthsOf(criterion.step)) !== 0) return { kind: 'invalid', code: 'step' };
  return { kind: 'value', hundredths: parsed };
}

/** Points as a number (for the stored sheet) from whole hundredths. */
export function pointsFromHundredths(hundredths: number): number {
  return hundredths / 100;
}

/** The stored value as the text a field shows: "12.5", "20", "" for not scored. */
export function formatScoreValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const hundredths = Math.round(value * 100);
  const whole = Math.trunc(hundredths / 100);
  const fraction = String(hundredths % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** Whole hundredths of a stored value when it is a valid score for the criterion, else null. */
export function validStoredHundredths(criterion: Pick<Criterion, 'max' | 'step'>, value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const reading = readScoreText(criterion, formatScoreValue(value));
  // formatScoreValue rounds to hundredths: make sure nothing was rounded away
  return reading.kind === 'value' && Math.abs(reading.hundredths - value * 100) < 1e-6 ? reading.hundredths : null;
}

export interface SheetTally {
  /** sum of the valid values, in hundredths */
  totalHundredths: number;
  /** maximum possible total, in hundredths */
  maxHundredths: number;
  /** criteria with a valid value */
  scored: number;
  /** criteria of the template */
  criteria: number;
  /** criterion key → issue, for every field that could not be submitted as it is */
  issues: Readonly<Record<string, ScoreIssueCode>>;
  /** criterion key → points, null where not (validly) scored: what a draft stores */
  scores: Readonly<Record<string, number | null>>;
}

/** Reads every field of a sheet form: valid values, their total, and what is missing or wrong. */
export function tallySheet(template: Pick<Template, 'criteria'>, texts: Readonly<Record<string, string | undefined>>): SheetTally {
  let totalHundredths = 0;
  let maxHundredths = 0;
  let scored = 0;
  const issues: Record<string, ScoreIssueCode> = {};
  const scores: Record<string, number | null> = {};
  for (const criterion of template.criteria) {
    maxHundredths += hundredthsOf(criterion.max);
    const reading = readScoreText(criterion, texts[criterion.key] ?? '');
    if (reading.kind === 'value') {
      totalHundredths += reading.hundredths;
      scored++;
      scores[criterion.key] = pointsFromHundredths(reading.hundredths);
    } else {
      issues[criterion.key] = reading.kind === 'empty' ? 'required' : reading.code;
      scores[criterion.key] = null;
    }
  }
  return { totalHundredths, maxHundredths, scored, criteria: template.criteria.length, issues, scores };
}

/** "87.5" from 8750 hundredths: a total as the sheet shows it (up to two decimals, no trailing zeros). */
export function formatHundredths(hundredths: number): string {
  return formatScoreValue(pointsFromHundredths(hundredths));
}

/**
 * The form schema for a sheet of this template: one text field per criterion. In `draft` mode an
 * empty field passes (not scored yet); in `submit` mode every field needs a valid value. Issue
 * messages are the `ScoreIssueCode`s, for the UI to translate.
 */
export function sheetFormSchema(template: Pick<Template, 'criteria'>, mode: 'draft' | 'submit') {
  const shape: Record<string, z.ZodType<string, unknown>> = {};
  for (const criterion of template.criteria) {
    shape[criterion.key] = z
      .string()
      .default('')
      .superRefine((text, ctx) => {
        const reading = readScoreText(criterion, text);
        if (reading.kind === 'invalid') ctx.addIssue({ code: 'custom', message: reading.code });
        else if (reading.kind === 'empty' && mode === 'submit') ctx.addIssue({ code: 'custom', message: 'required' });
      }) as z.ZodType<string, unknown>;
  }
  return z.object(shape);
}

/**
 * Checks the scores of a sheet about to be submitted (or arriving at the server): every
 * criterion of the template scored with a valid value, no unknown keys. Returns the issues by
 * key; empty when the sheet may be submitted.
 */
export function submittedScoresIssues(
  template: Pick<Template, 'criteria'>,
  scores: Readonly<Record<string, number | null | undefined>>,
): Record<string, ScoreIssueCode> {
  const issues: Record<string, ScoreIssueCode> = {};
  const keys = new Set(template.criteria.map((c) => c.key));
  for (const key of Object.keys(scores)) if (!keys.has(key)) issues[key] = 'notNumber';
  for (const criterion of template.criteria) {
    const value = Object.hasOwn(scores, criterion.key) ? scores[criterion.key] : undefined;
    if (value === null || value === undefined) issues[criterion.key] = 'required';
    else {
      const reading = readScoreText(criterion, Number.isFinite(value) && value >= 0 ? formatScoreValue(value) : 'x');
      if (reading.kind !== 'value') issues[criterion.key] = reading.kind === 'invalid' ? reading.code : 'required';
      else if (Math.abs(reading.hundredths - value * 100) > 1e-6) issues[criterion.key] = 'step';
    }
  }
  return issues;
}
