import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { Tour, Unit } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { addUnit, newUnitId, saveUnit } from './desk-repo';
import { Field } from './TourMetaFields';
import { unitFormSchema, type UnitForm } from './tour-form-schema';

/** Units and their ranking groups (and imported indicator scores); saved when a field is left. */
export function UnitsSection({ tour, units }: { tour: Tour; units: readonly Unit[] }) {
  const db = useDb();
  return (
    <section className="panel" aria-labelledby="desk-units-title" data-testid="units-section">
      <h2 className="panel__title" id="desk-units-title">
        参评单位与排名分组
      </h2>
      {units.length > 0 && (
      <table className="desk-table">
        <thead>
          <tr>
            <th scope="col">单位</th>
            <th scope="col">排名分组</th>
            <th scope="col">指标得分（0–100，可空）</th>
          </tr>
        </thead>
        <tbody>
          {units.map((unit) => (
            <tr key={`${unit.id}-${unit.group}-${unit.indicatorScore}`}>
              <td>{unit.name}</td>
              <td>
                <input
                  aria-label={`${unit.name}的排名分组`}
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
                  aria-label={`${unit.name}的指标得分`}
                  defaultValue={unit.indicatorScore ?? ''}
                  onBlur={(e) => {
                    const input = e.currentTarget;
                    const text = input.value.trim();
                    const score = text === '' ? null : Number(text);
                    if (score !== null && (!Number.isFinite(score) || score < 0 || score > 100)) {
                      input.setCustomValidity('指标得分须为0到100之间的数');
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
  const form = useForm<UnitForm>({ resolver: zodResolver(unitFormSchema), defaultValues: { name: '', group: '' } });
  const errors = form.formState.errors;
  const onSubmit = form.handleSubmit(async (v) => {
    if (units.some((u) => u.name === v.name)) return form.setError('name', { message: '已有同名单位' });
    await addUnit(db, { id: newUnitId(tour.id), tourId: tour.id, name: v.name, group: v.group || null, indicatorScore: null });
    form.reset({ name: '', group: v.group });
  });
  return (
    <details className="desk-add">
      <summary>添加参评单位</summary>
      <form className="desk-form" onSubmit={onSubmit} noValidate data-testid="add-unit-form">
        <div className="desk-fields">
          <Field label="单位名称" error={errors.name?.message}>
            {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!errors.name} {...form.register('name')} />}
          </Field>
          <Field label="排名分组" error={errors.group?.message} hint="如 县组、区组；留空为默认组">
            {(id, d) => <input id={id} aria-describedby={d} {...form.register('group')} />}
          </Field>
        </div>
        <div className="desk-form__actions">
          <button type="submit" className="button button--primary">
            添加单位
          </button>
        </div>
      </form>
    </details>
  );
}
