// @vitest-environment happy-dom
/**
 * The rankings page rendered from IndexedDB (fake-indexeddb) with the hand-worked tour: the
 * figures on screen, a rule change recomputed at once, one project's sheets, the page in English
 * with no Chinese left outside data values, and a rank-vote tour (unit tables from ballots, no
 * project tables).
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RankingInput } from '@shared/ranking';
import { TourBuilder } from '@shared/ranking/tour-builder';
import { DbContext } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';
import type { Locale } from '../../../i18n/catalogs';
import { I18nProvider } from '../../../i18n/I18nProvider';
import { setSyncState } from '../../../sync/sync-tables';
import { createTestDb } from '../../../test-support/test-db';
import { handWorkedTour } from './hand-worked-tour';
import { RankingsPage } from './RankingsPage';
import { readTrialRules, resetTrialRulesForTests } from './trial-rules';

const CHINESE = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

let db: GuanmoDb;
beforeEach(async () => {
  localStorage.clear();
  sessionStorage.clear();
  resetTrialRulesForTests();
  // offline: the page then does not ask the (absent) server for the audit log
  Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
  db = createTestDb();
  await setSyncState(db, 'session', {
    serverUrl: 'http://127.0.0.1:9',
    token: 't',
    expiresAt: '2099-01-01T00:00:00.000Z',
    user: { id: 'u-sec', username: 'sec', displayName: '秘书处', role: 'secretariat' },
  });
});
afterEach(() => {
  cleanup();
  db.close();
});

async function store(input: RankingInput): Promise<void> {
  await db.tours.put(input.tour);
  await db.units.bulkPut([...input.units]);
  await db.stops.bulkPut([...input.stops]);
  await db.scorers.bulkPut([...input.scorers]);
  await db.sheets.bulkPut([...input.sheets]);
  await db.ballots.bulkPut([...(input.ballots ?? [])]);
}

function renderPage(tourId: string, locale: Locale = 'zh-CN', node?: ReactNode) {
  return render(
    <I18nProvider initialLocale={locale}>
      <DbContext.Provider value={db}>{node ?? <RankingsPage tourId={tourId} />}</DbContext.Provider>
    </I18nProvider>,
  );
}

/** group → [project, rank, score] rows of its project ranking table */
function projectTables(): Record<string, string[][]> {
  return Object.fromEntries(
    screen.getAllByTestId('project-ranking').map((table) => [
      table.getAttribute('data-group'),
      [...table.querySelectorAll('tbody tr')].map((tr) => [tr.querySelector('th')!.textContent!, tr.querySelector('[data-testid="rank"]')!.textContent!, tr.querySelector('[data-testid="project-score"]')!.textContent!]),
    ]),
  );
}

/** The Chinese left in the page once data values (names held in the records) are taken out. */
function chineseOutsideData(root: Element, input: RankingInput): string[] {
  const data = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') data.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect([input.tour, input.units, input.stops, input.scorers]);
  const values = [...data].filter((s) => CHINESE.test(s)).sort((a, b) => b.length - a.length);
  const strip = (text: string) => values.reduce((rest, value) => rest.split(value).join(''), text);
  const leftovers: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    if (CHINESE.test(strip(text))) leftovers.push(text.trim());
  }
  for (const element of root.querySelectorAll('*')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = element.getAttribute(name);
      if (value && CHINESE.test(strip(value))) leftovers.push(`[${name}] ${value}`);
    }
  }
  return leftovers;
}

