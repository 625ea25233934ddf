// @vitest-environment happy-dom
/**
 * Preparing a rank-vote tour (排序投票): the method is chosen with the new tour, the editor's
 * template section says no template is needed (nothing to import or fill), and the tour is ready
 * to publish without one. In zh-CN and en.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbContext } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { I18nProvider } from '../../../i18n/I18nProvider';
import type { Locale } from '../../../i18n/catalogs';
import { createTestDb } from '../../../test-support/test-db';
import { DeskHomePage } from '../DeskHomePage';
import { TourEditorPage } from './TourEditorPage';

let db: GuanmoDb;
beforeEach(() => {
  localStorage.clear();
  db = createTestDb();
  window.location.hash = '';
});
afterEach(() => {
  cleanup();
  db.close();
});

function renderIn(locale: Locale, node: ReactNode) {
  return render(
    <I18nProvider initialLocale={locale}>
      <DbContext.Provider value={db}>{node}</DbContext.Provider>
    </I18nProvider>,
  );
}

async function createFromHome(method: '排序投票（第r名得 100−3(r−1) 分）' | '按评分表打分'): Promise<string> {
  renderIn('zh-CN', <DeskHomePage />);
  fireEvent.click(await screen.findByRole('button', { name: '新建观摩活动' }));
  const form = screen.getByTestId('new-tour-form');
  fireEvent.change(within(form).getByLabelText('活动名称'), { target: { value: '街道工作排序' } });
  const select = within(form).getByLabelText('计分方法') as HTMLSelectElement;
  expect(select.value).toBe('score');
  fireEvent.change(select, { target: { value: [...select.options].find((o) => o.text === method)!.value } });
  fireEvent.click(within(form).getByRole('button', { name: '创建' }));
  await waitFor(() => expect(window.location.hash).toMatch(/^#\/desk\/tours\//));
  return decodeURIComponent(window.location.hash.replace('#/desk/tours/', ''));
}

describe('preparing a rank-vote tour', () => {
  it('chooses the rank vote with the new tour; the editor needs no template and the tour can be published without one', async () => {
    const tourId = await createFromHome('排序投票（第r名得 100−3(r−1) 分）');
    const tour = (await db.tours.get(tourId))!;
    expect(tour).toMatchObject({ kind: 'scored', template: null, rules: { method: 'rankVote' } });
    cleanup();

    renderIn('zh-CN', <TourEditorPage tourId={tourId} />);
    const templateSection = await screen.findByTestId('template-section');
    expect(within(templateSection).getByTestId('template-not-needed').textContent).toContain('本活动采用排序投票');
    expect(within(templateSection).queryByTestId('template-import')).toBeNull();
    expect(within(templateSection).queryByTestId('template-editor')).toBeNull();
    // what keeps it from publishing: stops and people, never a template
    const problems = await screen.findByTestId('publish-problems');
    expect(problems.textContent).not.toContain('评分表');
    // the rules show the rank vote's rules only (no tie-break criterion, no project scope)
    const rules = screen.getByTestId('rules-section');
    // (the method select's shown value is checked in Chromium, e2e rank-vote-day: happy-dom sets a
    // registered select's value before its options exist)
    expect(within(rules).queryByLabelText('单位得分')).toBeNull();
    expect(within(rules).queryByLabelText('同分时比较的评分项目')).toBeNull();
    expect(within(rules).queryByTestId('project-scope')).toBeNull();
  });

  it('a score-sheet tour still needs its template, and the editor says how to use a rank vote instead', async () => {
    const tourId = await createFromHome('按评分表打分');
    expect((await db.tours.get(tourId))!.rules.method).toBe('score');
    cleanup();
    renderIn('zh-CN', <TourEditorPage tourId={tourId} />);
    const templateSection = await screen.findByTestId('template-section');
    expect(within(templateSection).getByTestId('template-import')).toBeTruthy();
    expect(templateSection.textContent).toContain('采用排序投票的活动不需要评分表');
    expect((await screen.findByTestId('publish-problems')).textContent).toContain('观摩评议活动需要评分表');
  });

  it('says it in English', async () => {
    renderIn('en', <DeskHomePage />);
    fireEvent.click(await screen.findByRole('button', { name: 'New tour' }));
    const select = within(screen.getByTestId('new-tour-form')).getByLabelText('Scoring method') as HTMLSelectElement;
    fireEvent.change(select, { target: { value: 'rankVote' } });
    expect(screen.getByText('Scorers rank the units; rank r earns 100−3(r−1) points. No score sheet template is needed.')).toBeTruthy();
  });
});
