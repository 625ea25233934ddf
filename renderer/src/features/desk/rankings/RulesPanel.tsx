import { memo, useId } from 'react';
import { isSameRules, rankingRulesSchema, type RankingRules, type Tour } from '@shared/domain/schemas';
import { useT } from '../../../i18n/use-t';
import { RankScopeField } from '../RankScopeField';
import { RuleCheck, RuleField } from '../RuleField';
import { tieBreakNoneKey, unitScoreKey } from '../rule-wording';
// the desk's form field look (.desk-field): also when the rankings page is the first desk page opened
import '../desk.css';

export interface RulesPanelProps {
  tour: Tour;
  /** the rules in effect on screen (saved or previewed) */
  rules: RankingRules;
  /** weight groups the tour's scorers carry, to offer as group weights */
  weightGroups: readonly string[];
  isReadOnly: boolean;
  isSaving: boolean;
  saveError: string | null;
  /** stable callbacks (the panel is memoised) */
  onChange: (rules: RankingRules) => void;
  onSave: () => void;
  onReset: () => void;
}

/**
 * The tour's ranking rules (every rule of the shared engine). A change applies to the rankings
 * at once as a trial (试算); 保存规则 writes the tour (through the outbox, so it syncs). Only valid
 * rules (per the shared schema) ever reach the engine. A rank-vote tour is shown only the rules
 * that apply to ballots (no unit score from projects, no tie-break criterion, no project scope).
 * Every rule is worded as in the tour editor: both take label and hint from rule-wording.ts
 * (through RuleField, RuleCheck and RankScopeField).
 */