describe('rankings page', () => {
  it('shows the hand-worked figures, recomputes at once on a rule change and opens one project’s sheets', async () => {
    const input = handWorkedTour();
    await store(input);
    renderPage(input.tour.id);
    await screen.findAllByTestId('project-ranking');
    expect(projectTables()).toEqual({
      区组: [
        ['项目P4', '1', '82.33'],
        ['项目P3', '2', '73.33'],
      ],
      县组: [
        ['项目P1', '1（并列）', '82.50'],
        ['项目P2', '1（并列）', '82.50'],
      ],
    });
    expect(screen.getByTestId('rankings-page').querySelector('.page__subtitle')!.textContent).toBe('状态：已结束 · 未交评分表 3 张 · 1 位评委打分明显偏离');

    // no trimming: P1 = (80 + 85 + 78 + 90) / 4 = 83.25 (s1 recused), P3 = (70+75+75+78+50)/5 = 69.60
    fireEvent.click(screen.getByLabelText('去掉最高分和最低分'));
    await waitFor(() => expect(projectTables()['县组']![0]).toEqual(['项目P1', '1', '83.25']));
    expect(projectTables()['区组']).toEqual([
      ['项目P4', '1', '82.33'],
      ['项目P3', '2', '69.60'],
    ]);
    expect(screen.getByTestId('rules-panel').textContent).toContain('试算，未保存的规则');

    // one project's sheets: every scorer, with what became of the sheet
    fireEvent.click(screen.getByRole('button', { name: '项目P1' }));
    const sheets = await screen.findByTestId('project-sheets');
    expect([...sheets.querySelectorAll('tbody tr')].map((tr) => [tr.getAttribute('data-scorer-id'), tr.getAttribute('data-fate')])).toEqual([
      ['s1', 'recused'],
      ['s2', 'counted'],
      ['s3', 'counted'],
      ['s4', 'counted'],
      ['s5', 'counted'],
    ]);
    // back to the saved rules: the preview ends, s4 and s5 are dropped again
    fireEvent.click(screen.getByRole('button', { name: '恢复已保存的规则' }));
    await waitFor(() => expect(projectTables()['县组']![0]).toEqual(['项目P1', '1（并列）', '82.50']));
    expect(within(screen.getByTestId('project-sheets')).getAllByRole('row').map((tr) => tr.getAttribute('data-fate'))).toEqual([null, 'recused', 'counted', 'counted', 'droppedLowest', 'droppedHighest']);
  });

  it('ranks projects and units each in its own scope, in tour order; exporting trial rules asks first; saving ends the trial', async () => {
    const input = handWorkedTour();
    await store(input);
    renderPage(input.tour.id);
    await screen.findAllByTestId('project-ranking');
    // tour order: 县组 (visited first) before 区组
    expect(Object.keys(projectTables())).toEqual(['县组', '区组']);
    expect(screen.getAllByTestId('unit-ranking').map((table) => table.getAttribute('data-group'))).toEqual(['县组', '区组']);

    fireEvent.click(within(screen.getByTestId('project-scope')).getByLabelText('全部统一排名'));
    await waitFor(() => expect(Object.keys(projectTables())).toEqual(['总排名']));
    expect(projectTables()['总排名']).toEqual([
      ['项目P1', '1（并列）', '82.50'],
      ['项目P2', '1（并列）', '82.50'],
      ['项目P4', '3', '82.33'],
      ['项目P3', '4', '73.33'],
    ]);
    // units stay within their groups
    expect(screen.getAllByTestId('unit-ranking').map((table) => table.getAttribute('data-group'))).toEqual(['县组', '区组']);
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual(expect.arrayContaining(['项目排名（全部统一排名）', '单位排名（各组分别排名）']));

    fireEvent.click(screen.getByTestId('export-xlsx'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('当前为试算规则，尚未保存。仍按试算规则导出？');
    fireEvent.click(within(dialog).getByRole('button', { name: '取消' }));
    // the trial is there for the bulletin too
    expect(readTrialRules(input.tour.id)).toMatchObject({ projectScope: 'tour', unitScope: 'group' });

    fireEvent.click(screen.getByRole('button', { name: '保存规则' }));
    await waitFor(async () => expect((await db.tours.get(input.tour.id))!.rules).toMatchObject({ projectScope: 'tour', unitScope: 'group' }));
    await waitFor(() => expect(readTrialRules(input.tour.id)).toBeNull());
    expect(screen.getByTestId('rules-panel').textContent).not.toContain('试算');
    expect(Object.keys(projectTables())).toEqual(['总排名']);
  });

  it('speaks English: no Chinese outside the tour’s own names', async () => {
    const input = handWorkedTour();
    await store(input);
    const { container } = renderPage(input.tour.id, 'en');
    await screen.findAllByTestId('project-ranking');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('测试观摩 · Rankings');
    expect(container.querySelector('.page__subtitle')!.textContent).toBe('Status: Closed · 3 score sheets not submitted · 1 scorer scores far from the others');
    expect(projectTables()['县组']![0]).toEqual(['项目P1', '1 (tie)', '82.50']);
    fireEvent.click(screen.getByRole('button', { name: '项目P2' }));
    await screen.findByTestId('project-sheets');
    fireEvent.click(screen.getAllByRole('button', { name: 'Send back' })[0]!);
    await screen.findByRole('dialog');
    expect(chineseOutsideData(document.body, input)).toEqual([]);
  });

  it('lists the data problems in the user’s words, with the records’ names', async () => {
    const t = new TourBuilder([['a', 60, 0.5], ['b', 40, 0.5]], { trim: null });
    t.unit('U1').stop('P1', 'U1').scorer('s1').scorer('s2');
    t.sheet('P1', 's1', [50, 30]).sheet('P1', 's2', [50, null]);
    const input = t.input();
    await store(input);
    renderPage(input.tour.id);
    const issues = await screen.findByTestId('ranking-issues');
    expect(within(issues).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['评委s2对“项目P1”的评分表已提交但没有填完，不计入。']);
    cleanup();
    renderPage(input.tour.id, 'en');
    expect((await screen.findByTestId('ranking-issues')).querySelector('li')!.textContent).toBe('评委s2’s submitted sheet for “项目P1” is not filled in completely and does not count.');
  });

  it('a rank-vote tour: units ranked from the ballots, no project tables', async () => {
    // U1 and U2 in one list; every scorer ranks U1 first except s3
    const t = new TourBuilder([['a', 100, 1]], { method: 'rankVote', recusal: false, trim: null, unitScope: 'tour' });
    t.unit('U1').unit('U2').unit('U3');
    t.stop('P1', 'U1').stop('P2', 'U2').stop('P3', 'U3');
    t.scorer('s1').scorer('s2').scorer('s3');
    t.ballot('s1', ['U1', 'U2', 'U3']).ballot('s2', ['U1', 'U3', 'U2']).ballot('s3', ['U2', 'U1', 'U3']);
    const input = t.input();
    await store(input);
    const { container } = renderPage(input.tour.id, 'en');
    const units = await screen.findByTestId('unit-ranking');
    expect(screen.queryByTestId('project-ranking')).toBeNull();
    expect(screen.getByTestId('rank-vote-note')).toBeTruthy();
    // points 100 − 3(r − 1): U1 = (100 + 100 + 97) / 3 = 99.00; U2 = (97 + 94 + 100) / 3 = 97.00; U3 = (94 + 97 + 94) / 3 = 95.00
    expect([...units.querySelectorAll('tbody tr')].map((tr) => [tr.getAttribute('data-unit-id'), tr.querySelector('[data-testid="unit-score"]')!.textContent])).toEqual([
      ['U1', '99.00'],
      ['U2', '97.00'],
      ['U3', '95.00'],
    ]);
    expect(within(units).getAllByRole('columnheader').map((th) => th.textContent)).toContain('Valid ballots');
    expect(container.querySelector('.page__subtitle')!.textContent).toContain('0 ballots not submitted');
    expect(chineseOutsideData(container, input)).toEqual([]);
  });
});
