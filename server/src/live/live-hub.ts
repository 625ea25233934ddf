/**
 * The live channel's connections (GET /api/sync/live, http/live-routes.ts): who is listening,
 * what they are told, and when their streams end.
 *
 * Per committed write (change-feed.ts) the hub works once, not once per listener: it reads again,
 * in one query, the access of the listeners the write may have changed (a participant assigned
 * or removed, a tour's status), then judges each listener with the pull's visibility rules
 * (live-visibility.ts) and tells those who may see something. Listeners already due an event
 * are skipped without judging. Per connection, events are coalesced: the first goes out at once,
 * later ones at most one per `coalesceMs`.
 *
 * A heartbeat comment goes to every stream each `heartbeatMs` (proxies drop silent streams; the
 * app drops a stream it hears nothing on). With it the hub checks, in one query, that every
 * stream's session is still live: a session signed out elsewhere, expired, or of a disabled
 * user ends its streams within one heartbeat (a sign-out through this process ends them at once,
 * endSession). close() ends every stream, for shutdown.
 *
 * What must stay true:
 * - An event says only "changes exist for you" and is sent only when a pull would show the
 *   listener at least one of the changes (blind scoring: another scorer's sheet is never a
 *   reason to tell a scorer anything).
 * - A listener is judged only once its access is loaded, and hears `hello` only then: the app
 *   pulls on hello, which covers whatever committed before.
 * - The database work of the channel (access, session checks) goes through `runQuery`, the sync
 *   routes' work queue, so streams cannot starve pushes and pulls or step around the queue.
 * - Streams per user and in all are capped; a stream whose client stopped reading is dropped
 *   before its buffer grows.
 */
import { PassThrough } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Role } from '@shared/domain/schemas';
import { LIVE_HEARTBEAT_MS, liveEventNames, type ByeReason } from '@shared/sync/live-protocol';
import type { DbKind } from '../config.js';
import type { Database } from '../db/schema.js';
import { findLiveSessionIds } from '../db/sessions.js';
import { isStaffRole, loadViewersAccess, type ViewerAccess } from '../sync/access.js';
import type { ChangeFeed, CommittedChanges } from './change-feed.js';
import { changedAccessTours, isAccessStale, isAnyChangeVisible } from './live-visibility.js';

export interface LiveOptions {
  /** heartbeat comment and session check interval */
  heartbeatMs: number;
  /** at most one event per connection per this long */
  coalesceMs: number;
  /** streams one user may hold (several windows, laptops, a wall screen); a further one ends the oldest */
  maxPerUser: number;
  /** streams this process holds at most; more are answered 503 busy */
  maxStreams: number;
  /** a stream with more unsent bytes than this belongs to a client that stopped reading */
  maxBufferedBytes: number;
}

export const defaultLiveOptions: LiveOptions = {
  heartbeatMs: LIVE_HEARTBEAT_MS,
  coalesceMs: 250,
  maxPerUser: 8,
  maxStreams: 5_000,
  maxBufferedBytes: 64 * 1024,
};

export interface LiveUser {
  id: string;
  username: string;
  role: Role;
  sessionId: string;
}

export interface LiveLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LiveHubDeps {
  db: Kysely<Database>;
  kind: DbKind;
  feed: ChangeFeed;
  log: LiveLog;
  /** runs the channel's database work in turn with pushes and pulls (the sync work queue) */
  runQuery: <T>(work: () => Promise<T>) => Promise<T>;
}

interface Listener {
  id: number;
  user: LiveUser;
  clientId: string | null;
  /** null until loaded: such a listener is not judged yet (it has not heard hello) */
  access: ViewerAccess | null;
  /** a write may have changed the access since it was read: read it again */
  isReloadWanted: boolean;
  stream: PassThrough;
  openedAt: number;
  /** when the last event went out (0: none yet) */
  lastEventAt: number;
  /** a coalesced event waiting to go out */
  timer: ReturnType<typeof setTimeout> | null;
  isEnded: boolean;
}

export type OpenResult = { stream: PassThrough; drop: () => void } | { refused: 'busy' | 'closing' };

const encodeEvent = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const changesEvent = encodeEvent(liveEventNames.changes, {});
const heartbeatComment = ': heartbeat\n\n';
/** listeners' sessions checked per query */
const sessionCheckChunk = 500;

