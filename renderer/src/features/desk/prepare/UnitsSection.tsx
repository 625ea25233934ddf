import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { Tour, Unit } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { useT } from '../../../i18n/use-t';
import { addUnit, newUnitId, saveUnit } from './desk-repo';
import { Field } from './TourMetaFields';
import { useDeskFormSchemas, type UnitForm } from './tour-form-schema';

/** Units and their ranking groups (and imported indicator scores); saved when a field is left. */
export function UnitsSection({ tour, units }: { tour: Tour; units: readonly Unit[] }) {
  const db = useDb();
  const t = useT();
  return (
    <section className="panel" aria-labelledby="desk-units-title" data-testid="units-section">
      <h2 className="panel__title" id="desk-units-title">
        {t('desk.units.title')}
      </h2>
      {units.length > 0 && (
      <table className="desk-table desk-table--inputs">
        <thead>
          <tr>
            <th scope="col">{t('desk.units.col.unit')}</th>
            <th scope="col">{t('desk.units.col.group')}</th>
            <th scope="col">{t('desk.units.col.indicator')}</th>
          </tr>
        </thead>
        <tbody>
          {units.map((unit) => (
            <tr key={`${unit.id}-${unit.group}-${unit.indicatorScore}`}>
              <td>{unit.name}</td>
              <td>
                <input
                  aria-label={t('desk.units.groupLabel', { name: unit.name })}
                  defaultValue={unit.group ?? ''}
                  maxLength={100}
                  onBlur={(e) => {
                    const group = e.currentTarget.value.trim() || null;
                    if (group !== unit.group) void saveUnit(db, { ...unit, group }, ['group']);
                  }}
                />
              </td>
              <td>
                <input
                  className="num"
                  inputMode="decimal"
                  aria-label={t('desk.units.indicatorLabel', { name: unit.name })}
                  defaultValue={unit.indicatorScore ?? ''}
                  onBlur={(e) => {
                    const input = e.currentTarget;
                    const text = input.value.trim();
                    const score = text === '' ? null : Number(text);
                    if (score !== null && (!Number.isFinite(score) || score < 0 || score > 100)) {
                      input.setCustomValidity(t('desk.units.indicatorInvalid'));
                      input.reportValidity();
                      return;
                    }
                    input.setCustomValidity('');
                    if (score !== unit.indicatorScore) void saveUnit(db, { ...unit, indicatorScore: score }, ['indicatorScore']);
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      )}
      <AddUnitForm tour={tour} units={units} />
    </section>
  );
}

function AddUnitForm({ tour, units }: { tour: Tour; units: readonly Unit[] }) {
  const db = useDb();
  const t = useT();
  const schemas = useDeskFormSchemas();
  const form = useForm<UnitForm>({ resolver: zodResolver(schemas.unit), defaultValues: { name: '', group: '' } });
  const errors = form.formState.errors;
  const onSubmit = form.handleSubmit(async (v) => {
    if (units.some((u) => u.name === v.name)) return form.setError('name', { message: t('desk.units.duplicate') });
    await addUnit(db, { id: newUnitId(tour.id), tourId: tour.id, name: v.name, group: v.group || null, indicatorScore: null });
    form.reset({ name: '', group: v.group });
  });
  return (
    <details className="desk-add">
      <summary>{t('desk.units.add')}</summary>
      <form className="desk-form" onSubmit={onSubmit} noValidate data-testid="add-unit-form">
        <div className="desk-fields">
          <Field label={t('desk.units.name')} error={errors.name?.message}>
            {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!errors.name} {...form.register('name')} />}
          </Field>
          <Field label={t('desk.units.group')} error={errors.group?.message} hint={t('desk.units.groupHint')}>
            {(id, d) => <input id={id} aria-describedby={d} {...form.register('group')} />}
          </Field>
        </div>
        <div className="desk-form__actions">
          <button type="submit" className="button button--primary">
            {t('desk.units.submit')}
          </button>
        </div>
      </form>
    </details>
  );
}
