import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { RankingRules } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import { useDb } from '../../db/db-context';
import { useTours } from '../../db/use-tours';
import { formatDateRange } from '../../i18n/format';
import { useI18n, useT } from '../../i18n/use-t';
import { DemoBadge } from './DemoBadge';
import { DeskTourActions } from './DeskTourActions';
import { describeDeskError } from './desk-error';
import { tourKindKey, tourStatusKey } from './desk-labels';
import { createTour, newTourId } from './prepare/desk-repo';
import { Field, TourMetaFields } from './prepare/TourMetaFields';
import { useDeskFormSchemas, type TourMetaForm } from './prepare/tour-form-schema';
import './desk.css';

/** #/desk: every tour (the secretariat syncs them all), and a new one. */
export function DeskHomePage() {
  const { t, locale } = useI18n();
  const tours = useTours();
  const [isCreating, setIsCreating] = useState(false);
  return (
    <section className="page desk">
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {t('desk.home.title')}
        </h1>
        <p className="page__subtitle">{t('desk.home.subtitle')}</p>
      </header>
      {isCreating ? (
        <NewTourForm onDone={() => setIsCreating(false)} />
      ) : (
        <p>
          <button type="button" className="button button--primary" onClick={() => setIsCreating(true)} data-testid="new-tour">
            {t('desk.home.newTour')}
          </button>
        </p>
      )}
      {tours === undefined ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : tours.length === 0 ? (
        <p className="empty">{t('desk.home.empty')}</p>
      ) : (
        <table className="desk-table" data-testid="desk-tours">
          <thead>
            <tr>
              <th scope="col">{t('desk.home.col.name')}</th>
              <th scope="col">{t('desk.home.col.kind')}</th>
              <th scope="col">{t('desk.home.col.dates')}</th>
              <th scope="col">{t('desk.home.col.status')}</th>
              <th scope="col">{t('desk.home.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {tours.map((tour) => (
              <tr key={tour.id} data-testid="desk-tour-row" data-tour-id={tour.id}>
                <td>
                  <Link to={{ name: 'deskTour', tourId: tour.id }}>{tour.name}</Link> <DemoBadge tourId={tour.id} />
                </td>
                <td>{tour.kind === 'scored' && tour.rules.method === 'rankVote' ? t('desk.home.kindRankVote') : t(tourKindKey[tour.kind])}</td>
                <td>{formatDateRange(tour.startDate, tour.endDate, locale)}</td>
                <td>
                  <span className={`badge badge--status-${tour.status}`}>{t(tourStatusKey[tour.status])}</span>
                </td>
                <td>
                  <DeskTourActions tour={tour} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NewTourForm({ onDone }: { onDone: () => void }) {
  const db = useDb();
  const t = useT();
  const schemas = useDeskFormSchemas();
  const today = new Date().toISOString().slice(0, 10);
  const form = useForm<TourMetaForm>({
    resolver: zodResolver(schemas.tourMeta),
    defaultValues: { name: '', kind: 'scored', startDate: today, endDate: today },
  });
  // the scoring method is chosen with the tour: a rank vote needs no score template, and the
  // editor then shows only what a rank vote needs (it stays changeable under 排名规则)
  const [method, setMethod] = useState<RankingRules['method']>('score');
  const kind = useWatch({ control: form.control, name: 'kind' });
  const [error, setError] = useState<string | null>(null);
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const id = newTourId();
      await createTour(db, id, values, values.kind === 'scored' ? method : 'score');
      onDone();
      window.location.hash = `#/desk/tours/${encodeURIComponent(id)}`;
    } catch (e) {
      setError(t('desk.common.saveFailed', { reason: describeDeskError(e, t) }));
    }
  });
  return (
    <form className="panel desk-form" onSubmit={onSubmit} noValidate data-testid="new-tour-form">
      <h2 className="panel__title">{t('desk.home.newTour')}</h2>
      <TourMetaFields form={form} />
      {kind === 'scored' && (
        <div className="desk-fields">
          <Field label={t('desk.rules.method')} hint={t(method === 'rankVote' ? 'desk.home.methodRankVoteHint' : 'desk.home.methodScoreHint')}>
            {(id, describedBy) => (
              <select id={id} aria-describedby={describedBy} value={method} onChange={(e) => setMethod(e.target.value as RankingRules['method'])} data-testid="new-tour-method">
                <option value="score">{t('desk.rules.methodScore')}</option>
                <option value="rankVote">{t('desk.rules.methodRankVote')}</option>
              </select>
            )}
          </Field>
        </div>
      )}
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <div className="desk-form__actions">
        <button type="submit" className="button button--primary" disabled={form.formState.isSubmitting}>
          {t('desk.home.create')}
        </button>
        <button type="button" className="button button--ghost" onClick={onDone}>
          {t('desk.common.cancel')}
        </button>
      </div>
    </form>
  );
}
