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
