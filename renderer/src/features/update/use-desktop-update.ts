/**
 * The desktop app's self-updater as the renderer sees it (IPC `update:*`, shared/ipc/update-contract.ts):
 * its status, polled while the app is open (main sends no events), and the two things the user
 * can ask — check now, restart and install. In a browser there is no updater: null.
 */
import { useCallback, useEffect, useState } from 'react';
import type { InstallUpdateResult, UpdateStatus } from '@shared/ipc/update-contract';

const pollMs = 5_000;

export interface DesktopUpdate {
  status: UpdateStatus | null;
  check(): Promise<void>;
  install(): Promise<InstallUpdateResult | null>;
}

export function useDesktopUpdate(): DesktopUpdate | null {
  const api = typeof window === 'undefined' ? undefined : window.guanmo;
  const [status, setStatus] = useState<UpdateStatus | null>(null);

  useEffect(() => {
    if (!api) return;
    let isActive = true;
    const read = () =>
      void api.getUpdateStatus().then((outcome) => {
        if (isActive && outcome.ok) setStatus(outcome.value);
      });
    read();
    const timer = setInterval(read, pollMs);
    return () => {
      isActive = false;
      clearInterval(timer);
    };
  }, [api]);

  const check = useCallback(async () => {
    if (!api) return;
    setStatus((s) => (s ? { ...s, state: 'checking' } : s));
    const outcome = await api.checkForUpdate();
    if (outcome.ok) setStatus(outcome.value);
  }, [api]);

  const install = useCallback(async () => {
    if (!api) return null;
    const outcome = await api.installUpdate();
    return outcome.ok ? outcome.value : null;
  }, [api]);

  return api ? { status, check, install } : null;
}

/**
 * Tells main whether a restart now would interrupt work: a score sheet or ballot open, or
 * anything waiting to sync. Main never restarts into an update while this says so.
 */
export function useReportWorkToUpdater(work: { hasOpenSheet: boolean; pendingChanges: number } | null): void {
  const api = typeof window === 'undefined' ? undefined : window.guanmo;
  const hasOpenSheet = work?.hasOpenSheet ?? true;
  const pendingChanges = work?.pendingChanges ?? 0;
  const isKnown = work !== null;
  useEffect(() => {
    if (!api || !isKnown) return;
    void api.reportWork({ hasOpenSheet, pendingChanges });
  }, [api, isKnown, hasOpenSheet, pendingChanges]);
}
