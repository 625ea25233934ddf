import { useState } from 'react';
import { useDb } from '../../db/db-context';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { discardRejection, retryRejection } from '../../sync/rejections';
import type { SyncRejection } from '../../sync/sync-tables';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { collectionLabel, rejectionAdvice } from './sync-words';

/** Changes the server refused, each with what to do, and retry / discard. Nothing goes silently. */
export function RejectionsPanel({ rejections }: { rejections: readonly SyncRejection[] }) {
  const db = useDb();
  const { t, locale } = useI18n();
  const [discarding, setDiscarding] = useState<SyncRejection | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  return (
    <section className="sync-page__section" aria-labelledby="rejections-title" data-testid="rejections-panel">
      <h2 id="rejections-title">{t('sync.rejections.title')}</h2>
      {rejections.length === 0 ? (
        <p className="muted">{t('sync.rejections.empty')}</p>
      ) : (
        <>
          <p>{t('sync.rejections.intro')}</p>
          <ul className="rejection-list">
            {rejections.map((r) => (
              <li key={r.mutationId} className="rejection" data-testid="rejection" data-code={r.code}>
                <strong>{collectionLabel(t, r.collection)}</strong>
                <p className="rejection__advice">{rejectionAdvice(t, r.code, r.collection)}</p>
                {r.reason && <p className="muted rejection__reason">{r.reason}</p>}
                <p className="muted">{t('sync.rejections.at', { time: formatDateTime(r.rejectedAt, locale) })}</p>
                <div className="rejection__actions">
                  <button type="button" className="button" onClick={() => void retryRejection(db, r.mutationId)}>
                    {t('sync.rejections.retry')}
                  </button>
                  <button type="button" className="button button--danger" onClick={() => setDiscarding(r)}>
                    {t('sync.rejections.discard')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      <ConfirmDialog
        isOpen={discarding !== null}
        title={t('sync.rejections.discard')}
        confirmLabel={t('sync.rejections.discard')}
        cancelLabel={t('sync.cancel')}
        isDestructive
        isBusy={isBusy}
        onCancel={() => setDiscarding(null)}
        onConfirm={() => {
          if (!discarding) return;
          setIsBusy(true);
          void discardRejection(db, discarding.mutationId).finally(() => {
            setIsBusy(false);
            setDiscarding(null);
          });
        }}
      >
        <p>{t('sync.rejections.discardConfirm')}</p>
      </ConfirmDialog>
    </section>
  );
}
