import type { ServerMode } from './entities';
import type { GuanmoDb } from './guanmo-db';
import { getMeta } from './meta-repo';

/**
 * Whether the server this device talks to runs the demo: 'demo', 'real', or 'unknown' (never
 * asked, or the remembered answer came from another server). Only 'demo' shows anything demo:
 * an offline first start knows nothing, and so shows nothing demo.
 */
export type DemoMode = 'demo' | 'real' | 'unknown';

/** The mode for `serverUrl` from the remembered answer (pure: the decision the app makes). */
export function demoModeFor(remembered: ServerMode | undefined | null, serverUrl: string | null): DemoMode {
  if (!remembered || serverUrl === null || remembered.serverUrl !== serverUrl) return 'unknown';
  return remembered.isDemo ? 'demo' : 'real';
}

/** What the app does with local demo data once it knows the mode: seed it, clear it, or wait. */
export function demoDataAction(mode: DemoMode): 'seed' | 'clear' | 'none' {
  return mode === 'demo' ? 'seed' : mode === 'real' ? 'clear' : 'none';
}

export async function getServerMode(db: GuanmoDb): Promise<ServerMode | undefined> {
  return getMeta(db, 'serverMode');
}

/** Remembers a server's answer (kept across restarts: an offline start uses the last one). */
export async function rememberServerMode(db: GuanmoDb, serverUrl: string, isDemo: boolean, now = new Date()): Promise<ServerMode> {
  const value: ServerMode = { serverUrl, isDemo, checkedAt: now.toISOString() };
  await db.transaction('rw', db.meta, async () => {
    await db.meta.put({ key: 'serverMode', value });
  });
  return value;
}
