/**
 * Looking at a PDF the way a reader would: its text (pdftotext), its pages as images (pdftoppm,
 * Debian's poppler-utils) and what a person would read off those images (tesseract OCR with the
 * simplified-Chinese model). The text layer alone can't show that the CJK glyphs were drawn: a PDF
 * with a missing font keeps correct text but prints boxes (豆腐块). OCR of the rendered page checks
 * what is actually on the paper.
 *
 * `missingPdfTools()` names what is not installed, so a suite can skip (and CI, which sets
 * GUANMO_REQUIRE_ALL=1, fails on any skip: see scripts/test.mjs). .ci/run installs them.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What poppler-utils / tesseract provide that these helpers use, and the apt package of each. */
const TOOLS = [
  { command: 'pdftoppm', apt: 'poppler-utils' },
  { command: 'pdftotext', apt: 'poppler-utils' },
  { command: 'tesseract', apt: 'tesseract-ocr' },
] as const;

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, command)));
}

/** null when everything is there; otherwise why not (one line, with the apt packages to install). */
export function missingPdfTools(): string | null {
  const missing = TOOLS.filter((t) => !onPath(t.command));
  const packages = new Set<string>(missing.map((t) => t.apt));
  if (onPath('tesseract') && !hasChineseOcrModel()) packages.add('tesseract-ocr-chi-sim');
  if (packages.size === 0) return null;
  const what = [...missing.map((t) => t.command), ...(packages.has('tesseract-ocr-chi-sim') ? ['tesseract chi_sim model'] : [])];
  return `${what.join(', ')} not installed (apt-get install ${[...packages].join(' ')})`;
}

function hasChineseOcrModel(): boolean {
  const dirs = [process.env.TESSDATA_PREFIX, '/usr/share/tesseract-ocr/5/tessdata', '/usr/share/tesseract-ocr/4.00/tessdata', '/usr/share/tessdata'];
  return dirs.some((dir) => dir && fs.existsSync(path.join(dir, 'chi_sim.traineddata')));
}

/** The PDF's text with its layout kept (a table row stays on one line). Pages are separated by \f. */
export async function pdfText(pdfFile: string): Promise<string> {
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', pdfFile, '-'], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export interface RenderedPage {
  /** the PNG file, to look at */
  png: string;
  /** the same page as 8-bit grey pixels, to measure */
  gray: GrayImage;
}

export interface GrayImage {
  width: number;
  height: number;
  /** one byte per pixel, 0 = black, 255 = white, rows top to bottom */
  pixels: Uint8Array;
}

/**
 * Renders one page (1-based) at `dpi` to `<outPrefix>.png` (and a grey PGM beside it, read
 * back here: PGM is a plain header and raw bytes, so no PNG decoder is needed).
 */
export async function renderPdfPage(pdfFile: string, page: number, outPrefix: string, dpi = 110): Promise<RenderedPage> {
  const common = ['-f', String(page), '-l', String(page), '-r', String(dpi), '-singlefile'];
  await run('pdftoppm', [...common, '-png', pdfFile, outPrefix]);
  await run('pdftoppm', [...common, '-gray', pdfFile, outPrefix]);
  const pgm = `${outPrefix}.pgm`;
  const gray = parsePgm(await fs.promises.readFile(pgm));
  await fs.promises.rm(pgm, { force: true });
  return { png: `${outPrefix}.png`, gray };
}

/** Binary PGM (P5, maxval 255), as pdftoppm -gray writes it. */
export function parsePgm(bytes: Buffer): GrayImage {
  // header: "P5" whitespace width whitespace height whitespace maxval one-whitespace, comments allowed
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4) {
    while (i < bytes.length && /\s/.test(String.fromCharCode(bytes[i]!))) i++;
    if (bytes[i] === 0x23) {
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
      continue;
    }
    let token = '';
    while (i < bytes.length && !/\s/.test(String.fromCharCode(bytes[i]!))) token += String.fromCharCode(bytes[i++]!);
    fields.push(token);
  }
  i++; // the single whitespace after maxval
  const [magic, w, h, max] = fields;
  if (magic !== 'P5' || max !== '255') throw new Error(`not an 8-bit binary PGM: ${fields.join(' ')}`);
  const width = Number(w);
  const height = Number(h);
  const pixels = new Uint8Array(bytes.buffer, bytes.byteOffset + i, width * height);
  if (pixels.length !== width * height) throw new Error('truncated PGM');
  return { width, height, pixels };
}

