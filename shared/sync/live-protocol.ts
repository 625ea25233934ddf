/**
 * The live channel (GET /api/sync/live): a Server-Sent Events stream that tells a signed-in app
 * "changes you may see exist", so that it pulls now instead of at its next periodic round.
 * server/API.md § Live changes describes it; the server side is server/src/live/, the app's
 * renderer/src/sync/live-channel.ts.
 *
 * An event never says what changed: a hint carries no ids, collections or counts, so it tells a
 * user nothing a pull would not show them (and it is sent only when a pull would show them
 * something). The app reads the stream with fetch() (EventSource cannot send the bearer token).
 *
 *   event: hello     data: {"heartbeatMs": 20000}   once, when the server is listening for you
 *   event: changes   data: {}                       pull now (at most one per ~250 ms)
 *   event: bye       data: {"reason": "…"}          the server ends the stream (see byeReasons)
 *   : heartbeat                                     a comment every heartbeatMs, for proxies and
 *                                                   for the app to notice a dead connection
 */
import { z } from 'zod';
import { hlcNodeSchema } from './hlc';

export const LIVE_PATH = '/api/sync/live';

/** how often the server writes a heartbeat comment (proxies drop streams silent for 60 s) */
export const LIVE_HEARTBEAT_MS = 20_000;

/** the app gives up on a stream that stayed silent for this many heartbeat intervals */
export const LIVE_SILENCE_FACTOR = 2.5;

export const liveEventNames = { hello: 'hello', changes: 'changes', bye: 'bye' } as const;

/**
 * Why the server ended a stream:
 * - signed_out: the session was signed out (POST /api/auth/logout);
 * - session_ended: the session expired, was revoked, or the user was disabled;
 * - replaced: the account opened more streams than the server allows; the oldest goes;
 * - server_closing: the server is shutting down (reconnect after a moment).
 */
export const byeReasons = ['signed_out', 'session_ended', 'replaced', 'server_closing'] as const;
export type ByeReason = (typeof byeReasons)[number];

export const liveHelloSchema = z.object({ heartbeatMs: z.number().int().positive() });
/** lenient: a reason added by a newer server is read as "ended" */
export const liveByeSchema = z.object({ reason: z.string() });

/** `clientId`: the app's device id (as in push): changes pushed by that device are not announced back to it */
export const liveQuerySchema = z.object({ clientId: hlcNodeSchema.optional() });
