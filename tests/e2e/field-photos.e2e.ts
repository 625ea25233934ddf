/**
 * Photos in the field, offline from the first screen on: add photos to a stop of the demo scored
 * tour (real JPEGs with real EXIF time and GPS, made in the browser), a bad file among them,
 * browse them in the viewer, caption, cover, delete; import a batch from outside a stop and see
 * each proposed to the right stop by GPS and time; then reload and find everything as it was.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type ChromiumSession } from './helpers/chromium';
import { watchPageProblems } from './helpers/page-problems';
import { artefactsDir } from './helpers/paths';
import { corruptJpeg, fakeHeic, installPhotoFixtures, makeJpegs, type JpegSpec } from './helpers/photo-fixtures';
import './helpers/provided';

const tourName = '崇川区2021年重点项目现场观摩评议';
// from assets/demo/tour-chongchuan-2021-scored.csv (WGS-84)
const stop1 = { name: '闹海信息科技', lat: 32.02751, lng: 120.87891 };
const stop2 = { name: '裕景苑西安置房', lat: 32.03791, lng: 120.8912 };
const stop5 = { name: '美韦纶聚乳酸' };

/** A point `north` metres north of a stop. */
const north = (at: { lat: number; lng: number }, metres: number) => ({ lat: at.lat + metres / 111_195, lng: at.lng });

const photo = (name: string, label: string, exif: JpegSpec['exif'], size: [number, number] = [2400, 1800]): JpegSpec => ({
  name,
  label,
  width: size[0],
  height: size[1],
  noise: 0.08,
  exif: exif && { make: 'Guanmo', model: 'E2E camera', ...exif },
});

