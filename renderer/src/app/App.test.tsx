// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { tourSchema } from '@shared/domain/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setCurrentUser } from '../db/current-user-repo';
import { loadDemoTours } from '../db/demo-source';
import { getMeta } from '../db/meta-repo';
import { seedDemo } from '../db/seed-demo';
import { rememberServerMode } from '../db/server-mode-repo';
import { currentServerUrl } from '../sync/server-info';
import { setSyncState } from '../sync/sync-tables';
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

/** What the server says about itself: a demo server (the default here), a real one, or none reachable. */
type ServerSays = 'demo' | 'real' | 'unreachable';
const serverInfo = (says: ServerSays) => async () => {
  if (says === 'unreachable') throw new Error('connection refused');
  return { service: 'guanmo-server' as const, demo: says === 'demo' };
};

function renderApp(says: ServerSays = 'demo') {
  return render(
    <I18nProvider>
      <DbContext.Provider value={db}>
        <LocalDataGate loadDemoTours={loadFixtureTours} fetchServerInfo={serverInfo(says)}>
          <App />
        </LocalDataGate>
      </DbContext.Provider>
    </I18nProvider>,
  );
}

describe('App', () => {
  it('on a demo server, asks who uses this computer on first start, then lists that person\'s tours and opens an itinerary by day', async () => {
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

  it('on a real server opens at sign-in, with no demo people and no demo tours', async () => {
    renderApp('real');
    expect(await screen.findByRole('heading', { level: 1, name: '登录' })).toBeTruthy();
    expect(screen.getByTestId('sign-in-form')).toBeTruthy();
    expect(screen.queryAllByTestId('person')).toHaveLength(0);
    await waitFor(async () => expect((await getMeta(db, 'serverMode'))?.isDemo).toBe(false));
    expect(await db.tours.count()).toBe(0);
    expect(await db.scorers.count()).toBe(0);
    // "who uses this computer" from the settings page is the sign-in too
    window.location.hash = '#/who';
    expect(await screen.findByRole('heading', { level: 1, name: '更换使用者' })).toBeTruthy();
    expect(screen.queryAllByTestId('person')).toHaveLength(0);
  });

  it('shows nothing demo before any server has answered (an offline first start)', async () => {
    renderApp('unreachable');
    expect(await screen.findByRole('heading', { level: 1, name: '登录' })).toBeTruthy();
    expect(screen.queryAllByTestId('person')).toHaveLength(0);
    expect(await db.tours.count()).toBe(0);
  });

  it('keeps the last answer: a device that met the demo server opens its demo offline', async () => {
    await db.open();
    await rememberServerMode(db, await currentServerUrl(db), true);
    renderApp('unreachable');
    expect(await screen.findByRole('heading', { level: 1, name: '选择本机使用者' })).toBeTruthy();
    expect(await screen.findAllByTestId('person')).toHaveLength(3);
  });

  it('clears demo leftovers on a real server and says so once', async () => {
    await seedDemo(db, loadDemoTours);
    await setCurrentUser(db, { userId: 'demo-user-scorer1', name: '评委甲' });
    renderApp('real');
    const notice = await screen.findByTestId('demo-cleanup-notice');
    expect(notice.textContent).toContain('已删除本机保存的 2 个演示活动');
    // the demo person picked before is no longer the user: the first screen is sign-in
    expect(await screen.findByRole('heading', { level: 1, name: '登录' })).toBeTruthy();
    expect(await db.tours.count()).toBe(0);
    fireEvent.click(within(notice).getByRole('button', { name: '知道了' }));
    await waitFor(() => expect(screen.queryByTestId('demo-cleanup-notice')).toBeNull());
    expect((await getMeta(db, 'demoCleanup'))?.isAcknowledged).toBe(true);
  });

  it('opens `/` at the home of the role signed in: the desk for the secretariat', async () => {
    await setSyncState(db, 'session', { serverUrl: 'http://127.0.0.1:8787', token: 't', expiresAt: '2030-01-01T00:00:00.000Z', user: { id: 'u-sec', username: 'mishu', displayName: '观摩办', role: 'secretariat' } });
    await setCurrentUser(db, { userId: 'u-sec', name: '观摩办' }, 'signIn');
    renderApp('real');
    await waitFor(() => expect(window.location.hash).toBe('#/desk'));
    expect(await screen.findByRole('heading', { level: 1, name: '秘书处工作台' })).toBeTruthy();
  });

  it('opens `/` at 我的观摩 for a scorer', async () => {
    await setSyncState(db, 'session', { serverUrl: 'http://127.0.0.1:8787', token: 't', expiresAt: '2030-01-01T00:00:00.000Z', user: { id: 'u-bob', username: 'bob', displayName: '评委乙', role: 'scorer' } });
    await setCurrentUser(db, { userId: 'u-bob', name: '评委乙' }, 'signIn');
    renderApp('demo');
    await waitFor(() => expect(window.location.hash).toBe('#/tours'));
    expect(await screen.findAllByTestId('tour-card')).toHaveLength(1);
  });
});
