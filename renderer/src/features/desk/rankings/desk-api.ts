/**
 * The secretariat's server calls beside sync: reopening a submitted sheet (audited) and reading
 * the audit log. Both need the network and the signed-in session (its bearer token): offline
 * they fail with kind 'offline' and the page says that reopening needs a connection.
 */
import { z } from 'zod';
import type { GuanmoDb } from '../../../db/guanmo-db';
import type { MessageKey } from '../../../i18n/catalogs';
import { getSession } from '../../../sync/session-store';
import { request, requestJson, SyncError, type HttpContext } from '../../../sync/sync-http';

export const auditEntrySchema = z.object({
  id: z.number(),
  tourId: z.string().nullable(),
  user: z.object({ id: z.string().nullable(), username: z.string() }),
  action: z.string(),
  collection: z.string().nullable(),
  recordId: z.string().nullable(),
  reason: z.string(),
  createdAt: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
const auditListSchema = z.object({ entries: z.array(auditEntrySchema) });

export type DeskApiFailure = 'offline' | 'signedOut' | 'forbidden' | 'notSubmitted' | 'server';

export class DeskApiError extends Error {
  override readonly name = 'DeskApiError';
  constructor(
    readonly failure: DeskApiFailure,
    message: string,
  ) {
    super(message);
  }
}

async function context(db: GuanmoDb): Promise<HttpContext> {
  if (globalThis.navigator?.onLine === false) throw new DeskApiError('offline', 'offline');
  const session = await getSession(db);
  if (!session || session.isExpired) throw new DeskApiError('signedOut', 'not signed in');
  return { fetch: globalThis.fetch.bind(globalThis), baseUrl: session.serverUrl, token: session.token, timeoutMs: 15_000 };
}

function translate(error: unknown): never {
  if (error instanceof DeskApiError) throw error;
  if (error instanceof SyncError) {
    if (error.kind === 'offline' || error.kind === 'timeout') throw new DeskApiError('offline', error.message);
    if (error.kind === 'signedOut') throw new DeskApiError('signedOut', error.message);
    if (error.status === 403) throw new DeskApiError('forbidden', error.message);
    if (error.status === 409) throw new DeskApiError('notSubmitted', error.message);
  }
  throw new DeskApiError('server', error instanceof Error ? error.message : String(error));
}

/** POST /api/sheets/:id/reopen {reason}. */
export async function reopenSheetOnServer(db: GuanmoDb, sheetId: string, reason: string): Promise<void> {
  try {
    const ctx = await context(db);
    await request(ctx, 'POST', `/api/sheets/${encodeURIComponent(sheetId)}/reopen`, { body: { reason } });
  } catch (error) {
    translate(error);
  }
}

/** GET /api/audit?tourId= — newest first. */
export async function fetchAuditLog(db: GuanmoDb, tourId: string): Promise<AuditEntry[]> {
  try {
    const ctx = await context(db);
    const result = await requestJson(ctx, 'GET', `/api/audit?tourId=${encodeURIComponent(tourId)}&limit=200`, auditListSchema);
    return result.entries;
  } catch (error) {
    translate(error);
  }
}

/** What the page says for each failure (desk.rankings.api.*). */
export const deskApiMessageKey: Readonly<Record<DeskApiFailure, MessageKey>> = {
  offline: 'desk.rankings.api.offline',
  signedOut: 'desk.rankings.api.signedOut',
  forbidden: 'desk.rankings.api.forbidden',
  notSubmitted: 'desk.rankings.api.notSubmitted',
  server: 'desk.rankings.api.server',
};
