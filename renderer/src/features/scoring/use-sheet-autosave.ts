import { useEffect, useState } from 'react';
import { useDb } from '../../db/db-context';
import { saveSheetDraft, type SheetTarget } from '../../db/sheets-repo';
import { CoalescingSaver, type SaveState } from './coalescing-saver';

/**
 * Autosave of a score sheet's typed texts: every change is written through to IndexedDB at once
 * (coalesced while a write runs, see CoalescingSaver), and whatever is pending is flushed when
 * the window is hidden, the page is left or closed, and when the form unmounts.
 */
export function useSheetAutosave(target: SheetTarget) {
  const db = useDb();
  const [state, setState] = useState<SaveState>({ status: 'idle' });
  const { tourId, stopId, userId } = target;
  // one saver per sheet, created with the component (not in an effect: the first keystroke may come before effects run)
  const [saver] = useState(() => new CoalescingSaver<Record<string, string>>(async (texts) => (await saveSheetDraft(db, { tourId, stopId, userId }, texts)).savedAt, setState));

  useEffect(() => {
    const flush = () => void saver.flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', flush);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', flush);
      // leaving the page (another stop, another route): what is pending is still written
      flush();
    };
  }, [saver]);

  return { state, saver };
}
