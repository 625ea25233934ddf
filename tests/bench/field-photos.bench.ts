/**
 * Photo benchmarks in real Chromium against the built app served by the real server (the e2e
 * harness): `npm run bench:field:photos`.
 *
 * 1. Import 50 photos of 4000×3000 px (camera-sized JPEGs, with EXIF and sensor-like noise,
 *    made in the page) into a stop through the file input: from the change event to all 50
 *    stored with thumbnails shown. Goal < 20 s on 2 cores. Each run in a fresh browser profile.
 * 2. Open a stop with 60 photos: from the navigation to all 60 thumbnails decoded and painted.
 *    Goal < 300 ms.
 *
 * Prints medians; asserts nothing about time (machines are shared and noisy).
 * GUANMO_E2E_SKIP_BUILD=1 reuses dist/renderer; BENCH_IMPORT_RUNS / BENCH_OPEN_RUNS change the runs.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startServer } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { buildRenderer } from '../e2e/helpers/build-renderer';
import { launchChromium, type ChromiumSession } from '../e2e/helpers/chromium';
import { rendererDistDir } from '../e2e/helpers/paths';
import { allowTranspiledFunctions, installPhotoFixtures, makeJpegsInPage, setInputFilesInPage, type JpegSpec } from '../e2e/helpers/photo-fixtures';

const importRuns = Number(process.env.BENCH_IMPORT_RUNS ?? 3);
const openRuns = Number(process.env.BENCH_OPEN_RUNS ?? 9);
const tourName = '崇川区2021年重点项目现场观摩评议';
const importStop = '闹海信息科技';
const galleryStop = '裕景苑西安置房';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

function cameraPhotos(count: number, width: number, height: number, prefix: string): JpegSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}_${String(i + 1).padStart(4, '0')}.JPG`,
    label: `${prefix} ${i + 1}`,
    width,
    height,
    // grain like a phone sensor at dusk: JPEGs of ~3–5 MB at 12 MP, as cameras write them
    noise: 0.1,
    quality: 0.9,
    exif: {
      make: 'Bench',
      model: 'Camera',
      dateTimeOriginal: `2021:12:08 ${String(9 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`,
      offsetTimeOriginal: '+08:00',
      gps: { lat: 32.02751 + i * 1e-5, lng: 120.87891 },
    },
  }));
}

async function openApp(session: ChromiumSession, baseUrl: string): Promise<Page> {
  const page = await session.context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(baseUrl);
  await allowTranspiledFunctions(page);
  await page.getByTestId('person').filter({ hasText: '评委甲' }).click();
  await page.getByTestId('tour-card').filter({ hasText: tourName }).getByRole('link').first().click();
  await page.getByRole('heading', { level: 1, name: tourName }).waitFor();
  return page;
}

async function stopHref(page: Page, stopName: string): Promise<string> {
  const href = await page.getByRole('link', { name: stopName, exact: true }).first().getAttribute('href');
  if (!href) throw new Error(`no link to ${stopName}`);
  return href;
}

/** Imports the files kept in the page into the open stop; ms from the change event to all thumbnails shown. */
async function timeImport(page: Page, count: number): Promise<number> {
  await page.evaluate(() => {
    (window as unknown as { __benchStart: number }).__benchStart = performance.now();
  });
  await setInputFilesInPage(page, '[data-testid="photo-input"]');
  return page.evaluate(
    (expected) =>
      new Promise<number>((resolve, reject) => {
        const start = (window as unknown as { __benchStart: number }).__benchStart;
        const check = () => {
          const report = document.querySelector('[data-testid="photo-import-report"]');
          const imgs = Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="photo-tile"] img'));
          if (report && imgs.length >= expected && imgs.every((img) => img.complete && img.naturalWidth > 0)) {
            resolve(performance.now() - start);
          } else if (performance.now() - start > 300_000) {
            reject(new Error(`import did not finish: ${imgs.length} thumbnails, report: ${report?.textContent}`));
          } else {
            setTimeout(check, 20);
          }
        };
        check();
      }),
    count,
  );
}

