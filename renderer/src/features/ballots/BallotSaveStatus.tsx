import { describeStorageError } from '../../db/storage-safety';
import { formatTimeOfDay } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import type { SaveState } from '../scoring/coalescing-saver';

/**
 * Where the ballot's autosave stands. A failed save (disk full) is also an alert pinned to the
 * bottom of the window with a retry, as on the score sheet.
 */
export function BallotSaveStatus({ state, onRetry }: { state: SaveState; onRetry: () => void }) {
  const { t, locale } = useI18n();
  if (state.status === 'error') {
    const { messageKey, detail } = describeStorageError(state.error);
    return (
      <>
        <p className="save-status save-status--error" data-testid="ballot-save-status" data-status="error" title={detail}>
          {t('ballots.notSaved')}
        </p>
        <div className="save-alert notice notice--error" role="alert">
          <span>{t(messageKey)}</span>
          <button type="button" className="button button--large" onClick={onRetry}>
            {t('ballots.retrySave')}
          </button>
        </div>
      </>
    );
  }
  return (
    <p className={`save-status save-status--${state.status}`} role="status" data-testid="ballot-save-status" data-status={state.status}>
      {state.status === 'idle' && t('ballots.autosaveHint')}
      {state.status === 'saving' && t('ballots.saving')}
      {state.status === 'saved' && t('ballots.savedAt', { time: formatTimeOfDay(state.at, locale) })}
    </p>
  );
}
