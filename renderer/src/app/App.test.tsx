// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { tourSchema } from '@shared/domain/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setCurrentUser } from '../db/current-user-repo';
import { DbContext } from '../db/db-context';
import type { GuanmoDb } from '../db/guanmo-db';
import { I18nProvider } from '../i18n/I18nProvider';
import { createTestDb } from '../test-support/test-db';
import { loadFixtureTours } from '../test-support/tour-fixtures';
import { App } from './App';
import { LocalDataGate } from './LocalDataGate';

let db: GuanmoDb;

beforeEach(() => {
  localStorage.clear();
  window.location.hash = '';
  db = createTestDb();
});
afterEach(() => {
  cleanup();
  db.close();
});

function renderApp() {
  return render(
    <I18nProvider>
      <DbContext.Provider value={db}>
        <LocalDataGate loadDemoTours={loadFixtureTours}>
          <App />
        </LocalDataGate>
      </DbContext.Provider>
    </I18nProvider>,
  );
}

describe('App', () => {
  it('asks who uses this computer on first start, then lists that person\'s tours and opens an itinerary by day', async () => {
    renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: '选择本机使用者' })).toBeTruthy();
    const people = await screen.findAllByTestId('person');
    // roster order (features/people/person-order.ts): scorers by their ordinal, then observers
    expect(people.map((p) => p.textContent)).toEqual(['评评委甲1 个活动评分、1 个活动观摩', '评评委乙1 个活动评分', '观观摩人员1 个活动观摩']);
    // someone not on the list (a laptop that never synced) signs in to a server instead
    expect(within(screen.getByTestId('who-sign-in')).getByRole('link', { name: '登录服务器' }).getAttribute('href')).toBe('#/sync');
    fireEvent.click(people[0]!);
    const cards = await screen.findAllByTestId('tour-card');
    expect(await screen.findByTestId('current-user')).toHaveProperty('textContent', expect.stringContaining('评委甲'));
    expect(cards.map((c) => within(c).getByRole('heading').textContent)).toEqual(['示例区重点项目观摩评议', '赴外地考察学习']);
    const scored = cards[0]!;
    expect(within(scored).getByText('观摩评议')).toBeTruthy();
    expect(within(scored).getByText('评分中')).toBeTruthy();
    expect(await within(scored).findByText('3 个项目')).toBeTruthy();
    expect(within(scored).getByText('2 个单位')).toBeTruthy();

    fireEvent.click(within(scored).getByRole('link'));
    expect(window.location.hash).toBe('#/tours/fx-scored');
    const days = await screen.findAllByTestId('itinerary-day');
    expect(days.map((d) => within(d).getByRole('heading', { level: 3 }).textContent)).toEqual([
      '第 1 天12月8日 星期三2 个项目',
      '第 2 天12月9日 星期四1 个项目',
    ]);
    const firstDayStops = within(days[0]!).getAllByTestId('stop');
    expect(firstDayStops.map((s) => within(s).getByRole('heading', { level: 4 }).textContent)).toEqual(['信息科技园', '安置房项目']);
    expect(within(firstDayStops[0]!).getByText('高新区')).toBeTruthy();
    expect(within(firstDayStops[0]!).getByText('10亿元')).toBeTruthy();
    expect(within(firstDayStops[0]!).getByText('5.4亿元')).toBeTruthy();
    expect(within(firstDayStops[1]!).getByText('8500万元')).toBeTruthy();
  });

  it('lists only the tours of the current user, live when one is assigned (e.g. by sync or another tab)', async () => {
    await setCurrentUser(db, { userId: 'u-bob', name: '评委乙' });
    renderApp();
    expect(await screen.findAllByTestId('tour-card')).toHaveLength(1);
    await db.tours.put(tourSchema.parse({ id: 'new', name: '新建的观摩活动', kind: 'study', startDate: '2022-05-01', endDate: '2022-05-02' }));
    await db.scorers.put({ id: 'new:bob', tourId: 'new', userId: 'u-bob', name: '评委乙', role: 'observer', homeUnitId: null, weightGroup: null });
    expect(await screen.findByText('新建的观摩活动')).toBeTruthy();
    expect(screen.getAllByTestId('tour-card')).toHaveLength(2);
  });

  it('shows where the user stands with every stop, and leads to the next one to score', async () => {
    await setCurrentUser(db, { userId: 'u-bob', name: '评委乙' });
    window.location.hash = '#/tours/fx-scored';
    renderApp();
    const stops = await screen.findAllByTestId('stop');
    await waitFor(() => expect(stops.map((s) => within(s).queryByTestId('stop-status')?.textContent)).toEqual(['未评分照片 0记录 0', '回避照片 0记录 0', '未评分照片 0记录 0']));
    const next = await screen.findByTestId('next-stop');
    expect(within(next).getByText('信息科技园')).toBeTruthy();
    expect(within(next).getByRole('link').getAttribute('href')).toBe('#/tours/fx-scored/stops/fx-scored%3As1');
  });

  it('says so when a tour does not exist', async () => {
    await setCurrentUser(db, { userId: 'u-alice', name: '评委甲' });
    window.location.hash = '#/tours/nope';
    renderApp();
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('找不到这个观摩活动'));
  });

  it('switches the language on the settings page and remembers it', async () => {
    window.location.hash = '#/settings';
    renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: '设置' })).toBeTruthy();
    fireEvent.click(screen.getByLabelText('English'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Tours' })).toBeTruthy();
    expect(localStorage.getItem('guanmo.locale')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    // the device id created on first start is shown
    expect(await screen.findByText(/^[0-9a-f]{8}-[0-9a-f]{4}-4/)).toBeTruthy();
  });
});
