/**
 * `guanmo-server user …`: account administration from a shell or a script, on the same data as
 * the running server (same environment variables: GUANMO_DATA_DIR, DATABASE_URL).
 *
 *   guanmo-server user add NAME --role ROLE [--display-name TEXT]   password from stdin
 *   guanmo-server user password NAME                                 new password from stdin
 *   guanmo-server user list [--json]
 *   guanmo-server user disable NAME
 *   guanmo-server user enable NAME
 *
 * Passwords are read from standard input (the first line), so they never appear in the process
 * list or the shell history: `echo "$PW" | guanmo-server user add zhang --role scorer`. On a
 * terminal the password is asked for twice without echo.
 *
 * Exit codes: 0 done; 1 the command could not be carried out (name taken, no such user, database
 * unreachable); 2 the command line is wrong.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { roleSchema, type Role } from '@shared/domain/schemas';
import { hashPassword } from '../auth/passwords.js';
import { usernameSchema } from '../auth/usernames.js';
import { describeDatabase, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { revokeUserSessions } from '../db/sessions.js';
import { createUserIfAbsent, findUserByUsername, listUsers, setUserDisabled } from '../db/users.js';

export interface CliIo {
  /** the first line of standard input (null: no input at all) */
  readPassword(prompt: string): Promise<string | null>;
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export const userUsage = `Usage:
  guanmo-server user add NAME --role ROLE [--display-name TEXT]   (password from stdin)
  guanmo-server user password NAME                                 (new password from stdin)
  guanmo-server user list [--json]
  guanmo-server user disable NAME
  guanmo-server user enable NAME

ROLE is one of: admin, secretariat, scorer, observer.
Example: echo 'the-password' | npx guanmo-server user add zhangsan --role scorer --display-name 张三
`;

class UsageError extends Error {}
class CommandError extends Error {}

const passwordMin = 8;
const passwordMax = 256;

export async function runUserCommand(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`guanmo-server user: ${error.message}\n\n${userUsage}`);
      return 2;
    }
    if (error instanceof CommandError) {
      io.err(`guanmo-server user: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function parse(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function oneName(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} needs exactly one user NAME`);
  const parsed = usernameSchema.safeParse(positionals[0]);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'invalid user name');
  return parsed.data;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'add': {
      const { values, positionals } = parse(rest, { role: { type: 'string' }, 'display-name': { type: 'string' } });
      const username = oneName(positionals, 'add');
      const role = roleSchema.safeParse(values.role);
      if (!role.success) throw new UsageError(values.role === undefined ? '--role is required' : `unknown role ${JSON.stringify(values.role)}`);
      const displayName = typeof values['display-name'] === 'string' ? values['display-name'].trim() : username;
      if (displayName.length === 0 || displayName.length > 100) throw new UsageError('--display-name must be 1 to 100 characters');
      const password = await readNewPassword(io);
      return withDatabase(io, async (db) => {
        if (await findUserByUsername(db, username)) throw new CommandError(`the user name ${username} is taken`);
        const created = await createUserIfAbsent(db, { username, displayName, role: role.data as Role, passwordHash: await hashPassword(password) });
        if (!created) throw new CommandError(`the user name ${username} is taken`);
        io.out(`created ${created.username} (${created.role}, ${created.displayName})\n`);
        return 0;
      });
    }
    case 'password': {
      const { positionals } = parse(rest, {});
      const username = oneName(positionals, 'password');
      const password = await readNewPassword(io);
      return withDatabase(io, async (db) => {
        const user = await findUserByUsername(db, username);
        if (!user) throw new CommandError(`there is no user ${username}`);
        const passwordHash = await hashPassword(password);
        await db.updateTable('users').set({ password_hash: passwordHash, updated_at: new Date().toISOString() }).where('id', '=', user.id).execute();
        const revoked = await revokeUserSessions(db, user.id);
        io.out(`password of ${username} changed; ${revoked} session(s) signed out\n`);
        return 0;
      });
    }
    case 'list': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
      if (positionals.length > 0) throw new UsageError('list takes no NAME');
      return withDatabase(io, async (db) => {
        const users = await listUsers(db);
        if (values.json) {
          io.out(`${JSON.stringify(users, null, 2)}\n`);
          return 0;
        }
        const rows = users.map((u) => [u.username, u.role, u.disabled ? 'disabled' : 'active', u.displayName, u.createdAt.slice(0, 10)]);
        io.out(formatTable(['USERNAME', 'ROLE', 'STATE', 'NAME', 'CREATED'], rows));
        return 0;
      });
    }
    case 'disable':
    case 'enable': {
      const { positionals } = parse(rest, {});
      const username = oneName(positionals, command);
      return withDatabase(io, async (db) => {
        const result = await setUserDisabled(db, username, command === 'disable');
        if (!result) throw new CommandError(`there is no user ${username}`);
        const state = command === 'disable' ? 'disabled' : 'enabled';
        const note = result.changed ? '' : ' (it already was)';
        const sessions = command === 'disable' ? `; ${result.sessionsRevoked} session(s) signed out` : '';
        io.out(`${username} ${state}${note}${sessions}\n`);
        return 0;
      });
    }
    case undefined:
      throw new UsageError('missing subcommand');
    default:
      throw new UsageError(`unknown subcommand ${JSON.stringify(command)}`);
  }
}

async function readNewPassword(io: CliIo): Promise<string> {
  const password = await io.readPassword('Password: ');
  if (password === null || password.length === 0) throw new UsageError('no password on standard input (e.g. echo "$PASSWORD" | guanmo-server user add …)');
  if (password.length < passwordMin) throw new CommandError(`the password must be at least ${passwordMin} characters long`);
  if (password.length > passwordMax) throw new CommandError(`the password must be at most ${passwordMax} characters long`);
  return password;
}

async function withDatabase(io: CliIo, work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<number>): Promise<number> {
  const config = loadConfig(io.env, io.cwd);
  let database;
  try {
    database = await openDatabase(config, { warn: () => {} });
  } catch (error) {
    throw new CommandError(error instanceof Error ? error.message : String(error));
  }
  try {
    return await work(database.db);
  } catch (error) {
    if (error instanceof CommandError || error instanceof UsageError) throw error;
    throw new CommandError(`failed on ${describeDatabase(config)}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await database.close();
  }
}

function formatTable(header: string[], rows: string[][]): string {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c))))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
