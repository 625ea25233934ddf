// THROWAWAY: static server for developing the e2e until the real server seeds demo data. Delete.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildRenderer } from './helpers/build-renderer';
import { rendererDistDir } from './helpers/paths';
import './helpers/provided';
const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
export default async function setup(project: TestProject) {
  await buildRenderer();
  const server = http.createServer(async (req, res) => {
    const p = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
    const file = path.join(rendererDistDir, p === '/' ? 'index.html' : p);
    try { const body = await fs.readFile(file); res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }); res.end(body); }
    catch { res.writeHead(404); res.end(); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  project.provide('baseUrl', `http://127.0.0.1:${port}/`);
  return async () => { await new Promise((r) => server.close(r)); };
}
