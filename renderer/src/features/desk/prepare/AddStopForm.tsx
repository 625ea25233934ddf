import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { Tour, Unit } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { addStop, newStopId } from './desk-repo';
import { Field } from './TourMetaFields';
import { stopFormSchema, type StopForm } from './tour-form-schema';

/** Adds one stop by hand (the import is the usual way); it becomes the last stop of its day. */
export function AddStopForm({ tour, units }: { tour: Tour; units: readonly Unit[] }) {
  const db = useDb();
  const form = useForm<StopForm>({
    resolver: zodResolver(stopFormSchema),
    defaultValues: { name: '', unitId: '', day: tour.startDate, category: '', totalInvestment: Number.NaN, completedInvestment: Number.NaN, address: '' },
  });
  const errors = form.formState.errors;
  const [error, setError] = useState<string | null>(null);
  const onSubmit = form.handleSubmit(async (v) => {
    setError(null);
    try {
      await addStop(db, {
        id: newStopId(tour.id),
        tourId: tour.id,
        unitId: v.unitId,
        day: v.day,
        name: v.name,
        category: v.category,
        totalInvestment: Number.isNaN(v.totalInvestment) ? null : v.totalInvestment,
        completedInvestment: Number.isNaN(v.completedInvestment) ? null : v.completedInvestment,
        startDate: null,
        content: '',
        lat: null,
        lng: null,
        address: v.address,
        briefer: '',
      });
      form.reset({ ...v, name: '', category: '', totalInvestment: Number.NaN, completedInvestment: Number.NaN, address: '' });
    } catch (e) {
      setError(`保存失败：${e instanceof Error ? e.message : String(e)}`);
    }
  });
  if (units.length === 0) return <p className="muted">先导入点位表或添加参评单位，才能手动添加点位。</p>;
  return (
    <details className="desk-add">
      <summary>手动添加点位</summary>
      <form className="desk-form" onSubmit={onSubmit} noValidate data-testid="add-stop-form">
        <div className="desk-fields">
          <Field label="项目名称" error={errors.name?.message}>
            {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!errors.name} {...form.register('name')} />}
          </Field>
          <Field label="参评单位" error={errors.unitId?.message}>
            {(id, d) => (
              <select id={id} aria-describedby={d} aria-invalid={!!errors.unitId} {...form.register('unitId')}>
                <option value="">（选择）</option>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="观摩日期" error={errors.day?.message}>
            {(id, d) => <input id={id} type="date" aria-describedby={d} aria-invalid={!!errors.day} {...form.register('day')} />}
          </Field>
          <Field label="项目类型" error={errors.category?.message} hint="如 工业、服务业、科创、民生">
            {(id, d) => <input id={id} aria-describedby={d} {...form.register('category')} />}
          </Field>
          <Field label="总投资（万元）" error={errors.totalInvestment?.message}>
            {(id, d) => <input id={id} className="num" inputMode="decimal" aria-describedby={d} {...form.register('totalInvestment', { valueAsNumber: true })} />}
          </Field>
          <Field label="已完成投资（万元）" error={errors.completedInvestment?.message}>
            {(id, d) => <input id={id} className="num" inputMode="decimal" aria-describedby={d} {...form.register('completedInvestment', { valueAsNumber: true })} />}
          </Field>
          <Field label="地址" error={errors.address?.message}>
            {(id, d) => <input id={id} aria-describedby={d} {...form.register('address')} />}
          </Field>
        </div>
        {error && (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        )}
        <div className="desk-form__actions">
          <button type="submit" className="button button--primary">
            添加点位
          </button>
        </div>
      </form>
    </details>
  );
}
