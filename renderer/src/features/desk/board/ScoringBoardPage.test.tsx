// @vitest-environment happy-dom
import { sheetId } from '@shared/domain/schemas';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbContext } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { seedDemo } from '../../../db/seed-demo';
import { createTestDb } from '../../../test-support/test-db';
import { loadFixtureTours } from '../../../test-support/tour-fixtures';
import { ScoringBoardPage } from './ScoringBoardPage';

let db: GuanmoDb;
beforeEach(async () => {
  db = createTestDb();
  await seedDemo(db, loadFixtureTours);
});
afterEach(() => {
  cleanup();
  db.close();
});

const cell = (stopName: string, scorerName: string) =>
  document.querySelector(`[data-testid="board-row"][data-stop-name="${stopName}"] td[data-scorer="${scorerName}"]`)?.getAttribute('data-state');

describe('scoring board page', () => {
  it('fills in by itself as sheets arrive in the local database', async () => {
    render(
      <DbContext.Provider value={db}>
        <ScoringBoardPage tourId="fx-scored" />
      </DbContext.Provider>,
    );
    await screen.findByTestId('scoring-board');
    expect(cell('信息科技园', '评委甲')).toBe('notStarted');
    expect(cell('安置房项目', '评委乙')).toBe('recused');
    expect(screen.getByTestId('board-total-submitted').textContent).toBe('0');

    // what the sync client does when it pulls a submitted sheet
    await db.sheets.put({
      id: sheetId('fx-scored', 'fx-scored:s1', 'fx-scored:alice'),
      tourId: 'fx-scored',
      stopId: 'fx-scored:s1',
      scorerId: 'fx-scored:alice',
      scores: { scale: 30, progress: 30, report: 15 },
      status: 'submitted',
      comment: '',
      submittedAt: '2021-12-08T02:00:00.000Z',
      updatedAt: '2021-12-08T02:00:00.000Z',
    });
    await waitFor(() => expect(cell('信息科技园', '评委甲')).toBe('submitted'));
    expect(screen.getByTestId('board-total-submitted').textContent).toBe('1');
    expect(screen.getByTestId('board-missing').textContent).not.toContain('信息科技园：评委甲');
    expect(screen.getByTestId('board-missing').textContent).toContain('智能制造基地：');
  });
});
