import { describeStorageError } from '../../db/storage-safety';
import { formatTimeOfDay } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import type { SaveState } from './coalescing-saver';

/**
 * Where the autosave stands, under the total: saving, saved at (time), or not saved. A failed
 * save (disk full) is also shown as an alert pinned to the bottom of the window, so the scorer
 * sees it wherever on the page they are typing, with a retry.
 */
export function SaveStatus({ state, onRetry }: { state: SaveState; onRetry: () => void }) {
  const { t, locale } = useI18n();
  if (state.status === 'error') {
    const { messageKey, detail } = describeStorageError(state.error);
    return (
      <>
        <p className="save-status save-status--error" data-testid="save-status" data-status="error" title={detail}>
          {t('sheet.notSaved')}
        </p>
        <div className="save-alert notice notice--error" role="alert" data-testid="save-alert">
          <span>{t(messageKey)}</span>
          <button type="button" className="button button--large" onClick={onRetry}>
            {t('sheet.retrySave')}
          </button>
        </div>
      </>
    );
  }
  return (
    <p className={`save-status save-status--${state.status}`} role="status" data-testid="save-status" data-status={state.status}>
      {state.status === 'idle' && t('sheet.autosaveHint')}
      {state.status === 'saving' && t('sheet.saving')}
      {state.status === 'saved' && t('sheet.savedAt', { time: formatTimeOfDay(state.at, locale) })}
    </p>
  );
}
