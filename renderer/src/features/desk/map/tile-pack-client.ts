/**
 * The desk's requests about a tour's offline map pack (shared/maps/pack-protocol.ts):
 * GET /api/tours/:id/tile-pack (the pack and its build) and POST …/tile-pack/build.
 *
 * A refused build answers `{error, message, messageZh}` (server/API.md): both texts are kept so
 * the desk says why in the user's language; answers are validated with the shared schemas.
 */
import { z } from 'zod';
import { tilePackStatusSchema, type TilePackBuildRequest, type TilePackStatus } from '@shared/maps/pack-protocol';
import { request, SyncError, type HttpContext } from '../../../sync/sync-http';

const packPaths = {
  status: (tourId: string) => `/api/tours/${encodeURIComponent(tourId)}/tile-pack`,
  build: (tourId: string) => `/api/tours/${encodeURIComponent(tourId)}/tile-pack/build`,
};

/** A refusal or failure the server explained, in both languages. */
export class PackRequestError extends Error {
  override readonly name = 'PackRequestError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly messageZh: string | null,
  ) {
    super(message);
  }
}

const errorBodySchema = z.object({ error: z.string().max(100), message: z.string().max(2000), messageZh: z.string().max(2000).optional() });

/** Status codes whose JSON body explains the problem (anything else: SyncError from `request`). */
const explainedStatuses = [400, 403, 404, 409, 422, 502, 503] as const;

async function readStatus(response: Response, what: string): Promise<TilePackStatus> {
  const parsed = tilePackStatusSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new SyncError('invalidResponse', `${what}: unexpected answer`);
  return parsed.data;
}

async function explained(response: Response): Promise<PackRequestError> {
  const body = errorBodySchema.safeParse(await response.json().catch(() => null));
  if (!body.success) return new PackRequestError('unknown', response.status, `${response.status}`, null);
  return new PackRequestError(body.data.error, response.status, body.data.message, body.data.messageZh ?? null);
}

export async function fetchPackStatus(ctx: HttpContext, tourId: string): Promise<TilePackStatus> {
  const response = await request(ctx, 'GET', packPaths.status(tourId), { okStatuses: explainedStatuses });
  if (!response.ok) throw await explained(response);
  return readStatus(response, 'GET tile-pack');
}

/** Starts a build (202 with the status); a refusal (no source, OSM, a build running …) throws PackRequestError. */
export async function startPackBuild(ctx: HttpContext, tourId: string, options: TilePackBuildRequest): Promise<TilePackStatus> {
  const response = await request(ctx, 'POST', packPaths.build(tourId), { body: options, okStatuses: explainedStatuses });
  if (!response.ok) throw await explained(response);
  return readStatus(response, 'POST tile-pack/build');
}
