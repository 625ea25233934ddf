/**
 * Photo fixtures made in the browser under test: a scene drawn on a canvas, encoded as JPEG by
 * Chromium, with real EXIF (DateTimeOriginal, OffsetTimeOriginal, GPS) written into an APP1
 * segment by renderer/src/test-support/jpeg-exif-writer.ts. Nothing is checked in: every run
 * makes its own files.
 */
import path from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import type { ExifFixture } from '../../../renderer/src/test-support/jpeg-exif-writer';
import { repoDir } from './paths';

export interface JpegSpec {
  name: string;
  width: number;
  height: number;
  exif?: ExifFixture;
  /** a label drawn on the photo, so screenshots show which is which */
  label?: string;
  /** 0..1: how much per-pixel noise (sensor grain). Noise makes JPEGs as big as a camera's. */
  noise?: number;
  quality?: number;
}

let writerSource: Promise<string> | null = null;

/** The EXIF writer as a script that defines `window.__guanmoExif`. */
function exifWriterScript(): Promise<string> {
  writerSource ??= build({
    entryPoints: [path.join(repoDir, 'renderer/src/test-support/jpeg-exif-writer.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__guanmoExif',
    target: 'es2022',
  }).then((result) => result.outputFiles[0]!.text);
  return writerSource;
}

/**
 * Makes the helpers available in the page (page.evaluate is not subject to the app's CSP, an
 * injected <script> would be). Call again after every navigation.
 */
export async function installPhotoFixtures(page: Page): Promise<void> {
  await allowTranspiledFunctions(page);
  const script = await exifWriterScript();
  await page.evaluate(`${script};\nwindow.__guanmoExif = __guanmoExif;`);
  await page.evaluate(() => {
    type Spec = { name: string; width: number; height: number; exif?: unknown; label?: string; noise?: number; quality?: number };
    const w = window as unknown as {
      __guanmoExif: { insertExif(jpeg: Uint8Array, fixture: unknown): Uint8Array };
      __guanmoMakeJpeg: (spec: Spec) => Promise<File>;
      __guanmoFiles: File[];
    };
    w.__guanmoFiles = [];
    w.__guanmoMakeJpeg = async (spec) => {
      const canvas = new OffscreenCanvas(spec.width, spec.height);
      const ctx = canvas.getContext('2d')!;
      // a construction site, roughly: sky, ground, a few buildings
      let seed = [...spec.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
      const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
      const sky = ctx.createLinearGradient(0, 0, 0, spec.height);
      sky.addColorStop(0, `hsl(${200 + random() * 20} 60% ${55 + random() * 15}%)`);
      sky.addColorStop(0.6, '#dfe8ef');
      sky.addColorStop(0.6001, `hsl(${30 + random() * 20} 30% 45%)`);
      sky.addColorStop(1, '#5d4a36');
      ctx.fillStyle = sky;
      ctx.fillRect(0, 0, spec.width, spec.height);
      for (let i = 0; i < 7; i++) {
        const bw = spec.width * (0.06 + random() * 0.12);
        const bh = spec.height * (0.15 + random() * 0.4);
        const x = random() * (spec.width - bw);
        ctx.fillStyle = `hsl(${random() * 360} 25% ${40 + random() * 35}%)`;
        ctx.fillRect(x, spec.height * 0.6 - bh, bw, bh);
        ctx.fillStyle = 'rgb(255 255 255 / 35%)';
        for (let y = spec.height * 0.6 - bh + 10; y < spec.height * 0.6 - 10; y += bh / 8) ctx.fillRect(x + 6, y, bw - 12, Math.max(2, bh / 30));
      }
      if (spec.label) {
        ctx.fillStyle = 'rgb(0 0 0 / 55%)';
        ctx.fillRect(0, spec.height * 0.78, spec.width, spec.height * 0.16);
        ctx.fillStyle = '#fff';
        ctx.font = `bold ${Math.round(spec.height * 0.09)}px sans-serif`;
        ctx.fillText(spec.label, spec.width * 0.04, spec.height * 0.9);
      }
      if (spec.noise) {
        const image = ctx.getImageData(0, 0, spec.width, spec.height);
        const data = image.data;
        const amplitude = spec.noise * 255;
        for (let i = 0; i < data.length; i += 4) {
          const n = (random() - 0.5) * amplitude;
          data[i] = data[i]! + n;
          data[i + 1] = data[i + 1]! + n;
          data[i + 2] = data[i + 2]! + n;
        }
        ctx.putImageData(image, 0, 0);
      }
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: spec.quality ?? 0.9 });
      let bytes = new Uint8Array(await blob.arrayBuffer());
      if (spec.exif) bytes = w.__guanmoExif.insertExif(bytes, spec.exif) as Uint8Array<ArrayBuffer>;
      return new File([bytes], spec.name, { type: 'image/jpeg', lastModified: Date.now() });
    };
  });
}

/**
 * Functions handed to page.evaluate are sent as source text. Run by tsx (esbuild with keepNames)
 * their inner functions call a `__name` helper that exists only in Node: define it in the page.
 */
export async function allowTranspiledFunctions(page: Page): Promise<void> {
  const shim = 'globalThis.__name ??= (fn) => fn;';
  await page.addInitScript({ content: shim });
  await page.evaluate(shim);
}

/** Makes JPEGs in the page and returns their bytes (for page.setInputFiles). */
export async function makeJpegs(page: Page, specs: JpegSpec[]): Promise<{ name: string; mimeType: string; buffer: Buffer }[]> {
  const encoded = await page.evaluate(async (list) => {
    const w = window as unknown as { __guanmoMakeJpeg: (spec: unknown) => Promise<File> };
    const out: { name: string; base64: string }[] = [];
    for (const spec of list) {
      const file = await w.__guanmoMakeJpeg(spec);
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      out.push({ name: file.name, base64: btoa(binary) });
    }
    return out;
  }, specs);
  return encoded.map(({ name, base64 }) => ({ name, mimeType: 'image/jpeg', buffer: Buffer.from(base64, 'base64') }));
}

/**
 * Makes JPEGs in the page and keeps them there (window.__guanmoFiles), for benchmarks where
 * shipping hundreds of megabytes through the DevTools protocol would dominate.
 */
export async function makeJpegsInPage(page: Page, specs: JpegSpec[]): Promise<number> {
  return page.evaluate(async (list) => {
    const w = window as unknown as { __guanmoMakeJpeg: (spec: unknown) => Promise<File>; __guanmoFiles: File[] };
    w.__guanmoFiles = [];
    let bytes = 0;
    for (const spec of list) {
      const file = await w.__guanmoMakeJpeg(spec);
      w.__guanmoFiles.push(file);
      bytes += file.size;
    }
    return bytes;
  }, specs);
}

/** Hands the files kept in the page to a file input, as a user picking them would. */
export async function setInputFilesInPage(page: Page, inputSelector: string): Promise<void> {
  await page.evaluate((selector) => {
    const w = window as unknown as { __guanmoFiles: File[] };
    const input = document.querySelector<HTMLInputElement>(selector);
    if (!input) throw new Error(`no input ${selector}`);
    const transfer = new DataTransfer();
    for (const file of w.__guanmoFiles) transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, inputSelector);
}

/** The first bytes of a HEIC file (an ISO-BMFF 'ftyp' box with the 'heic' brand) and some filler. */
export function fakeHeic(): Buffer {
  const ftyp = Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypheic'), 0, 0, 0, 0, ...Buffer.from('mif1heic')]);
  return Buffer.concat([ftyp, Buffer.alloc(2048, 7)]);
}

/** A file that starts like a JPEG and then is garbage (a card error, an interrupted copy). */
export function corruptJpeg(): Buffer {
  const bytes = Buffer.alloc(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
  bytes[0] = 0xff;
  bytes[1] = 0xd8;
  bytes[2] = 0xff;
  bytes[3] = 0xdb;
  return bytes;
}
