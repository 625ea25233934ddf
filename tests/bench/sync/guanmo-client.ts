/**
 * Drives the bench page (page/bench-page.ts) in headless Chromium: a fresh browser profile per
 * client, the page loaded through the proxy, every call a page.evaluate on `window.__syncBench`.
 */
import type { Page } from 'playwright-core';
import type { SyncReport, SyncStatus } from '../../../renderer/src/sync';
import { launchChromium, type ChromiumSession } from '../../e2e/helpers/chromium';
import type { PendingWork } from './page/bench-page';
import type { PayloadSpec, SeededPayload } from './payload';

export interface BenchClient {
  page: Page;
  signIn(username: string, password: string): Promise<string>;
  syncOnce(): Promise<{ report: SyncReport; ms: number }>;
  seed(spec: PayloadSpec, target: { tourId: string; userId: string }): Promise<SeededPayload>;
  pending(): Promise<PendingWork>;
  startAuto(): Promise<void>;
  stopAuto(): Promise<void>;
  status(): Promise<SyncStatus>;
  errors(): Promise<string[]>;
  close(): Promise<void>;
}

const api = 'window.__syncBench';

export async function openBenchClient(url: string): Promise<BenchClient> {
  const session: ChromiumSession = await launchChromium();
  try {
    const page = await session.context.newPage();
    page.on('pageerror', (error) => console.error(`  page error: ${error.message}`));
    page.on('console', (message) => {
      // Chromium logs every 4xx as "Failed to load resource"; HEAD /api/blobs answers 404 for
      // each photo not uploaded yet, by design. The engine's errors are reported by the bench.
      if (message.text().startsWith('Failed to load resource')) return;
      if (message.type() === 'error' || message.type() === 'warning') console.error(`  page ${message.type()}: ${message.text()}`);
    });
    await page.goto(url);
    await page.waitForFunction("document.body.dataset.ready === 'true'", undefined, { timeout: 30_000 });
    // string expressions: Runtime.evaluate is not subject to the page's CSP (no eval allowed),
    // and the bench code is transpiled by tsx, whose helpers do not exist in the page
    const call = <T>(method: keyof NonNullable<Window['__syncBench']>, ...args: unknown[]): Promise<T> =>
      page.evaluate(`${api}.${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`) as Promise<T>;
    return {
      page,
      signIn: (username, password) => call('signIn', username, password),
      syncOnce: () => call('syncOnce'),
      seed: (spec, target) => call('seed', spec, target),
      pending: () => call('pending'),
      startAuto: () => call('startAuto'),
      stopAuto: () => call('stopAuto'),
      status: () => call('status'),
      errors: () => call('errors'),
      close: () => session.close(),
    };
  } catch (error) {
    await session.close();
    throw error;
  }
}
