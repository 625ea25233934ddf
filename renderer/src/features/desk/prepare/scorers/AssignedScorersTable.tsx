import { scorersInAssignmentOrder } from '@shared/domain/tour-order';
import type { Scorer, Unit } from '../../../../db/entities';
import { useDb } from '../../../../db/db-context';
import { useT } from '../../../../i18n/use-t';
import { moveScorer, removeScorer, saveScorer } from '../desk-repo';

/**
 * The tour's scorers and observers in assignment order (the order of the secretariat's list,
 * which the board, rankings, workbook and bulletin follow), with 职务; order changed by 上移 /
 * 下移, home unit (recusal), 职务 and weight group edited in place. The account column shows the
 * user name when the server's list is at hand, otherwise nothing: never an internal id.
 */
export function AssignedScorersTable({
  scorers,
  units,
  usernameOf,
}: {
  scorers: readonly Scorer[];
  units: readonly Unit[];
  usernameOf: ReadonlyMap<string, string>;
}) {
  const db = useDb();
  const t = useT();
  const ordered = scorersInAssignmentOrder(scorers);
  const unitIds = new Set(units.map((u) => u.id));
  return (
    <div className="desk-scroll">
      <table className="desk-table desk-table--edit desk-scorers" data-testid="assigned-scorers">
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('desk.scorers.col.order')}
            </th>
            <th scope="col">{t('desk.scorers.col.name')}</th>
            <th scope="col">{t('desk.scorers.col.post')}</th>
            <th scope="col">{t('desk.scorers.col.account')}</th>
            <th scope="col">{t('desk.scorers.col.role')}</th>
            <th scope="col">{t('desk.scorers.col.homeUnit')}</th>
            <th scope="col">{t('desk.scorers.col.weightGroup')}</th>
            <th scope="col">{t('desk.scorers.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map((s, index) => (
            <tr key={s.id} data-testid="desk-scorer" data-scorer-id={s.id}>
              <td className="num">{index + 1}</td>
              <td className="desk-scorers__name">{s.name}</td>
              <td>
                <input
                  key={s.post ?? ''}
                  aria-label={t('desk.scorers.postOf', { name: s.name })}
                  defaultValue={s.post ?? ''}
                  maxLength={100}
                  onBlur={(e) => {
                    const post = e.currentTarget.value.trim();
                    if (post !== (s.post ?? '')) void saveScorer(db, { ...s, post }, ['post']);
                  }}
                />
              </td>
              <td className="mono" data-testid="scorer-account">
                {usernameOf.get(s.userId) ?? ''}
              </td>
              <td>{s.role === 'scorer' ? t('desk.scorers.role.scorer') : t('desk.scorers.role.observer')}</td>
              <td>
                <select
                  aria-label={t('desk.scorers.homeUnitOf', { name: s.name })}
                  value={s.homeUnitId ?? ''}
                  onChange={(e) => void saveScorer(db, { ...s, homeUnitId: e.currentTarget.value || null }, ['homeUnitId'])}
                >
                  <option value="">{t('desk.scorers.none')}</option>
                  {units.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                  {s.homeUnitId && !unitIds.has(s.homeUnitId) && <option value={s.homeUnitId}>{t('desk.scorers.removedUnit')}</option>}
                </select>
              </td>
              <td>
                <input
                  key={s.weightGroup ?? ''}
                  className="desk-scorers__group"
                  aria-label={t('desk.scorers.weightGroupOf', { name: s.name })}
                  defaultValue={s.weightGroup ?? ''}
                  maxLength={100}
                  onBlur={(e) => {
                    const weightGroup = e.currentTarget.value.trim() || null;
                    if (weightGroup !== s.weightGroup) void saveScorer(db, { ...s, weightGroup }, ['weightGroup']);
                  }}
                />
              </td>
              <td className="desk-scorers__actions">
                <button
                  type="button"
                  className="button button--ghost"
                  aria-label={t('desk.scorers.moveUpName', { name: s.name })}
                  title={t('desk.scorers.moveUp')}
                  disabled={index === 0}
                  onClick={() => void moveScorer(db, s.tourId, s.id, 'up')}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button button--ghost"
                  aria-label={t('desk.scorers.moveDownName', { name: s.name })}
                  title={t('desk.scorers.moveDown')}
                  disabled={index === ordered.length - 1}
                  onClick={() => void moveScorer(db, s.tourId, s.id, 'down')}
                >
                  ↓
                </button>
                <button type="button" className="button button--ghost" onClick={() => void removeScorer(db, s.id)} aria-label={t('desk.scorers.removeName', { name: s.name })}>
                  {t('desk.scorers.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
