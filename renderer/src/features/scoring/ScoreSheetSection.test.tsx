// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { sheetId } from '@shared/domain/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CurrentUserContext } from '../../app/current-user-context';
import { DbContext } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { seedDemo } from '../../db/seed-demo';
import { I18nProvider } from '../../i18n/I18nProvider';
import { createTestDb } from '../../test-support/test-db';
import { loadFixtureTours } from '../../test-support/tour-fixtures';
import { ScoreSheetSection } from './ScoreSheetSection';

let db: GuanmoDb;
beforeEach(async () => {
  localStorage.clear();
  db = createTestDb();
  await seedDemo(db, loadFixtureTours);
});
afterEach(() => {
  cleanup();
  db.close();
});

const names: Record<string, string> = { 'u-alice': '评委甲', 'u-bob': '评委乙', 'u-olga': '观摩人员' };

function renderSheet(userId: string, stopId: string) {
  return render(
    <I18nProvider initialLocale="zh-CN">
      <DbContext.Provider value={db}>
        <CurrentUserContext.Provider value={{ userId, name: names[userId] ?? userId, source: 'picker', since: '2021-12-08T00:00:00.000Z' }}>
          <ScoreSheetSection tourId="fx-scored" stopId={stopId} />
        </CurrentUserContext.Provider>
      </DbContext.Provider>
    </I18nProvider>,
  );
}

const aliceSheet = sheetId('fx-scored', 'fx-scored:s1', 'fx-scored:alice');
const type = (input: HTMLElement, value: string) => fireEvent.change(input, { target: { value } });

describe('score sheet', () => {
  it('scores with a live total, explains refused values at the field and autosaves everything typed', async () => {
    renderSheet('u-alice', 'fx-scored:s1');
    const scale = await screen.findByLabelText('项目规模');
    const progress = screen.getByLabelText('建设进度');
    const report = screen.getByLabelText('现场汇报');
    expect(scale.getAttribute('inputmode')).toBe('decimal');
    expect(screen.getAllByText('满分 40 分，最小 0.5 分')).toHaveLength(2);
    expect(screen.getByText('满分 20 分，最小 1 分')).toBeTruthy();
    expect(screen.getByText('总投资、占地、设计产能')).toBeTruthy();

    type(scale, '35.5');
    type(report, '18');
    await waitFor(() => expect(screen.getByTestId('sheet-total').textContent).toBe('53.5'));
    expect(screen.getByText('已评 2 / 3 项')).toBeTruthy();

    type(progress, '12.3');
    expect(await screen.findByText('请按 0.5 分一档打分，例如 12 或 12.5')).toBeTruthy();
    expect(progress.getAttribute('aria-invalid')).toBe('true');
    type(report, '20.5');
    expect(await screen.findByText('分数应在 0 到 20 分之间')).toBeTruthy();
    // the total counts only valid values
    await waitFor(() => expect(screen.getByTestId('sheet-total').textContent).toBe('35.5'));

    // nothing typed is lost: the texts as typed locally, the valid values in the synced sheet
    await waitFor(async () => expect((await db.sheetDrafts.get(aliceSheet))?.texts).toEqual({ scale: '35.5', progress: '12.3', report: '20.5' }));
    expect((await db.sheets.get(aliceSheet))?.scores).toEqual({ scale: 35.5, progress: null, report: null });
    await waitFor(() => expect(screen.getByTestId('save-status').textContent).toMatch(/^已保存 \d{2}:\d{2}:\d{2}$/));

    // typed text comes back as it was, with its message, when the sheet opens again
    cleanup();
    renderSheet('u-alice', 'fx-scored:s1');
    expect(((await screen.findByLabelText('建设进度')) as HTMLInputElement).value).toBe('12.3');
    expect(await screen.findByText('请按 0.5 分一档打分，例如 12 或 12.5')).toBeTruthy();
  });

  it('moves on with Enter, from the last criterion to the submit button', async () => {
    renderSheet('u-alice', 'fx-scored:s1');
    const scale = await screen.findByLabelText('项目规模');
    scale.focus();
    fireEvent.keyDown(scale, { key: 'Enter' });
    expect(document.activeElement).toBe(screen.getByLabelText('建设进度'));
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(document.activeElement).toBe(screen.getByLabelText('现场汇报'));
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(document.activeElement).toBe(screen.getByTestId('submit-sheet'));
  });

  it('submits only a complete sheet, after confirmation, and then shows it locked', async () => {
    renderSheet('u-alice', 'fx-scored:s1');
    type(await screen.findByLabelText('项目规模'), '35.5');
    fireEvent.click(screen.getByTestId('submit-sheet'));
    expect(await screen.findByText('还有 2 项未填或不符合要求，请修改后再提交。')).toBeTruthy();
    expect(screen.getAllByText('请为此项打分')).toHaveLength(2);
    expect(document.activeElement).toBe(screen.getByLabelText('建设进度'));
    expect(screen.queryByRole('dialog')).toBeNull();

    type(screen.getByLabelText('建设进度'), '38');
    type(screen.getByLabelText('现场汇报'), '18');
    fireEvent.click(screen.getByTestId('submit-sheet'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('本项目合计 91.5 分（满分 100 分）。')).toBeTruthy();
    // cancelling changes nothing
    fireEvent.click(within(dialog).getByText('再检查一下'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await db.sheets.get(aliceSheet))?.status).toBe('draft');

    fireEvent.click(screen.getByTestId('submit-sheet'));
    fireEvent.click(within(await screen.findByRole('dialog')).getByText('确认提交'));
    const locked = await screen.findByTestId('submitted-sheet');
    expect(within(locked).getByText('评分已提交')).toBeTruthy();
    expect(within(locked).getByTestId('submitted-at').textContent).toMatch(/^提交时间：\d+月\d+日 \d{2}:\d{2}$/);
    expect(within(locked).getAllByTestId('criterion-value').map((v) => v.textContent)).toEqual(['35.5 / 40', '38 / 40', '18 / 20']);
    expect(within(locked).getByTestId('sheet-total').textContent).toBe('91.5');
    expect(screen.queryByRole('textbox')).toBeNull();
    const sheet = await db.sheets.get(aliceSheet);
    expect(sheet).toMatchObject({ status: 'submitted', scores: { scale: 35.5, progress: 38, report: 18 } });
    // on to the next stop still to score
    expect((await within(locked).findByTestId('next-unscored')).textContent).toContain('安置房项目');
  });

  it('shows 回避 and no sheet to a scorer from the host unit, and a note to observers', async () => {
    renderSheet('u-bob', 'fx-scored:s2');
    const recused = await screen.findByTestId('recused');
    expect(recused.textContent).toContain('回避');
    // the unit's name comes from its own live query, which may resolve a render later
    await waitFor(() => expect(screen.getByTestId('recused').textContent).toContain('您来自文峰街道'));
    expect(screen.queryByRole('textbox')).toBeNull();
    cleanup();
    renderSheet('u-olga', 'fx-scored:s1');
    expect((await screen.findByTestId('observer-note')).textContent).toContain('不参与评分');
    expect(screen.queryByRole('textbox')).toBeNull();
  });
});
