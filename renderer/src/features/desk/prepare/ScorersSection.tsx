import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { Scorer, Tour, Unit } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { newScorerId, removeScorer, saveScorer } from './desk-repo';
import { Field } from './TourMetaFields';
import { scorerFormSchema, type ScorerForm } from './tour-form-schema';

/**
 * Scorers (and observers) of the tour: accounts picked from the people this desk knows (anyone
 * assigned to any tour) or entered by user id and name; home unit for recusal; weight group.
 */
export function ScorersSection({ tour, units, scorers }: { tour: Tour; units: readonly Unit[]; scorers: readonly Scorer[] }) {
  const db = useDb();
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const sorted = [...scorers].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return (
    <section className="panel" aria-labelledby="desk-scorers-title" data-testid="scorers-section">
      <h2 className="panel__title" id="desk-scorers-title">
        评委与观摩人员（{scorers.length}）
      </h2>
      {sorted.length > 0 && (
        <table className="desk-table">
          <thead>
            <tr>
              <th scope="col">姓名</th>
              <th scope="col">用户编号</th>
              <th scope="col">身份</th>
              <th scope="col">所属单位（回避）</th>
              <th scope="col">权重组</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((s) => (
              <tr key={s.id} data-testid="desk-scorer">
                <td>{s.name}</td>
                <td className="mono">{s.userId}</td>
                <td>{s.role === 'scorer' ? '评委' : '观摩人员'}</td>
                <td>
                  <select
                    aria-label={`${s.name}的所属单位`}
                    value={s.homeUnitId ?? ''}
                    onChange={(e) => void saveScorer(db, { ...s, homeUnitId: e.currentTarget.value || null })}
                  >
                    <option value="">（无）</option>
                    {units.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name}
                      </option>
                    ))}
                    {s.homeUnitId && !unitName.has(s.homeUnitId) && <option value={s.homeUnitId}>{s.homeUnitId}</option>}
                  </select>
                </td>
                <td>
                  <input
                    key={s.weightGroup ?? ''}
                    aria-label={`${s.name}的权重组`}
                    defaultValue={s.weightGroup ?? ''}
                    maxLength={100}
                    onBlur={(e) => {
                      const weightGroup = e.currentTarget.value.trim() || null;
                      if (weightGroup !== s.weightGroup) void saveScorer(db, { ...s, weightGroup });
                    }}
                  />
                </td>
                <td>
                  <button type="button" className="button button--ghost" onClick={() => void removeScorer(db, s.id)} aria-label={`移除${s.name}`}>
                    移除
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddScorerForm tour={tour} units={units} assigned={scorers} />
    </section>
  );
}

function AddScorerForm({ tour, units, assigned }: { tour: Tour; units: readonly Unit[]; assigned: readonly Scorer[] }) {
  const db = useDb();
  // people known to this desk: everyone assigned to any tour (the secretariat syncs them all)
  const known = useLiveQuery(async () => {
    const people = new Map<string, string>();
    for (const s of await db.scorers.toArray()) if (!people.has(s.userId)) people.set(s.userId, s.name);
    return [...people].map(([userId, name]) => ({ userId, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }, [db]);
  const assignedUsers = new Set(assigned.map((s) => s.userId));
  const form = useForm<ScorerForm>({
    resolver: zodResolver(scorerFormSchema),
    defaultValues: { userId: '', name: '', role: 'scorer', homeUnitId: '', weightGroup: '' },
  });
  const [error, setError] = useState<string | null>(null);
  const errors = form.formState.errors;
  const onSubmit = form.handleSubmit(async (v) => {
    setError(null);
    if (assignedUsers.has(v.userId)) return setError('此人已在本活动中');
    try {
      await saveScorer(db, {
        id: newScorerId(),
        tourId: tour.id,
        userId: v.userId,
        name: v.name,
        role: v.role,
        homeUnitId: v.homeUnitId || null,
        weightGroup: v.weightGroup || null,
      });
      form.reset({ userId: '', name: '', role: v.role, homeUnitId: '', weightGroup: v.weightGroup });
    } catch (e) {
      setError(`保存失败：${e instanceof Error ? e.message : String(e)}`);
    }
  });

  return (
    <form className="desk-form" onSubmit={onSubmit} noValidate data-testid="add-scorer-form">
      <h3>添加人员</h3>
      <div className="desk-fields">
        <Field label="从已知人员中选择">
          {(id) => (
            <select
              id={id}
              value=""
              onChange={(e) => {
                const person = known?.find((p) => p.userId === e.currentTarget.value);
                if (person) {
                  form.setValue('userId', person.userId, { shouldValidate: true });
                  form.setValue('name', person.name, { shouldValidate: true });
                }
              }}
            >
              <option value="">（选择）</option>
              {known
                ?.filter((p) => !assignedUsers.has(p.userId))
                .map((p) => (
                  <option key={p.userId} value={p.userId}>
                    {p.name}（{p.userId}）
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label="用户编号" error={errors.userId?.message} hint="服务器账号的编号">
          {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!errors.userId} {...form.register('userId')} />}
        </Field>
        <Field label="姓名" error={errors.name?.message}>
          {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!errors.name} {...form.register('name')} />}
        </Field>
        <Field label="身份">
          {(id) => (
            <select id={id} {...form.register('role')}>
              <option value="scorer">评委（评分）</option>
              <option value="observer">观摩人员（不评分）</option>
            </select>
          )}
        </Field>
        <Field label="所属单位（回避本单位项目）">
          {(id) => (
            <select id={id} {...form.register('homeUnitId')}>
              <option value="">（无）</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="权重组" error={errors.weightGroup?.message} hint="如“市领导”“部门”，与排名规则中的组权重对应">
          {(id, d) => <input id={id} aria-describedby={d} {...form.register('weightGroup')} />}
        </Field>
      </div>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <div className="desk-form__actions">
        <button type="submit" className="button button--primary">
          添加
        </button>
      </div>
    </form>
  );
}
