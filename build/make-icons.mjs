#!/usr/bin/env node
/**
 * Renders assets/icons/guanmo.svg into every icon the app and its installers need:
 *   assets/icons/png/NxN.png   (16 … 1024)
 *   assets/icons/icon.ico      (Windows: BMP entries up to 48 px for old shells, PNG above)
 *   assets/icons/icon.icns     (macOS: PNG entries)
 * and copies the set electron-builder reads into build/ (icon.png, icon.ico, icon.icns,
 * icons/NxN.png for Linux).
 *
 * Rasterises with headless Chromium through playwright-core, drawing the SVG at each size
 * (vector-sharp small icons, not downscaled big ones). Outputs are committed; run this again
 * only after changing the SVG:  node build/make-icons.mjs   (CHROMIUM_PATH overrides
 * /usr/bin/chromium).
 */
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const iconsDir = join(root, 'assets', 'icons');
const pngDir = join(iconsDir, 'png');
const buildDir = join(root, 'build');

const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICO entries at or below this size are stored as BMP (Windows XP-era shells, NSIS). */
const ICO_BMP_MAX = 48;
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

async function rasterise(svg, sizes) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    return await page.evaluate(
      async ({ svgText, sizes }) => {
        const img = new Image();
        img.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svgText)))}`;
        await img.decode();
        const out = [];
        for (const size of sizes) {
          const canvas = document.createElement('canvas');
          canvas.width = size;
          canvas.height = size;
          const ctx = canvas.getContext('2d');
          ctx.imageSmoothingQuality = 'high';
          ctx.drawImage(img, 0, 0, size, size);
          const rgba = Array.from(ctx.getImageData(0, 0, size, size).data);
          out.push({ size, png: canvas.toDataURL('image/png').split(',')[1], rgba });
        }
        return out;
      },
      { svgText: svg, sizes },
    );
  } finally {
    await browser.close();
  }
}

/**
 * Chromium's PNG encoder favours speed; re-deflate the image data at the highest level (same
 * pixels, roughly a third smaller, which matters for files kept in git and in installers).
 */
function recompressPng(png) {
  const signature = png.subarray(0, 8);
  const chunks = [];
  const idat = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IDAT') idat.push(data);
    else chunks.push({ type, data });
    at += 12 + length;
  }
  const compressed = deflateSync(inflateSync(Buffer.concat(idat)), { level: 9, memLevel: 9 });
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const out = [signature];
  for (const { type, data } of chunks) {
    if (type === 'IEND') out.push(chunk('IDAT', compressed));
    out.push(chunk(type, data));
  }
  const result = Buffer.concat(out);
  return result.length < png.length ? result : png;
}

/** A 32-bit BMP (DIB) as stored inside an ICO: bottom-up BGRA, then the 1-bit AND mask. */
function icoBitmap(size, rgba) {
  const maskRow = Math.ceil(size / 32) * 4;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // XOR + AND bitmaps
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(0, 16); // BI_RGB
  header.writeUInt32LE(size * size * 4 + maskRow * size, 20);
  const pixels = Buffer.alloc(size * size * 4);
  const mask = Buffer.alloc(maskRow * size);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y;
    for (let x = 0; x < size; x++) {
      const src = (y * size + x) * 4;
      const dst = (row * size + x) * 4;
      pixels[dst] = rgba[src + 2];
      pixels[dst + 1] = rgba[src + 1];
      pixels[dst + 2] = rgba[src];
      pixels[dst + 3] = rgba[src + 3];
      if (rgba[src + 3] === 0) mask[row * maskRow + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, pixels, mask]);
}

function buildIco(images) {
  const entries = images.map(({ size, png, rgba }) => ({
    size,
    data: size <= ICO_BMP_MAX ? icoBitmap(size, rgba) : png,
  }));
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach(({ size, data }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt8(0, at + 2);
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(data.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...entries.map((e) => e.data)]);
}

function buildIcns(pngBySize) {
  const chunks = ICNS_TYPES.map(([type, size]) => {
    const png = pngBySize.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

async function main() {
  const svg = await readFile(join(iconsDir, 'guanmo.svg'), 'utf8');
  const images = await rasterise(svg, PNG_SIZES);
  const pngBySize = new Map(images.map((i) => [i.size, recompressPng(Buffer.from(i.png, 'base64'))]));

  await rm(pngDir, { recursive: true, force: true });
  await mkdir(pngDir, { recursive: true });
  for (const [size, png] of pngBySize) await writeFile(join(pngDir, `${size}x${size}.png`), png);

  const ico = buildIco(
    images.filter((i) => ICO_SIZES.includes(i.size)).map((i) => ({ ...i, png: pngBySize.get(i.size) })),
  );
  await writeFile(join(iconsDir, 'icon.ico'), ico);
  await writeFile(join(iconsDir, 'icon.icns'), buildIcns(pngBySize));

  // electron-builder resources (directories.buildResources = build)
  await copyFile(join(pngDir, '512x512.png'), join(buildDir, 'icon.png'));
  await copyFile(join(iconsDir, 'icon.ico'), join(buildDir, 'icon.ico'));
  await copyFile(join(iconsDir, 'icon.icns'), join(buildDir, 'icon.icns'));
  await rm(join(buildDir, 'icons'), { recursive: true, force: true });
  await mkdir(join(buildDir, 'icons'), { recursive: true });
  for (const size of LINUX_SIZES) await copyFile(join(pngDir, `${size}x${size}.png`), join(buildDir, 'icons', `${size}x${size}.png`));

  console.log(`icons written: ${PNG_SIZES.length} PNG, icon.ico (${ico.length} bytes), icon.icns`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
