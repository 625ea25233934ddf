/**
 * Which offline map packs to delete, and whether a pack may be downloaded: pure decisions over the
 * packs on this device, its tours and the browser's storage estimate.
 *
 * Rules (each deletion is told to the user, pack-sync.ts):
 * - 'tourGone': the tour is no longer on this device (the scorer was unassigned, it was deleted);
 * - 'tourOver': the tour is closed (已结束 / 已公布结果) and ended TOUR_OVER_AFTER_DAYS ago — the
 *   bulletin's route map and late look-ups have had two weeks;
 * - 'storageShort': space is short (below the reserve, or short of what a download needs): packs of
 *   tours that have ended go first, least recently opened first. Packs of tours that are running
 *   or still to come are never deleted for space — the officials need them on the bus — a new
 *   download is refused instead ('noSpace').
 *
 * What must stay true: maps never eat the space scores and photos need. The reserve kept free is
 * the larger of RESERVE_MIN_BYTES and RESERVE_QUOTA_SHARE of the quota.
 */
import type { Tour } from '@shared/domain/schemas';
import type { TilePackRecord } from '../db/entities';
import type { StorageEstimate } from '../db/storage-safety';

export const TOUR_OVER_AFTER_DAYS = 14;
export const RESERVE_MIN_BYTES = 256 * 1024 * 1024;
export const RESERVE_QUOTA_SHARE = 0.1;

export type EvictionReason = 'tourGone' | 'tourOver' | 'storageShort';

export interface Eviction {
  sha256: string;
  tourId: string;
  /** bytes freed (what is stored of it) */
  bytes: number;
  reason: EvictionReason;
}

export function reserveBytes(estimate: StorageEstimate): number {
  return Math.max(RESERVE_MIN_BYTES, Math.floor(estimate.quota * RESERVE_QUOTA_SHARE));
}

/** 'YYYY-MM-DD' `days` after `day`. */
function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Closed (or results published) and ended TOUR_OVER_AFTER_DAYS days before `today`. */
export function isTourOver(tour: Pick<Tour, 'status' | 'endDate'>, today: string): boolean {
  return (tour.status === 'closed' || tour.status === 'results_published') && addDays(tour.endDate, TOUR_OVER_AFTER_DAYS) < today;
}

/** Running today or still to come: its pack stays whatever the space. */
export function isTourCurrent(tour: Pick<Tour, 'status' | 'endDate'>, today: string): boolean {
  return tour.endDate >= today && tour.status !== 'closed' && tour.status !== 'results_published';
}

export interface EvictionInput {
  packs: readonly TilePackRecord[];
  tours: ReadonlyMap<string, Pick<Tour, 'id' | 'status' | 'endDate'>>;
  today: string;
  /** null: the browser cannot tell (no space rule applies) */
  estimate: StorageEstimate | null;
  /** bytes a download about to start still needs */
  needBytes?: number;
}

export interface EvictionPlan {
  evictions: Eviction[];
  /** whether `needBytes` fits after the evictions (always true without an estimate) */
  hasSpace: boolean;
}

export function planEvictions({ packs, tours, today, estimate, needBytes = 0 }: EvictionInput): EvictionPlan {
  const evictions: Eviction[] = [];
  const kept: TilePackRecord[] = [];
  for (const record of packs) {
    const tour = tours.get(record.tourId);
    if (!tour) evictions.push({ sha256: record.sha256, tourId: record.tourId, bytes: record.bytesStored, reason: 'tourGone' });
    else if (isTourOver(tour, today)) evictions.push({ sha256: record.sha256, tourId: record.tourId, bytes: record.bytesStored, reason: 'tourOver' });
    else kept.push(record);
  }
  if (!estimate) return { evictions, hasSpace: true };

  const freed = () => evictions.reduce((sum, e) => sum + e.bytes, 0);
  const shortfall = (need: number) => reserveBytes(estimate) + need - (estimate.available + freed());
  const candidates = kept
    .filter((r) => r.bytesStored > 0 && !isTourCurrent(tours.get(r.tourId)!, today))
    .sort((a, b) => (a.lastOpenedAt ?? a.readyAt ?? a.startedAt).localeCompare(b.lastOpenedAt ?? b.readyAt ?? b.startedAt));
  // first what the reserve needs (space is short whatever happens next) …
  while (candidates.length > 0 && shortfall(0) > 0) evictions.push(spaceEviction(candidates.shift()!));
  // … then what the download needs, but only when that makes it fit: no pack goes for nothing
  if (needBytes > 0 && shortfall(needBytes) > 0) {
    const extra: Eviction[] = [];
    let missing = shortfall(needBytes);
    for (const record of candidates) {
      if (missing <= 0) break;
      extra.push(spaceEviction(record));
      missing -= record.bytesStored;
    }
    if (missing <= 0) evictions.push(...extra);
  }
  return { evictions, hasSpace: shortfall(needBytes) <= 0 };
}

function spaceEviction(record: TilePackRecord): Eviction {
  return { sha256: record.sha256, tourId: record.tourId, bytes: record.bytesStored, reason: 'storageShort' };
}
