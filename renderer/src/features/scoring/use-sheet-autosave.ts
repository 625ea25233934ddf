import { useCallback, useEffect, useRef, useState } from 'react';
import { sheetId } from '@shared/domain/schemas';
import { useDb } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { outboxTables } from '../../db/outbox';
import { findScorer, saveSheetDraft, submitSheet, type SavedDraft, type SheetTarget } from '../../db/sheets-repo';
import { receiveRemoteHlc } from '../../sync/device-clock';
import { syncRecordsTable } from '../../sync/sync-tables';
import { CoalescingSaver, type SaveState } from './coalescing-saver';
import { mergeTypedWithStored } from './sheet-sync';

/** What the form hands the autosave: the texts on screen, the fields the user owns, and how far the typing went. */
export interface TypedSheet {
  texts: Record<string, string>;
  /** criteria whose text is the user's (see sheet-sync.ts FieldEdits): written as typed; the others take the stored value */
  owned: readonly string[];
  /** number of the user's last edit these texts include (edits are numbered in order) */
  edits: number;
}

/** One of the form's own saves, as the live sheet that comes back with its version tells. */
export interface OwnSaveRecord {
  /** saves are numbered in the order they were written (the saver runs one at a time) */
  saveNo: number;
  /** number of the last edit it carried */
  edits: number;
}

/**
 * Writes what is typed, merged with the stored sheet in the same transaction (see sheet-sync.ts):
 * a field the user does not own takes whatever is stored now, so a value pulled
 * from another laptop between the keystroke and this write is not overwritten with the old one.
 *
 * And the write is stamped after every version of the sheet the server sent this device: the
 * sync round feeds the device clock only once all pages are stored, and a keystroke in between,
 * on a laptop whose clock runs behind the other laptop's, would otherwise get an older stamp and
 * lose on the server (silently: the server keeps its newer value and announces nothing new),
 * while this screen showed the user's value as saved.
 */
export async function saveTypedSheet(
  db: GuanmoDb,
  target: SheetTarget,
  typed: TypedSheet,
  /** called inside the write transaction, before it commits: the live query cannot bring the result back before the caller knows it */
  onWritten?: (saved: SavedDraft) => void,
): Promise<SavedDraft> {
  return db.transaction('rw', sheetWriteTables(db), async () => {
    const [tour, scorer] = await Promise.all([db.tours.get(target.tourId), findScorer(db, target.tourId, target.userId)]);
    const id = scorer ? sheetId(target.tourId, target.stopId, scorer.id) : null;
    const stored = id ? ((await db.sheets.get(id))?.scores ?? {}) : {};
    const texts = tour?.template ? mergeTypedWithStored(tour.template.criteria, typed.texts, typed.owned, stored) : typed.texts;
    if (id) await clockPastServerVersions(db, id);
    // saveSheetDraft re-checks every rule (submitted, recused, tour closed) inside this transaction
    const saved = await saveSheetDraft(db, target, texts);
    onWritten?.(saved);
    return saved;
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
  // updatedAt of the sheet as each save of this form left it → that save: the live sheet that
  // comes back with one of them is the form's own write (maybe late, behind newer typing), not
  // news from another device. A save that did not change the sheet maps the version it found
  // (it read and kept it in its transaction: that sheet is the state after the save).
  const ownVersions = useRef(new Map<string, OwnSaveRecord>());
  const saveCount = useRef(0);
  // one saver per sheet, created with the component (not in an effect: the first keystroke may come before effects run)
  const [saver] = useState(
    () =>
      new CoalescingSaver<TypedSheet>(async (typed) => {
        const saveNo = ++saveCount.current;
        const saved = await saveTypedSheet(db, { tourId, stopId, userId }, typed, ({ sheet }) => {
          // recorded before the commit; a write that then fails leaves a version that never shows up
          if (sheet) ownVersions.current.set(sheet.updatedAt, { saveNo, edits: typed.edits });
        });
        return saved.savedAt;
      }, setState),
  );
  const ownSaveOf = useCallback((updatedAt: string | null | undefined) => (updatedAt == null ? null : (ownVersions.current.get(updatedAt) ?? null)), []);

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

  return { state, saver, ownSaveOf };
}