export const RulesPanel = memo(function RulesPanel({ tour, rules, weightGroups, isReadOnly, isSaving, saveError, onChange, onSave, onReset }: RulesPanelProps) {
  const t = useT();
  const id = useId();
  const isDirty = !isSameRules(rules, tour.rules);
  const criteria = tour.template?.criteria ?? [];
  const isRankVote = rules.method === 'rankVote';
  const update = (patch: Partial<RankingRules>) => {
    const parsed = rankingRulesSchema.safeParse({ ...rules, ...patch });
    if (parsed.success) onChange(parsed.data);
  };
  const trim = rules.trim;
  const setTrim = (patch: Partial<NonNullable<RankingRules['trim']>>) => {
    const next = { dropHighest: 1, dropLowest: 1, minSheets: 5, ...trim, ...patch };
    // keep the rule valid: minSheets must exceed what is dropped
    if (next.minSheets <= next.dropHighest + next.dropLowest) next.minSheets = next.dropHighest + next.dropLowest + 1;
    update({ trim: next });
  };
  const weights = rules.groupWeights;

  return (
    <fieldset className="rules-panel" disabled={isReadOnly} data-testid="rules-panel">
      <legend>
        {t('desk.rankings.rules.legend')}
        {isDirty && <span className="rules-panel__dirty">{t('desk.rankings.rules.previewing')}</span>}
      </legend>
      {/* why every field is greyed out: said first */}
      {isReadOnly && tour.status === 'results_published' && (
        <p className="muted rules-panel__locked" data-testid="rules-locked">
          {t('desk.rules.lockedPublished')}
        </p>
      )}
      <div className="rules-panel__grid">
        <RuleCheck rule="trim" method={rules.method}>
          {(d) => (
            <input
              type="checkbox"
              aria-describedby={d}
              checked={trim !== null}
              onChange={(e) => update({ trim: e.target.checked ? { dropHighest: 1, dropLowest: 1, minSheets: 5 } : null })}
            />
          )}
        </RuleCheck>
        {trim && (
          <>
            <RuleField rule="dropHighest" method={rules.method}>
              {(id, d) => <input id={id} aria-describedby={d} type="number" min={0} max={10} value={trim.dropHighest} onChange={(e) => setTrim({ dropHighest: clampInt(e.target.value, 0, 10) })} />}
            </RuleField>
            <RuleField rule="dropLowest" method={rules.method}>
              {(id, d) => <input id={id} aria-describedby={d} type="number" min={0} max={10} value={trim.dropLowest} onChange={(e) => setTrim({ dropLowest: clampInt(e.target.value, 0, 10) })} />}
            </RuleField>
            <RuleField rule="minSheets" method={rules.method}>
              {(id, d) => <input id={id} aria-describedby={d} type="number" min={1} max={1000} value={trim.minSheets} onChange={(e) => setTrim({ minSheets: clampInt(e.target.value, 1, 1000) })} />}
            </RuleField>
          </>
        )}
        <RuleCheck rule="recusal" method={rules.method}>
          {(d) => <input type="checkbox" aria-describedby={d} checked={rules.recusal} onChange={(e) => update({ recusal: e.target.checked })} />}
        </RuleCheck>
        {/* rank votes score units directly: no project scores to average, no criteria to compare */}
        {!isRankVote && (
          <RuleField rule="unitScore" method={rules.method}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={rules.unitScore} onChange={(e) => update({ unitScore: e.target.value as RankingRules['unitScore'] })}>
                {Object.entries(unitScoreKey).map(([value, key]) => (
                  <option key={value} value={value}>
                    {t(key)}
                  </option>
                ))}
              </select>
            )}
          </RuleField>
        )}
        <RuleField rule="indicatorWeight" method={rules.method}>
          {(id, d) => (
            <input id={id} aria-describedby={d} type="number" min={0} max={1} step={0.05} value={rules.indicatorWeight} onChange={(e) => update({ indicatorWeight: clampNumber(e.target.value, 0, 1) })} />
          )}
        </RuleField>
        {!isRankVote && (
          <RuleField rule="tieBreak" method={rules.method}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={rules.tieBreakCriterion ?? ''} onChange={(e) => update({ tieBreakCriterion: e.target.value || null })}>
                <option value="">{t(tieBreakNoneKey)}</option>
                {criteria.map((c) => (
                  <option key={c.key} value={c.key}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </RuleField>
        )}
        <div className="rules-panel__scopes">
          {!isRankVote && <RankScopeField subject="project" value={rules.projectScope} onChange={(projectScope) => update({ projectScope })} />}
          <RankScopeField subject="unit" value={rules.unitScope} onChange={(unitScope) => update({ unitScope })} isRankVote={isRankVote} />
        </div>
        {weightGroups.length > 0 && (
          <div className="rules-panel__weights">
            <RuleCheck rule="groupWeights" method={rules.method}>
              {(d) => (
                <input
                  type="checkbox"
                  aria-describedby={d}
                  checked={weights !== null}
                  onChange={(e) => update({ groupWeights: e.target.checked ? Object.fromEntries(weightGroups.map((g) => [g, 1])) : null })}
                />
              )}
            </RuleCheck>
            {weights && (
              <div className="rules-panel__weight-fields">
                {weightGroups.map((group) => (
                  <label key={group} className="desk-field">
                    {t('desk.rankings.rules.groupWeight', { group })}
                    <input
                      type="number"
                      min={0.01}
                      step={0.05}
                      value={weights[group] ?? ''}
                      id={`${id}-w-${group}`}
                      onChange={(e) => {
                        const value = Number(e.target.value);
                        if (Number.isFinite(value) && value > 0) update({ groupWeights: { ...weights, [group]: value } });
                      }}
                    />
                  </label>
                ))}
              </div>
            )}
          </div>
        )}
      </div>
      {!isReadOnly && (
        <div className="rules-panel__actions">
          <button type="button" className="button button--primary" disabled={!isDirty || isSaving} onClick={onSave}>
            {isSaving ? t('desk.rankings.rules.saving') : t('desk.rankings.rules.save')}
          </button>
          <button type="button" className="button button--ghost" disabled={!isDirty || isSaving} onClick={onReset}>
            {t('desk.rankings.rules.reset')}
          </button>
          {saveError && (
            <p className="notice notice--error" role="alert">
              {saveError}
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
});

function clampInt(text: string, min: number, max: number): number {
  const n = Math.round(Number(text));
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}

function clampNumber(text: string, min: number, max: number): number {
  const n = Number(text);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}
