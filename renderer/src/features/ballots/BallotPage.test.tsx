// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ballotId } from '@shared/domain/rank-vote';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CurrentUserContext } from '../../app/current-user-context';
import { DbContext } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { seedDemo } from '../../db/seed-demo';
import { I18nProvider } from '../../i18n/I18nProvider';
import { createTestDb } from '../../test-support/test-db';
import { loadFixtureTours } from '../../test-support/tour-fixtures';
import { BallotPage } from './BallotPage';
import { TourBallotsSection } from './TourBallotsSection';

// the fixture's scored tour as a rank-vote tour with one overall list of three units:
// 高新区 (u1, visited first), 文峰街道 (u2, bob's home unit), 港闸区 (u3, no stop)
let db: GuanmoDb;
beforeEach(async () => {
  localStorage.clear();
  db = createTestDb();
  await seedDemo(db, loadFixtureTours);
  await db.units.put({ id: 'fx-scored:u3', tourId: 'fx-scored', name: '港闸区', group: '园区组', indicatorScore: null });
  const tour = (await db.tours.get('fx-scored'))!;
  await db.tours.put({ ...tour, rules: { ...tour.rules, method: 'rankVote', unitScope: 'tour' } });
});
afterEach(() => {
  cleanup();
  db.close();
});

const names: Record<string, string> = { 'u-alice': '评委甲', 'u-bob': '评委乙', 'u-olga': '观摩人员' };
const aliceBallot = ballotId('fx-scored', 'fx-scored:alice', null);

function renderWithUser(userId: string, children: React.ReactNode) {
  return render(
    <I18nProvider initialLocale="zh-CN">
      <DbContext.Provider value={db}>
        <CurrentUserContext.Provider value={{ userId, name: names[userId] ?? userId, source: 'picker', since: '2021-12-08T00:00:00.000Z' }}>{children}</CurrentUserContext.Provider>
      </DbContext.Provider>
    </I18nProvider>,
  );
}
const renderBallot = (userId: string) => renderWithUser(userId, <BallotPage tourId="fx-scored" group={null} />);

const shownOrder = () => screen.queryAllByTestId('ballot-unit').map((li) => li.querySelector('.ballot-unit__name')!.textContent);
const shownPoints = () => screen.queryAllByTestId('ballot-unit').map((li) => li.querySelector('.ballot-unit__points')!.textContent);
const waiting = () => screen.queryAllByTestId('ballot-place').map((b) => b.querySelector('.ballot-place__name')!.textContent);
const placeButton = (unit: string, rank: number) => screen.getByRole('button', { name: `把「${unit}」排为第 ${rank} 名` });

/** Places the units by clicking them in the waiting list, in this order. */
function placeInOrder(units: readonly string[]) {
  units.forEach((unit, i) => fireEvent.click(placeButton(unit, i + 1)));
}

