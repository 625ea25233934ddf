import { useId } from 'react';
import { rankingRulesSchema, type RankingRules, type Tour } from '@shared/domain/schemas';
import { unitScoreLabels } from './rankings-labels';

export interface RulesPanelProps {
  tour: Tour;
  /** the rules in effect on screen (saved or previewed) */
  rules: RankingRules;
  /** weight groups the tour's scorers carry, to offer as group weights */
  weightGroups: readonly string[];
  isReadOnly: boolean;
  isSaving: boolean;
  saveError: string | null;
  onChange: (rules: RankingRules) => void;
  onSave: () => void;
  onReset: () => void;
}

/**
 * The tour's ranking rules (every rule of the shared engine's score method). A change applies
 * to the rankings at once as a preview; 保存规则 writes the tour (through the outbox, so it
 * syncs). Only valid rules (per the shared schema) ever reach the engine.
 */
export function RulesPanel({ tour, rules, weightGroups, isReadOnly, isSaving, saveError, onChange, onSave, onReset }: RulesPanelProps) {
  const id = useId();
  const isDirty = JSON.stringify(rules) !== JSON.stringify(tour.rules);
  const criteria = tour.template?.criteria ?? [];
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
      <legend>排名规则{isDirty && <span className="rules-panel__dirty">（预览中，未保存）</span>}</legend>
      <div className="rules-panel__grid">
        <label className="rules-panel__check">
          <input type="checkbox" checked={trim !== null} onChange={(e) => update({ trim: e.target.checked ? { dropHighest: 1, dropLowest: 1, minSheets: 5 } : null })} />
          去掉最高分、最低分
        </label>
        {trim && (
          <>
            <label>
              去掉最高分（个）
              <input type="number" min={0} max={10} value={trim.dropHighest} onChange={(e) => setTrim({ dropHighest: clampInt(e.target.value, 0, 10) })} />
            </label>
            <label>
              去掉最低分（个）
              <input type="number" min={0} max={10} value={trim.dropLowest} onChange={(e) => setTrim({ dropLowest: clampInt(e.target.value, 0, 10) })} />
            </label>
            <label>
              至少几张评分表时去分
              <input type="number" min={1} max={1000} value={trim.minSheets} onChange={(e) => setTrim({ minSheets: clampInt(e.target.value, 1, 1000) })} />
            </label>
          </>
        )}
        <label className="rules-panel__check">
          <input type="checkbox" checked={rules.recusal} onChange={(e) => update({ recusal: e.target.checked })} />
          本单位评委回避
        </label>
        <label className="rules-panel__check">
          <input type="checkbox" checked={rules.rankWithinGroups} onChange={(e) => update({ rankWithinGroups: e.target.checked })} />
          分组排名
        </label>
        <label>
          单位得分
          <select value={rules.unitScore} onChange={(e) => update({ unitScore: e.target.value as RankingRules['unitScore'] })}>
            {Object.entries(unitScoreLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          指标得分权重（0–1）
          <input type="number" min={0} max={1} step={0.05} value={rules.indicatorWeight} onChange={(e) => update({ indicatorWeight: clampNumber(e.target.value, 0, 1) })} />
        </label>
        <label>
          同分时比较
          <select value={rules.tieBreakCriterion ?? ''} onChange={(e) => update({ tieBreakCriterion: e.target.value || null })}>
            <option value="">不比较（并列）</option>
            {criteria.map((c) => (
              <option key={c.key} value={c.key}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {weightGroups.length > 0 && (
          <div className="rules-panel__weights">
            <label className="rules-panel__check">
              <input
                type="checkbox"
                checked={weights !== null}
                onChange={(e) => update({ groupWeights: e.target.checked ? Object.fromEntries(weightGroups.map((g) => [g, 1])) : null })}
              />
              评委分组加权
            </label>
            {weights &&
              weightGroups.map((group) => (
                <label key={group}>
                  {group} 权重
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
      {!isReadOnly && (
        <div className="rules-panel__actions">
          <button type="button" className="button button--primary" disabled={!isDirty || isSaving} onClick={onSave}>
            {isSaving ? '正在保存…' : '保存规则'}
          </button>
          <button type="button" className="button button--ghost" disabled={!isDirty || isSaving} onClick={onReset}>
            恢复已保存的规则
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
}

function clampInt(text: string, min: number, max: number): number {
  const n = Math.round(Number(text));
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}

function clampNumber(text: string, min: number, max: number): number {
  const n = Number(text);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}
