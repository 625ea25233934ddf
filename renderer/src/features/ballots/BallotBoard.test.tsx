// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ballotId } from '@shared/domain/rank-vote';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbContext } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { seedDemo } from '../../db/seed-demo';
import { I18nProvider } from '../../i18n/I18nProvider';
import { createTestDb } from '../../test-support/test-db';
import { loadFixtureTours } from '../../test-support/tour-fixtures';
import { ScoringBoardPage } from '../desk/board/ScoringBoardPage';

let db: GuanmoDb;
beforeEach(async () => {
  localStorage.clear();
  db = createTestDb();
  await seedDemo(db, loadFixtureTours);
  const tour = (await db.tours.get('fx-scored'))!;
  await db.tours.put({ ...tour, rules: { ...tour.rules, method: 'rankVote', unitScope: 'tour' } });
});
afterEach(() => {
  cleanup();
  db.close();
});

const cell = (scorerName: string) => document.querySelector(`[data-testid="ballot-board-row"][data-scorer="${scorerName}"] td[data-state]`)?.getAttribute('data-state');

describe('rank-vote board on the desk', () => {
  it('shows each scorer’s ballot state as ballots arrive, and offers an audited reopen of a submitted one', async () => {
    render(
      <I18nProvider initialLocale="zh-CN">
        <DbContext.Provider value={db}>
          <ScoringBoardPage tourId="fx-scored" />
        </DbContext.Provider>
      </I18nProvider>,
    );
    await screen.findByTestId('ballot-board');
    expect(screen.queryByTestId('scoring-board')).toBeNull();
    expect(cell('评委甲')).toBe('todo');
    expect(cell('评委乙')).toBe('todo');
    expect(screen.getByTestId('ballot-board-total').textContent).toBe('0/2');

    // what the sync client does when it pulls a submitted ballot
    const id = ballotId('fx-scored', 'fx-scored:alice', null);
    await db.ballots.put({ id, tourId: 'fx-scored', scorerId: 'fx-scored:alice', group: null, unitIds: ['fx-scored:u2', 'fx-scored:u1'], status: 'submitted', submittedAt: '2021-12-08T08:00:00.000Z', updatedAt: '2021-12-08T08:00:00.000Z' });
    await waitFor(() => expect(cell('评委甲')).toBe('submitted'));
    expect(screen.getByTestId('ballot-board-total').textContent).toBe('1/2');
    expect(screen.getByTestId('ballot-board-missing').textContent).toContain('评委乙 · 全部参评单位：未开始');
    expect(screen.getByTestId('ballot-board-missing').textContent).not.toContain('评委甲');

    // reopen needs a reason (and the server: this device is not signed in)
    fireEvent.click(screen.getByRole('button', { name: '退回「评委甲」对「全部参评单位」的排序票' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByText('确认退回'));
    expect(await within(dialog).findByText('请填写退回原因。')).toBeTruthy();
    fireEvent.change(within(dialog).getByTestId('ballot-reopen-reason'), { target: { value: '顺序填反' } });
    fireEvent.click(within(dialog).getByText('确认退回'));
    expect(await within(dialog).findByText(/需要先用秘书处账号登录服务器|退回需要连接服务器/)).toBeTruthy();
    expect((await db.ballots.get(id))?.status).toBe('submitted');
  });
});
