/**
 * Map tiles for tests, drawn here: a pale ground with a street grid and "z/x/y" written large in
 * the middle, tinted by zoom, as an RGB PNG. A screenshot shows at a glance which tile of which
 * zoom is where, and that it came from the pack (the test server that drew it is gone by then).
 */
import { deflateSync } from 'node:zlib';

const SIZE = 256;

// 5×7 glyphs, one string per row, for the characters a tile label needs
const GLYPHS: Record<string, string[]> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  '/': ['00001', '00010', '00010', '00100', '01000', '01000', '10000'],
};

export function drawTilePng(z: number, x: number, y: number): Buffer {
  const rgb = Buffer.alloc(SIZE * SIZE * 3);
  const tint = [(z * 37) % 40, (z * 53) % 30, (z * 29) % 40];
  const set = (px: number, py: number, r: number, g: number, b: number) => {
    if (px < 0 || py < 0 || px >= SIZE || py >= SIZE) return;
    const i = (py * SIZE + px) * 3;
    rgb[i] = r;
    rgb[i + 1] = g;
    rgb[i + 2] = b;
  };
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      const isStreet = px % 64 < 6 || py % 64 < 6;
      const isEdge = px === 0 || py === 0;
      if (isEdge) set(px, py, 170, 170, 170);
      else if (isStreet) set(px, py, 255, 255, 255);
      else set(px, py, 236 - tint[0]!, 232 - tint[1]!, 222 - tint[2]!);
    }
  }
  const label = `${z}/${x}/${y}`;
  const scale = label.length > 14 ? 2 : 3;
  const width = label.length * 6 * scale;
  const left = Math.round((SIZE - width) / 2);
  const top = Math.round((SIZE - 7 * scale) / 2);
  for (let py = top - 6; py < top + 7 * scale + 6; py++) for (let px = left - 6; px < left + width + 4; px++) set(px, py, 255, 255, 255);
  [...label].forEach((ch, i) => {
    const glyph = GLYPHS[ch];
    if (!glyph) return;
    glyph.forEach((row, gy) => {
      [...row].forEach((bit, gx) => {
        if (bit !== '1') return;
        for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) set(left + (i * 6 + gx) * scale + sx, top + gy * scale + sy, 40, 60, 90);
      });
    });
  });
  return encodePng(rgb, SIZE, SIZE);
}

function encodePng(rgb: Buffer, width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    rgb.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
