import { hasDemoLeftovers, removeDemoLeftovers, type DemoCleanupResult } from './demo-leftovers';
import type { GuanmoDb } from './guanmo-db';
import { seedDemo, type LoadDemoTours, type SeedResult } from './seed-demo';
import { rememberServerMode } from './server-mode-repo';

export interface ServerModeOutcome {
  /** demo server: what seeding did */
  seeded: SeedResult | null;
  /** real server: what clearing demo leftovers did (null when there were none) */
  cleared: DemoCleanupResult | null;
}

/**
 * A server answered whether it runs the demo: remember the answer (an offline start uses it),
 * then seed the bundled demo tours (demo) or clear demo leftovers (real). Never anything demo
 * without a server saying so.
 */
export async function applyServerMode(db: GuanmoDb, serverUrl: string, isDemo: boolean, loadDemoTours: LoadDemoTours): Promise<ServerModeOutcome> {
  await rememberServerMode(db, serverUrl, isDemo);
  if (isDemo) return { seeded: await seedDemo(db, loadDemoTours), cleared: null };
  return { seeded: null, cleared: (await hasDemoLeftovers(db)) ? await removeDemoLeftovers(db) : null };
}
