/**
 * Photo bytes by content address (server/API.md § Photo bytes): what the app asks before it
 * uploads.
 *
 *   POST /api/blobs/missing  MissingBlobsRequest → MissingBlobsResponse
 *
 * One request answers for a whole batch of hashes (originals and thumbnails) which ones the
 * server does NOT hold yet, instead of one `HEAD /api/blobs/:sha256` each. Like that HEAD it says
 * nothing about who may see a photo: anyone signed in may ask (whoever asks has the bytes, or at
 * least their hash). Hashes the server holds are confirmed: the app may drop its pending state.
 */
import { z } from 'zod';
import { sha256HexSchema } from '../domain/schemas';

/** most hashes in one question; the app asks in several requests beyond that */
export const MAX_MISSING_BLOBS_QUERY = 1000;

export const missingBlobsRequestSchema = z.object({
  sha256s: z.array(sha256HexSchema).min(1).max(MAX_MISSING_BLOBS_QUERY),
});
export type MissingBlobsRequest = z.infer<typeof missingBlobsRequestSchema>;

export const missingBlobsResponseSchema = z.object({
  /** the asked hashes the server has no bytes for, in the order asked, each once */
  missing: z.array(sha256HexSchema),
});
export type MissingBlobsResponse = z.infer<typeof missingBlobsResponseSchema>;

/*
 * Small blobs (photo thumbnails) in one request: `POST /api/blobs/batch`, Content-Type
 * application/octet-stream, the bytes of each blob one after the other, and the header
 * `Guanmo-Blobs: <sha256>:<size>,<sha256>:<size>,…` saying where each ends and what it must hash
 * to. A hundred thumbnails of 24 kB go in two requests instead of a hundred tus uploads. Not
 * resumable (a cut batch is simply sent again: it is small). The server stores each blob whose
 * bytes match its hash and answers per blob: BlobBatchResponse.
 */
export const BLOB_BATCH_HEADER = 'guanmo-blobs';
/** largest blob sent in a batch; bigger ones go through tus */
export const MAX_BATCH_BLOB_BYTES = 512 * 1024;
/** most bytes and blobs in one batch */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;
export const MAX_BATCH_BLOBS = 100;

export interface BlobBatchEntry {
  sha256: string;
  size: number;
}

export function formatBlobBatchHeader(entries: readonly BlobBatchEntry[]): string {
  return entries.map((e) => `${e.sha256}:${e.size}`).join(',');
}

/** The entries of a Guanmo-Blobs header, or null when it is malformed or over the limits. */
export function parseBlobBatchHeader(text: string): BlobBatchEntry[] | null {
  const parts = text.split(',');
  if (parts.length === 0 || parts.length > MAX_BATCH_BLOBS) return null;
  const entries: BlobBatchEntry[] = [];
  let total = 0;
  for (const part of parts) {
    const match = /^([0-9a-f]{64}):(0|[1-9]\d{0,8})$/.exec(part.trim());
    if (!match) return null;
    const size = Number(match[2]);
    if (size > MAX_BATCH_BLOB_BYTES) return null;
    total += size;
    entries.push({ sha256: match[1]!, size });
  }
  return total <= MAX_BATCH_BYTES ? entries : null;
}

export const blobBatchResponseSchema = z.object({
  /** one per blob of the request, in its order */
  results: z.array(
    z.object({
      sha256: sha256HexSchema,
      /** stored now, or already held; mismatch: the bytes do not hash to sha256 (nothing stored) */
      status: z.enum(['stored', 'existing', 'mismatch']),
    }),
  ),
});
export type BlobBatchResponse = z.infer<typeof blobBatchResponseSchema>;
