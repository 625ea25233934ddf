/**
 * The desktop app's self-update, on electron-updater (generic provider) pointed at the same sync
 * server the app syncs with (`<server>/updates/`, server/src/updates/). No business logic:
 * check at start and periodically, let electron-updater download in the background (sha512
 * verified, resumable: resumable-download.ts), and install only when the user clicks
 * (`update:install`) or when the app quits.
 *
 * What must stay true:
 * - Never a restart while the renderer says work is pending (a score sheet open, changes not yet
 *   synced) — and until the renderer has said anything at all, work counts as pending. The
 *   downloaded update then waits for the app to quit (autoInstallOnAppQuit).
 * - Never an internet address: the feed is the organisation's sync server, nothing else.
 * - A failed check or download is not an error the user must handle: it is retried later, and
 *   the partial download resumes.
 */
import type { UpdateStatus } from '@shared/ipc/update-contract';

/** The part of electron-updater's AppUpdater used here (a real AppUpdater in the app and in tests). */
export interface UpdaterEngine {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  autoRunAppAfterInstall: boolean;
  allowDowngrade: boolean;
  setFeedURL(options: { provider: 'generic'; url: string; useMultipleRangeRequest: boolean }): void;
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: { version: string }; downloadPromise?: Promise<unknown> | null } | null>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'download-progress', listener: (progress: { percent: number }) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface DesktopUpdaterOptions {
  engine: UpdaterEngine;
  /** the sync server in effect (it may change in Settings) */
  serverUrl: () => string;
  currentVersion: string;
  /** first check after start (default 20 s: the window and the first sync come first) */
  firstCheckMs?: number;
  /** later checks (default 4 h: a laptop out on a tour is online now and then) */
  periodMs?: number;
  /** after a failed check or a cut download (default 10 min; the download resumes) */
  retryMs?: number;
  now?: () => Date;
  setTimer?: (run: () => void, ms: number) => { cancel(): void };
  log?: (message: string, error?: unknown) => void;
}

/** `<server>/updates/`: where electron-updater finds latest*.yml and the installers. */
export function updateFeedUrl(serverUrl: string): string {
  return new URL('updates/', serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`).toString();
}

export class DesktopUpdater {
  private status: UpdateStatus;
  private timer: { cancel(): void } | null = null;
  private checking: Promise<UpdateStatus> | null = null;
  private isStarted = false;
  private readonly setTimer: NonNullable<DesktopUpdaterOptions['setTimer']>;

  constructor(private readonly options: DesktopUpdaterOptions) {
    this.status = { state: 'idle', currentVersion: options.currentVersion, version: null, percent: null, checkedAt: null, error: null, isWorkPending: true };
    this.setTimer =
      options.setTimer ??
      ((run, ms) => {
        const handle = setTimeout(run, ms);
        handle.unref?.();
        return { cancel: () => clearTimeout(handle) };
      });
    const engine = options.engine;
    engine.autoDownload = true;
    // "or on quit": the downloaded update goes in when the user quits, never by itself before
    engine.autoInstallOnAppQuit = true;
    engine.autoRunAppAfterInstall = true;
    engine.allowDowngrade = false;
    engine.on('download-progress', (progress) => this.set({ state: 'downloading', percent: Math.max(0, Math.min(100, Math.round(progress.percent))) }));
    engine.on('update-downloaded', (info) => this.set({ state: 'downloaded', version: info.version, percent: 100, error: null }));
    engine.on('error', (error) => this.options.log?.('update failed', error));
  }

  getStatus(): UpdateStatus {
    return { ...this.status };
  }

  /** Checks at once, then every period; a failure retries sooner. */
  start(): void {
    this.isStarted = true;
    this.schedule(this.options.firstCheckMs ?? 20_000);
  }

  stop(): void {
    this.isStarted = false;
    this.timer?.cancel();
    this.timer = null;
  }

  /** One check (and, when a newer version is there, its download in the background). */
  check(): Promise<UpdateStatus> {
    this.checking ??= this.runCheck().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  /** Downloads finished: the check resolves when the file is verified or the download failed. */
  private async runCheck(): Promise<UpdateStatus> {
    if (this.status.state === 'downloaded') return this.getStatus();
    this.set({ state: 'checking', error: null });
    let failed = false;
    try {
      this.options.engine.setFeedURL({ provider: 'generic', url: updateFeedUrl(this.options.serverUrl()), useMultipleRangeRequest: false });
      const result = await this.options.engine.checkForUpdates();
      this.set({ checkedAt: (this.options.now?.() ?? new Date()).toISOString() });
      if (!result?.isUpdateAvailable) {
        this.set({ state: 'up-to-date', version: null, percent: null });
      } else {
        this.set({ state: 'downloading', version: result.updateInfo.version, percent: this.status.percent ?? 0 });
        await result.downloadPromise;
        // 'update-downloaded' has set the state; this covers an engine that resolves without the event
        if (this.state() !== 'downloaded') this.set({ state: 'downloaded', percent: 100 });
      }
    } catch (error) {
      failed = true;
      this.set({ state: 'error', error: describe(error) });
      this.options.log?.('update check failed', error);
    }
    if (this.isStarted && this.state() !== 'downloaded') this.schedule(failed ? (this.options.retryMs ?? 10 * 60_000) : (this.options.periodMs ?? 4 * 3_600_000));
    return this.getStatus();
  }

  /** What the renderer says about unsaved work; it decides whether a restart may happen now. */
  reportWork(work: { hasOpenSheet: boolean; pendingChanges: number }): UpdateStatus {
    this.set({ isWorkPending: work.hasOpenSheet || work.pendingChanges > 0 });
    return this.getStatus();
  }

  /** The user's "restart and install": refused while work is pending or before the download is verified. */
  install(): { installing: true } | { installing: false; reason: 'work-pending' | 'not-downloaded' } {
    if (this.status.state !== 'downloaded') return { installing: false, reason: 'not-downloaded' };
    if (this.status.isWorkPending) return { installing: false, reason: 'work-pending' };
    this.stop();
    this.options.engine.quitAndInstall(false, true);
    return { installing: true };
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.check();
    }, ms);
  }

  /** read through a call: events change the state while a check awaits */
  private state(): UpdateStatus['state'] {
    return this.status.state;
  }

  private set(patch: Partial<UpdateStatus>): void {
    this.status = { ...this.status, ...patch };
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${(error as { code?: string }).code ? `${(error as { code?: string }).code}: ` : ''}${error.message}` : String(error);
  return text.slice(0, 500);
}