describe('ballot page', () => {
  it('starts with nothing placed: submitting an untouched ballot is refused with a clear message, and nothing is stored', async () => {
    renderBallot('u-alice');
    await screen.findByTestId('ballot-form');
    expect(shownOrder()).toEqual([]);
    expect(waiting()).toEqual(['高新区', '文峰街道', '港闸区']);
    expect(screen.getByTestId('ballot-order-empty').textContent).toContain('还没有排任何单位');
    expect(screen.getByTestId('ballot-progress').textContent).toBe('已排 0 / 3');

    fireEvent.click(screen.getByTestId('submit-ballot'));
    expect(screen.getByTestId('ballot-not-ready').textContent).toBe('还没有排序，不能提交。请从“待排序的单位”中按你的评价依次点选，先点的排第 1 名；全部排好后再提交。');
    expect(screen.queryByRole('dialog')).toBeNull();
    // the keyboard goes where the work is: the first unit to place
    expect(document.activeElement).toBe(placeButton('高新区', 1));
    expect(await db.ballots.count()).toBe(0);

    // half done: still refused, and it says how many are left
    fireEvent.click(placeButton('港闸区', 1));
    expect(screen.queryByTestId('ballot-not-ready')).toBeNull(); // the message goes once the scorer acts
    fireEvent.click(screen.getByTestId('submit-ballot'));
    expect(screen.getByTestId('ballot-not-ready').textContent).toBe('还有 2 个单位没有排序：请先把全部单位排好再提交。');
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(async () => expect(await db.ballots.get(aliceBallot)).toMatchObject({ status: 'draft', unitIds: ['fx-scored:u3'] }));
  });

  it('places units one by one by keyboard: focus stays in the waiting list, each placement is announced and saved as a partial draft', async () => {
    renderBallot('u-alice');
    await screen.findByTestId('ballot-form');
    const first = placeButton('文峰街道', 1);
    first.focus();
    fireEvent.click(first);
    expect(shownOrder()).toEqual(['文峰街道']);
    expect(waiting()).toEqual(['高新区', '港闸区']);
    expect(screen.getByTestId('ballot-announcement').textContent).toBe('「文峰街道」排在第 1 名，还有 2 个单位待排');
    // the next unit in the list takes the focus (here 港闸区, which took 文峰街道's place)
    await waitFor(() => expect(document.activeElement).toBe(placeButton('港闸区', 2)));
    await waitFor(async () => expect((await db.ballots.get(aliceBallot))?.unitIds).toEqual(['fx-scored:u2']));

    fireEvent.click(placeButton('港闸区', 2));
    await waitFor(() => expect(document.activeElement).toBe(placeButton('高新区', 3)));
    fireEvent.click(placeButton('高新区', 3));
    expect(shownOrder()).toEqual(['文峰街道', '港闸区', '高新区']);
    expect(shownPoints()).toEqual(['100 分', '97 分', '94 分']);
    expect(screen.getByTestId('ballot-all-placed').textContent).toBe('全部单位都已排好。请检查右边的顺序，然后提交。');
    expect(screen.getByTestId('ballot-progress').textContent).toBe('已排 3 / 3');
    // nothing left to place: the keyboard lands on submit
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('submit-ballot')));
    await waitFor(async () => expect((await db.ballots.get(aliceBallot))?.unitIds).toEqual(['fx-scored:u2', 'fx-scored:u3', 'fx-scored:u1']));
    await waitFor(() => expect(screen.getByTestId('ballot-save-status').dataset.status).toBe('saved'));

    // a partial draft comes back as it was when the page opens again
    fireEvent.click(screen.getByRole('button', { name: '把「高新区」移回待排序的单位' }));
    await waitFor(async () => expect((await db.ballots.get(aliceBallot))?.unitIds).toEqual(['fx-scored:u2', 'fx-scored:u3']));
    cleanup();
    renderBallot('u-alice');
    await screen.findByTestId('ballot-form');
    expect(shownOrder()).toEqual(['文峰街道', '港闸区']);
    expect(waiting()).toEqual(['高新区']);
  });

  it('reorders by keyboard buttons: focus follows the unit, the move is announced and saved; 移回 puts a unit back', async () => {
    renderBallot('u-alice');
    await screen.findByTestId('ballot-form');
    placeInOrder(['高新区', '文峰街道', '港闸区']);
    // the first unit cannot go up, the last cannot go down
    expect((screen.getByRole('button', { name: '上移「高新区」' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: '下移「港闸区」' }) as HTMLButtonElement).disabled).toBe(true);

    const up = screen.getByRole('button', { name: '上移「港闸区」' });
    up.focus();
    fireEvent.click(up);
    expect(shownOrder()).toEqual(['高新区', '港闸区', '文峰街道']);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: '上移「港闸区」' })));
    expect(screen.getByTestId('ballot-announcement').textContent).toBe('「港闸区」现在排第 2 名');
    fireEvent.click(screen.getByRole('button', { name: '上移「港闸区」' }));
    expect(shownOrder()).toEqual(['港闸区', '高新区', '文峰街道']);
    // at the top the up button is disabled: focus moves to the same unit's down button
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: '下移「港闸区」' })));
    expect(shownPoints()).toEqual(['100 分', '97 分', '94 分']);
    await waitFor(async () => expect((await db.ballots.get(aliceBallot))?.unitIds).toEqual(['fx-scored:u3', 'fx-scored:u1', 'fx-scored:u2']));
    expect((await db.ballots.get(aliceBallot))?.status).toBe('draft');

    // back among the units to place: the ranks below close up, focus stays in the order
    fireEvent.click(screen.getByRole('button', { name: '把「高新区」移回待排序的单位' }));
    expect(shownOrder()).toEqual(['港闸区', '文峰街道']);
    expect(waiting()).toEqual(['高新区']);
    expect(screen.getByTestId('ballot-announcement').textContent).toBe('「高新区」已移回待排序的单位');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: '把「文峰街道」移回待排序的单位' })));
    await waitFor(async () => expect((await db.ballots.get(aliceBallot))?.unitIds).toEqual(['fx-scored:u3', 'fx-scored:u2']));
  });

  it('places and reorders by drag and drop', async () => {
    renderBallot('u-alice');
    await screen.findByTestId('ballot-form');
    const drag = (from: Element, to: Element, id: string) => {
      fireEvent.dragStart(from, { dataTransfer: { setData() {}, getData: () => id, effectAllowed: 'move' } });
      fireEvent.dragOver(to);
      fireEvent.drop(to, { dataTransfer: { getData: () => id } });
    };
    // a waiting unit dropped on the (empty) order goes to the end
    drag(placeButton('高新区', 1), screen.getByTestId('ballot-units'), 'fx-scored:u1');
    expect(shownOrder()).toEqual(['高新区']);
    // one dropped on a placed unit takes its place
    drag(placeButton('港闸区', 2), screen.getAllByTestId('ballot-unit')[0]!, 'fx-scored:u3');
    expect(shownOrder()).toEqual(['港闸区', '高新区']);
    fireEvent.click(placeButton('文峰街道', 3));
    // a placed unit dropped on another's place
    const [first, , last] = screen.getAllByTestId('ballot-unit');
    drag(last!, first!, 'fx-scored:u2');
    expect(shownOrder()).toEqual(['文峰街道', '港闸区', '高新区']);
    await waitFor(async () => expect((await db.ballots.get(aliceBallot))?.unitIds).toEqual(['fx-scored:u2', 'fx-scored:u3', 'fx-scored:u1']));
  });

  it('submits after a confirmation, then shows the order locked until the secretariat reopens it', async () => {
    renderBallot('u-alice');
    await screen.findByTestId('ballot-form');
    placeInOrder(['文峰街道', '高新区', '港闸区']);
    fireEvent.click(screen.getByTestId('submit-ballot'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('第 1 名「文峰街道」，最后一名「港闸区」，共 3 个单位。')).toBeTruthy();
    // cancelling keeps the ballot a draft
    fireEvent.click(within(dialog).getByText('再检查一下'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await db.ballots.get(aliceBallot))?.status).not.toBe('submitted');

    fireEvent.click(screen.getByTestId('submit-ballot'));
    fireEvent.click(within(await screen.findByRole('dialog')).getByText('确认提交'));
    const locked = await screen.findByTestId('ballot-locked');
    expect(screen.queryByTestId('ballot-form')).toBeNull();
    expect(within(locked).queryAllByRole('button')).toEqual([]);
    expect(within(locked).getByText(/已于 .* 提交，排序已锁定/)).toBeTruthy();
    expect(shownOrder()).toEqual(['文峰街道', '高新区', '港闸区']);
    const stored = await db.ballots.get(aliceBallot);
    expect(stored).toMatchObject({ status: 'submitted', unitIds: ['fx-scored:u2', 'fx-scored:u1', 'fx-scored:u3'] });
    expect((await db.outbox.toArray()).filter((e) => e.recordId === aliceBallot).length).toBeGreaterThan(0);

    // the secretariat's reopen arrives through sync: the form comes back with the order as submitted, and the notice
    await db.ballots.update(aliceBallot, { status: 'reopened', reopenReason: '高新区与港闸区次序有误' });
    await screen.findByTestId('ballot-form');
    expect(screen.getByText(/秘书处已退回这张排序票，请调整后重新提交。/).textContent).toContain('退回原因：高新区与港闸区次序有误');
    expect(shownOrder()).toEqual(['文峰街道', '高新区', '港闸区']);
    expect(waiting()).toEqual([]);
  });

  it('says voting has ended without showing a draft as a vote', async () => {
    await db.ballots.put({ id: aliceBallot, tourId: 'fx-scored', scorerId: 'fx-scored:alice', group: null, unitIds: ['fx-scored:u1'], status: 'draft', submittedAt: null, updatedAt: '2021-12-08T08:00:00.000Z' });
    const tour = (await db.tours.get('fx-scored'))!;
    await db.tours.put({ ...tour, status: 'closed' });
    renderBallot('u-alice');
    expect((await screen.findByTestId('ballot-locked')).textContent).toBe('投票已结束：你没有提交这份排序，它不计入结果。');
    expect(shownOrder()).toEqual([]);
  });

  it('leaves the scorer’s own unit off under recusal, and says so', async () => {
    renderBallot('u-bob');
    await screen.findByTestId('ballot-form');
    expect(waiting()).toEqual(['高新区', '港闸区']);
    expect(screen.getByTestId('ballot-progress').textContent).toBe('已排 0 / 2');
    expect(screen.getByTestId('ballot-recused').textContent).toContain('「文峰街道」是你所在的单位');
  });

  it('tells observers they do not vote', async () => {
    renderBallot('u-olga');
    expect(await screen.findByText('你以观摩人员身份参加，不参与排序投票。')).toBeTruthy();
    expect(screen.queryByTestId('ballot-form')).toBeNull();
  });

  it('lists the scorer’s ranking lists with their state on the tour page', async () => {
    renderWithUser('u-alice', <TourBallotsSection tourId="fx-scored" />);
    const link = await screen.findByRole('link', { name: '排序「全部参评单位」' });
    expect(link.getAttribute('href')).toBe('#/tours/fx-scored/ballot');
    expect(screen.getByTestId('ballot-state').dataset.state).toBe('todo');
    expect(screen.queryByTestId('ballot-state-progress')).toBeNull();
    // a draft says how far it has got
    await db.ballots.put({ id: aliceBallot, tourId: 'fx-scored', scorerId: 'fx-scored:alice', group: null, unitIds: ['fx-scored:u1'], status: 'draft', submittedAt: null, updatedAt: '2021-12-08T08:00:00.000Z' });
    await waitFor(() => expect(screen.getByTestId('ballot-state-progress').textContent).toBe('已排 1/3'));
    cleanup();
    // nothing for an observer (the ballot page next to it has loaded by then)
    renderWithUser(
      'u-olga',
      <>
        <TourBallotsSection tourId="fx-scored" />
        <BallotPage tourId="fx-scored" group={null} />
      </>,
    );
    await screen.findByText('你以观摩人员身份参加，不参与排序投票。');
    await waitFor(() => expect(screen.queryByTestId('tour-ballots')).toBeNull());
  });
});
