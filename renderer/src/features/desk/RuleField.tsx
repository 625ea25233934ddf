import { useId, type ReactNode } from 'react';
import type { RankingRules } from '@shared/domain/schemas';
import { useT } from '../../i18n/use-t';
import { ruleWording, type RuleName } from './rule-wording';

interface RuleProps {
  rule: RuleName;
  method: RankingRules['method'];
}

/**
 * One ranking rule's input with its label above and its explanation below (the desk's
 * .desk-field), worded by rule-wording.ts: the tour editor and the rankings page render every
 * rule through this, RuleCheck or RankScopeField, so the two screens say the same words.
 * `data-rule`, `data-rule-label` and `data-rule-hint` let a test compare the two screens.
 */
export function RuleField({ rule, method, error, children }: RuleProps & { error?: string | undefined; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const t = useT();
  const id = useId();
  const { label, hint } = ruleWording(rule, method);
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="desk-field" data-rule={rule}>
      <label htmlFor={id} data-rule-label="">
        {t(label)}
      </label>
      {children(id, describedBy)}
      {hint && (
        <span id={`${id}-hint`} className="muted desk-field__hint" data-rule-hint="">
          {t(hint)}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="desk-field__error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** A rule that is on or off: a checkbox (rendered by `children`) with its label, and its explanation below. */
export function RuleCheck({ rule, method, children }: RuleProps & { children: (describedBy: string | undefined) => ReactNode }) {
  const t = useT();
  const id = useId();
  const { label, hint } = ruleWording(rule, method);
  return (
    <div className="rule-check" data-rule={rule}>
      <label>
        {children(hint ? `${id}-hint` : undefined)} <span data-rule-label="">{t(label)}</span>
      </label>
      {hint && (
        <span id={`${id}-hint`} className="muted desk-field__hint" data-rule-hint="">
          {t(hint)}
        </span>
      )}
    </div>
  );
}