export class LiveHub {
  readonly options: LiveOptions;
  private readonly listeners = new Map<number, Listener>();
  private nextId = 1;
  private dispatching: Promise<void> = Promise.resolve();
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly unsubscribe: () => void;
  private isClosed = false;
  /** figures for logs, tests and the bench */
  readonly stats = { opened: 0, eventsSent: 0, batchesJudged: 0, accessReads: 0 };

  constructor(
    private readonly deps: LiveHubDeps,
    options: Partial<LiveOptions> = {},
  ) {
    this.options = { ...defaultLiveOptions, ...options };
    this.unsubscribe = deps.feed.subscribe((changes) => this.enqueue(changes));
    this.heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** streams held now */
  get size(): number {
    return this.listeners.size;
  }

  /**
   * A new stream for `user`: its access read, `hello` written. Throws what runQuery throws when
   * the database cannot take the access read (the route answers 503 busy).
   */
  async open(user: LiveUser, clientId: string | null, now: number = Date.now()): Promise<OpenResult> {
    if (this.isClosed) return { refused: 'closing' };
    if (this.listeners.size >= this.options.maxStreams) return { refused: 'busy' };
    const own = [...this.listeners.values()].filter((l) => l.user.id === user.id).sort((a, b) => a.openedAt - b.openedAt || a.id - b.id);
    for (const old of own.slice(0, Math.max(0, own.length - this.options.maxPerUser + 1))) this.end(old, 'replaced');

    const listener: Listener = {
      id: this.nextId++,
      user,
      clientId,
      access: null,
      isReloadWanted: false,
      stream: new PassThrough(),
      openedAt: now,
      lastEventAt: 0,
      timer: null,
      isEnded: false,
    };
    this.listeners.set(listener.id, listener);
    this.stats.opened++;
    const drop = () => this.end(listener, null);
    listener.stream.on('close', drop);
    try {
      let access: ViewerAccess;
      do {
        listener.isReloadWanted = false;
        access = (await this.readAccess([user])).get(user.id)!;
      } while (listener.isReloadWanted && !listener.isEnded);
      listener.access = access;
    } catch (error) {
      this.end(listener, null);
      throw error;
    }
    if (listener.isEnded) return { refused: this.isClosed ? 'closing' : 'busy' };
    this.write(listener, `retry: 5000\n${encodeEvent(liveEventNames.hello, { heartbeatMs: this.options.heartbeatMs })}`);
    return { stream: listener.stream, drop };
  }

  /** Ends the streams of a session that was signed out. */
  endSession(sessionId: string, reason: ByeReason = 'signed_out'): void {
    for (const listener of [...this.listeners.values()]) if (listener.user.sessionId === sessionId) this.end(listener, reason);
  }

  /** Ends every stream (server shutdown) and stops listening. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const listener of [...this.listeners.values()]) this.end(listener, 'server_closing');
  }

  /**
   * The heartbeat: a comment to every stream, the sessions checked, access read again where a
   * failed read left it stale. Runs every heartbeatMs; tests call it directly.
   */
  async beat(now: Date = new Date()): Promise<void> {
    const ready = [...this.listeners.values()].filter((l) => l.access !== null);
    for (const listener of ready) this.write(listener, heartbeatComment);
    if (ready.length === 0) return;
    try {
      const sessionIds = [...new Set(ready.map((l) => l.user.sessionId))];
      const live = new Set<string>();
      for (let i = 0; i < sessionIds.length; i += sessionCheckChunk) {
        const found = await this.deps.runQuery(() => findLiveSessionIds(this.deps.db, sessionIds.slice(i, i + sessionCheckChunk), now));
        for (const id of found) live.add(id);
      }
      for (const listener of ready) if (!live.has(listener.user.sessionId)) this.end(listener, 'session_ended');
      const stale = [...this.listeners.values()].filter((l) => l.access !== null && l.isReloadWanted);
      if (stale.length > 0) await this.reloadAccess(stale);
    } catch (error) {
      // the next heartbeat tries again; the streams stay meanwhile
      this.deps.log.warn({ err: error }, 'live: session check failed');
    }
  }

  /** Resolves once every announced change has been judged and every coalesced event sent (tests, bench). */
  async idle(): Promise<void> {
    // announcements still on their way through the feed (PostgreSQL: NOTIFY and the pull horizon)
    await this.deps.feed.idle?.();
    for (;;) {
      const dispatching = this.dispatching;
      await dispatching;
      const isWaiting = [...this.listeners.values()].some((l) => l.timer !== null);
      if (!isWaiting && dispatching === this.dispatching) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private enqueue(changes: CommittedChanges): void {
    if (this.isClosed) return;
    this.dispatching = this.dispatching
      .then(() => this.dispatch(changes))
      .catch((error: unknown) => this.deps.log.error({ err: error }, 'live: judging a change failed'));
  }

  private async dispatch(changes: CommittedChanges): Promise<void> {
    if (this.listeners.size === 0) return;
    this.stats.batchesJudged++;
    const changed = changedAccessTours(changes);
    const stale: Listener[] = [];
    for (const listener of this.listeners.values()) {
      if (listener.access === null) {
        // its access is being read: read it once more if this write may have changed it
        if (changed.userIds.has(listener.user.id) || changed.tourIds.size > 0) listener.isReloadWanted = true;
      } else if (isAccessStale(listener.access, changed)) stale.push(listener);
    }
    if (stale.length > 0) {
      try {
        await this.reloadAccess(stale);
      } catch (error) {
        // judged on the access as it was; read again at the next heartbeat
        for (const listener of stale) listener.isReloadWanted = true;
        this.deps.log.warn({ err: error, listeners: stale.length }, 'live: could not read access after a change');
      }
    }
    for (const listener of this.listeners.values()) {
      if (listener.access === null || listener.isEnded || listener.timer !== null) continue;
      // the device that pushed has the change already (it pulls after pushing, in the same round)
      if (changes.clientId !== null && listener.clientId === changes.clientId) continue;
      if (isAnyChangeVisible(listener.access, changes)) this.notify(listener);
    }
  }

  private async reloadAccess(listeners: readonly Listener[]): Promise<void> {
    const users = new Map(listeners.map((l) => [l.user.id, l.user]));
    const access = await this.readAccess([...users.values()]);
    for (const listener of listeners) {
      const fresh = access.get(listener.user.id);
      if (!fresh || listener.isEnded) continue;
      listener.access = fresh;
      listener.isReloadWanted = false;
    }
  }

  private async readAccess(users: readonly LiveUser[]): Promise<Map<string, ViewerAccess>> {
    const viewers = users.map((u) => ({ id: u.id, role: u.role }));
    if (viewers.every((v) => isStaffRole(v.role))) return new Map(viewers.map((v) => [v.id, { viewer: v, isStaff: true, tours: new Map() }]));
    this.stats.accessReads++;
    return this.deps.runQuery(() => loadViewersAccess(this.deps.db, this.deps.kind, viewers));
  }

  /** An event now, or once coalesceMs have passed since the last one. */
  private notify(listener: Listener): void {
    const wait = listener.lastEventAt + this.options.coalesceMs - Date.now();
    if (wait <= 0) return this.sendChanges(listener);
    listener.timer = setTimeout(() => {
      listener.timer = null;
      this.sendChanges(listener);
    }, wait);
  }

  private sendChanges(listener: Listener): void {
    if (listener.isEnded) return;
    listener.lastEventAt = Date.now();
    this.stats.eventsSent++;
    this.write(listener, changesEvent);
  }

  private write(listener: Listener, text: string): void {
    if (listener.isEnded) return;
    if (listener.stream.writableLength > this.options.maxBufferedBytes) {
      this.deps.log.info({ user: listener.user.username }, 'live: dropping a stream its client does not read');
      listener.stream.destroy();
      return this.end(listener, null);
    }
    listener.stream.write(text);
  }

  /** Forgets a listener; with a reason, tells the client why and ends the response. */
  private end(listener: Listener, reason: ByeReason | null): void {
    if (listener.isEnded) return;
    listener.isEnded = true;
    if (listener.timer) clearTimeout(listener.timer);
    listener.timer = null;
    this.listeners.delete(listener.id);
    if (reason !== null && !listener.stream.destroyed) listener.stream.end(encodeEvent(liveEventNames.bye, { reason }));
    else if (!listener.stream.destroyed) listener.stream.end();
  }
}
