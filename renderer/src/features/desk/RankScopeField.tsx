import { useId } from 'react';
import type { RankScope } from '@shared/domain/schemas';
import { useT } from '../../i18n/use-t';
import { rankScopeKey } from './rankings/rankings-labels';
import { ruleWording } from './rule-wording';

export type RankScopeSubject = 'project' | 'unit';

export interface RankScopeFieldProps {
  /** what is ranked: the legend and the hint say which ranking the choice affects */
  subject: RankScopeSubject;
  value: RankScope;
  onChange: (scope: RankScope) => void;
  /** rank-vote tours: the unit scope also decides what each ballot lists, and the hint says so */
  isRankVote?: boolean;
  disabled?: boolean;
}

/**
 * 项目排名范围 / 单位排名范围: whether projects (units) are ranked over the whole tour or within
 * each group. One component for the tour editor's rules and the rankings page's trial rules,
 * worded by rule-wording.ts like every other rule, so the two screens word each rule identically.
 */
export function RankScopeField({ subject, value, onChange, isRankVote = false, disabled = false }: RankScopeFieldProps) {
  const t = useT();
  const id = useId();
  const rule = subject === 'project' ? 'projectScope' : 'unitScope';
  const wording = ruleWording(rule, isRankVote ? 'rankVote' : 'score');
  return (
    <fieldset className="rank-scope" disabled={disabled} aria-describedby={wording.hint ? `${id}-hint` : undefined} data-testid={`${subject}-scope`} data-rule={rule}>
      <legend data-rule-label="">{t(wording.label)}</legend>
      <div className="rank-scope__options">
        {(['tour', 'group'] as const).map((scope) => (
          <label key={scope}>
            <input type="radio" name={`${id}-scope`} value={scope} checked={value === scope} onChange={() => onChange(scope)} /> {t(rankScopeKey[scope])}
          </label>
        ))}
      </div>
      {wording.hint && (
        <span id={`${id}-hint`} className="muted desk-field__hint" data-rule-hint="">
          {t(wording.hint)}
        </span>
      )}
    </fieldset>
  );
}
