import type { Criterion } from '@shared/domain/schemas';
import { formatScoreValue, type ScoreIssueCode } from '@shared/domain/score-input';
import type { Translate } from '../../i18n/catalogs';

/** The message at a score field for an issue code of the shared rules, in the user's language. */
export function scoreIssueMessage(t: Translate, code: string, criterion: Pick<Criterion, 'max' | 'step'>): string {
  const max = formatScoreValue(criterion.max);
  const step = formatScoreValue(criterion.step);
  switch (code as ScoreIssueCode) {
    case 'required':
      return t('sheet.issue.required');
    case 'range':
      return t('sheet.issue.range', { max });
    case 'step':
      return criterion.step === 1 ? t('sheet.issue.stepWhole') : t('sheet.issue.step', { step });
    case 'notNumber':
    default:
      return t('sheet.issue.notNumber', { max });
  }
}
