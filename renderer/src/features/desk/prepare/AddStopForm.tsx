import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { Tour, Unit } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { useT } from '../../../i18n/use-t';
import { describeDeskError } from '../desk-error';
import { addStop, newStopId } from './desk-repo';
import { Field } from './TourMetaFields';
import { amountOrNull, useDeskFormSchemas, type StopForm } from './tour-form-schema';

/** Adds one stop by hand (the import is the usual way); it becomes the last stop of its day. */
export function AddStopForm({ tour, units }: { tour: Tour; units: readonly Unit[] }) {
  const db = useDb();
  const t = useT();
  const schemas = useDeskFormSchemas();
  const form = useForm<StopForm>({
    resolver: zodResolver(schemas.stop),
    defaultValues: { name: '', unitId: '', day: tour.startDate, category: '', totalInvestment: undefined, completedInvestment: undefined, address: '' },
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
        totalInvestment: amountOrNull(v.totalInvestment),
        completedInvestment: amountOrNull(v.completedInvestment),
        startDate: null,
        content: '',
        lat: null,
        lng: null,
        address: v.address,
        briefer: '',
      });
      form.reset({ ...v, name: '', category: '', totalInvestment: undefined, completedInvestment: undefined, address: '' });
    } catch (e) {
      setError(t('desk.common.saveFailed', { reason: describeDeskError(e, t) }));
    }
  });
  if (units.length === 0) return <p className="muted">{t('desk.addStop.needUnits')}</p>;
  return (
    <details className="desk-add">
      <summary>{t('desk.addStop.title')}</summary>
      <form className="desk-form" onSubmit={onSubmit} noValidate data-testid="add-stop-form">
        <div className="desk-fields">
          <Field label={t('desk.addStop.name')} error={errors.name?.message}>
            {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!errors.name} {...form.register('name')} />}
          </Field>
          <Field label={t('desk.addStop.unit')} error={errors.unitId?.message}>
            {(id, d) => (
              <select id={id} aria-describedby={d} aria-invalid={!!errors.unitId} {...form.register('unitId')}>
                <option value="">{t('desk.addStop.choose')}</option>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('desk.addStop.day')} error={errors.day?.message}>
            {(id, d) => <input id={id} type="date" aria-describedby={d} aria-invalid={!!errors.day} {...form.register('day')} />}
          </Field>
          <Field label={t('desk.addStop.category')} error={errors.category?.message} hint={t('desk.addStop.categoryHint')}>
            {(id, d) => <input id={id} aria-describedby={d} {...form.register('category')} />}
          </Field>
          <Field label={t('desk.addStop.total')} error={errors.totalInvestment?.message}>
            {(id, d) => <input id={id} className="num" inputMode="decimal" aria-describedby={d} {...form.register('totalInvestment', { valueAsNumber: true })} />}
          </Field>
          <Field label={t('desk.addStop.completed')} error={errors.completedInvestment?.message}>
            {(id, d) => <input id={id} className="num" inputMode="decimal" aria-describedby={d} {...form.register('completedInvestment', { valueAsNumber: true })} />}
          </Field>
          <Field label={t('desk.addStop.address')} error={errors.address?.message}>
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
            {t('desk.addStop.submit')}
          </button>
        </div>
      </form>
    </details>
  );
}
