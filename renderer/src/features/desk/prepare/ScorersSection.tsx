import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState } from 'react';
import { useForm, type UseFormReturn } from 'react-hook-form';
import type { UserListItem } from '@shared/sync/auth-protocol';
import type { Scorer, Tour, Unit } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { useServerMode } from '../../../app/server-mode-context';
import { isDemoUserId } from '../../../db/demo-ids';
import type { MessageKey } from '../../../i18n/catalogs';
import { useT } from '../../../i18n/use-t';
import { newScorerId, removeScorer, saveScorer } from './desk-repo';
import { Field } from './TourMetaFields';
import { scorerFormSchema, type ScorerForm } from './tour-form-schema';
import { searchAccounts, useServerAccounts, type ServerAccounts } from './use-server-accounts';

/** most accounts listed at once; more matches ask for a narrower search */
const maxShownAccounts = 8;

/**
 * Scorers (and observers) of the tour: server accounts searched by name (GET /api/users, when
 * online and signed in as secretariat/admin), or, offline, people this desk already knows (anyone
 * assigned to any tour) or an account id typed in; home unit for recusal; weight group.
 */
export function ScorersSection({ tour, units, scorers }: { tour: Tour; units: readonly Unit[]; scorers: readonly Scorer[] }) {
  const db = useDb();
  const t = useT();
  const { accounts, reload } = useServerAccounts();
  const usernameOf = new Map(accounts.status === 'ready' ? accounts.users.map((u) => [u.id, u.username]) : []);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const sorted = [...scorers].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return (
    <section className="panel" aria-labelledby="desk-scorers-title" data-testid="scorers-section">
      <h2 className="panel__title" id="desk-scorers-title">
        {t('desk.scorers.title', { count: scorers.length })}
      </h2>
      {sorted.length > 0 && (
        <table className="desk-table">
          <thead>
            <tr>
              <th scope="col">{t('desk.scorers.col.name')}</th>
              <th scope="col">{t('desk.scorers.col.account')}</th>
              <th scope="col">{t('desk.scorers.col.role')}</th>
              <th scope="col">{t('desk.scorers.col.homeUnit')}</th>
              <th scope="col">{t('desk.scorers.col.weightGroup')}</th>
              <th scope="col">{t('desk.scorers.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((s) => (
              <tr key={s.id} data-testid="desk-scorer">
                <td>{s.name}</td>
                <td className="mono" title={s.userId}>
                  {usernameOf.get(s.userId) ?? s.userId}
                </td>
                <td>{s.role === 'scorer' ? t('desk.scorers.role.scorer') : t('desk.scorers.role.observer')}</td>
                <td>
                  <select
                    aria-label={t('desk.scorers.homeUnitOf', { name: s.name })}
                    value={s.homeUnitId ?? ''}
                    onChange={(e) => void saveScorer(db, { ...s, homeUnitId: e.currentTarget.value || null })}
                  >
                    <option value="">{t('desk.scorers.none')}</option>
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
                    aria-label={t('desk.scorers.weightGroupOf', { name: s.name })}
                    defaultValue={s.weightGroup ?? ''}
                    maxLength={100}
                    onBlur={(e) => {
                      const weightGroup = e.currentTarget.value.trim() || null;
                      if (weightGroup !== s.weightGroup) void saveScorer(db, { ...s, weightGroup });
                    }}
                  />
                </td>
                <td>
                  <button type="button" className="button button--ghost" onClick={() => void removeScorer(db, s.id)} aria-label={t('desk.scorers.removeName', { name: s.name })}>
                    {t('desk.scorers.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddScorerForm tour={tour} units={units} assigned={scorers} accounts={accounts} reloadAccounts={reload} />
    </section>
  );
}

function AddScorerForm({
  tour,
  units,
  assigned,
  accounts,
  reloadAccounts,
}: {
  tour: Tour;
  units: readonly Unit[];
  assigned: readonly Scorer[];
  accounts: ServerAccounts;
  reloadAccounts: () => void;
}) {
  const db = useDb();
  const t = useT();
  // people known to this desk: everyone assigned to any tour (the secretariat syncs them all);
  // the demo people only while the server runs the demo (a demo tour kept for unsynced work
  // must not put 评委甲 in front of a real secretariat)
  const isDemo = useServerMode().mode === 'demo';
  const known = useLiveQuery(async () => {
    const people = new Map<string, string>();
    for (const s of await db.scorers.toArray()) if (!people.has(s.userId) && (isDemo || !isDemoUserId(s.userId))) people.set(s.userId, s.name);
    return [...people].map(([userId, name]) => ({ userId, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }, [db, isDemo]);
  const assignedUsers = new Set(assigned.map((s) => s.userId));
  const form = useForm<ScorerForm>({
    resolver: zodResolver(scorerFormSchema),
    defaultValues: { userId: '', name: '', role: 'scorer', homeUnitId: '', weightGroup: '' },
  });
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<UserListItem | null>(null);
  const errors = form.formState.errors;
  const onSubmit = form.handleSubmit(async (v) => {
    setError(null);
    if (assignedUsers.has(v.userId)) return setError(t('desk.scorers.add.alreadyAssigned'));
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
      setChosen(null);
    } catch (e) {
      setError(t('desk.common.saveFailed', { reason: e instanceof Error ? e.message : String(e) }));
    }
  });

  const choose = (user: UserListItem) => {
    form.setValue('userId', user.id, { shouldValidate: true });
    form.setValue('name', user.displayName, { shouldValidate: true });
    // an observer account joins as an observer; every other account scores unless changed below
    form.setValue('role', user.role === 'observer' ? 'observer' : 'scorer');
    setChosen(user);
  };

  return (
    <form className="desk-form" onSubmit={onSubmit} noValidate data-testid="add-scorer-form">
      <h3>{t('desk.scorers.add.title')}</h3>
      <AccountSearch accounts={accounts} assignedUsers={assignedUsers} onChoose={choose} onRetry={reloadAccounts} />
      {chosen && (
        <p className="muted" role="status" data-testid="chosen-account">
          {t('desk.scorers.add.chosen', { name: chosen.displayName, username: chosen.username })}
        </p>
      )}
      <div className="desk-fields">
        <Field label={t('desk.scorers.add.known')}>
          {(id) => (
            <select
              id={id}
              value=""
              onChange={(e) => {
                const person = known?.find((p) => p.userId === e.currentTarget.value);
                if (person) {
                  form.setValue('userId', person.userId, { shouldValidate: true });
                  form.setValue('name', person.name, { shouldValidate: true });
                  setChosen(null);
                }
              }}
            >
              <option value="">{t('desk.scorers.add.choose')}</option>
              {known
                ?.filter((p) => !assignedUsers.has(p.userId))
                .map((p) => (
                  <option key={p.userId} value={p.userId}>
                    {t('desk.scorers.add.knownOption', { name: p.name, userId: p.userId })}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <ScorerFields form={form} units={units} />
      </div>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <div className="desk-form__actions">
        <button type="submit" className="button button--primary">
          {t('desk.scorers.add.submit')}
        </button>
      </div>
    </form>
  );
}

function ScorerFields({ form, units }: { form: UseFormReturn<ScorerForm>; units: readonly Unit[] }) {
  const t = useT();
  const errors = form.formState.errors;
  return (
    <>
      <Field label={t('desk.scorers.add.userId')} error={errors.userId?.message} hint={t('desk.scorers.add.userIdHint')}>
        {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!errors.userId} {...form.register('userId')} />}
      </Field>
      <Field label={t('desk.scorers.add.name')} error={errors.name?.message}>
        {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!errors.name} {...form.register('name')} />}
      </Field>
      <Field label={t('desk.scorers.add.role')}>
        {(id) => (
          <select id={id} {...form.register('role')}>
            <option value="scorer">{t('desk.scorers.add.roleScorer')}</option>
            <option value="observer">{t('desk.scorers.add.roleObserver')}</option>
          </select>
        )}
      </Field>
      <Field label={t('desk.scorers.add.homeUnit')}>
        {(id) => (
          <select id={id} {...form.register('homeUnitId')}>
            <option value="">{t('desk.scorers.none')}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('desk.scorers.add.weightGroup')} error={errors.weightGroup?.message} hint={t('desk.scorers.add.weightGroupHint')}>
        {(id, d) => <input id={id} aria-describedby={d} {...form.register('weightGroup')} />}
      </Field>
    </>
  );
}

/** Search the server's accounts by name; or, when the list cannot be had, say why. */
function AccountSearch({
  accounts,
  assignedUsers,
  onChoose,
  onRetry,
}: {
  accounts: ServerAccounts;
  assignedUsers: ReadonlySet<string>;
  onChoose: (user: UserListItem) => void;
  onRetry: () => void;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const inputId = useId();
  const hintId = `${inputId}-hint`;
  const resultsId = `${inputId}-results`;

  if (accounts.status !== 'ready') {
    const text =
      accounts.status === 'loading'
        ? t('desk.scorers.add.loading')
        : accounts.status === 'error'
          ? t('desk.scorers.add.error', { message: accounts.message })
          : t(`desk.scorers.add.${accounts.status}` as MessageKey);
    return (
      <p className={accounts.status === 'loading' ? 'muted' : 'notice'} role="status" data-testid="accounts-unavailable" data-status={accounts.status}>
        {text}{' '}
        {accounts.status !== 'loading' && (
          <button type="button" className="button button--ghost" onClick={onRetry}>
            {t('desk.scorers.add.retry')}
          </button>
        )}
      </p>
    );
  }

  const matches = searchAccounts(accounts.users, query);
  const shown = matches.slice(0, maxShownAccounts);
  return (
    <div className="desk-account-search" data-testid="account-search">
      <div className="desk-field">
        <label htmlFor={inputId}>{t('desk.scorers.add.search')}</label>
        <input
          id={inputId}
          type="search"
          value={query}
          autoComplete="off"
          aria-describedby={hintId}
          aria-controls={resultsId}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter picks the only / first choosable match instead of submitting the form
            if (e.key !== 'Enter') return;
            e.preventDefault();
            const first = shown.find((u) => !u.disabled && !assignedUsers.has(u.id));
            if (first) onChoose(first);
          }}
        />
        <span id={hintId} className="muted desk-field__hint">
          {t('desk.scorers.add.searchHint')}
        </span>
      </div>
      <ul id={resultsId} className="desk-account-search__results" aria-label={t('desk.scorers.add.results')}>
        {shown.map((user) => {
          const isAssigned = assignedUsers.has(user.id);
          const roleKey = `desk.scorers.add.accountRole.${user.role}` as MessageKey;
          return (
            <li key={user.id} data-testid="account-result">
              <span>{user.displayName}</span> <span className="mono muted">{user.username}</span> <span className="muted">· {t(roleKey)}</span>
              {user.disabled && <span className="muted"> · {t('desk.scorers.add.disabled')}</span>}
              {isAssigned && <span className="muted"> · {t('desk.scorers.add.inTour')}</span>}{' '}
              <button
                type="button"
                className="button button--ghost"
                disabled={user.disabled || isAssigned}
                aria-label={t('desk.scorers.add.pickName', { name: `${user.displayName} ${user.username}` })}
                onClick={() => onChoose(user)}
              >
                {t('desk.scorers.add.pick')}
              </button>
            </li>
          );
        })}
      </ul>
      {matches.length === 0 && query.trim() !== '' && <p className="muted">{t('desk.scorers.add.noMatch', { query: query.trim() })}</p>}
      {matches.length > shown.length && <p className="muted">{t('desk.scorers.add.moreMatches', { count: matches.length - shown.length })}</p>}
    </div>
  );
}
