/**
 * What the stored bytes of a hash are: their size, their format (from the signature) and the
 * image's width and height (from its header, shared/photos/image-size.ts). Push compares a photo
 * record's metadata with them (sync/push.ts): a record whose size, type or dimensions contradict
 * the bytes is rejected. The bytes of a hash never change, so what was read is kept (a small
 * cache by hash); whether the bytes are there is asked each time (garbage collection removes them).
 */
import fs from 'node:fs/promises';
import { imageSizeHeadBytes, readImageSize } from '@shared/photos/image-size';
import { sniffImage, type StoredImageMime } from '@shared/photos/sniff-image';
import type { BlobStore } from './blob-store.js';

export interface BlobFacts {
  size: number;
  /** the format its signature says; null when it is none of the photo formats */
  mime: StoredImageMime | null;
  /** from the image header; null when the header could not be read */
  width: number | null;
  height: number | null;
}

const maxCached = 5000;

export class BlobFactsReader {
  private readonly cache = new Map<string, Omit<BlobFacts, 'size'>>();

  constructor(readonly blobs: BlobStore) {}

  /** The facts of the stored bytes of `sha256`, or null when the server does not hold them. */
  async get(sha256: string): Promise<BlobFacts | null> {
    const blob = await this.blobs.stat(sha256);
    if (!blob) return null;
    let facts = this.cache.get(sha256);
    if (!facts) {
      facts = await readFacts(blob.path, Math.min(blob.size, imageSizeHeadBytes));
      this.cache.set(sha256, facts);
      if (this.cache.size > maxCached) this.cache.delete(this.cache.keys().next().value!);
    }
    return { size: blob.size, ...facts };
  }
}

/** Signature and header of a file's first `length` bytes. */
export async function readFacts(filePath: string, length: number): Promise<Omit<BlobFacts, 'size'>> {
  const head = await readHead(filePath, length);
  const sniffed = sniffImage(head);
  const size = readImageSize(head);
  return { mime: sniffed.kind === 'supported' ? sniffed.mime : null, width: size?.width ?? null, height: size?.height ?? null };
}

export async function readHead(filePath: string, length: number): Promise<Uint8Array> {
  const file = await fs.open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/**
 * Why the photo record's metadata contradicts the bytes, or null when it agrees. Width and height
 * may be swapped (a JPEG turned by its EXIF orientation stores them the other way round).
 */
export function contradiction(record: { size: number; mime: string; width: number; height: number }, facts: BlobFacts): string | null {
  if (record.size !== facts.size) return `its size ${record.size} differs from the ${facts.size} bytes stored for it`;
  if (facts.mime !== null && record.mime !== facts.mime) return `its type ${record.mime} differs from the stored bytes, which are ${facts.mime}`;
  if (facts.width !== null && facts.height !== null) {
    const isSame = record.width === facts.width && record.height === facts.height;
    const isTurned = record.width === facts.height && record.height === facts.width;
    if (!isSame && !isTurned) return `its size ${record.width}×${record.height} differs from the stored image, which is ${facts.width}×${facts.height}`;
  }
  return null;
}
