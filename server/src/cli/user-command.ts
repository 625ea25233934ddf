/**
 * `guanmo-server user …`: account administration from a shell or a script, on the same data as
 * the running server (same environment variables: GUANMO_DATA_DIR, DATABASE_URL).
 *
 *   guanmo-server user add NAME --role ROLE [--display-name TEXT]   password from stdin
 *   guanmo-server user password NAME [--one-time]                    new password from stdin
 *   guanmo-server user import FILE [--out PASSWORDS.csv]             accounts for a scorer list
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
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { roleSchema, type Role } from '@shared/domain/schemas';
import { hashPassword } from '../auth/passwords.js';
import { usernameSchema } from '../auth/usernames.js';
import { describeDatabase, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { createUserIfAbsent, findUserByUsername, listUsers, setUserDisabled, setUserPassword } from '../db/users.js';
import { importUsersFromTable, passwordsCsv, writePasswordsFile } from './user-import.js';

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
  guanmo-server user password NAME [--one-time]                    (new password from stdin)
  guanmo-server user import FILE [--out PASSWORDS.csv]             (accounts for a scorer list)
  guanmo-server user list [--json]
  guanmo-server user disable NAME
  guanmo-server user enable NAME

ROLE is one of: admin, secretariat, scorer, observer.
--one-time: the person must choose a new password at the next sign-in.
import: FILE is a scorer list (评委名单, .xlsx or .csv) with 姓名 and/or 账号 columns, as the desk
  imports it. Every person without an account gets one (user name from 账号, else from 姓名) with a
  one-time password; existing accounts are left alone, so running it twice is safe. The passwords
  are printed once, or with --out written to a new CSV file (姓名, 账号, 初始密码) instead.
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
      const { values, positionals } = parse(rest, { 'one-time': { type: 'boolean' } });
      const username = oneName(positionals, 'password');
      const password = await readNewPassword(io);
      const isOneTime = values['one-time'] === true;
      return withDatabase(io, async (db) => {
        const user = await findUserByUsername(db, username);
        if (!user) throw new CommandError(`there is no user ${username}`);
        const { sessionsRevoked } = await setUserPassword(db, user.id, { passwordHash: await hashPassword(password), mustChangePassword: isOneTime });
        const note = isOneTime ? ' (one-time: a new password is asked for at the next sign-in)' : '';
        io.out(`password of ${username} changed${note}; ${sessionsRevoked} session(s) signed out\n`);
        return 0;
      });
    }
    case 'import': {
      const { values, positionals } = parse(rest, { out: { type: 'string' } });
      if (positionals.length !== 1) throw new UsageError('import needs exactly one FILE');
      const file = positionals[0]!;
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await fs.readFile(path.resolve(io.cwd, file)));
      } catch (error) {
        throw new CommandError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return withDatabase(io, async (db) => {
        const report = await importUsersFromTable(db, path.basename(file), bytes);
        if (report.fileProblems.length > 0) throw new CommandError(`${file}:\n  ${report.fileProblems.map((p) => p.message).join('\n  ')}`);
        const created = report.lines.filter((l) => l.status === 'created');
        const problems = report.lines.filter((l) => l.status === 'problem');
        const existing = report.lines.filter((l) => l.status === 'exists');
        let passwordsNote = '';
        if (created.length > 0 && typeof values.out === 'string') {
          const written = await writePasswordsFile(io.cwd, values.out, passwordsCsv(report.lines)).catch((error: unknown) => {
            // the accounts exist now: say so, and how to hand out passwords anyway
            throw new CommandError(
              `${created.length} account(s) created, but the passwords file could not be written (${error instanceof Error ? error.message : String(error)}); ` +
                `set new one-time passwords with: guanmo-server user password NAME --one-time`,
            );
          });
          passwordsNote = `one-time passwords written to ${written} (shown nowhere else)\n`;
        }
        const rows = report.lines.map((l) =>
          l.status === 'problem'
            ? [String(l.row), '', '', 'not imported', l.message]
            : [String(l.row), l.username, l.name, l.status === 'created' ? 'created' : 'exists', l.status === 'created' && typeof values.out !== 'string' ? l.password : ''],
        );
        io.out(formatTable(['ROW', 'USERNAME', 'NAME', 'RESULT', typeof values.out === 'string' ? '' : 'ONE-TIME PASSWORD'], rows));
        io.out(`${created.length} created, ${existing.length} existed already, ${problems.length} not imported\n${passwordsNote}`);
        if (created.length > 0) io.out('Each person must choose a new password at the first sign-in.\n');
        if (problems.length > 0) {
          io.err(`guanmo-server user import: ${problems.length} row(s) not imported; fix them in ${file} and run the import again\n`);
          return 1;
        }
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
        const rows = users.map((u) => [u.username, u.role, u.disabled ? 'disabled' : u.mustChangePassword ? 'one-time' : 'active', u.displayName, u.createdAt.slice(0, 10)]);
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
