/**
 * The build running or last run for each tour (table tile_pack_builds), shared by every server
 * process and the CLI through the database:
 *
 * - one build per tour at a time: `claimBuild` takes the row only when no live build holds it;
 * - progress for GET /api/tours/:id/tile-pack, whichever process answers;
 * - a build whose process died (no update for `staleAfterMs`, or at once when that process ran on
 *   this machine and is gone: a killed CLI run) counts as failed, and a new build may start (it
 *   continues from the tiles cached so far).
 */
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { TilePackBuildState } from '@shared/maps/pack-protocol';
import type { Database } from '../db/schema.js';

/** A running build writes its progress at least this often (heartbeat). */
export const buildHeartbeatMs = 5_000;
/** No update for this long: the build's process has died. */
export const staleAfterMs = 60_000;

export const interruptedMessage = {
  zh: '底图包生成中断（服务器重启或进程退出）。重新生成会接着已下载的瓦片继续。',
  en: 'The pack build was interrupted (the server restarted or the process ended). Building again continues from the tiles fetched so far.',
};

export interface BuildClaim {
  tourId: string;
  owner: string;
  sourceId: string;
}

/** An owner id naming this machine and process: `host/pid/random`. */
export function ownerId(random: string): string {
  return `${os.hostname()}/${process.pid}/${random}`;
}

/** Whether the owner's process ran on this machine and has ended. */
export function isDeadLocalOwner(owner: string): boolean {
  const [host, pidText] = owner.split('/');
  if (host !== os.hostname() || !pidText || !/^\d+$/.test(pidText)) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, someone else's
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Takes the tour's build row; false when a live build holds it. */
export async function claimBuild(db: Kysely<Database>, claim: BuildClaim, now = new Date()): Promise<boolean> {
  const at = now.toISOString();
  let staleBefore = new Date(now.getTime() - staleAfterMs).toISOString();
  const current = await db.selectFrom('tile_pack_builds').select(['owner', 'state']).where('tour_id', '=', claim.tourId).executeTakeFirst();
  // a killed run on this machine: no need to wait for its heartbeat to go stale
  if (current && (current.state === 'queued' || current.state === 'running') && isDeadLocalOwner(current.owner)) staleBefore = new Date(now.getTime() + 1000).toISOString();
  const result = await db
    .insertInto('tile_pack_builds')
    .values({ tour_id: claim.tourId, state: 'queued', done: 0, total: 0, source_id: claim.sourceId, owner: claim.owner, started_at: at, updated_at: at, error: null, error_en: null })
    .onConflict((oc) =>
      oc
        .column('tour_id')
        .doUpdateSet({ state: 'queued', done: 0, total: 0, source_id: claim.sourceId, owner: claim.owner, started_at: at, updated_at: at, error: null, error_en: null })
        .where((eb) => eb.or([eb('tile_pack_builds.state', 'in', ['done', 'failed']), eb('tile_pack_builds.updated_at', '<', staleBefore)])),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export interface BuildProgress {
  state: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  error?: { zh: string; en: string } | null;
}

/** Writes the owner's progress (a row another owner has taken since is left alone). */
export async function recordProgress(db: Kysely<Database>, claim: Pick<BuildClaim, 'tourId' | 'owner'>, progress: BuildProgress, now = new Date()): Promise<void> {
  await db
    .updateTable('tile_pack_builds')
    .set({
      state: progress.state,
      done: progress.done,
      total: progress.total,
      updated_at: now.toISOString(),
      error: progress.error?.zh ?? null,
      error_en: progress.error?.en ?? null,
    })
    .where('tour_id', '=', claim.tourId)
    .where('owner', '=', claim.owner)
    .execute();
}

/** The build state the app sees; a live-looking row without updates is reported as interrupted. */
export async function readBuildState(db: Kysely<Database>, tourId: string, now = new Date()): Promise<TilePackBuildState | null> {
  const row = await db.selectFrom('tile_pack_builds').selectAll().where('tour_id', '=', tourId).executeTakeFirst();
  if (!row) return null;
  const isLive = row.state === 'queued' || row.state === 'running';
  const isStale = isLive && (now.getTime() - Date.parse(row.updated_at) > staleAfterMs || isDeadLocalOwner(row.owner));
  return {
    state: isStale ? 'failed' : row.state,
    done: Number(row.done),
    total: Number(row.total),
    startedAt: row.started_at,
    error: isStale ? interruptedMessage.zh : row.error,
    errorEn: isStale ? interruptedMessage.en : row.error_en,
  };
}
