import type { Unit } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { saveUnit } from './desk-repo';

/** Units and their ranking groups (and imported indicator scores); saved when a field is left. */
export function UnitsSection({ units }: { units: readonly Unit[] }) {
  const db = useDb();
  if (units.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="desk-units-title" data-testid="units-section">
      <h2 className="panel__title" id="desk-units-title">
        参评单位与排名分组
      </h2>
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
    </section>
  );
}
