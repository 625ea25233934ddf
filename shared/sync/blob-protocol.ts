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

/*
 * Possession of photo bytes (server/API.md § Photo bytes). A photo record lets others download
 * the bytes it names only when its author has proved they hold those bytes: by uploading them,
 * or, when the server has them already (another device, another user), by answering a
 * challenge: the server picks a random nonce and a byte range of the stored file, the client
 * answers sha256(nonce bytes ‖ its own bytes[start, end)) in hex. Knowing a hash is not enough.
 *
 *   POST /api/blobs/challenges  BlobChallengeRequest → BlobChallengeResponse
 *   POST /api/blobs/proofs      BlobProofRequest     → BlobProofResponse
 */

/** most hashes (or proofs) in one request; the app asks in several beyond that */
export const MAX_POSSESSION_BATCH = 200;
/** the longest byte range a challenge asks about */
export const CHALLENGE_RANGE_BYTES = 64 * 1024;

export const blobChallengeRequestSchema = z.object({
  sha256s: z.array(sha256HexSchema).min(1).max(MAX_POSSESSION_BATCH),
});
export type BlobChallengeRequest = z.infer<typeof blobChallengeRequestSchema>;

export const blobChallengeSchema = z.object({
  sha256: sha256HexSchema,
  /** hex; its bytes come first in the hashed text */
  nonce: z.string().regex(/^[0-9a-f]{32,64}$/),
  /** the byte range of the file to hash after the nonce: [start, end) */
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  /** opaque; send it back with the proof (valid for a few minutes) */
  token: z.string().min(1).max(512),
});
export type BlobChallenge = z.infer<typeof blobChallengeSchema>;

export const blobChallengeResponseSchema = z.object({
  /** hashes this user has proved (or uploaded) before: nothing to do */
  held: z.array(sha256HexSchema),
  /** one challenge per hash the server holds that this user has not proved yet */
  challenges: z.array(blobChallengeSchema),
  /** hashes the server has no bytes for: upload them */
  missing: z.array(sha256HexSchema),
});
export type BlobChallengeResponse = z.infer<typeof blobChallengeResponseSchema>;

export const blobProofRequestSchema = z.object({
  proofs: z
    .array(z.object({ sha256: sha256HexSchema, token: z.string().min(1).max(512), proof: sha256HexSchema }))
    .min(1)
    .max(MAX_POSSESSION_BATCH),
});
export type BlobProofRequest = z.infer<typeof blobProofRequestSchema>;

export const blobProofResponseSchema = z.object({
  results: z.array(
    z.object({
      sha256: sha256HexSchema,
      /** proven: recorded; wrong: the answer does not match; expired: ask for a new challenge; missing: the bytes are gone */
      status: z.enum(['proven', 'wrong', 'expired', 'missing']),
    }),
  ),
});
export type BlobProofResponse = z.infer<typeof blobProofResponseSchema>;

/** The header naming the tour the blobs of a batch belong to (quotas count per tour). */
export const BLOB_BATCH_TOUR_HEADER = 'guanmo-tour';
