/**
 * Reading an imported table off the request thread (issue 14): each import runs the shared parser
 * in a worker thread of its own (table-worker.ts), so that health checks, sync and every other
 * request keep being answered while a big file is read.
 *
 * Limits, so that one upload cannot take the server's memory or time:
 * - the file: at most `TABLE_IMPORT_MAX_BYTES` (the route's body limit too) and
 *   `TABLE_IMPORT_MAX_ROWS` rows (a real 观摩点位表 has a few hundred, a 评分表 a few dozen);
 * - the worker: a heap of `workerHeapMb` and `workerTimeoutMs` of time, then it is ended and the
 *   import answered 422 with a message saying the file is too large to read;
 * - at most `maxConcurrentImports` at once per process; a further one waits up to
 *   `maxQueueWaitMs` for its turn, then 503 busy with Retry-After.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fileIssue, type ImportIssue } from '@shared/import';
import type { TableJob, TableJobResult } from './table-job.js';
import { WorkQueue } from '../http/work-queue.js';

export const TABLE_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const TABLE_IMPORT_MAX_ROWS = 5000;
const workerHeapMb = 256;
const workerTimeoutMs = 30_000;
const maxConcurrentImports = 2;
const maxQueueWaitMs = 10_000;

const queue = new WorkQueue(maxConcurrentImports, maxQueueWaitMs);

let workerScript: Promise<URL> | null = null;

/**
 * The worker's script: dist/table-worker.js beside the bundled server; from source (tests, tsx)
 * the TypeScript entry bundled once per process into a temp file named by its content (Node
 * runs no TypeScript).
 */
function tableWorkerScript(): Promise<URL> {
  workerScript ??= (async () => {
    const here = import.meta.url;
    if (!here.endsWith('.ts')) return new URL('./table-worker.js', here);
    const { build } = await import('esbuild');
    const source = fileURLToPath(new URL('./table-worker.ts', here));
    const bundled = await build({
      entryPoints: [source],
      write: false,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      alias: { '@shared': fileURLToPath(new URL('../../../shared', here)) },
      logLevel: 'silent',
    });
    const code = bundled.outputFiles[0]!.contents;
    // named by its content: every process (and test run) of the same source shares one file
    const outfile = path.join(os.tmpdir(), `guanmo-table-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    if (!fs.existsSync(outfile)) {
      const temp = `${outfile}.${process.pid}.tmp`;
      fs.writeFileSync(temp, code);
      fs.renameSync(temp, outfile);
    }
    return pathToFileURL(outfile);
  })();
  workerScript.catch(() => (workerScript = null));
  return workerScript;
}

function tooBigToRead(fileName: string, why: string): ImportIssue {
  return fileIssue({
    zh: `文件「${fileName}」太大或太复杂，服务器无法读取（${why}），请确认选对了文件`,
    en: `The file "${fileName}" is too large or complex for the server to read (${why}); is it the right file?`,
  });
}

/** Runs the job in a worker of its own; the result is the worker's, or a file issue when it had to be stopped. */
export async function readTableOffThread<J extends TableJob>(job: J): Promise<Extract<TableJobResult, { kind: J['kind'] }>> {
  const script = await tableWorkerScript();
  return queue.run(
    () =>
      new Promise((resolve, reject) => {
        // its own copy of the bytes, handed over (not copied again) to the worker
        const bytes = new Uint8Array(job.bytes);
        const worker = new Worker(script, {
          workerData: { ...job, bytes },
          transferList: [bytes.buffer],
          resourceLimits: { maxOldGenerationSizeMb: workerHeapMb, maxYoungGenerationSizeMb: 32 },
          stdout: false,
          stderr: false,
        });
        let isDone = false;
        const finish = (outcome: TableJobResult | Error) => {
          if (isDone) return;
          isDone = true;
          clearTimeout(timer);
          void worker.terminate();
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome as Extract<TableJobResult, { kind: J['kind'] }>);
        };
        const failed = (why: string) => finish({ kind: job.kind, result: { ok: false, errors: [tooBigToRead(job.fileName, why)] } } as TableJobResult);
        const timer = setTimeout(() => failed(`more than ${workerTimeoutMs / 1000} s`), workerTimeoutMs);
        worker.once('message', (message: TableJobResult) => finish(message));
        worker.once('error', (error: Error & { code?: string }) => {
          if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') failed(`more than ${workerHeapMb} MB of memory`);
          else finish(error);
        });
        worker.once('exit', () => failed('the reader stopped'));
      }),
  );
}
