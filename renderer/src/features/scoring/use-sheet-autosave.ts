import { useEffect, useState } from 'react';
import { sheetId } from '@shared/domain/schemas';
import { useDb } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { outboxTables } from '../../db/outbox';
import { findScorer, saveSheetDraft, type SavedDraft, type SheetTarget } from '../../db/sheets-repo';
import { CoalescingSaver, type SaveState } from './coalescing-saver';
import { mergeTypedWithStored, type StoredScores } from './sheet-sync';

/** What the form hands the autosave: the texts as typed, and the stored scores its untouched fields show. */
export interface TypedSheet {
  texts: Record<string, string>;
  base: StoredScores;
}

/**
 * Writes what is typed, merged with the stored sheet in the same transaction (see sheet-sync.ts):
 * a field the user did not touch since `base` takes whatever is stored now, so a value pulled
 * from another laptop between the keystroke and this write is not overwritten with the old one.
 */
export async function saveTypedSheet(db: GuanmoDb, target: SheetTarget, typed: TypedSheet): Promise<SavedDraft> {
  const tables = [db.tours, db.stops, db.scorers, db.sheets, db.sheetDrafts, ...outboxTables(db)];
  return db.transaction('rw', tables, async () => {
    const [tour, scorer] = await Promise.all([db.tours.get(target.tourId), findScorer(db, target.tourId, target.userId)]);
    const stored = scorer ? ((await db.sheets.get(sheetId(target.tourId, target.stopId, scorer.id)))?.scores ?? {}) : {};
    const texts = tour?.template ? mergeTypedWithStored(tour.template.criteria, typed.texts, typed.base, stored) : typed.texts;
    // saveSheetDraft re-checks every rule (submitted, recused, tour closed) inside this transaction
    return saveSheetDraft(db, target, texts);
  });
}

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
  const [saver] = useState(() => new CoalescingSaver<TypedSheet>(async (typed) => (await saveTypedSheet(db, { tourId, stopId, userId }, typed)).savedAt, setState));

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
