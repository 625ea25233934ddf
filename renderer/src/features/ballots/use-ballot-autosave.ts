import { useEffect, useState } from 'react';
import { saveBallotDraft, type BallotTarget } from '../../db/ballots-repo';
import { useDb } from '../../db/db-context';
import { CoalescingSaver, type SaveState } from '../scoring/coalescing-saver';

/**
 * Autosave of a ballot's order: every move is written through to IndexedDB at once (coalesced
 * while a write runs, see CoalescingSaver), and whatever is pending is flushed when the window
 * is hidden, the page is left or closed, and when the form unmounts.
 */
export function useBallotAutosave(target: BallotTarget) {
  const db = useDb();
  const [state, setState] = useState<SaveState>({ status: 'idle' });
  const { tourId, group, userId } = target;
  // one saver per ballot, created with the component (a move may come before effects run)
  const [saver] = useState(() => new CoalescingSaver<readonly string[]>(async (order) => (await saveBallotDraft(db, { tourId, group, userId }, order)).savedAt, setState));

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
      flush();
    };
  }, [saver]);

  return { state, saver };
}
