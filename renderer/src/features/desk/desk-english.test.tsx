// @vitest-environment happy-dom
/**
 * The desk in English: every screen H5 translated is rendered with the en catalog and searched
 * for Chinese characters (CJK ideographs and full-width punctuation) in its text and in the
 * attributes people read or hear (aria-label, title, placeholder, alt). Only data values may be
 * Chinese: every string held in the database for the tours and every cell of the imported
 * table is taken out first. A label left hard-coded in Chinese makes this fail.
 *
 * The tour editor is checked whole, its scorers section included. Not covered here: the
 * rankings screen (its own change and tests); the bulletin's document part, which stays Chinese
 * on purpose (checked below).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { SCORER_COLUMNS } from '@shared/import';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbContext } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { seedDemo } from '../../db/seed-demo';
import { I18nProvider } from '../../i18n/I18nProvider';
import { setSyncState } from '../../sync/sync-tables';
import { createTestDb } from '../../test-support/test-db';
import { loadFixtureTours } from '../../test-support/tour-fixtures';
import { ScoringBoardPage } from './board/ScoringBoardPage';
import { DeskGate } from './DeskGate';
import { DeskHomePage } from './DeskHomePage';
import { BulletinPage } from './export/BulletinPage';
import { createTour } from './prepare/desk-repo';
import { TourEditorPage } from './prepare/TourEditorPage';

const CHINESE = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;
const READ_ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'alt'] as const;

// node's path, not the DOM's URL (happy-dom replaces the global URL)
const demoCsv = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../assets/demo/tour-chongchuan-2021-scored.csv'), 'utf8');

let db: GuanmoDb;
beforeEach(async () => {
  localStorage.clear();
  db = createTestDb();
  await seedDemo(db, loadFixtureTours);
  await createTour(db, 'draft-tour', { name: '草稿活动', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-09' });
});
afterEach(() => {
  cleanup();
  db.close();
});

function renderEn(node: ReactNode) {
  return render(
    <I18nProvider initialLocale="en">
      <DbContext.Provider value={db}>{node}</DbContext.Provider>
    </I18nProvider>,
  );
}

/**
 * The scorer list's column headers and role words: the English help names the columns a list
 * must have, and those are Chinese in the table whatever the app's language.
 */
const SCORER_TABLE_WORDS = [...SCORER_COLUMNS.map((c) => c.label), '评委', '观摩员'];

/** Every string stored for the tours (names, groups, criteria, people…): data, not interface. */
async function dataValues(extra: readonly string[] = []): Promise<string[]> {
  const records = [...(await db.tours.toArray()), ...(await db.units.toArray()), ...(await db.stops.toArray()), ...(await db.scorers.toArray())];
  const found = new Set<string>([...extra, ...SCORER_TABLE_WORDS]);
  const collect = (value: unknown): void => {
    if (typeof value === 'string') found.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(records);
  return [...found].filter((s) => CHINESE.test(s)).sort((a, b) => b.length - a.length);
}

/** The Chinese left in what the user reads once data values are taken out (empty = fully English). */
function chineseOutsideData(root: Element, data: readonly string[]): string[] {
  const strip = (text: string) => data.reduce((rest, value) => rest.split(value).join(''), text);
  const leftovers: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let texts = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    texts++;
    const text = node.textContent ?? '';
    if (CHINESE.test(strip(text))) leftovers.push(text.trim());
  }
  for (const element of root.querySelectorAll('*')) {
    for (const name of READ_ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value && CHINESE.test(strip(value))) leftovers.push(`[${name}] ${value}`);
    }
  }
  // a page that rendered nothing would pass vacuously
  expect(texts).toBeGreaterThan(0);
  return leftovers;
}

