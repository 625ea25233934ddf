import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import type { Scorer, Stop, Tour } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { tourStatusLabels } from '../desk-labels';
import { updateTour } from './desk-repo';
import { publishProblems } from './publish-check';
import { TourMetaFields } from './TourMetaFields';
import { tourMetaFormSchema, type TourMetaForm } from './tour-form-schema';

/** Name, kind, dates — and publishing (draft → published), after a check of what is missing. */
export function TourMetaSection({ tour, stops, scorers }: { tour: Tour; stops: readonly Stop[]; scorers: readonly Scorer[] }) {
  const db = useDb();
  const form = useForm<TourMetaForm>({
    resolver: zodResolver(tourMetaFormSchema),
    values: { name: tour.name, kind: tour.kind, startDate: tour.startDate, endDate: tour.endDate },
  });
  const [status, setStatus] = useState<string | null>(null);
  const [isConfirming, setIsConfirming] = useState(false);
  const [isPublishing, setIsPublishing] = useState(false);
  const [publishError, setPublishError] = useState<string | null>(null);
  const problems = publishProblems(tour, stops, scorers);
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await updateTour(db, tour, values);
      setStatus(tour.status === 'draft' ? '已保存' : '已保存，评委的电脑下次同步时收到更改');
    } catch (e) {
      setStatus(`保存失败：${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return (
    <section className="panel" aria-labelledby="desk-meta-title">
      <h2 className="panel__title" id="desk-meta-title">
        基本信息
      </h2>
      <form className="desk-form" onSubmit={onSubmit} noValidate data-testid="tour-meta-form">
        <TourMetaFields form={form} />
        <div className="desk-form__actions">
          <button type="submit" className="button button--primary" disabled={form.formState.isSubmitting}>
            保存基本信息
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
          状态：<span className={`badge badge--status-${tour.status}`} data-testid="tour-status">{tourStatusLabels[tour.status]}</span>
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
            <button type="button" className="button button--primary" disabled={problems.length > 0} onClick={() => setIsConfirming(true)}>
              发布观摩活动
            </button>
            <ConfirmDialog
              isOpen={isConfirming}
              title="发布观摩活动？"
              confirmLabel="确认发布"
              cancelLabel="取消"
              isBusy={isPublishing}
              error={publishError}
              onCancel={() => setIsConfirming(false)}
              onConfirm={() => {
                setIsPublishing(true);
                setPublishError(null);
                updateTour(db, tour, { status: 'published' })
                  .then(() => setIsConfirming(false))
                  .catch((e: unknown) => setPublishError(`发布失败：${e instanceof Error ? e.message : String(e)}`))
                  .finally(() => setIsPublishing(false));
              }}
            >
              <p>发布后，评委和观摩人员的电脑下次同步时会收到本活动。发布后仍可修改，修改同样会同步。</p>
            </ConfirmDialog>
          </>
        )}
      </div>
    </section>
  );
}