/** Share (0..1) of pixels darker than `threshold` inside a box given in fractions of the page. */
export function inkShare(image: GrayImage, box: { top: number; bottom: number; left?: number; right?: number }, threshold = 160): number {
  const x0 = Math.floor((box.left ?? 0) * image.width);
  const x1 = Math.ceil((box.right ?? 1) * image.width);
  const y0 = Math.floor(box.top * image.height);
  const y1 = Math.ceil(box.bottom * image.height);
  let ink = 0;
  for (let y = y0; y < y1; y++) {
    const row = y * image.width;
    for (let x = x0; x < x1; x++) if (image.pixels[row + x]! < threshold) ink++;
  }
  return ink / Math.max(1, (x1 - x0) * (y1 - y0));
}

/** The rows (as fractions of the height) that hold any ink: where the lines of text are. */
export function inkedRowBands(image: GrayImage, threshold = 160, minGap = 4): { top: number; bottom: number }[] {
  const bands: { top: number; bottom: number }[] = [];
  let start = -1;
  let lastInk = -minGap - 1;
  for (let y = 0; y < image.height; y++) {
    const row = image.pixels.subarray(y * image.width, (y + 1) * image.width);
    const hasInk = row.some((p) => p < threshold);
    if (hasInk) {
      if (start < 0 || y - lastInk > minGap) {
        if (start >= 0) bands.push({ top: start / image.height, bottom: (lastInk + 1) / image.height });
        start = y;
      }
      lastInk = y;
    }
  }
  if (start >= 0) bands.push({ top: start / image.height, bottom: (lastInk + 1) / image.height });
  return bands;
}

/**
 * OCR of an image with tesseract's simplified-Chinese model (it reads digits and Latin letters
 * too; adding `eng` made it read CJK table cells as Latin garbage), whitespace removed: CJK OCR
 * puts spaces between characters. About 3 s for an A4 page at 200 dpi.
 */
export async function ocrText(imageFile: string, options: { block?: boolean } = {}): Promise<string> {
  // psm 6: one uniform block of text (a title of a line or two); 3: a whole page, laid out automatically
  const { stdout } = await run('tesseract', [imageFile, 'stdout', '-l', 'chi_sim', '--psm', options.block ? '6' : '3'], {
    maxBuffer: 16 * 1024 * 1024,
    // one thread: the machine is shared, and OMP's spinning threads make it slower, not faster, there
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  return stdout.replace(/\s+/g, '');
}

/**
 * Renders only the part of a page inside `box` (fractions of the page, e.g. found on a
 * `renderPdfPage` image) to `<outPrefix>.png`, at `dpi`: a crop to look at and to OCR.
 */
export async function renderPdfCrop(pdfFile: string, page: number, box: { top: number; bottom: number; left?: number; right?: number }, size: { width: number; height: number }, outPrefix: string, dpi: number): Promise<string> {
  const x = Math.max(0, Math.floor((box.left ?? 0) * size.width));
  const y = Math.max(0, Math.floor(box.top * size.height));
  const w = Math.min(size.width, Math.ceil((box.right ?? 1) * size.width)) - x;
  const h = Math.min(size.height, Math.ceil(box.bottom * size.height)) - y;
  await run('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), '-x', String(x), '-y', String(y), '-W', String(w), '-H', String(h), '-singlefile', '-png', pdfFile, outPrefix]);
  return `${outPrefix}.png`;
}

/**
 * How well `needle` occurs somewhere in `haystack` (whitespace and full/half width ignored): 1 − (fewest character
 * edits that turn it into some substring of haystack) / its length. 1 = found as is; OCR's odd
 * misread character costs a little; text that is not there at all scores near 0.
 */
export function fuzzyContains(needle: string, haystack: string): number {
  // NFKC: full-width （） and half-width () are the same to a reader
  const a = [...needle.normalize('NFKC').replace(/\s+/g, '')];
  const b = [...haystack.normalize('NFKC').replace(/\s+/g, '')];
  if (a.length === 0) return 1;
  // Sellers' algorithm: edit distance where the match may start anywhere in b for free
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1);
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return 1 - Math.min(...previous) / a.length;
}