describe('the desk in English', () => {
  it('gate: a scorer account is told, in English, that the desk is not for it', async () => {
    const { container } = renderEn(
      <DeskGate>
        <p>desk</p>
      </DeskGate>,
    );
    await screen.findByText(/open to secretariat and administrator accounts only/);
    expect(screen.getByRole('link', { name: 'sign in' }).getAttribute('href')).toBe('#/sync');
    expect(chineseOutsideData(container, [])).toEqual([]);
  });

  it('home: the tour list and the new-tour form with its validation', async () => {
    const { container } = renderEn(<DeskHomePage />);
    await screen.findByTestId('desk-tours');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Secretariat desk');
    expect(screen.getByText('April 21, 2021')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'New tour' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create' }));
    await screen.findByText('Enter the name of the tour');
    expect(chineseOutsideData(container, await dataValues())).toEqual([]);
  });

  it('tour editor of a scored tour: stops, units, template, rules, and the import preview and row errors', async () => {
    const { container } = renderEn(<TourEditorPage tourId="fx-scored" />);
    const stops = await screen.findByTestId('stops-section');
    expect(within(stops).getByRole('heading', { level: 2 }).textContent).toBe('Projects (3 projects, 2 units)');
    await screen.findByTestId('rules-section');

    // a broken table: its row errors in English (the column names are the file's own words)
    const importBox = within(screen.getByTestId('stops-import'));
    const pick = (text: string, name: string) => {
      const input = importBox.getByLabelText('Import the itinerary table (.xlsx or .csv)') as HTMLInputElement;
      Object.defineProperty(input, 'files', { value: [new File([text], name, { type: 'text/csv' })], configurable: true });
      fireEvent.change(input);
    };
    pick(demoCsv.replace('2021-12-08,2,', '2021-13-45,2,'), 'broken.csv');
    const errors = await screen.findByTestId('import-errors');
    expect(errors.textContent).toMatch(/has 1 problem; nothing was saved/);
    expect(errors.textContent).toMatch(/^.*Row 3, column "观摩日期"/);
    const cells = demoCsv.split(/[\r\n,]+/).concat('2021-13-45', 'broken.csv');
    expect(chineseOutsideData(container, await dataValues(cells))).toEqual([]);

    // the good table: a preview in English
    pick(demoCsv, 'tour.csv');
    const preview = await screen.findByTestId('import-preview');
    expect(preview.textContent).toContain('Save import');
    expect(chineseOutsideData(container, await dataValues(cells))).toEqual([]);
  });

  it('tour editor of a draft tour: what keeps it from being published, and the publish dialog', async () => {
    const { container } = renderEn(<TourEditorPage tourId="draft-tour" />);
    const problems = await screen.findByTestId('publish-problems');
    expect(problems.textContent).toContain('No projects yet: import the itinerary table');
    expect(screen.getByTestId('tour-status').textContent).toBe('Draft');
    expect(screen.getByText('Import the itinerary table or add a unit first; then projects can be added by hand.')).toBeTruthy();
    expect(chineseOutsideData(container, await dataValues())).toEqual([]);
  });

  it('scoring board: legend, counts, missing scorers', async () => {
    const { container } = renderEn(<ScoringBoardPage tourId="fx-scored" />);
    await screen.findByTestId('scoring-board');
    expect(screen.getByTestId('board-missing').textContent).toContain('智能制造基地: 评委甲, 评委乙');
    expect(container.querySelector('.page__subtitle')!.textContent).toBe('示例区重点项目观摩评议 · Submitted: 0 of 5 · Drafts: 0 · Not started: 5');
    expect(chineseOutsideData(container, await dataValues())).toEqual([]);
  });

  it('bulletin: the toolbar is English, the document stays Chinese (an official document)', async () => {
    await setSyncState(db, 'session', {
      serverUrl: 'http://127.0.0.1:8787',
      token: 't',
      expiresAt: '2099-01-01T00:00:00.000Z',
      user: { id: 'u-sec', username: 'sec', displayName: '秘书处', role: 'secretariat' },
    });
    const { container } = renderEn(<BulletinPage tourId="fx-scored" />);
    const document_ = await screen.findByTestId('bulletin-document');
    expect(document_.getAttribute('lang')).toBe('zh-CN');
    expect(within(document_).getByRole('heading', { level: 1 }).textContent).toBe('关于示例区重点项目观摩评议结果的通报');
    const toolbar = container.querySelector('.bulletin__toolbar')!;
    // the way back is the tour bar above (TourDeskNav); the toolbar holds the print action
    expect(toolbar.textContent).toContain('Print / save as PDF');
    expect(chineseOutsideData(toolbar, [])).toEqual([]);
  });

  it('bulletin before the results are published: said in English to a non-secretariat reader', async () => {
    const { container } = renderEn(<BulletinPage tourId="fx-scored" />);
    await waitFor(() => expect(container.textContent).toContain('The bulletin is visible once the secretariat publishes the results.'));
    expect(chineseOutsideData(container, [])).toEqual([]);
  });
});
