/**
 * What the pack sync is doing right now, per tour, for the screens that show it (the tour map's
 * status line, the settings page): checking, downloading (bytes of size) or failed (why). Only in
 * memory: what is stored (a pack's bytes so far) lives in IndexedDB and survives a reload.
 */
import { useSyncExternalStore } from 'react';

export type PackActivity =
  | { phase: 'checking' }
  | { phase: 'downloading'; bytes: number; size: number }
  | { phase: 'failed'; message: string };

let activities: ReadonlyMap<string, PackActivity> = new Map();
const listeners = new Set<() => void>();

export function setPackActivity(tourId: string, activity: PackActivity | null): void {
  const next = new Map(activities);
  if (activity) next.set(tourId, activity);
  else next.delete(tourId);
  activities = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePackActivities(): ReadonlyMap<string, PackActivity> {
  return useSyncExternalStore(subscribe, () => activities, () => activities);
}

export function usePackActivity(tourId: string): PackActivity | null {
  return usePackActivities().get(tourId) ?? null;
}
