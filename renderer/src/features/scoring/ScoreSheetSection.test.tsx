// @vitest-environment happy-dom
import { cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Dexie from 'dexie';
import { sheetId, type ScoreSheet } from '@shared/domain/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CurrentUserContext } from '../../app/current-user-context';
import { DbContext } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { seedDemo } from '../../db/seed-demo';
import { I18nProvider } from '../../i18n/I18nProvider';
import { createTestDb } from '../../test-support/test-db';
import { loadFixtureTours } from '../../test-support/tour-fixtures';
import { ScoreSheetSection } from './ScoreSheetSection';

// live queries, autosave and re-renders chain several IndexedDB round trips: give them room on a loaded machine
configure({ asyncUtilTimeout: 5000 });

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

  it("keeps what was typed fast when the autosave's earlier writes come back late, and submits exactly that", async () => {
    renderSheet('u-alice', 'fx-scored:s1');
    const scale = (await screen.findByLabelText('项目规模')) as HTMLInputElement;
    const progress = screen.getByLabelText('建设进度') as HTMLInputElement;
    const report = screen.getByLabelText('现场汇报') as HTMLInputElement;
    type(scale, '30');
    type(progress, '20');
    type(report, '15');
    await waitFor(async () => expect((await db.sheets.get(aliceSheet))?.scores).toEqual({ scale: 30, progress: 20, report: 15 }));
    await waitFor(() => expect(screen.getByTestId('save-status').dataset.status).toBe('saved'));

    // a slow, busy laptop: every write of the sheet waits until the typing of a round is done
    let openWrites = () => {};
    let writesHeld = Promise.resolve();
    const holdWrites = () => (writesHeld = new Promise<void>((resolve) => (openWrites = resolve)));
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
    (db as unknown as { transaction: (...args: unknown[]) => Promise<unknown> }).transaction = (...args) =>
      args[0] === 'rw' && !Dexie.currentTransaction ? writesHeld.then(() => transaction(...args)) : transaction(...args);

    // over the existing values, keys with no delay, each field left at once
    const typeKeys = (input: HTMLInputElement, text: string) => {
      input.focus();
      for (let i = 1; i <= text.length; i++) type(input, text.slice(0, i));
      fireEvent.blur(input);
    };
    async function expectTyped(texts: { scale: string; progress: string; report: string }, scores: { scale: number; progress: number; report: number }) {
      await waitFor(async () => expect((await db.sheetDrafts.get(aliceSheet))?.texts).toEqual(texts));
      await waitFor(async () => expect((await db.sheets.get(aliceSheet))?.scores).toEqual(scores));
      await waitFor(() => expect(screen.getByTestId('save-status').dataset.status).toBe('saved'));
      expect({ scale: scale.value, progress: progress.value, report: report.value }).toEqual(texts);
      expect(screen.queryByTestId('sheet-synced')).toBeNull();
      expect(screen.queryByTestId('criterion-kept')).toBeNull();
    }

    // round 1: the first field re-typed to the value it had (its first keystroke "3" is written
    // first and comes back after the field was left), the second to a new value, the third re-typed
    holdWrites();
    typeKeys(scale, '30');
    typeKeys(progress, '18.5');
    typeKeys(report, '15');
    openWrites();
    await expectTyped({ scale: '30', progress: '18.5', report: '15' }, { scale: 30, progress: 18.5, report: 15 });

    // round 2: the same again, starting in another field
    holdWrites();
    typeKeys(progress, '18.5');
    typeKeys(report, '12');
    typeKeys(scale, '36.5');
    openWrites();
    await expectTyped({ scale: '36.5', progress: '18.5', report: '12' }, { scale: 36.5, progress: 18.5, report: 12 });

    // and the submitted sheet is the screen
    fireEvent.click(screen.getByTestId('submit-sheet'));
    fireEvent.click(within(await screen.findByRole('dialog')).getByText('确认提交'));
    const locked = await screen.findByTestId('submitted-sheet');
    expect(within(locked).getAllByTestId('criterion-value').map((v) => v.textContent)).toEqual(['36.5 / 40', '18.5 / 40', '12 / 20']);
    expect(await db.sheets.get(aliceSheet)).toMatchObject({ status: 'submitted', scores: { scale: 36.5, progress: 18.5, report: 12 } });
  });

  describe('while open, follows what sync brings', () => {
    /** What a pull does: puts the merged record into the sheets table (sync/pull.ts applyPage). */
    async function pulled(patch: Partial<ScoreSheet>): Promise<void> {
      const current = await db.sheets.get(aliceSheet);
      await db.sheets.put({ ...current!, ...patch, updatedAt: '2021-12-08T03:04:05.000Z' });
    }
    const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

    it('fills untouched fields with the pulled values and keeps what the user is typing', async () => {
      renderSheet('u-alice', 'fx-scored:s1');
      type(await screen.findByLabelText('项目规模'), '30');
      type(input('建设进度'), '20');
      await waitFor(async () => expect((await db.sheets.get(aliceSheet))?.scores).toEqual({ scale: 30, progress: 20, report: null }));
      await waitFor(() => expect(screen.getByTestId('save-status').dataset.status).toBe('saved'));

      // the user starts typing in 建设进度 (saved at once: autosave writes through); meanwhile
      // their other laptop's scale and progress arrive
      input('建设进度').focus();
      type(input('建设进度'), '2');
      await waitFor(async () => expect((await db.sheets.get(aliceSheet))?.scores.progress).toBe(2));
      await pulled({ scores: { scale: 36, progress: 25, report: 15 } });

      await waitFor(() => expect(input('项目规模').value).toBe('36'));
      expect(input('现场汇报').value).toBe('15');
      expect(input('建设进度').value).toBe('2');
      expect(screen.getByTestId('sheet-synced').textContent).toContain('项目规模');
      // the field being typed in says what arrived, and the user's text stays
      const kept = await screen.findByTestId('criterion-kept');
      expect(kept.textContent).toContain('另一台设备保存了 25 分');
      await waitFor(() => expect(screen.getByTestId('sheet-total').textContent).toBe('53'));
      // what is on screen is written again over the pulled value, so data and screen agree
      await waitFor(async () => expect((await db.sheets.get(aliceSheet))?.scores).toEqual({ scale: 36, progress: 2, report: 15 }));
      expect(screen.getByTestId('criterion-kept').textContent).toContain('另一台设备保存了 25 分');

      // the user's next keystroke is saved over the pulled sheet: their field wins, the rest stays pulled
      type(input('建设进度'), '22');
      await waitFor(async () => expect((await db.sheets.get(aliceSheet))?.scores).toEqual({ scale: 36, progress: 22, report: 15 }));
      expect(screen.getByTestId('criterion-kept')).toBeTruthy();
      // moving on from the field retires the hint
      fireEvent.blur(input('建设进度'));
      await waitFor(() => expect(screen.queryByTestId('criterion-kept')).toBeNull());
      // and an outbox entry carries it (with a fresh HLC stamp: the newest write of the scores)
      const entries = (await db.outbox.toArray()).filter((e) => e.recordId === aliceSheet);
      expect(entries.at(-1)?.changedFields).toContain('scores');
    });

    it('lets the user take the pulled value instead of theirs', async () => {
      renderSheet('u-alice', 'fx-scored:s1');
      type(await screen.findByLabelText('项目规模'), '30');
      await waitFor(async () => expect((await db.sheets.get(aliceSheet))?.scores.scale).toBe(30));
      await waitFor(() => expect(screen.getByTestId('save-status').dataset.status).toBe('saved'));
      input('项目规模').focus();
      type(input('项目规模'), '3');
      await pulled({ scores: { scale: 38, progress: null, report: null } });
      const kept = await screen.findByTestId('criterion-kept');
      fireEvent.click(within(kept).getByRole('button', { name: '改用 38 分' }));
      expect(input('项目规模').value).toBe('38');
      await waitFor(() => expect(screen.queryByTestId('criterion-kept')).toBeNull());
      await waitFor(async () => expect((await db.sheetDrafts.get(aliceSheet))?.texts.scale).toBe('38'));
    });

    it('locks when the sheet was submitted on another laptop, and lists what was typed here and not submitted', async () => {
      renderSheet('u-alice', 'fx-scored:s1');
      type(await screen.findByLabelText('项目规模'), '30');
      await waitFor(async () => expect((await db.sheets.get(aliceSheet))?.scores.scale).toBe(30));
      type(input('建设进度'), '12.3');
      await pulled({ scores: { scale: 35, progress: 30, report: 18 }, status: 'submitted', submittedAt: '2021-12-08T03:04:00.000Z' });

      const locked = await screen.findByTestId('submitted-sheet');
      expect(within(locked).getAllByTestId('criterion-value').map((v) => v.textContent)).toEqual(['35 / 40', '30 / 40', '18 / 20']);
      // the notice comes with the render after the lock (an effect compares with the form shown before)
      const notice = await screen.findByTestId('sheet-sync-notice');
      expect(notice.dataset.kind).toBe('lockedElsewhere');
      expect(notice.textContent).toContain('这张评分表已在另一台设备上提交');
      expect(within(notice).getByTestId('sheet-sync-leftover').textContent).toBe('您在本机输入、但不在提交结果中的分数：项目规模 30、建设进度 12.3。如需更正，请联系秘书处退回。');
      expect(screen.queryByRole('textbox')).toBeNull();
      fireEvent.click(within(notice).getByRole('button', { name: '知道了' }));
      expect(screen.queryByTestId('sheet-sync-notice')).toBeNull();
    });

    it('locks when the secretariat closes scoring, keeping what was typed in view', async () => {
      renderSheet('u-alice', 'fx-scored:s1');
      type(await screen.findByLabelText('项目规模'), '30');
      await waitFor(async () => expect((await db.sheets.get(aliceSheet))?.scores.scale).toBe(30));
      type(input('建设进度'), '12.3'); // not a valid score: only in the local draft
      await waitFor(async () => expect((await db.sheetDrafts.get(aliceSheet))?.texts.progress).toBe('12.3'));
      const tour = (await db.tours.get('fx-scored'))!;
      await db.tours.put({ ...tour, status: 'closed' });
      await screen.findByTestId('submitted-sheet');
      const notice = await screen.findByTestId('sheet-sync-notice');
      expect(notice.dataset.kind).toBe('closed');
      // the stored 30 is in the read-only sheet; the text that never made it there is listed
      expect(within(notice).getByTestId('sheet-sync-leftover').textContent).toBe('您在本机输入、但没有进入评分表的内容：建设进度 12.3。');
    });

    it('says nothing extra after the user submits the sheet here', async () => {
      renderSheet('u-alice', 'fx-scored:s1');
      type(await screen.findByLabelText('项目规模'), '35');
      type(input('建设进度'), '30');
      type(input('现场汇报'), '18');
      fireEvent.click(screen.getByTestId('submit-sheet'));
      fireEvent.click(within(await screen.findByRole('dialog')).getByText('确认提交'));
      await screen.findByTestId('submitted-sheet');
      expect(screen.queryByTestId('sheet-sync-notice')).toBeNull();
    });

    it('unlocks when the secretariat reopens it, with a notice', async () => {
      await db.sheets.put({
        id: aliceSheet,
        tourId: 'fx-scored',
        stopId: 'fx-scored:s1',
        scorerId: 'fx-scored:alice',
        scores: { scale: 35, progress: 30, report: 18 },
        status: 'submitted',
        comment: '',
        submittedAt: '2021-12-08T02:00:00.000Z',
        updatedAt: '2021-12-08T02:00:00.000Z',
      });
      renderSheet('u-alice', 'fx-scored:s1');
      await screen.findByTestId('submitted-sheet');
      await pulled({ status: 'reopened', reopenReason: '第2项分值误填' });

      expect((await screen.findByLabelText('建设进度') as HTMLInputElement).value).toBe('30');
      const notice = await screen.findByTestId('sheet-sync-notice');
      expect(notice.dataset.kind).toBe('reopened');
      expect(notice.textContent).toMatch(/^秘书处已退回这张评分表（(\d+年)?\d+月\d+日 \d{2}:\d{2}），现在可以修改/);
      expect(screen.getByTestId('sheet-reopen-reason').textContent).toBe('退回原因：第2项分值误填');
      // editable again, and saved
      type(input('建设进度'), '28');
      await waitFor(async () => expect((await db.sheets.get(aliceSheet))?.scores.progress).toBe(28));
    });
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
