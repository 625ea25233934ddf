import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import type { Tour } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { useT } from '../../../i18n/use-t';
import { describeDeskError } from '../desk-error';
import { RankScopeField } from '../RankScopeField';
import { RuleCheck, RuleField } from '../RuleField';
import { tieBreakNoneKey, unitScoreKey } from '../rule-wording';
import { updateTour } from './desk-repo';
import { formToRules, rulesToForm } from './rules-form';
import { useDeskFormSchemas, type RulesForm } from './tour-form-schema';

/**
 * Every rule of the shared ranking engine, per tour. A rank-vote tour is shown only the rules
 * that apply to ballots (shared/ranking/rank-vote-scores.ts): trimming, group weights, recusal,
 * the indicator blend and the unit scope; not the unit score from projects, the tie-break
 * criterion or the project scope (ballots have neither projects' scores nor criteria). Every
 * rule is worded by rule-wording.ts, as on the rankings page's rules panel.
 */
export function RulesSection({ tour }: { tour: Tour }) {
  // the status outlives the form, which is re-created (keyed) when the saved rules change
  const [status, setStatus] = useState<string | null>(null);
  return <RulesForm key={JSON.stringify(tour.rules)} tour={tour} status={status} setStatus={setStatus} />;
}

function RulesForm({ tour, status, setStatus }: { tour: Tour; status: string | null; setStatus: (status: string | null) => void }) {
  const db = useDb();
  const t = useT();
  const schemas = useDeskFormSchemas();
  const form = useForm<RulesForm>({ resolver: zodResolver(schemas.rules), defaultValues: rulesToForm(tour.rules) });
  const { register } = form;
  const errors = form.formState.errors;
  const isTrimmed = useWatch({ control: form.control, name: 'isTrimmed' });
  const method = useWatch({ control: form.control, name: 'method' });
  const isRankVote = method === 'rankVote';
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await updateTour(db, tour, { rules: formToRules(values, t) });
      setStatus(t('desk.rules.saved'));
    } catch (e) {
      setStatus(t('desk.common.saveFailed', { reason: describeDeskError(e, t) }));
    }
  });
  const num = { valueAsNumber: true } as const;
  // published results stand on the saved rules: the rankings page locks them too, and a change
  // here would silently change results everyone may already read
  const isLocked = tour.status === 'results_published';
  return (
    <section className="panel" aria-labelledby="desk-rules-title" data-testid="rules-section">
      <h2 className="panel__title" id="desk-rules-title">
        {t('desk.rules.title')}
      </h2>
      {isLocked && (
        <p className="notice notice--info" data-testid="rules-locked">
          {t('desk.rules.lockedPublished')}
        </p>
      )}
      <form className="desk-form" onSubmit={onSubmit} noValidate>
        <fieldset className="desk-rules__fields" disabled={isLocked}>
          <div className="desk-fields">
            <RuleField rule="method" method={method}>
              {(id, d) => (
                <select id={id} aria-describedby={d} {...register('method')}>
                  <option value="score">{t('desk.rules.methodScore')}</option>
                  <option value="rankVote">{t('desk.rules.methodRankVote')}</option>
                </select>
              )}
            </RuleField>
            {!isRankVote && (
              <RuleField rule="unitScore" method={method}>
                {(id, d) => (
                  <select id={id} aria-describedby={d} {...register('unitScore')}>
                    {Object.entries(unitScoreKey).map(([value, key]) => (
                      <option key={value} value={value}>
                        {t(key)}
                      </option>
                    ))}
                  </select>
                )}
              </RuleField>
            )}
            <RuleField rule="indicatorWeight" method={method} error={errors.indicatorWeight?.message}>
              {(id, d) => <input id={id} className="num" inputMode="decimal" aria-describedby={d} {...register('indicatorWeight', num)} />}
            </RuleField>
            {!isRankVote && (
              <RuleField rule="tieBreak" method={method}>
                {(id, d) => (
                  <select id={id} aria-describedby={d} {...register('tieBreakCriterion')}>
                    <option value="">{t(tieBreakNoneKey)}</option>
                    {tour.template?.criteria.map((c) => (
                      <option key={c.key} value={c.key}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                )}
              </RuleField>
            )}
          </div>
          <div className="desk-fields desk-fields--scopes">
            {!isRankVote && (
              <Controller control={form.control} name="projectScope" render={({ field }) => <RankScopeField subject="project" value={field.value} onChange={field.onChange} />} />
            )}
            <Controller control={form.control} name="unitScope" render={({ field }) => <RankScopeField subject="unit" value={field.value} onChange={field.onChange} isRankVote={isRankVote} />} />
          </div>
          <div className="desk-checks">
            <RuleCheck rule="recusal" method={method}>
              {(d) => <input type="checkbox" aria-describedby={d} {...register('recusal')} />}
            </RuleCheck>
            <RuleCheck rule="trim" method={method}>
              {(d) => <input type="checkbox" aria-describedby={d} {...register('isTrimmed')} />}
            </RuleCheck>
          </div>
          {isTrimmed && (
            <div className="desk-fields">
              <RuleField rule="dropHighest" method={method} error={errors.dropHighest?.message}>
                {(id, d) => <input id={id} className="num" inputMode="numeric" aria-describedby={d} {...register('dropHighest', num)} />}
              </RuleField>
              <RuleField rule="dropLowest" method={method} error={errors.dropLowest?.message}>
                {(id, d) => <input id={id} className="num" inputMode="numeric" aria-describedby={d} {...register('dropLowest', num)} />}
              </RuleField>
              <RuleField rule="minSheets" method={method} error={errors.minSheets?.message}>
                {(id, d) => <input id={id} className="num" inputMode="numeric" aria-describedby={d} {...register('minSheets', num)} />}
              </RuleField>
            </div>
          )}
          {/* one "权重组=权重" per line (the placeholder shows it; a wrong line says so) */}
          <RuleField rule="groupWeights" method={method} error={errors.groupWeightsText?.message}>
            {(id, d) => <textarea id={id} rows={3} aria-describedby={d} placeholder={t('desk.rules.groupWeightsPlaceholder')} {...register('groupWeightsText')} />}
          </RuleField>
          {!isLocked && (
            <div className="desk-form__actions">
              <button type="submit" className="button button--primary" disabled={form.formState.isSubmitting}>
                {t('desk.rules.save')}
              </button>
              {status && (
                <span className="muted" role="status">
                  {status}
                </span>
              )}
            </div>
          )}
        </fieldset>
      </form>
    </section>
  );
}
