#!/usr/bin/env node
/**
 * `npm start`: build what is needed, start the sync server on an embedded SQLite file in ./data with the
 * demo tours (demo accounts are printed once, by the server, on its first start), then open the desktop
 * app connected to it. Where the Electron runtime cannot be had, say so in one line and keep serving the
 * same app to a browser until Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkElectronRuntime } from '../electron/launch-check.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.GUANMO_PORT ?? '8787';
const host = process.env.GUANMO_HOST ?? '127.0.0.1';
const browserHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
const serverUrl = `http://${browserHost}:${port}/`;
/** How long a first-launch download of the Electron runtime may take before we give up on it. */
const electronDownloadTimeoutMs = 5 * 60_000;

function say(line) {
  process.stdout.write(`[guanmo] ${line}\n`);
}

function build() {
  say('building renderer, desktop shell and server… / 正在构建…');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    say('build failed; see the messages above. / 构建失败，请查看上面的错误信息。');
    process.exit(result.status ?? 1);
  }
}

function startServer() {
  const env = {
    ...process.env,
    GUANMO_DATA_DIR: process.env.GUANMO_DATA_DIR ?? path.join(root, 'data'),
    GUANMO_PORT: port,
    GUANMO_HOST: host,
    GUANMO_STATIC_DIR: process.env.GUANMO_STATIC_DIR ?? path.join(root, 'dist', 'renderer'),
    GUANMO_DEMO: process.env.GUANMO_DEMO ?? '1',
    // a person at a terminal wants the accounts table and the address, not a JSON line per request
    GUANMO_LOG_LEVEL: process.env.GUANMO_LOG_LEVEL ?? 'warn',
  };
  return spawn(process.execPath, [path.join(root, 'server', 'dist', 'main.js')], { cwd: root, env, stdio: 'inherit' });
}

async function waitForHealth(server, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) return false;
    try {
      const res = await fetch(new URL('api/health', serverUrl), { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** On a first launch the electron package downloads its runtime; give it a bounded chance. */
function tryDownloadElectron() {
  const installer = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return;
  say('downloading the Electron runtime (first launch only)… / 首次启动，正在下载 Electron 运行时…');
  spawnSync(process.execPath, [installer], { cwd: root, stdio: 'ignore', timeout: electronDownloadTimeoutMs });
}

async function main() {
  build();
  const server = startServer();
  const stopServer = () => {
    if (server.exitCode === null) server.kill('SIGTERM');
  };
  process.on('SIGINT', stopServer);
  process.on('SIGTERM', stopServer);
  server.on('exit', (code) => process.exit(code ?? 0));

  if (!(await waitForHealth(server))) {
    say(`the server did not come up at ${serverUrl}; see the messages above. / 服务器未能启动。`);
    stopServer();
    return;
  }

  let runtime = checkElectronRuntime({ projectRoot: root });
  if (!runtime.available) {
    tryDownloadElectron();
    runtime = checkElectronRuntime({ projectRoot: root });
  }
  if (!runtime.available) {
    say(`Electron runtime unavailable (${runtime.reason}); open ${serverUrl} in a browser instead — Ctrl-C stops the server. / 无法获得 Electron 运行时，请用浏览器打开 ${serverUrl}`);
    return; // the server keeps running until Ctrl-C
  }

  say(`opening the desktop app (Electron ${runtime.version ?? ''}) connected to ${serverUrl}`);
  const electron = spawn(runtime.executablePath, [root], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, GUANMO_SERVER_URL: serverUrl.replace(/\/$/, '') },
  });
  electron.on('exit', () => stopServer());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