async function thumbnailsLoaded(page: Page): Promise<number> {
  return page.getByTestId('photo-tile').locator('img').evaluateAll((imgs) => imgs.filter((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0).length);
}

async function openStop(page: Page, name: string) {
  await page.getByRole('link', { name, exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByTestId('stop-photos').waitFor();
}

async function backToItinerary(page: Page) {
  await page.getByRole('link', { name: new RegExp(`${tourName}`) }).first().click();
  await page.getByRole('heading', { level: 1, name: tourName }).waitFor();
}

describe('field photos: offline, from files to the viewer to the itinerary', () => {
  const baseUrl = inject('baseUrl');
  let session: ChromiumSession;

  beforeAll(async () => {
    session = await launchChromium();
    await fs.mkdir(artefactsDir, { recursive: true });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('adds, views, captions, covers, deletes and imports photos offline; all there after a reload', async () => {
    const page = await session.context.newPage();
    const { problems } = watchPageProblems(page, new URL(baseUrl).origin);

    await page.goto(baseUrl);
    await page.getByTestId('person').filter({ hasText: '评委甲' }).click();
    await page.getByTestId('tour-card').first().waitFor();

    // fixtures: made in this page by Chromium's JPEG encoder, EXIF written into them
    await installPhotoFixtures(page);
    const stopPhotos = await makeJpegs(page, [
      photo('DSC_0101.JPG', '1 厂房', { dateTimeOriginal: '2021:12:08 09:10:00', offsetTimeOriginal: '+08:00', gps: north(stop1, 120) }),
      // stored landscape, EXIF orientation 6 (rotate 90° to display), as phones held upright write them
      photo('DSC_0102.JPG', '2 车间', { dateTimeOriginal: '2021:12:08 09:14:30', offsetTimeOriginal: '+08:00', gps: north(stop1, 60), orientation: 6 }),
      // portrait, and only the time (no GPS)
      photo('DSC_0103.JPG', '3 展板', { dateTimeOriginal: '2021:12:08 09:20:00', offsetTimeOriginal: '+08:00' }, [1200, 1600]),
      // no EXIF at all
      photo('screenshot.jpg', '4 无信息', undefined, [800, 600]),
    ]);
    const batch = await makeJpegs(page, [
      photo('IMG_2001.JPG', 'A1 安置房', { dateTimeOriginal: '2021:12:08 10:00:00', offsetTimeOriginal: '+08:00', gps: north(stop2, 80) }),
      photo('IMG_2002.JPG', 'A2 安置房', { dateTimeOriginal: '2021:12:08 10:20:00', offsetTimeOriginal: '+08:00', gps: north(stop2, -40) }),
      // no GPS, taken between the two above: the same stop
      photo('IMG_2003.JPG', 'A3 无位置', { dateTimeOriginal: '2021:12:08 10:10:00', offsetTimeOriginal: '+08:00' }),
      // ~100 km away (Shanghai): no stop proposed, the user picks one
      photo('IMG_2004.JPG', 'B 上海', { dateTimeOriginal: '2021:12:08 15:00:00', offsetTimeOriginal: '+08:00', gps: { lat: 31.2304, lng: 121.4737 } }),
    ]);

    // the bus leaves the signal behind: everything below happens offline
    await session.context.setOffline(true);
    await page.getByTestId('network-indicator').getByText('离线').waitFor();

    await page.getByTestId('tour-card').filter({ hasText: tourName }).getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: tourName }).waitFor();
    await openStop(page, stop1.name);
    const section = page.getByTestId('stop-photos');
    await section.getByText('还没有照片').waitFor();

    // ── many photos at once from the file picker, with a HEIC and a corrupt file among them
    await page.getByTestId('photo-input').setInputFiles([
      ...stopPhotos,
      { name: 'IMG_0001.HEIC', mimeType: 'image/heic', buffer: fakeHeic() },
      { name: 'broken.jpg', mimeType: 'image/jpeg', buffer: corruptJpeg() },
    ]);
    const report = page.getByTestId('photo-import-report');
    await report.waitFor();
    await report.getByText('已添加 4 张照片。').waitFor();
    const failures = report.getByTestId('photo-import-failure');
    expect(await failures.count()).toBe(2);
    expect(await failures.filter({ hasText: 'IMG_0001.HEIC' }).textContent()).toContain('HEIC/HEIF 格式');
    expect(await failures.filter({ hasText: 'broken.jpg' }).textContent()).toContain('已损坏或不完整');
    await expect.poll(() => page.getByTestId('photo-tile').count()).toBe(4);
    await expect.poll(() => thumbnailsLoaded(page)).toBe(4);
    await section.getByText('4 张', { exact: true }).waitFor();
    await page.screenshot({ path: path.join(artefactsDir, 'field-photos-1-gallery.png'), fullPage: true });

    // thumbnails are small JPEGs made in the worker, not the originals
    const thumbSizes = await page
      .getByTestId('photo-tile')
      .locator('img')
      .evaluateAll((imgs) => imgs.map((img) => Math.max((img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight)));
    expect(thumbSizes).toEqual([320, 320, 320, 320]);

    // ── no camera on this machine: said plainly, nothing else happens
    await session.context.grantPermissions(['camera'], { origin: new URL(baseUrl).origin });
    await page.getByTestId('photo-camera').click();
    const noCamera = page.getByTestId('camera-dialog');
    expect(await noCamera.getByTestId('camera-error').textContent()).toContain('没有找到摄像头');
    await noCamera.getByRole('button', { name: '关闭' }).click();
    await noCamera.waitFor({ state: 'detached' });

    // ── the viewer: in EXIF time order, with time and place; ←/→ move, Esc closes
    await page.getByTestId('photo-tile').first().getByRole('button').click();
    const viewer = page.getByTestId('photo-viewer');
    await viewer.waitFor();
    await expect.poll(() => viewer.getByTestId('photo-viewer-position').textContent()).toBe('第 1 / 4 张');
    expect(await viewer.getByTestId('photo-viewer-time').textContent()).toMatch(/2021年12月8日\s*09:10/);
    const location = await viewer.getByTestId('photo-viewer-location').textContent();
    expect(location).toContain('32.02859° N, 120.87891° E');
    expect(location).toContain('距项目 120 米');
    await viewer.getByTestId('photo-viewer-image').waitFor();
    // the display copy (1600 px on the long side), with EXIF orientation applied
    expect(await viewer.getByTestId('photo-viewer-image').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1600);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => viewer.getByTestId('photo-viewer-position').textContent()).toBe('第 2 / 4 张');
    // EXIF orientation applied: recorded and shown upright
    await viewer.getByText('1800 × 2400').waitFor();
    await expect.poll(() => viewer.getByTestId('photo-viewer-image').evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight])).toEqual([1200, 1600]);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => viewer.getByTestId('photo-viewer-position').textContent()).toBe('第 3 / 4 张');
    expect(await viewer.getByTestId('photo-viewer-location').textContent()).toBe('照片中没有位置信息');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => viewer.getByTestId('photo-viewer-position').textContent()).toBe('第 1 / 4 张');

    // caption: typed, saved with Enter; ←/→ in the field move the caret, not the photo
    const caption = viewer.getByTestId('photo-caption-input');
    await caption.fill('1号厂房主体完工');
    await caption.press('ArrowLeft');
    expect(await viewer.getByTestId('photo-viewer-position').textContent()).toBe('第 1 / 4 张');
    await caption.press('Enter');
    await viewer.getByText('说明已保存').waitFor();

    // cover
    await viewer.getByTestId('photo-cover-toggle').click();
    await viewer.getByTestId('photo-cover-toggle').getByText('取消封面').waitFor();
    await page.screenshot({ path: path.join(artefactsDir, 'field-photos-2-viewer.png') });

    // a caption typed and left with Esc, without Enter, is kept too
    await viewer.getByRole('button', { name: '下一张' }).click();
    await expect.poll(() => viewer.getByTestId('photo-viewer-position').textContent()).toBe('第 2 / 4 张');
    await viewer.getByTestId('photo-caption-input').fill('车间外立面');

    // Esc closes the viewer; the gallery shows the cover and the captions
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    const firstTile = page.getByTestId('photo-tile').first();
    await firstTile.getByText('封面').waitFor();
    await firstTile.getByText('1号厂房主体完工').waitFor();
    await page.getByTestId('photo-tile').nth(1).getByText('车间外立面').waitFor();

    // ── delete the photo without EXIF (taken "now", so last)
    await page.getByTestId('photo-tile').nth(3).getByRole('button').click();
    await viewer.getByTestId('photo-delete').click();
    await viewer.getByTestId('photo-delete-confirm').click();
    // the viewer moves to the previous photo
    await expect.poll(() => viewer.getByTestId('photo-viewer-position').textContent()).toBe('第 3 / 3 张');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('photo-tile').count()).toBe(3);

    // the same photo again is not added twice
    await page.getByTestId('photo-input').setInputFiles([stopPhotos[0]!]);
    await page.getByTestId('photo-import-report').getByText('1 张照片已在这个项目中，没有重复添加：DSC_0101.JPG').waitFor();
    expect(await page.getByTestId('photo-tile').count()).toBe(3);

    // ── photos from outside a stop: the tour page proposes a stop for each
    await backToItinerary(page);
    await page.getByTestId('tour-photo-input').setInputFiles([...batch, { name: 'IMG_2005.HEIC', mimeType: 'image/heic', buffer: fakeHeic() }]);
    const dialog = page.getByTestId('tour-import-dialog');
    await dialog.getByTestId('tour-import-summary').waitFor();
    const rows = dialog.getByTestId('tour-import-row');
    expect(await rows.count()).toBe(4);
    const row = (name: string) => dialog.locator(`[data-testid="tour-import-row"][data-file-name="${name}"]`);
    const chosenStop = (name: string) => row(name).getByTestId('tour-import-stop').evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
    const reasonOf = (name: string) => row(name).getByTestId('tour-import-reason').textContent();
    expect(await chosenStop('IMG_2001.JPG')).toBe(`2. ${stop2.name}`);
    expect(await reasonOf('IMG_2001.JPG')).toContain('距离 80 米');
    expect(await chosenStop('IMG_2002.JPG')).toBe(`2. ${stop2.name}`);
    expect(await reasonOf('IMG_2002.JPG')).toContain('距离 40 米');
    expect(await chosenStop('IMG_2003.JPG')).toBe(`2. ${stop2.name}`);
    expect(await reasonOf('IMG_2003.JPG')).toContain('拍摄时间在该项目的照片之间');
    expect(await chosenStop('IMG_2004.JPG')).toBe('不导入这张');
    expect(await reasonOf('IMG_2004.JPG')).toMatch(/离最近的项目（.+）也有 \d+ 公里/);
    expect(await dialog.getByTestId('photo-import-failure').textContent()).toContain('IMG_2005.HEIC');
    await page.screenshot({ path: path.join(artefactsDir, 'field-photos-3-tour-import.png') });

    // the user places the far one by hand, then imports
    await row('IMG_2004.JPG').getByTestId('tour-import-stop').selectOption({ label: `5. ${stop5.name}` });
    await dialog.getByTestId('tour-import-confirm').getByText('导入 4 张照片').click();
    await dialog.getByTestId('photo-import-report').getByText('已添加 4 张照片。').waitFor();
    expect(await dialog.getByTestId('photo-import-failure').textContent()).toContain('IMG_2005.HEIC');
    await dialog.getByRole('button', { name: '完成' }).click();
    await dialog.waitFor({ state: 'detached' });

    await openStop(page, stop2.name);
    await expect.poll(() => page.getByTestId('photo-tile').count()).toBe(3);
    await expect.poll(() => thumbnailsLoaded(page)).toBe(3);
    await backToItinerary(page);
    await openStop(page, stop5.name);
    await expect.poll(() => page.getByTestId('photo-tile').count()).toBe(1);

    // ── back online only to reload (an offline reload is the service worker's business)
    await session.context.setOffline(false);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: stop5.name }).waitFor();
    await expect.poll(() => page.getByTestId('photo-tile').count()).toBe(1);
    await backToItinerary(page);
    await openStop(page, stop1.name);
    await expect.poll(() => thumbnailsLoaded(page)).toBe(3);
    const tile = page.getByTestId('photo-tile').first();
    await tile.getByText('封面').waitFor();
    await tile.getByText('1号厂房主体完工').waitFor();
    await tile.getByRole('button').click();
    await expect.poll(() => page.getByTestId('photo-caption-input').inputValue()).toBe('1号厂房主体完工');
    await page.keyboard.press('Escape');
    await backToItinerary(page);
    await openStop(page, stop2.name);
    await expect.poll(() => thumbnailsLoaded(page)).toBe(3);
    await page.screenshot({ path: path.join(artefactsDir, 'field-photos-4-after-reload.png'), fullPage: true });

    // what IndexedDB holds: one blob per distinct photo, previews for the live ones, an outbox entry per change
    const stored = await page.evaluate(async () => {
      const open = indexedDB.open('guanmo');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const count = (store: string) =>
        new Promise<number>((resolve) => {
          const request = db.transaction(store).objectStore(store).count();
          request.onsuccess = () => resolve(request.result);
        });
      const all = <T,>(store: string) =>
        new Promise<T[]>((resolve) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result as T[]);
        });
      const photos = await all<{ deletedAt: string | null }>('photos');
      const outbox = await all<{ collection: string }>('outbox');
      const result = {
        photos: photos.length,
        livePhotos: photos.filter((p) => p.deletedAt === null).length,
        blobs: await count('photoBlobs'),
        previews: await count('photoPreviews'),
        photoOutbox: outbox.filter((e) => e.collection === 'photos').length,
      };
      db.close();
      return result;
    });
    // 4 + 4 photos added, 2 captions, 1 cover, 1 deleted (kept as a tombstone; its bytes wait for the server)
    expect(stored).toEqual({ photos: 8, livePhotos: 7, blobs: 8, previews: 7, photoOutbox: 8 + 2 + 1 + 1 });

    expect(problems).toEqual([]);
  });

  it('says plainly when the disk is full, keeps what was saved, and imports the rest once there is room', async () => {
    const quotaSession = await launchChromium();
    try {
      const page = await quotaSession.context.newPage();
      // The disk fills up after two photos. This Chromium cannot shrink an origin's quota
      // (CDP Storage.overrideQuotaForOrigin is not enforced), so IndexedDB is made to refuse
      // the third photo's thumbnail write the way a full disk refuses a write: with a
      // QuotaExceededError, after the photo's bytes were already written in the same transaction.
      await page.addInitScript(() => {
        const w = window as unknown as { __guanmoRoomForPreviews: number };
        w.__guanmoRoomForPreviews = 2;
        const add = IDBObjectStore.prototype.add;
        IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
          if (this.name === 'photoPreviews') {
            if (w.__guanmoRoomForPreviews <= 0) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
            w.__guanmoRoomForPreviews--;
          }
          return add.apply(this, args);
        };
      });
      const { problems } = watchPageProblems(page, new URL(baseUrl).origin);
      await page.goto(baseUrl);
      await page.getByTestId('person').filter({ hasText: '评委丙' }).click();
      await page.getByTestId('tour-card').filter({ hasText: tourName }).getByRole('link').first().click();
      await quotaSession.context.setOffline(true);
      await openStop(page, '长城计算机智能制造基地');
      await installPhotoFixtures(page);
      const files = await makeJpegs(
        page,
        Array.from({ length: 6 }, (_, i) => photo(`FULL_${i + 1}.JPG`, `满 ${i + 1}`, { dateTimeOriginal: `2021:12:08 11:0${i}:00`, offsetTimeOriginal: '+08:00' }, [1200, 900])),
      );

      await page.getByTestId('photo-input').setInputFiles(files);
      const report = page.getByTestId('photo-import-report');
      await report.getByTestId('photo-import-storage-full').waitFor();
      expect(await report.getByTestId('photo-import-storage-full').textContent()).toContain('本机存储空间已满');
      await page.getByTestId('stop-photos').screenshot({ path: path.join(artefactsDir, 'field-photos-6-disk-full.png') });
      await expect.poll(() => thumbnailsLoaded(page)).toBe(2);
      expect(await report.textContent()).toContain('已添加 2 张照片。');
      expect(await report.textContent()).toContain('4 个文件尚未保存');
      // nothing half-written: two photos, each with its bytes, previews and outbox entry
      const counts = await page.evaluate(async () => {
        const open = indexedDB.open('guanmo');
        const db = await new Promise<IDBDatabase>((resolve) => (open.onsuccess = () => resolve(open.result)));
        const count = (store: string) =>
          new Promise<number>((resolve) => {
            const request = db.transaction(store).objectStore(store).count();
            request.onsuccess = () => resolve(request.result);
          });
        const result = [await count('photos'), await count('photoBlobs'), await count('photoPreviews'), await count('outbox')];
        db.close();
        return result;
      });
      expect(counts).toEqual([2, 2, 2, 2]);

      // space freed: the same files once more; the saved ones are recognised, the rest imported
      await page.evaluate(() => {
        (window as unknown as { __guanmoRoomForPreviews: number }).__guanmoRoomForPreviews = Infinity;
      });
      await report.getByRole('button', { name: '知道了' }).click();
      await page.getByTestId('photo-input').setInputFiles(files);
      await page.getByTestId('photo-import-report').getByText('已添加 4 张照片。').waitFor();
      await page.getByTestId('photo-import-report').getByText('2 张照片已在这个项目中', { exact: false }).waitFor();
      await expect.poll(() => thumbnailsLoaded(page)).toBe(6);
      expect(problems).toEqual([]);
    } finally {
      await quotaSession.close();
    }
  });

  it('takes a photo with the laptop camera (after saying plainly when permission is missing) and adds dropped photos', async () => {
    // Chromium's fake camera (a moving test pattern); no permission granted at first
    const cameraSession = await launchChromium({ extraArgs: ['--use-fake-device-for-media-stream'] });
    try {
      const page = await cameraSession.context.newPage();
      const { problems } = watchPageProblems(page, new URL(baseUrl).origin);
      await page.goto(baseUrl);
      await page.getByTestId('person').filter({ hasText: '评委乙' }).click();
      await page.getByTestId('tour-card').filter({ hasText: tourName }).getByRole('link').first().click();
      await cameraSession.context.setOffline(true);
      await openStop(page, '京源睿谷生态科技城');

      await page.getByTestId('photo-camera').click();
      const dialog = page.getByTestId('camera-dialog');
      expect(await dialog.getByTestId('camera-error').textContent()).toContain('没有使用摄像头的权限');

      await cameraSession.context.grantPermissions(['camera'], { origin: new URL(baseUrl).origin });
      await dialog.getByRole('button', { name: '重试' }).click();
      const beforeCapture = Date.now();
      await dialog.getByRole('button', { name: '拍摄' }).click();
      await dialog.getByRole('img', { name: '刚拍的照片' }).waitFor();
      await page.screenshot({ path: path.join(artefactsDir, 'field-photos-5-camera.png') });
      const afterCapture = Date.now();
      await dialog.getByRole('button', { name: '使用这张照片' }).click();
      await dialog.waitFor({ state: 'detached' });

      await expect.poll(() => thumbnailsLoaded(page)).toBe(1);
      await page.getByTestId('photo-import-report').getByText('已添加 1 张照片。').waitFor();
      await page.getByTestId('photo-tile').first().getByRole('button').click();
      const time = await page.getByTestId('photo-viewer-time').textContent();
      // the capture time (the camera's JPEG has no EXIF), in this browser's zone, to the minute
      const minute = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
      expect([minute.format(beforeCapture), minute.format(afterCapture)]).toContain(time);
      // the camera is released once the photo is taken
      expect(await page.evaluate(() => document.querySelectorAll('video').length)).toBe(0);
      await page.keyboard.press('Escape');

      // photos dragged from the file manager and dropped anywhere on the stop page
      await installPhotoFixtures(page);
      const dataTransfer = await page.evaluateHandle(async () => {
        const w = window as unknown as { __guanmoMakeJpeg: (spec: unknown) => Promise<File> };
        const transfer = new DataTransfer();
        for (const name of ['drop-1.jpg', 'drop-2.jpg']) transfer.items.add(await w.__guanmoMakeJpeg({ name, width: 1024, height: 768, label: name }));
        return transfer;
      });
      await page.dispatchEvent('main', 'dragenter', { dataTransfer });
      await page.getByText('松开鼠标，把照片添加到这个项目').waitFor();
      await page.dispatchEvent('main', 'drop', { dataTransfer });
      await page.getByText('松开鼠标，把照片添加到这个项目').waitFor({ state: 'detached' });
      await page.getByTestId('photo-import-report').getByText('已添加 2 张照片。').waitFor();
      await expect.poll(() => thumbnailsLoaded(page)).toBe(3);
      expect(problems).toEqual([]);
    } finally {
      await cameraSession.close();
    }
  });
});
