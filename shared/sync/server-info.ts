/**
 * GET /api/server-info: what an app must know about a server before anyone signs in.
 *
 * Public (no sign-in), so it says no more than an anonymous caller needs: that this is a Guanmo
 * server, and whether it runs the demo. The app seeds its bundled demo tours and offers the demo
 * people ("who uses this computer") only when `demo` is true; on a real deployment it shows
 * neither, and clears demo leftovers an earlier demo left in the browser.
 */
import { z } from 'zod';
import { appVersionSchema } from './protocol-version';

export const serverInfoSchema = z.object({
  service: z.literal('guanmo-server'),
  /**
   * true when the server was started with GUANMO_DEMO and holds the demo tours (as `npm start`
   * on a fresh data folder does); false on every real deployment
   */
  demo: z.boolean(),
  /**
   * The sync protocol the server speaks and the oldest app protocol it still serves, with the app
   * version to update to (shared/sync/protocol-version.ts). Absent on servers older than the gate.
   */
  syncProtocol: z.number().int().min(1).optional(),
  minSyncProtocol: z.number().int().min(1).optional(),
  minAppVersion: appVersionSchema.optional(),
  /** the server's release version (server/package.json) */
  version: appVersionSchema.optional(),
});
export type ServerInfo = z.infer<typeof serverInfoSchema>;
