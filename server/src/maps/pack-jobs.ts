/**
 * Pack builds started from the desk (POST /api/tours/:id/tile-pack/build) or the CLI: one per tour
 * at a time across every process (build-state.ts), run off the request, progress written to the
 * database about once a second (and at least every few seconds as a heartbeat).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { buildHeartbeatMs, claimBuild, ownerId, recordProgress, type BuildProgress } from './build-state.js';
import { buildTourPack, PackBuildError, resolvePackSource, planTourPack, type PackBuildDeps, type PackBuildOptions, type PackBuildProgress, type PackBuildResult } from './pack-builder.js';

export interface PackJobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const shutdownMessage = {
  zh: '服务器正在关闭，底图包生成已停止。重新生成会接着已下载的瓦片继续。',
  en: 'The server is shutting down; the pack build stopped. Building again continues from the tiles fetched so far.',
};

export function newOwnerId(): string {
  return ownerId(randomBytes(6).toString('hex'));
}

/**
 * Runs one claimed build with progress written to the database; resolves with the result or
 * rejects with the error (recorded as the build's failure in both cases of failure).
 */
export async function runClaimedBuild(
  deps: PackBuildDeps,
  claim: { tourId: string; owner: string },
  options: PackBuildOptions,
  hooks: { signal?: AbortSignal; builtBy?: string | null; onProgress?: (p: PackBuildProgress) => void; log?: PackJobLog; abortReason?: () => { zh: string; en: string } | null },
): Promise<PackBuildResult> {
  let last: BuildProgress = { state: 'queued', done: 0, total: 0 };
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = (progress: BuildProgress, force = false) => {
    last = progress;
    const now = Date.now();
    if (!force && now - lastWrite < 1000) return;
    lastWrite = now;
    writing = writing.then(() => recordProgress(deps.db, claim, progress)).catch((error: unknown) => hooks.log?.warn({ err: error, tour: claim.tourId }, 'pack build progress not recorded'));
  };
  const heartbeat = setInterval(() => write(last, true), buildHeartbeatMs);
  heartbeat.unref();
  try {
    const result = await buildTourPack(deps, claim.tourId, options, {
      signal: hooks.signal,
      builtBy: hooks.builtBy,
      onProgress: (p) => {
        write({ state: 'running', done: p.done, total: p.total });
        hooks.onProgress?.(p);
      },
    });
    clearInterval(heartbeat);
    write({ state: 'done', done: result.plan.tiles.length, total: result.plan.tiles.length }, true);
    await writing;
    return result;
  } catch (error) {
    clearInterval(heartbeat);
    const reason = hooks.signal?.aborted ? hooks.abortReason?.() : null;
    const message = reason ?? (error instanceof PackBuildError ? { zh: error.messageZh, en: error.message } : { zh: '底图包生成失败（服务器内部错误，详见服务器日志）。', en: 'The pack build failed (an internal error; see the server log).' });
    if (!(error instanceof PackBuildError) && !reason) hooks.log?.error({ err: error, tour: claim.tourId }, 'pack build failed');
    write({ state: 'failed', done: last.done, total: last.total, error: message }, true);
    await writing;
    throw error;
  }
}

/** The builds this server process runs. */
export class PackJobs {
  private readonly running = new Map<string, AbortController>();
  private isClosing = false;

  constructor(
    private readonly deps: PackBuildDeps,
    private readonly log: PackJobLog,
  ) {}

  /**
   * Checks the request (source, tour, tile plan) and starts the build in the background.
   * Throws PackBuildError for what cannot be built, and `build_running` (409) while another
   * build of the tour runs anywhere.
   */
  async start(tourId: string, options: PackBuildOptions, builtBy: string): Promise<void> {
    if (this.isClosing) throw new PackBuildError(503, 'unavailable', shutdownMessage.zh, shutdownMessage.en);
    const source = resolvePackSource(this.deps.registry, options.sourceId);
    // fails fast on a tour without coordinates or with a wild one, before anything is claimed
    await planTourPack(this.deps.db, tourId, source, options);
    const owner = newOwnerId();
    if (!(await claimBuild(this.deps.db, { tourId, owner, sourceId: source.id }))) {
      throw new PackBuildError(409, 'build_running', '这个观摩活动的底图包正在生成，请等待完成。', 'A pack for this tour is being built already; wait for it to finish.');
    }
    const controller = new AbortController();
    this.running.set(tourId, controller);
    this.log.info({ tour: tourId, source: source.id, user: builtBy }, 'pack build started');
    void runClaimedBuild(this.deps, { tourId, owner }, { ...options, sourceId: source.id }, {
      signal: controller.signal,
      builtBy,
      log: this.log,
      abortReason: () => shutdownMessage,
    })
      .then(
        (result) => this.log.info({ tour: tourId, tiles: result.pack.manifest.tileCount, bytes: result.pack.size, fetched: result.fetched, ms: Math.round(result.ms) }, 'pack build done'),
        (error: unknown) => {
          if (error instanceof PackBuildError) this.log.warn({ tour: tourId, code: error.code }, error.message);
        },
      )
      .finally(() => {
        if (this.running.get(tourId) === controller) this.running.delete(tourId);
      });
  }

  isRunning(tourId: string): boolean {
    return this.running.has(tourId);
  }

  /** Stops every build of this process (server shutdown); they can be resumed later. */
  async close(): Promise<void> {
    this.isClosing = true;
    for (const controller of this.running.values()) controller.abort(new Error('server shutting down'));
    // let the aborted builds record their state
    const deadline = Date.now() + 5_000;
    while (this.running.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

