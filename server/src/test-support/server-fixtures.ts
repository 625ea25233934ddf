/**
 * Helpers for starting the real server in tests: quiet logs, port 0, captured one-time output.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createApp, startServer, type AppOptions, type GuanmoApp, type RunningServer } from '../app.js';
import { loadConfig, type ServerConfig } from '../config.js';

export function testConfig(env: Record<string, string>): ServerConfig {
  return loadConfig({ GUANMO_LOG_LEVEL: 'silent', GUANMO_PORT: '0', GUANMO_HOST: '127.0.0.1', ...env });
}

export interface Captured {
  text: string;
}

/** createApp with the one-time printout captured instead of written to stdout */
export async function createCapturedApp(
  env: Record<string, string>,
  options: AppOptions = {},
): Promise<GuanmoApp & { output: Captured }> {
  const output: Captured = { text: '' };
  const app = await createApp(testConfig(env), { ...options, output: (text) => void (output.text += text) });
  return Object.assign(app, { output });
}

export async function startCapturedServer(
  env: Record<string, string>,
  options: AppOptions = {},
): Promise<RunningServer & { output: Captured }> {
  const output: Captured = { text: '' };
  const server = await startServer(testConfig(env), { ...options, output: (text) => void (output.text += text) });
  return Object.assign(server, { output });
}

/** A stand-in for the Vite build: index.html, a hashed asset, a plain file. */
export async function writeFakeRendererBuild(dir: string): Promise<{ hashedAsset: string }> {
  await fs.mkdir(path.join(dir, 'assets'), { recursive: true });
  await fs.writeFile(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><title>观摩 Guanmo</title><script type="module" src="./assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>',
  );
  const hashedAsset = 'assets/index-Ab12Cd34.js';
  await fs.writeFile(path.join(dir, hashedAsset), 'console.log("guanmo");');
  await fs.writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await fs.writeFile(path.join(dir, '.env'), 'SECRET=1');
  return { hashedAsset };
}
