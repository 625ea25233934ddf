/**
 * Browser mode: after one visit the service worker holds the app shell, so the web app served by
 * the sync server opens again with no connection at all, and the data it shows comes from
 * IndexedDB.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type ChromiumSession } from './helpers/chromium';
import { watchPageProblems } from './helpers/page-problems';
import { artefactsDir } from './helpers/paths';
import './helpers/provided';

describe('service worker: the web app reloads offline', () => {
  const baseUrl = inject('baseUrl');
  let session: ChromiumSession;

  beforeAll(async () => {
    session = await launchChromium();
    await fs.mkdir(artefactsDir, { recursive: true });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('serves the shell from cache when the network is gone, and never caches the API', async () => {
    const page = await session.context.newPage();
    const { problems } = watchPageProblems(page, new URL(baseUrl).origin);
    await page.goto(baseUrl);
    // wait until the worker has precached the shell and controls this page
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
      }
    });
    const cachedFiles = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const name of names) for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
      return urls;
    });
    expect(cachedFiles).toContain('/index.html');
    expect(cachedFiles.some((p) => p.startsWith('/assets/') && p.endsWith('.js'))).toBe(true);
    expect(cachedFiles.filter((p) => p.startsWith('/api/'))).toEqual([]);

    await session.context.setOffline(true);
    const response = await page.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    await page.getByTestId('network-indicator').getByText('离线').waitFor();
    await page.screenshot({ path: path.join(artefactsDir, 'offline-reload.png') });

    // a second page load from scratch, to another view, offline as well
    const again = await session.context.newPage();
    watchPageProblems(again, new URL(baseUrl).origin);
    const second = await again.goto(new URL('#/settings', baseUrl).href);
    expect(second?.fromServiceWorker()).toBe(true);
    await again.getByTestId('network-indicator').getByText('离线').waitFor();

    expect(problems).toEqual([]);

    // the API is never answered from cache: offline it fails like the network does
    const api = await page.evaluate(async () => {
      try {
        await fetch('api/health');
        return 'answered';
      } catch {
        return 'failed';
      }
    });
    expect(api).toBe('failed');
    await session.context.setOffline(false);
  });
});
