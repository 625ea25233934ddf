import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { Role } from '@shared/domain/schemas';
import type { Scorer, Tour, Unit } from '../../../../db/entities';
import { useDb } from '../../../../db/db-context';
import type { MessageKey } from '../../../../i18n/catalogs';
import { useT } from '../../../../i18n/use-t';
import { describeDeskError } from '../../desk-error';
import { assignScorers } from '../desk-repo';
import { Field } from '../TourMetaFields';
import { useDeskFormSchemas, type ScorerForm } from '../tour-form-schema';
import { searchAccounts, type ServerAccounts } from '../use-server-accounts';
import { useKnownPeople } from './use-desk-people';

/** most people listed at once; more matches ask for a narrower search */
const maxShown = 8;

/** Someone who can be picked: a server account, or (offline) a person this desk knows. */
type Candidate = { id: string; displayName: string; username: string; role: Role | null; disabled: boolean };

/**
 * Adds one person: search the server's accounts by name or 账号 (offline: the people this desk
 * knows), pick one, set role, home unit, 职务 and weight group, add. The person joins the end of
 * the list. The one picker of the section: ids are never typed or shown.
 */
export function AddScorerForm({ tour, units, assigned, accounts, onRetry }: { tour: Tour; units: readonly Unit[]; assigned: readonly Scorer[]; accounts: ServerAccounts; onRetry: () => void }) {
  const db = useDb();
  const t = useT();
  const known = useKnownPeople();
  const schemas = useDeskFormSchemas();
  const assignedUsers = new Set(assigned.map((s) => s.userId));
  const form = useForm<ScorerForm>({
    resolver: zodResolver(schemas.scorer),
    defaultValues: { userId: '', name: '', role: 'scorer', homeUnitId: '', weightGroup: '', post: '' },
  });
  const [chosen, setChosen] = useState<Candidate | null>(null);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const errors = form.formState.errors;

  const candidates: Candidate[] =
    accounts.status === 'ready'
      ? accounts.users.map((u) => ({ id: u.id, displayName: u.displayName, username: u.username, role: u.role, disabled: u.disabled }))
      : (known ?? []).map((p) => ({ id: p.userId, displayName: p.name, username: '', role: null, disabled: false }));
  // only scorer accounts can submit score sheets (the server refuses the others'), so other
  // accounts join as observers
  const canScore = !chosen || chosen.role === null || chosen.role === 'scorer';

  const choose = (person: Candidate) => {
    setMessage(null);
    form.setValue('userId', person.id, { shouldValidate: true });
    form.setValue('name', person.displayName, { shouldValidate: true });
    form.setValue('role', person.role === null || person.role === 'scorer' ? 'scorer' : 'observer');
    setChosen(person);
  };

  const onSubmit = form.handleSubmit(async (v) => {
    setMessage(null);
    if (assignedUsers.has(v.userId)) return setMessage({ tone: 'error', text: t('desk.scorers.add.alreadyAssigned') });
    try {
      const written = await assignScorers(db, tour.id, [
        { userId: v.userId, name: v.name, role: v.role, homeUnitId: v.homeUnitId || null, weightGroup: v.weightGroup || null, post: v.post || undefined },
      ]);
      if (written.length === 0) return setMessage({ tone: 'error', text: t('desk.scorers.add.alreadyAssigned') });
      setMessage({ tone: 'success', text: t('desk.scorers.add.added', { name: v.name }) });
      form.reset({ userId: '', name: '', role: 'scorer', homeUnitId: '', weightGroup: v.weightGroup, post: '' });
      setChosen(null);
    } catch (e) {
      setMessage({ tone: 'error', text: t('desk.common.saveFailed', { reason: describeDeskError(e, t) }) });
    }
  });

  return (
    <form className="desk-form desk-add-scorer" onSubmit={onSubmit} noValidate data-testid="add-scorer-form">
      <h3>{t('desk.scorers.add.title')}</h3>
      <AccountsState accounts={accounts} onRetry={onRetry} />
      <PersonSearch candidates={candidates} assignedUsers={assignedUsers} isOnline={accounts.status === 'ready'} onChoose={choose} />
      {errors.userId && !chosen && (
        <p className="desk-field__error" role="alert">
          {errors.userId.message}
        </p>
      )}
      {chosen && (
        <>
          <p className="desk-add-scorer__chosen" role="status" data-testid="chosen-account">
            {chosen.username ? t('desk.scorers.add.chosen', { name: chosen.displayName, username: chosen.username }) : t('desk.scorers.add.chosenKnown', { name: chosen.displayName })}
          </p>
          <div className="desk-fields">
            <Field label={t('desk.scorers.add.name')} error={errors.name?.message}>
              {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!errors.name} {...form.register('name')} />}
            </Field>
            <Field label={t('desk.scorers.add.role')} hint={canScore ? undefined : t('desk.scorers.add.observerOnly')}>
              {(id, d) => (
                <select id={id} aria-describedby={d} {...form.register('role')}>
                  <option value="scorer" disabled={!canScore}>
                    {t('desk.scorers.add.roleScorer')}
                  </option>
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
            <Field label={t('desk.scorers.add.post')} error={errors.post?.message}>
              {(id, d) => <input id={id} aria-describedby={d} {...form.register('post')} />}
            </Field>
            <Field label={t('desk.scorers.add.weightGroup')} error={errors.weightGroup?.message} hint={t('desk.scorers.add.weightGroupHint')}>
              {(id, d) => <input id={id} aria-describedby={d} {...form.register('weightGroup')} />}
            </Field>
          </div>
        </>
      )}
      {message && (
        <p className={`notice notice--${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {chosen && (
        <div className="desk-form__actions">
          <button type="submit" className="button button--primary">
            {t('desk.scorers.add.submit')}
          </button>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              setChosen(null);
              form.reset({ userId: '', name: '', role: 'scorer', homeUnitId: '', weightGroup: '', post: '' });
            }}
          >
            {t('desk.common.cancel')}
          </button>
        </div>
      )}
    </form>
  );
}

/** Why the server's accounts are not offered (offline, signed out, no right), with a retry. */
function AccountsState({ accounts, onRetry }: { accounts: ServerAccounts; onRetry: () => void }) {
  const t = useT();
  if (accounts.status === 'ready') return null;
  const text =
    accounts.status === 'loading'
      ? t('desk.scorers.accounts.loading')
      : accounts.status === 'error'
        ? t('desk.scorers.accounts.error', { message: accounts.message })
        : t(`desk.scorers.accounts.${accounts.status}` as MessageKey);
  return (
    <p className={accounts.status === 'loading' ? 'muted' : 'notice'} role="status" data-testid="accounts-unavailable" data-status={accounts.status}>
      {text}{' '}
      {accounts.status !== 'loading' && (
        <button type="button" className="button button--ghost" onClick={onRetry}>
          {t('desk.scorers.accounts.retry')}
        </button>
      )}
    </p>
  );
}

function PersonSearch({
  candidates,
  assignedUsers,
  isOnline,
  onChoose,
}: {
  candidates: readonly Candidate[];
  assignedUsers: ReadonlySet<string>;
  isOnline: boolean;
  onChoose: (person: Candidate) => void;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const inputId = useId();
  const hintId = `${inputId}-hint`;
  const resultsId = `${inputId}-results`;
  const matches = searchAccounts(candidates, query);
  const shown = query.trim() === '' ? [] : matches.slice(0, maxShown);
  return (
    <div className="desk-account-search" data-testid="account-search">
      <div className="desk-field">
        <label htmlFor={inputId}>{isOnline ? t('desk.scorers.add.search') : t('desk.scorers.add.searchKnown')}</label>
        <input
          id={inputId}
          type="search"
          value={query}
          autoComplete="off"
          aria-describedby={hintId}
          aria-controls={resultsId}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter picks the first match that can be picked instead of submitting the form
            if (e.key !== 'Enter') return;
            e.preventDefault();
            const first = shown.find((u) => !u.disabled && !assignedUsers.has(u.id));
            if (first) {
              onChoose(first);
              setQuery('');
            }
          }}
        />
        <span id={hintId} className="muted desk-field__hint">
          {isOnline ? t('desk.scorers.add.searchHint') : t('desk.scorers.add.searchKnownHint')}
        </span>
      </div>
      <ul id={resultsId} className="desk-account-search__results" aria-label={t('desk.scorers.add.results')}>
        {shown.map((person) => {
          const isAssigned = assignedUsers.has(person.id);
          return (
            <li key={person.id} data-testid="account-result">
              <span>{person.displayName}</span>
              {person.username && <span className="mono muted"> {person.username}</span>}
              {person.role && <span className="muted"> · {t(`desk.scorers.add.accountRole.${person.role}` as MessageKey)}</span>}
              {person.disabled && <span className="muted"> · {t('desk.scorers.add.disabled')}</span>}
              {isAssigned && <span className="muted"> · {t('desk.scorers.add.inTour')}</span>}{' '}
              <button
                type="button"
                className="button button--ghost"
                disabled={person.disabled || isAssigned}
                aria-label={t('desk.scorers.add.pickName', { name: person.username ? `${person.displayName} ${person.username}` : person.displayName })}
                onClick={() => {
                  onChoose(person);
                  setQuery('');
                }}
              >
                {t('desk.scorers.add.pick')}
              </button>
            </li>
          );
        })}
      </ul>
      {query.trim() !== '' && matches.length === 0 && <p className="muted">{t('desk.scorers.add.noMatch', { query: query.trim() })}</p>}
      {matches.length > shown.length && shown.length > 0 && <p className="muted">{t('desk.scorers.add.moreMatches', { count: matches.length - shown.length })}</p>}
    </div>
  );
}
