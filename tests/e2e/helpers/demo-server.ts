import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, type AppOptions, type RunningServer } from '../../../server/src/app';
import { runUserCommand } from '../../../server/src/cli/user-command';
import { loadConfig } from '../../../server/src/config';
import type { Role } from '@shared/domain/schemas';
import { rendererDistDir } from './paths';

export interface DemoServer {
  server: RunningServer;
  /** e.g. http://127.0.0.1:41234/ */
  baseUrl: string;
  /** username → password of the demo accounts, from the table the first start prints */
  passwords: Map<string, string>;
  close(): Promise<void>;
}

/**
 * A real sync server of the suite's own, on a free port with an empty data folder, the demo
 * tours and accounts, serving this run's renderer build (`env`: more of the server's environment,
 * e.g. GUANMO_MAP_SOURCES). Unlike the run-wide server of the global
 * setup, its demo passwords are known: they are read from the one-time accounts table it prints.
 */
export async function startDemoServer(options: Pick<AppOptions, 'configure'> & { env?: Readonly<Record<string, string>> } = {}): Promise<DemoServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-e2e-demo-'));
  let printed = '';
  let server: RunningServer;
  try {
    server = await startServer(
      loadConfig({ ...options.env, GUANMO_DATA_DIR: dataDir, GUANMO_PORT: '0', GUANMO_HOST: '127.0.0.1', GUANMO_STATIC_DIR: rendererDistDir, GUANMO_DEMO: '1', GUANMO_LOG_LEVEL: 'warn' }),
      { output: (text) => void (printed += text), configure: options.configure },
    );
  } catch (error) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  // │ user │ name │ role │ password │
  const passwords = new Map<string, string>();
  for (const line of printed.split('\n')) {
    const cells = line.split('│').map((c) => c.trim());
    if (cells.length === 6 && cells[1] && cells[4] && cells[1] !== '用户名 User') passwords.set(cells[1], cells[4]);
  }
  if (!passwords.has('secretariat')) throw new Error(`the demo server printed no accounts table:\n${printed}`);
  return {
    server,
    baseUrl: server.url,
    passwords,
    async close() {
      await server.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** An account of a real deployment, created the way an operator does: `guanmo-server user add`. */
export interface RealAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

export interface RealServer {
  server: RunningServer;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A real deployment as an organisation runs it: NO demo (GUANMO_DEMO off), its accounts created
 * with the real user CLI code (`user add NAME --role ROLE --display-name …`, password on stdin)
 * on the data folder before the server starts, then the server on a free port serving this run's
 * renderer build. `env` adds to the server's environment (e.g. GUANMO_MAP_SOURCES, the
 * administrator's basemap sources file).
 */
export async function startRealServer(accounts: readonly RealAccount[], options: Pick<AppOptions, 'configure'> & { env?: Readonly<Record<string, string>> } = {}): Promise<RealServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-e2e-real-'));
  const env = { ...options.env, GUANMO_DATA_DIR: dataDir, GUANMO_LOG_LEVEL: 'warn' };
  let server: RunningServer;
  try {
    for (const account of accounts) {
      let errors = '';
      const code = await runUserCommand(['add', account.username, '--role', account.role, '--display-name', account.displayName], {
        readPassword: async () => account.password,
        out: () => {},
        err: (text) => void (errors += text),
        env,
        cwd: dataDir,
      });
      if (code !== 0) throw new Error(`guanmo-server user add ${account.username} failed (${code}): ${errors}`);
    }
    server = await startServer(loadConfig({ ...env, GUANMO_PORT: '0', GUANMO_HOST: '127.0.0.1', GUANMO_STATIC_DIR: rendererDistDir, GUANMO_DEMO: '0' }), { output: () => {}, configure: options.configure });
  } catch (error) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    baseUrl: server.url,
    async close() {
      await server.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
