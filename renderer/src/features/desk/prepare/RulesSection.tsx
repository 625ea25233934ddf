import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import type { Tour } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { useT } from '../../../i18n/use-t';
import { describeDeskError } from '../desk-error';
import { RankScopeField } from '../RankScopeField';
import { updateTour } from './desk-repo';
import { formToRules, rulesToForm } from './rules-form';
import { Field } from './TourMetaFields';
import { useDeskFormSchemas, type RulesForm } from './tour-form-schema';

/**
 * Every rule of the shared ranking engine, per tour. A rank-vote tour is shown only the rules
 * that apply to ballots (shared/ranking/rank-vote-scores.ts): trimming, group weights, recusal,
 * the indicator blend and the unit scope; not the unit score from projects, the tie-break
 * criterion or the project scope (ballots have neither projects' scores nor criteria).
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
            <Field label={t('desk.rules.method')}>
              {(id) => (
                <select id={id} {...register('method')}>
                  <option value="score">{t('desk.rules.methodScore')}</option>
                  <option value="rankVote">{t('desk.rules.methodRankVote')}</option>
                </select>
              )}
            </Field>
            {!isRankVote && (
              <Field label={t('desk.rules.unitScore')}>
                {(id) => (
                  <select id={id} {...register('unitScore')}>
                    <option value="mean">{t('desk.rules.unitMean')}</option>
                    <option value="investmentWeighted">{t('desk.rules.unitWeighted')}</option>
                  </select>
                )}
              </Field>
            )}
            <Field label={t('desk.rules.indicatorWeight')} error={errors.indicatorWeight?.message} hint={t(isRankVote ? 'desk.rules.indicatorHintRankVote' : 'desk.rules.indicatorHint')}>
              {(id, d) => <input id={id} className="num" inputMode="decimal" aria-describedby={d} {...register('indicatorWeight', num)} />}
            </Field>
            {!isRankVote && (
              <Field label={t('desk.rules.tieBreak')} hint={t('desk.rules.tieBreakHint')}>
                {(id, d) => (
                  <select id={id} aria-describedby={d} {...register('tieBreakCriterion')}>
                    <option value="">{t('desk.rules.tieNone')}</option>
                    {tour.template?.criteria.map((c) => (
                      <option key={c.key} value={c.key}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </div>
          <div className="desk-fields desk-fields--scopes">
            {!isRankVote && (
              <Controller control={form.control} name="projectScope" render={({ field }) => <RankScopeField subject="project" value={field.value} onChange={field.onChange} />} />
            )}
            <Controller control={form.control} name="unitScope" render={({ field }) => <RankScopeField subject="unit" value={field.value} onChange={field.onChange} isRankVote={isRankVote} />} />
          </div>
          <div className="desk-checks">
            <label>
              <input type="checkbox" {...register('recusal')} /> {t(isRankVote ? 'desk.rules.recusalRankVote' : 'desk.rules.recusal')}
            </label>
            <label>
              <input type="checkbox" {...register('isTrimmed')} /> {t('desk.rules.trim')}
            </label>
          </div>
          {isTrimmed && (
            <div className="desk-fields">
              <Field label={t('desk.rules.dropHighest')} error={errors.dropHighest?.message}>
                {(id, d) => <input id={id} className="num" inputMode="numeric" aria-describedby={d} {...register('dropHighest', num)} />}
              </Field>
              <Field label={t('desk.rules.dropLowest')} error={errors.dropLowest?.message}>
                {(id, d) => <input id={id} className="num" inputMode="numeric" aria-describedby={d} {...register('dropLowest', num)} />}
              </Field>
              <Field label={t(isRankVote ? 'desk.rules.minBallots' : 'desk.rules.minSheets')} error={errors.minSheets?.message}>
                {(id, d) => <input id={id} className="num" inputMode="numeric" aria-describedby={d} {...register('minSheets', num)} />}
              </Field>
            </div>
          )}
          <Field label={t(isRankVote ? 'desk.rules.groupWeightsRankVote' : 'desk.rules.groupWeights')} error={errors.groupWeightsText?.message}>
            {(id, d) => <textarea id={id} rows={3} aria-describedby={d} placeholder={t('desk.rules.groupWeightsPlaceholder')} {...register('groupWeightsText')} />}
          </Field>
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
