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
import { loadDemoData, seedDemoRecords, type AccountSpec, type DemoSeedSummary } from './demo-seed.js';

export interface BootstrapResult {
  createdAccounts: CreatedAccount[];
  /** what the demo seeding stored now; null when it did not run */
  demo: DemoSeedSummary | null;
}

export interface BootstrapLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
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
  const passwordHash = await hashPassword(password);
  return {
    spec,
    user: { id: spec.id, username: spec.username, displayName: spec.displayName, role: spec.role, passwordHash },
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

  const demo = needsDemo ? await loadDemoData(config.demoDir) : null;
  const [admin, ...demoAccounts] = await Promise.all([
    needsAdmin ? prepareAccount(adminAccountSpec, config.adminPassword) : null,
    ...(demo ? demo.accounts.map((spec) => prepareAccount(spec, null)) : []),
  ]);

  const result = await db.transaction().execute(async (trx): Promise<BootstrapResult> => {
    if (kind === 'postgres') await sql`select pg_advisory_xact_lock(${bootstrapLockKey})`.execute(trx);
    const createdAccounts: CreatedAccount[] = [];
    const created = ({ spec, shownPassword }: PreparedAccount) =>
      createdAccounts.push({ username: spec.username, displayName: spec.displayName, role: spec.role, password: shownPassword });

    if (admin && (await countUsers(trx)) === 0) {
      if (await createUserIfAbsent(trx, admin.user)) created(admin);
    }

    let demoSummary: DemoSeedSummary | null = null;
    if (demo && (await countRecords(trx, 'tours')) === 0) {
      for (const prepared of demoAccounts) {
        if (!prepared) continue;
        if (await createUserIfAbsent(trx, prepared.user)) {
          created(prepared);
          continue;
        }
        // The name was taken before the demo was loaded: that account keeps its password, and
        // the demo tours' participant records (fixed demo user ids) do not point to it.
        const existing = await findUserByUsername(trx, prepared.user.username);
        if (existing && existing.id !== prepared.user.id) {
          log.warn({ username: existing.username }, 'demo account name already taken by another account: not assigned to the demo tours');
        }
      }
      demoSummary = await seedDemoRecords(trx, demo.tours);
    }
    return { createdAccounts, demo: demoSummary };
  });

  if (result.createdAccounts.length > 0) {
    log.info({ accounts: result.createdAccounts.map((a) => `${a.username} (${a.role})`) }, 'first start: accounts created');
  }
  if (result.demo) log.info({ ...result.demo }, 'first start: demo tours loaded');
  return result;
}
