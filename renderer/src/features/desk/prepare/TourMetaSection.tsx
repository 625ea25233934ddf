import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import type { Scorer, Stop, Tour } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { useT } from '../../../i18n/use-t';
import { describeDeskError } from '../desk-error';
import { tourStatusKey } from '../desk-labels';
import { withNodes } from '../message-nodes';
import { updateTour } from './desk-repo';
import { publishProblems } from './publish-check';
import { TourMetaFields } from './TourMetaFields';
import { useDeskFormSchemas, type TourMetaForm } from './tour-form-schema';

/** Name, kind, dates — and publishing (draft → published), after a check of what is missing. */
export function TourMetaSection({ tour, stops, scorers }: { tour: Tour; stops: readonly Stop[]; scorers: readonly Scorer[] }) {
  const db = useDb();
  const t = useT();
  const schemas = useDeskFormSchemas();
  const form = useForm<TourMetaForm>({
    resolver: zodResolver(schemas.tourMeta),
    values: { name: tour.name, kind: tour.kind, startDate: tour.startDate, endDate: tour.endDate },
  });
  const [status, setStatus] = useState<string | null>(null);
  const [isConfirming, setIsConfirming] = useState(false);
  const [isPublishing, setIsPublishing] = useState(false);
  const [publishError, setPublishError] = useState<string | null>(null);
  const problems = publishProblems(tour, stops, scorers, t);
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await updateTour(db, tour, values);
      setStatus(tour.status === 'draft' ? t('desk.meta.saved') : t('desk.meta.savedSyncs'));
    } catch (e) {
      setStatus(t('desk.common.saveFailed', { reason: describeDeskError(e, t) }));
    }
  });
  return (
    <section className="panel" aria-labelledby="desk-meta-title">
      <h2 className="panel__title" id="desk-meta-title">
        {t('desk.meta.title')}
      </h2>
      <form className="desk-form" onSubmit={onSubmit} noValidate data-testid="tour-meta-form">
        <TourMetaFields form={form} />
        <div className="desk-form__actions">
          <button type="submit" className="button button--primary" disabled={form.formState.isSubmitting}>
            {t('desk.meta.save')}
          </button>
          {status && (
            <span className="muted" role="status">
              {status}
            </span>
          )}
        </div>
      </form>
      <div className="desk-publish" data-testid="publish">
        <p>
          {withNodes(t('desk.meta.status'), {
            status: (
              <span className={`badge badge--status-${tour.status}`} data-testid="tour-status" data-status={tour.status}>
                {t(tourStatusKey[tour.status])}
              </span>
            ),
          })}
        </p>
        {tour.status === 'draft' && (
          <>
            {problems.length > 0 && (
              <ul className="notice notice--warning" data-testid="publish-problems">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
            <button type="button" className="button button--primary" disabled={problems.length > 0} onClick={() => setIsConfirming(true)} data-testid="publish-tour">
              {t('desk.publish.button')}
            </button>
            <ConfirmDialog
              isOpen={isConfirming}
              title={t('desk.publish.confirmTitle')}
              confirmLabel={t('desk.publish.confirm')}
              cancelLabel={t('desk.common.cancel')}
              isBusy={isPublishing}
              error={publishError}
              onCancel={() => setIsConfirming(false)}
              onConfirm={() => {
                setIsPublishing(true);
                setPublishError(null);
                updateTour(db, tour, { status: 'published' })
                  .then(() => setIsConfirming(false))
                  .catch((e: unknown) => setPublishError(t('desk.publish.failed', { reason: describeDeskError(e, t) })))
                  .finally(() => setIsPublishing(false));
              }}
            >
              <p>{t('desk.publish.body')}</p>
            </ConfirmDialog>
          </>
        )}
      </div>
    </section>
  );
}
