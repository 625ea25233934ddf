import type { Criterion } from '@shared/domain/schemas';
import { formatHundredths, formatScoreValue, normalizeScoreText, type ScoreIssueCode } from '@shared/domain/score-input';
import type { Translate } from '../../i18n/catalogs';

/**
 * The message at a score field for an issue code of the shared rules, in the user's language.
 * A value off the step names the two allowed values around what was typed (12.3 → 12 or 12.5).
 */
export function scoreIssueMessage(t: Translate, code: string, criterion: Pick<Criterion, 'max' | 'step'>, typed = ''): string {
  const max = formatScoreValue(criterion.max);
  const step = formatScoreValue(criterion.step);
  switch (code as ScoreIssueCode) {
    case 'required':
      return t('sheet.issue.required');
    case 'range':
      return t('sheet.issue.range', { max });
    case 'step': {
      const [lower, upper] = neighbours(criterion, typed);
      return t(criterion.step === 1 ? 'sheet.issue.stepWhole' : 'sheet.issue.step', { step, lower, upper });
    }
    case 'notNumber':
    default:
      return t('sheet.issue.notNumber', { max });
  }
}

/** The allowed values just below and above a typed value (or around the middle when it cannot be read). */
export function neighbours(criterion: Pick<Criterion, 'max' | 'step'>, typed: string): [string, string] {
  const stepH = Math.max(1, Math.round(criterion.step * 100));
  const maxH = Math.round(criterion.max * 100);
  const value = Number(normalizeScoreText(typed));
  const targetH = Number.isFinite(value) && value >= 0 && value <= criterion.max ? value * 100 : maxH / 2;
  const lowerH = Math.min(maxH - stepH, Math.floor(targetH / stepH) * stepH);
  return [formatHundredths(Math.max(0, lowerH)), formatHundredths(Math.max(0, lowerH) + stepH)];
}
