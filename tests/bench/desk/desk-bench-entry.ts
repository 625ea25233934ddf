/**
 * Runs inside Chromium (bundled by desk.bench.ts): the desk's recompute and workbook export on a
 * generated 300 projects × 80 scorers tour, exposed as window.__deskBench.
 */
import { syntheticTour } from '@shared/ranking/synthetic-tour';
import { buildResultsWorkbook, workbookBytes } from '../../../renderer/src/features/desk/export/build-workbook';
import { computeDeskRankings } from '../../../renderer/src/features/desk/rankings/compute-desk-rankings';

export interface DeskBenchResult {
  sheets: number;
  recomputeMs: number[];
  exportMs: number[];
  workbookBytes: number;
}

export async function run(rounds: number): Promise<DeskBenchResult> {
  const input = syntheticTour({ projects: 300, scorers: 80, criteria: 8, units: 30, unitGroups: 3, homeUnitShare: 0.3, draftShare: 0.02, seed: 7 });
  const records = { tour: input.tour, units: [...input.units], stops: [...input.stops], scorers: [...input.scorers], sheets: [...input.sheets] };
  const recomputeMs: number[] = [];
  const exportMs: number[] = [];
  let bytes = 0;
  let computed = computeDeskRankings(records);
  for (let i = 0; i < rounds; i++) {
    // a rule change, as the rules panel makes it: the other trimming setting each round
    const rules = { ...input.tour.rules, trim: i % 2 === 0 ? null : { dropHighest: 1, dropLowest: 1, minSheets: 5 } };
    const t0 = performance.now();
    computed = computeDeskRankings(records, rules);
    recomputeMs.push(performance.now() - t0);
  }
  for (let i = 0; i < Math.max(1, Math.floor(rounds / 3)); i++) {
    const t0 = performance.now();
    const out = await workbookBytes(await buildResultsWorkbook(computed.tables, { exportedOn: '2026-11-22', computedAt: computed.computedAt, tourStatus: input.tour.status, isTrial: false }));
    exportMs.push(performance.now() - t0);
    bytes = out.byteLength;
  }
  return { sheets: records.sheets.length, recomputeMs, exportMs, workbookBytes: bytes };
}

/**
 * Writes the same generated tour into the app's IndexedDB (the stores the app's Dexie schema
 * made on first start) plus a secretariat session, so the rankings page can be timed in the UI.
 * Raw IndexedDB: the bench must not depend on the app exposing its repositories.
 */
export async function seedApp(): Promise<{ tourId: string; sheets: number }> {
  const input = syntheticTour({ projects: 300, scorers: 80, criteria: 8, units: 30, unitGroups: 3, homeUnitShare: 0.3, draftShare: 0.02, seed: 7 });
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('guanmo');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const stores = ['tours', 'units', 'stops', 'scorers', 'sheets', 'syncState'];
  const tx = db.transaction(stores, 'readwrite');
  tx.objectStore('tours').put({ ...input.tour, status: 'closed' });
  for (const u of input.units) tx.objectStore('units').put(u);
  for (const s of input.stops) tx.objectStore('stops').put(s);
  for (const s of input.scorers) tx.objectStore('scorers').put(s);
  for (const s of input.sheets) tx.objectStore('sheets').put(s);
  tx.objectStore('syncState').put({
    key: 'session',
    // a session the server will not accept: the desk only reads its role; sync just reports signed out
    value: { serverUrl: location.origin, token: 'bench', expiresAt: '2099-01-01T00:00:00.000Z', user: { id: 'bench', username: 'bench', displayName: '基准测试', role: 'secretariat' }, isExpired: true },
  });
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  return { tourId: input.tour.id, sheets: input.sheets.length };
}

export interface ToggleTiming {
  /** click → the frame that shows the updated ranking tables has been painted */
  total: number;
  /** click → React's commit reached the ranking tables (recompute + render + DOM updates) */
  toCommit: number;
}

const rankingTablesSelector = '[data-testid="project-ranking"], [data-testid="unit-ranking"]';

/**
 * Toggles the trimming rule on the rankings page, as a user's click on the checkbox does. Timed
 * from the click until the frame after the ranking tables themselves changed has been painted:
 * the wait is for a DOM change inside a ranking table (not just anywhere on the page, which the
 * checkbox alone would satisfy if the tables were updated later, e.g. in a deferred render), and
 * the tables' text must differ afterwards, so a page that stopped updating them fails the bench
 * instead of looking fast.
 */
export async function timeRuleToggle(): Promise<ToggleTiming> {
  const label = [...document.querySelectorAll('[data-testid="rules-panel"] label')].find((l) => l.querySelector('input[data-rule="trim"]'));
  const checkbox = label?.querySelector('input');
  if (!checkbox) throw new Error('the rules panel is not on the page');
  const tablesText = () => [...document.querySelectorAll(rankingTablesSelector)].map((t) => t.textContent).join('\n');
  const before = tablesText();
  let t0 = 0;
  let toCommit = 0;
  const committed = new Promise<void>((resolve) => {
    const observer = new MutationObserver((records) => {
      const target = records.find((r) => (r.target instanceof Element ? r.target : r.target.parentElement)?.closest(rankingTablesSelector));
      if (!target) return;
      toCommit = performance.now() - t0;
      observer.disconnect();
      resolve();
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  t0 = performance.now();
  checkbox.click();
  await committed;
  // the frame that shows it: a task posted from the next animation frame runs once that frame's
  // style, layout and paint are done
  await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const total = performance.now() - t0;
  if (tablesText() === before) throw new Error('the ranking tables did not change after the rule change');
  return { total, toCommit };
}
