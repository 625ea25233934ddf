import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** the flags every test and bench browser runs with */
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface ChromiumSession {
  context: BrowserContext;
  /** closes the browser and deletes its profile */
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh, throw-away user data dir: no IndexedDB, cache or service
 * worker left over from another run. A laptop-sized window, Chinese locale, China time.
 * `extraArgs`: more switches, e.g. Chromium's fake camera (--use-fake-device-for-media-stream).
 */
export async function launchChromium(options: { extraArgs?: readonly string[] } = {}): Promise<ChromiumSession> {
  const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [...chromiumArgs, ...(options.extraArgs ?? [])],
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
  } catch (error) {
    await fs.rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    async close() {
      await context.close();
      await fs.rm(userDataDir, { recursive: true, force: true });
    },
  };
}
