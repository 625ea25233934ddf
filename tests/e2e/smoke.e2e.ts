import fs from 'node:fs/promises';
import path from 'node:path';
import { parseCsv } from '@shared/import/csv';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type ChromiumSession } from './helpers/chromium';
import { watchPageProblems } from './helpers/page-problems';
import { artefactsDir, demoDir } from './helpers/paths';
import './helpers/provided';

interface ManifestTour {
  id: string;
  name: string;
  kind: 'scored' | 'study';
  tourFile: string;
}

/** What the secretariat's files say: tour names and, per tour, the number of stops on each day. */
async function readDemoExpectations() {
  const manifest = JSON.parse(await fs.readFile(path.join(demoDir, 'demo-tours.json'), 'utf8')) as { tours: ManifestTour[] };
  return Promise.all(
    manifest.tours.map(async (tour) => {
      const [header, ...rows] = parseCsv(await fs.readFile(path.join(demoDir, tour.tourFile), 'utf8'));
      const dayColumn = header!.indexOf('观摩日期');
      const stopsPerDay = new Map<string, number>();
      for (const row of rows) stopsPerDay.set(row[dayColumn]!, (stopsPerDay.get(row[dayColumn]!) ?? 0) + 1);
      return { ...tour, stopCount: rows.length, stopsPerDay: [...stopsPerDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, n]) => n) };
    }),
  );
}

describe('smoke: the served app works, and keeps working offline', () => {
  const baseUrl = inject('baseUrl');
  let session: ChromiumSession;

  beforeAll(async () => {
    session = await launchChromium();
    await fs.mkdir(artefactsDir, { recursive: true });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('lists the demo tours, then moves between views offline', async () => {
    const demo = await readDemoExpectations();
    expect(demo.length).toBeGreaterThanOrEqual(2);
    const page = await session.context.newPage();
    const { problems } = watchPageProblems(page, new URL(baseUrl).origin);

    await page.goto(baseUrl);
    // first start: choose who uses this computer (评委甲 is on every demo tour)
    await page.getByTestId('person').filter({ hasText: '评委甲' }).click();
    const cards = page.getByTestId('tour-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(demo.length);
    const names = await cards.getByRole('heading', { level: 2 }).allTextContents();
    expect(names.sort()).toEqual(demo.map((t) => t.name).sort());
    for (const tour of demo) {
      const card = cards.filter({ hasText: tour.name });
      await card.getByText(`${tour.stopCount} 个项目`, { exact: true }).waitFor();
      await card.getByText(tour.kind === 'scored' ? '观摩评议' : '考察学习', { exact: true }).waitFor();
    }
    const indicator = page.getByTestId('network-indicator');
    expect(await indicator.textContent()).toBe('在线');
    await page.screenshot({ path: path.join(artefactsDir, 'smoke-1-tours.png') });

    // the bus leaves the signal behind
    await session.context.setOffline(true);
    await page.getByTestId('network-indicator').getByText('离线').waitFor();

    // tour list → the longest tour's itinerary
    const longest = [...demo].sort((a, b) => b.stopCount - a.stopCount)[0]!;
    await cards.filter({ hasText: longest.name }).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: longest.name }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/tours/${longest.id}`);
    const days = page.getByTestId('itinerary-day');
    await days.first().waitFor();
    expect(await days.count()).toBe(longest.stopsPerDay.length);
    for (const [i, expected] of longest.stopsPerDay.entries()) {
      expect(await days.nth(i).getByTestId('stop').count()).toBe(expected);
      expect(await days.nth(i).getByRole('heading', { level: 3 }).textContent()).toContain(`第 ${i + 1} 天`);
    }
    await page.screenshot({ path: path.join(artefactsDir, 'smoke-2-itinerary.png') });
    await page.screenshot({ path: path.join(artefactsDir, 'smoke-2-itinerary-full.png'), fullPage: true });

    // → settings
    await page.getByRole('navigation').getByRole('link', { name: '设置' }).click();
    await page.getByRole('heading', { level: 1, name: '设置' }).waitFor();
    await page.getByText(/\d+ 个活动，\d+ 个项目/).waitFor();
    await page.screenshot({ path: path.join(artefactsDir, 'smoke-3-settings.png') });

    // ← back to the itinerary, ← back to the list: history works offline, data is all local
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: longest.name }).waitFor();
    expect(await page.getByTestId('stop').count()).toBe(longest.stopCount);
    await page.goBack();
    await cards.first().waitFor();
    expect((await cards.getByRole('heading', { level: 2 }).allTextContents()).sort()).toEqual(demo.map((t) => t.name).sort());

    // the other tour opens offline too
    const other = demo.find((t) => t.id !== longest.id)!;
    await cards.filter({ hasText: other.name }).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: other.name }).waitFor();
    expect(await page.getByTestId('stop').count()).toBe(other.stopCount);
    expect(await page.getByTestId('network-indicator').textContent()).toBe('离线');
    await page.screenshot({ path: path.join(artefactsDir, 'smoke-4-offline-tour.png') });

    expect(problems).toEqual([]);
  });
});
