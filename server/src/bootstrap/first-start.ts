/**
 * First start: with no accounts, create `admin`; with GUANMO_DEMO and no tours, load the demo
 * tours and demo accounts. Returns the accounts created now, with their clear passwords, for the
 * one-time printout; a later start finds everything in place and creates (and prints) nothing.
 *
 * What must stay true:
 * - Idempotent and safe when several server processes start at once on one PostgreSQL: the
 *   writes run in one transaction under an advisory lock (SQLite: BEGIN IMMEDIATE), re-checking
 *   what the quick pre-check saw; user names are unique, so `admin` can never exist twice.
 * - Slow work (argon2 hashing, reading the demo files) happens before the transaction, so the
 *   write lock is held for milliseconds.
 * - Passwords never reach the log.
 */
import { sql, type Kysely } from 'kysely';
import type { DbKind, ServerConfig } from '../config.js';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import { countRecords } from '../db/records.js';
import type { Database } from '../db/schema.js';
import { countUsers, createUserIfAbsent, findUserByUsername, type NewUser } from '../db/users.js';
import type { CreatedAccount } from './credentials-table.js';
import { demoAccountSpecs, loadDemoTours, seedDemoRecords, type AccountSpec, type DemoSeedSummary } from './demo-seed.js';

export interface BootstrapResult {
  createdAccounts: CreatedAccount[];
  /** what the demo seeding stored now; null when it did not run */
  demo: DemoSeedSummary | null;
}

export interface BootstrapLog {
  info(obj: object, msg: string): void;
}

/** pg_advisory_xact_lock key of the bootstrap ("guanmo" + 1); any constant unique to this app */
const bootstrapLockKey = 0x6775616e6d01;

export const adminAccountSpec: AccountSpec = { username: 'admin', displayName: '系统管理员', role: 'admin' };

interface PreparedAccount {
  spec: AccountSpec;
  user: NewUser;
  /** shown once; null when the operator supplied it */
  shownPassword: string | null;
}

async function prepareAccount(spec: AccountSpec, chosenPassword: string | null): Promise<PreparedAccount> {
  const password = chosenPassword ?? generatePassword();
  return {
    spec,
    user: { username: spec.username, displayName: spec.displayName, role: spec.role, passwordHash: await hashPassword(password) },
    shownPassword: chosenPassword === null ? password : null,
  };
}

export async function runFirstStart(
  db: Kysely<Database>,
  kind: DbKind,
  config: Pick<ServerConfig, 'adminPassword' | 'demo' | 'demoDir'>,
  log: BootstrapLog,
): Promise<BootstrapResult> {
  const needsAdmin = (await countUsers(db)) === 0;
  const needsDemo = config.demo && (await countRecords(db, 'tours')) === 0;
  if (!needsAdmin && !needsDemo) return { createdAccounts: [], demo: null };

  const demoTours = needsDemo ? await loadDemoTours(config.demoDir) : null;
  const [admin, ...demoAccounts] = await Promise.all([
    needsAdmin ? prepareAccount(adminAccountSpec, config.adminPassword) : null,
    ...(needsDemo ? demoAccountSpecs.map((spec) => prepareAccount(spec, null)) : []),
  ]);

  const result = await db.transaction().execute(async (trx): Promise<BootstrapResult> => {
    if (kind === 'postgres') await sql`select pg_advisory_xact_lock(${bootstrapLockKey})`.execute(trx);
    const createdAccounts: CreatedAccount[] = [];
    const created = (prepared: PreparedAccount) =>
      createdAccounts.push({ ...prepared.spec, password: prepared.shownPassword });

    if (admin && (await countUsers(trx)) === 0) {
      if (await createUserIfAbsent(trx, admin.user)) created(admin);
    }

    let demo: DemoSeedSummary | null = null;
    if (demoTours && (await countRecords(trx, 'tours')) === 0) {
      const userIds = new Map<string, string>();
      for (const prepared of demoAccounts) {
        if (!prepared) continue;
        const user = (await createUserIfAbsent(trx, prepared.user)) ?? null;
        if (user) created(prepared);
        // a name someone already took keeps its account and password; it is still assigned
        const id = user?.id ?? (await findUserByUsername(trx, prepared.user.username))?.id;
        if (id) userIds.set(prepared.spec.username, id);
      }
      demo = await seedDemoRecords(trx, demoTours, userIds);
    }
    return { createdAccounts, demo };
  });

  if (result.createdAccounts.length > 0) {
    log.info({ accounts: result.createdAccounts.map((a) => `${a.username} (${a.role})`) }, 'first start: accounts created');
  }
  if (result.demo) log.info({ ...result.demo }, 'first start: demo tours loaded');
  return result;
}