/** ms from setting the hash to all thumbnails decoded and a frame painted. */
async function timeOpenStop(page: Page, href: string, expected: number): Promise<number> {
  return page.evaluate(
    ({ href, expected }) =>
      new Promise<number>((resolve, reject) => {
        const start = performance.now();
        window.location.hash = href.slice(href.indexOf('#'));
        const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
        const check = async () => {
          const imgs = Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="photo-tile"] img'));
          if (imgs.length === expected) {
            await Promise.all(imgs.map((img) => img.decode()));
            await frame();
            await frame();
            resolve(performance.now() - start);
          } else if (performance.now() - start > 30_000) {
            reject(new Error(`only ${imgs.length} of ${expected} thumbnails`));
          } else {
            requestAnimationFrame(() => void check());
          }
        };
        void check();
      }),
    { href, expected },
  );
}

async function main() {
  console.log('building the renderer …');
  await buildRenderer();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-bench-data-'));
  const config = loadConfig({
    GUANMO_DATA_DIR: dataDir,
    GUANMO_PORT: '0',
    GUANMO_STATIC_DIR: rendererDistDir,
    GUANMO_DEMO: '1',
    GUANMO_ADMIN_PASSWORD: 'bench-admin-password',
    GUANMO_LOG_LEVEL: 'warn',
  });
  const server = await startServer(config, { output: () => {} });
  console.log(`Chromium: ${os.cpus().length} cores; server at ${server.url}`);
  try {
    // ── 1. import 50 × 12 MP
    const importTimes: number[] = [];
    let megabytes = 0;
    for (let run = 1; run <= importRuns; run++) {
      const session = await launchChromium();
      try {
        const page = await openApp(session, server.url);
        await page.getByRole('link', { name: importStop, exact: true }).first().click();
        await page.getByTestId('stop-photos').waitFor();
        await installPhotoFixtures(page);
        const bytes = await makeJpegsInPage(page, cameraPhotos(50, 4000, 3000, `R${run}`));
        megabytes = bytes / 1e6;
        const ms = await timeImport(page, 50);
        importTimes.push(ms);
        console.log(`  import run ${run}: 50 photos, ${megabytes.toFixed(0)} MB, ${fmt(ms)} (${(ms / 50).toFixed(0)} ms/photo)`);
      } finally {
        await session.close();
      }
    }

    // ── 2. open a stop with 60 photos
    const session = await launchChromium();
    const openTimes: number[] = [];
    try {
      const page = await openApp(session, server.url);
      const itinerary = page.url();
      const galleryHref = await stopHref(page, galleryStop);
      await page.getByRole('link', { name: galleryStop, exact: true }).first().click();
      await page.getByTestId('stop-photos').waitFor();
      await installPhotoFixtures(page);
      await makeJpegsInPage(page, cameraPhotos(60, 2400, 1800, 'G'));
      await timeImport(page, 60);
      for (let run = 0; run < openRuns; run++) {
        await page.evaluate((hash) => {
          window.location.hash = hash;
        }, new URL(itinerary).hash);
        await page.getByRole('heading', { level: 1, name: tourName }).waitFor();
        const ms = await timeOpenStop(page, galleryHref, 60);
        openTimes.push(ms);
      }
      console.log(`  open runs: ${openTimes.map((ms) => fmt(ms)).join(', ')}`);
    } finally {
      await session.close();
    }

    console.log('');
    console.log(`import 50 photos of 4000×3000 px (~${megabytes.toFixed(0)} MB) with thumbnails: median ${fmt(median(importTimes))} (goal < 20 s) over ${importTimes.length} runs`);
    console.log(`open a stop with 60 photos, all thumbnails rendered: median ${fmt(median(openTimes))} (goal < 300 ms) over ${openTimes.length} runs`);
  } finally {
    await server.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
