import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { Tour } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { updateTour } from './desk-repo';
import { formToRules, rulesToForm } from './rules-form';
import { Field } from './TourMetaFields';
import { rulesFormSchema, type RulesForm } from './tour-form-schema';

/** Every rule of the shared ranking engine, per tour. */
export function RulesSection({ tour }: { tour: Tour }) {
  // the status outlives the form, which is re-created (keyed) when the saved rules change
  const [status, setStatus] = useState<string | null>(null);
  return <RulesForm key={JSON.stringify(tour.rules)} tour={tour} status={status} setStatus={setStatus} />;
}

function RulesForm({ tour, status, setStatus }: { tour: Tour; status: string | null; setStatus: (status: string | null) => void }) {
  const db = useDb();
  const form = useForm<RulesForm>({ resolver: zodResolver(rulesFormSchema), defaultValues: rulesToForm(tour.rules) });
  const { register } = form;
  const errors = form.formState.errors;
  const isTrimmed = useWatch({ control: form.control, name: 'isTrimmed' });
  const method = useWatch({ control: form.control, name: 'method' });
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await updateTour(db, tour, { rules: formToRules(values) });
      setStatus('排名规则已保存');
    } catch (e) {
      setStatus(`保存失败：${e instanceof Error ? e.message : String(e)}`);
    }
  });
  const num = { valueAsNumber: true } as const;
  return (
    <section className="panel" aria-labelledby="desk-rules-title" data-testid="rules-section">
      <h2 className="panel__title" id="desk-rules-title">
        排名规则
      </h2>
      <form className="desk-form" onSubmit={onSubmit} noValidate>
        <div className="desk-fields">
          <Field label="计分方法">
            {(id) => (
              <select id={id} {...register('method')}>
                <option value="score">按评分表打分</option>
                <option value="rankVote">排序投票（第r名得 100−3(r−1) 分）</option>
              </select>
            )}
          </Field>
          <Field label="单位得分">
            {(id) => (
              <select id={id} {...register('unitScore')} disabled={method === 'rankVote'}>
                <option value="mean">所属项目得分的平均</option>
                <option value="investmentWeighted">按总投资加权平均</option>
              </select>
            )}
          </Field>
          <Field label="指标得分权重（0–1）" error={errors.indicatorWeight?.message} hint="单位得分 =（1−权重）×现场得分 + 权重×指标得分">
            {(id, d) => <input id={id} className="num" inputMode="decimal" aria-describedby={d} {...register('indicatorWeight', num)} />}
          </Field>
          <Field label="同分时比较的评分项目" hint="留空则并列（1, 2, 2, 4）">
            {(id, d) => (
              <select id={id} aria-describedby={d} {...register('tieBreakCriterion')}>
                <option value="">（并列）</option>
                {tour.template?.criteria.map((c) => (
                  <option key={c.key} value={c.key}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="desk-checks">
          <label>
            <input type="checkbox" {...register('recusal')} /> 评委回避本单位项目
          </label>
          <label>
            <input type="checkbox" {...register('rankWithinGroups')} /> 按分组分别排名
          </label>
          <label>
            <input type="checkbox" {...register('isTrimmed')} /> 去掉最高分和最低分
          </label>
        </div>
        {isTrimmed && (
          <div className="desk-fields">
            <Field label="去掉最高分个数" error={errors.dropHighest?.message}>
              {(id, d) => <input id={id} className="num" inputMode="numeric" aria-describedby={d} {...register('dropHighest', num)} />}
            </Field>
            <Field label="去掉最低分个数" error={errors.dropLowest?.message}>
              {(id, d) => <input id={id} className="num" inputMode="numeric" aria-describedby={d} {...register('dropLowest', num)} />}
            </Field>
            <Field label="至少有几份评议表时才去掉" error={errors.minSheets?.message}>
              {(id, d) => <input id={id} className="num" inputMode="numeric" aria-describedby={d} {...register('minSheets', num)} />}
            </Field>
          </div>
        )}
        <Field label="评委分组权重（每行“组名=权重”，留空则每份评议表同等计算）" error={errors.groupWeightsText?.message}>
          {(id, d) => <textarea id={id} rows={3} aria-describedby={d} placeholder={'市领导=0.6\n部门=0.4'} {...register('groupWeightsText')} />}
        </Field>
        <div className="desk-form__actions">
          <button type="submit" className="button button--primary" disabled={form.formState.isSubmitting}>
            保存排名规则
          </button>
          {status && (
            <span className="muted" role="status">
              {status}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
