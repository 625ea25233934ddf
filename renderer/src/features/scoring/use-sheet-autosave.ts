import { useCallback, useEffect, useRef, useState } from 'react';
import { sheetId } from '@shared/domain/schemas';
import { useDb } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { outboxTables } from '../../db/outbox';
import { findScorer, saveSheetDraft, submitSheet, type SavedDraft, type SheetTarget } from '../../db/sheets-repo';
import { receiveRemoteHlc } from '../../sync/device-clock';
import { syncRecordsTable } from '../../sync/sync-tables';
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
 *
 * And the write is stamped after every version of the sheet the server sent this device: the
 * sync round feeds the device clock only once all pages are stored, and a keystroke in between,
 * on a laptop whose clock runs behind the other laptop's, would otherwise get an older stamp and
 * lose on the server (silently: the server keeps its newer value and announces nothing new),
 * while this screen showed the user's value as saved.
 */
export async function saveTypedSheet(db: GuanmoDb, target: SheetTarget, typed: TypedSheet): Promise<SavedDraft> {
  return db.transaction('rw', sheetWriteTables(db), async () => {
    const [tour, scorer] = await Promise.all([db.tours.get(target.tourId), findScorer(db, target.tourId, target.userId)]);
    const id = scorer ? sheetId(target.tourId, target.stopId, scorer.id) : null;
    const stored = id ? ((await db.sheets.get(id))?.scores ?? {}) : {};
    const texts = tour?.template ? mergeTypedWithStored(tour.template.criteria, typed.texts, typed.base, stored) : typed.texts;
    if (id) await clockPastServerVersions(db, id);
    // saveSheetDraft re-checks every rule (submitted, recused, tour closed) inside this transaction
    return saveSheetDraft(db, target, texts);
  });
}

/** Submits the sheet (sheets-repo submitSheet), stamped after the server's versions of it like saveTypedSheet. */
export async function submitTypedSheet(db: GuanmoDb, target: SheetTarget, texts: Readonly<Record<string, string>>) {
  return db.transaction('rw', sheetWriteTables(db), async () => {
    const scorer = await findScorer(db, target.tourId, target.userId);
    if (scorer) await clockPastServerVersions(db, sheetId(target.tourId, target.stopId, scorer.id));
    return submitSheet(db, target, texts);
  });
}

function sheetWriteTables(db: GuanmoDb) {
  return [db.tours, db.stops, db.scorers, db.sheets, db.sheetDrafts, syncRecordsTable(db), ...outboxTables(db)];
}

/** Moves the device clock past every version of the sheet the server sent (inside the caller's transaction). */
async function clockPastServerVersions(db: GuanmoDb, id: string): Promise<void> {
  const server = await syncRecordsTable(db).get(['sheets', id]);
  const newest = server ? Object.values(server.versions).reduce<string | null>((max, v) => (max === null || v > max ? v : max), null) : null;
  if (newest) await receiveRemoteHlc(db, newest);
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
  // updatedAt of every sheet version this form wrote: the live sheet that comes back with one of
  // them is the form's own write (maybe late, behind newer typing), not news from another device
  const ownVersions = useRef(new Set<string>());
  // one saver per sheet, created with the component (not in an effect: the first keystroke may come before effects run)
  const [saver] = useState(
    () =>
      new CoalescingSaver<TypedSheet>(async (typed) => {
        const saved = await saveTypedSheet(db, { tourId, stopId, userId }, typed);
        if (saved.isSheetChanged && saved.sheet) ownVersions.current.add(saved.sheet.updatedAt);
        return saved.savedAt;
      }, setState),
  );
  const isOwnWrite = useCallback((updatedAt: string | null | undefined) => updatedAt != null && ownVersions.current.has(updatedAt), []);

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

  return { state, saver, isOwnWrite };
}
