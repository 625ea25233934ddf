import { useMemo } from 'react';
import { unitsInItineraryOrder } from '@shared/domain/tour-order';
import type { Scorer, Tour, Unit } from '../../../db/entities';
import { useStops } from '../../../db/use-tours';
import { useT } from '../../../i18n/use-t';
import { AddScorerForm } from './scorers/AddScorerForm';
import { AssignedScorersTable } from './scorers/AssignedScorersTable';
import { ScorerImport } from './scorers/ScorerImport';
import { useServerAccounts } from './use-server-accounts';
import './scorers/scorers.css';

/**
 * Scorers (and observers) of the tour: the list in assignment order, bulk assignment from the
 * secretariat's list (paste from Excel or import its file), and one picker to add a single
 * person. The server's accounts (GET /api/users) are read once here and shared by all three.
 */
export function ScorersSection({ tour, units: givenUnits, scorers }: { tour: Tour; units: readonly Unit[]; scorers: readonly Scorer[] }) {
  const t = useT();
  // units in the tour's own order (first stop in the itinerary), for the home unit choices and messages
  const stops = useStops(tour.id);
  const units = useMemo(() => unitsInItineraryOrder(givenUnits, stops ?? []), [givenUnits, stops]);
  const { accounts, reload, addAccounts } = useServerAccounts();
  const usernameOf = new Map(accounts.status === 'ready' ? accounts.users.map((u) => [u.id, u.username]) : []);
  return (
    <section className="panel" aria-labelledby="desk-scorers-title" data-testid="scorers-section">
      <h2 className="panel__title" id="desk-scorers-title">
        {t('desk.scorers.title', { count: scorers.length })}
      </h2>
      {scorers.length > 0 ? (
        <>
          <p className="muted">{t('desk.scorers.orderHint')}</p>
          <AssignedScorersTable scorers={scorers} units={units} usernameOf={usernameOf} />
        </>
      ) : (
        <p className="empty">{t('desk.scorers.empty')}</p>
      )}
      <ScorerImport tour={tour} units={units} scorers={scorers} accounts={accounts} onAccountsCreated={addAccounts} onReloadAccounts={reload} />
      <AddScorerForm tour={tour} units={units} assigned={scorers} accounts={accounts} onRetry={reload} />
    </section>
  );
}
