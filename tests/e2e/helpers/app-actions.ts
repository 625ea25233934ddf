/**
 * What a person does in the app, as steps the desk and field suites share: sign in through the
 * sync page, wait for a sync round to finish, move between pages, score a stop and submit.
 * Selectors prefer test ids and roles; where a label is needed it is the zh-CN one (the default
 * locale).
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * `expect.poll` with a timeout fit for a loaded 2-core machine (its default is 1 s): retries
 * the read until the assertion holds or the time is up. Use for anything the app does
 * asynchronously (IndexedDB writes, live queries, sync rounds).
 */
export function eventually<T>(read: () => T | Promise<T>, timeout = 30_000) {
  return expect.poll(read, { timeout, interval: 100 });
}

/** Navigates inside the app (hash routes) without reloading it. */
export async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => void (location.hash = h), hash);
}

/** Waits until the sync indicator says the last round succeeded with nothing left to push. */
export async function waitSynced(page: Page, timeout = 60_000): Promise<void> {
  await page.locator('[data-testid="sync-indicator"][data-tone="ok"][data-pending="0"]').waitFor({ timeout });
}

/**
 * After a fresh sign-in the app lands on the role's home: the desk (secretariat, admin) or
 * 我的观摩 (scorer, observer). Waits for that page.
 */
export async function waitLanded(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => location.hash === '#/desk' || location.hash === '#/tours', undefined, { timeout });
  await page.locator('[data-testid="sync-indicator"]:not([data-tone="signedOut"])').waitFor({ timeout });
}

/** Opens the app at its sync page and signs in with the real sign-in form, then waits for the landing and the first sync. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(new URL('#/sync', baseUrl).href);
  const form = page.getByTestId('sign-in-form');
  // the form fills in the server it was loaded from; wait for it rather than racing it
  await eventually(() => form.getByLabel('服务器地址').inputValue()).toBe(new URL(baseUrl).origin);
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(password);
  await form.getByRole('button', { name: '登录' }).click();
  await waitLanded(page);
  await waitSynced(page);
}

/**
 * Opens the sign-in form the way a user does, from `/`: a demo server's first screen offers its
 * people and the "sign in to a server" link (clicked); a real server's shows the form itself.
 * Fills it in and waits until the app has landed on the role's home.
 */
export async function openSignInFromRoot(page: Page, baseUrl: string): Promise<void> {
  await page.goto(new URL('/', baseUrl).href);
  const link = page.getByTestId('who-sign-in').getByRole('link', { name: '登录服务器' });
  const form = page.getByTestId('sign-in-form');
  await link.or(form).first().waitFor();
  if (await link.isVisible()) await link.click();
  // the form fills in the server it was loaded from; wait for it rather than racing it
  await eventually(() => form.getByLabel('服务器地址').inputValue()).toBe(new URL(baseUrl).origin);
}

/** From `/` (openSignInFromRoot): signs in and waits until landed and synced. */
export async function signInFromRoot(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await openSignInFromRoot(page, baseUrl);
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(password);
  await form.getByRole('button', { name: '登录' }).click();
  await waitLanded(page);
  await waitSynced(page);
}

/** Rows of a store in the page's IndexedDB. */
export function readStore<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('guanmo');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      return await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  }, store) as Promise<T[]>;
}

/** The score sheet's field for a criterion, by its label. */
export const scoreField = (page: Page, criterion: string) => page.getByTestId('score-sheet').getByLabel(criterion, { exact: true });

/**
 * From the tour's itinerary: opens the stop, types each criterion's score by keyboard (Enter
 * moves to the next field), waits for the autosave, submits and confirms, and waits for the
 * locked sheet. Returns the total the sheet showed before submitting.
 */
export async function scoreAndSubmit(page: Page, tourId: string, stopName: string, criteria: readonly string[], values: readonly number[]): Promise<string> {
  await goTo(page, `#/tours/${encodeURIComponent(tourId)}`);
  await page.getByTestId('stop').filter({ hasText: stopName }).getByRole('link', { name: stopName }).click();
  await page.getByRole('heading', { level: 1, name: stopName }).waitFor();
  await scoreField(page, criteria[0]!).click();
  for (const value of values) {
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(String(value));
    await page.keyboard.press('Enter');
  }
  for (const [i, criterion] of criteria.entries()) {
    const shown = await scoreField(page, criterion).inputValue();
    if (Number(shown) !== values[i]) throw new Error(`${stopName} · ${criterion}: typed ${values[i]}, the field holds "${shown}"`);
  }
  await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
  const total = (await page.getByTestId('sheet-total').textContent())!.trim();
  await page.getByTestId('submit-sheet').click();
  await page.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
  await page.getByTestId('submitted-sheet').waitFor();
  return total;
}
