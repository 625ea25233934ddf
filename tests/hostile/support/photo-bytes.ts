/**
 * Photo bytes for the hostile suite: a JPEG header (SOI, APP0, a baseline frame with the given
 * width and height) followed by noise, the size asked for. Not decodable, but what the server
 * reads (signature and frame size) is real.
 */
import { createHash, randomBytes } from 'node:crypto';

export function fakeJpeg(width: number, height: number, size: number): Buffer {
  const head = Buffer.from([
    0xff, 0xd8, // SOI
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // APP0 JFIF
    0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, // SOF0
  ]);
  const bytes = Buffer.concat([head, randomBytes(Math.max(0, size - head.length - 2)), Buffer.from([0xff, 0xd9])]);
  return bytes.subarray(0, size);
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function tusMetadata(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([key, value]) => `${key} ${Buffer.from(value, 'utf8').toString('base64')}`)
    .join(',');
}

/** One tus upload in its creating request (creation-with-upload), as the app sends a small file. */
export async function uploadWhole(base: string, token: string, bytes: Buffer, metadata: Record<string, string>): Promise<Response> {
  return fetch(new URL('api/uploads', base), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.length),
      'upload-metadata': tusMetadata({ sha256: sha256Of(bytes), filetype: 'image/jpeg', filename: 'site.jpg', ...metadata }),
      'content-type': 'application/offset+octet-stream',
    },
    body: new Uint8Array(bytes),
  });
}

/** A tus upload created without bytes (the first step of a resumable upload). */
export async function createEmptyUpload(base: string, token: string, bytes: Buffer, metadata: Record<string, string>): Promise<Response> {
  return fetch(new URL('api/uploads', base), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.length),
      'upload-metadata': tusMetadata({ sha256: sha256Of(bytes), filetype: 'image/jpeg', ...metadata }),
    },
  });
}
