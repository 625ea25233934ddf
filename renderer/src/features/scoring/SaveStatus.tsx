import { describeStorageError } from '../../db/storage-safety';
import { formatTimeOfDay } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import type { SaveState } from './coalescing-saver';

/** Where the autosave stands: saving, saved at (time), or why it failed, with a retry. */
export function SaveStatus({ state, onRetry }: { state: SaveState; onRetry: () => void }) {
  const { t, locale } = useI18n();
  if (state.status === 'error') {
    const { messageKey, detail } = describeStorageError(state.error);
    return (
      <div className="save-status save-status--error notice notice--error" role="alert" data-testid="save-status" data-status="error" title={detail}>
        <span>{t(messageKey)}</span>
        <button type="button" className="button" onClick={onRetry}>
          {t('sheet.retrySave')}
        </button>
      </div>
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
