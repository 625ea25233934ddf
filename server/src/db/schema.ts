/**
 * Row types of the server database, shared by SQLite and PostgreSQL. Both dialects store the same
 * column types so that one Kysely query works on both:
 * - timestamps are ISO 8601 UTC strings (`2021-12-08T09:30:00.000Z`), which sort as text;
 * - booleans are integers 0/1 (SQLite has no boolean; `pg` would return true/false);
 * - JSON is text (SQLite has no jsonb; the server never queries inside a record).
 * PostgreSQL BIGINT comes back as a JS number (see postgres.ts); sequences stay far below 2^53.
 */
import type { Generated, Insertable, Selectable } from 'kysely';
import type { Role } from '@shared/domain/schemas';

export interface UsersTable {
  /** random UUID; referenced by scorer records (`userId`) and sessions */
  id: string;
  /** normalised login name (NFKC, lower case), unique */
  username: string;
  display_name: string;
  role: Role;
  /** argon2id PHC string */
  password_hash: string;
  disabled: number;
  /** 1: the password is a one-time password; sign-in asks for a new one first */
  must_change_password: Generated<number>;
  created_at: string;
  updated_at: string;
}

/**
 * The current state of every synced domain record (tours, units, stops, scorers, sheets, notes,
 * photo metadata), one generic table: the server merges and authorises per record and field, and
 * a new record kind needs no migration.
 */
export interface RecordsTable {
  collection: string;
  id: string;
  /** the tour the record belongs to (a tour's own id for tours); drives visibility and rankings */
  tour_id: string | null;
  /** the record as JSON, validated by the shared zod schema of its collection */
  data: string;
  /** field name → HLC timestamp of the write that set it, as JSON (per-field last writer wins) */
  versions: string;
  /** tombstone: deletes keep the row so that the delete syncs */
  deleted: number;
  /**
   * data.scorerId of sheets and ballots, null for every other collection (migration 0006): whose
   * blind record it is. Pull filters on it for every change it walks past, so it must be a plain
   * column, not JSON to parse per row. Written with data by every write (scorerIdOf, records.ts).
   */
  scorer_id: string | null;
  /** `changes.seq` of the last change of this record */
  seq: number;
  updated_at: string;
}

/**
 * Append-only change log; pull cursors walk it. See changes.ts for why the order is safe to page
 * through on both databases.
 */
export interface ChangesTable {
  /** server-assigned, strictly increasing */
  seq: Generated<number>;
  /**
   * PostgreSQL only (absent on SQLite): the writing transaction's id (xid8, as text), set by the
   * column default pg_current_xact_id(). Never reference it in SQLite code paths.
   */
  tx_id: Generated<string>;
  collection: string;
  record_id: string;
  tour_id: string | null;
  /**
   * records.scorer_id of the record as this change wrote it (migration 0006). With tour_id, pull
   * decides from the change row alone whether to look the record up: the newest change of a
   * record always carries the record's current tour_id and scorer_id (same transaction).
   */
  scorer_id: string | null;
  /** the client mutation that caused the change; null for server-made changes (seeding, admin) */
  mutation_id: string | null;
  /** who made the change; null for the server itself */
  user_id: string | null;
  created_at: string;
}

/** A login session; the bearer token itself is never stored, only its sha256. */
export interface SessionsTable {
  id: string;
  /** sha256 of the token, lowercase hex */
  token_hash: string;
  user_id: string;
  created_at: string;
  /** sliding: pushed forward on use, never past created_at + the absolute lifetime */
  expires_at: string;
  last_used_at: string;
  revoked_at: string | null;
  ip: string | null;
  user_agent: string | null;
}

/** Failed login attempts per key (`user:<name>` or `ip:<address>`), see auth/login-throttle.ts. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  first_failure_at: string;
  locked_until: string | null;
  updated_at: string;
}

/** Client mutations already applied (push idempotency). */
export interface AppliedMutationsTable {
  id: string;
  user_id: string | null;
  client_id: string;
  collection: string;
  record_id: string;
  applied_at: string;
}

export interface ServerStateTable {
  key: string;
  value: string;
  updated_at: string;
}

/** Changes made outside the ordinary sync flow (a sheet reopened, a tour imported), with the reason. */
export interface AuditLogTable {
  id: Generated<number>;
  tour_id: string | null;
  user_id: string | null;
  /** kept as text so the entry stays readable after the account is gone */
  username: string;
  action: string;
  collection: string | null;
  record_id: string | null;
  reason: string;
  /** JSON of the record before / after, or null */
  before: string | null;
  after: string | null;
  created_at: string;
}

/**
 * Who holds which photo bytes (migration 0008): written when a user's upload of the bytes
 * completes ('stored': the upload put new bytes on the server; 'uploaded': they were there
 * already) or when the user answers a possession challenge ('proven'); 'legacy' for the authors
 * of photo records older than the check. Removed with the bytes (blob garbage collection).
 */
export interface BlobClaimsTable {
  sha256: string;
  user_id: string;
  /** the tour the upload was for (quotas); null for proofs */
  tour_id: string | null;
  size: number;
  how: 'stored' | 'uploaded' | 'proven' | 'legacy';
  created_at: string;
}

/** Unfinished tus uploads (migration 0008): the per-user cap and the bytes they reserve. */
export interface PendingUploadsTable {
  id: string;
  user_id: string;
  tour_id: string | null;
  /** Upload-Length */
  size: number;
  created_at: string;
}

/** A tour's current offline basemap pack (migration 0010). */
export interface TilePacksTable {
  tour_id: string;
  sha256: string;
  /** under <data folder>/tile-packs/: `<tourId>-<sha256>.pmtiles` */
  file_name: string;
  size: number;
  /** JSON of the pack's manifest (tilePackSchema) */
  manifest: string;
  built_at: string;
  /** user name of who built or imported it; null for the CLI */
  built_by: string | null;
}

/** The build running or last run for a tour (migration 0010). */
export interface TilePackBuildsTable {
  tour_id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  source_id: string;
  /** the process running it (pid and a random part); a stale updated_at means it died */
  owner: string;
  started_at: string;
  updated_at: string;
  error: string | null;
  error_en: string | null;
}

/** A laptop's last report of unsynced work (migration 0011, carry/device-status.ts). */
export interface CarryDevicesTable {
  /** the device id the app pushes with (clientId) */
  client_id: string;
  /** who reported last; null once that account is deleted */
  user_id: string | null;
  device_name: string;
  app_version: string | null;
  /** newest HLC among the outbox entries the laptop held (null: nothing pending) */
  newest_pending_hlc: string | null;
  /** another laptop pushed a file exported here, holding this laptop's outbox up to this HLC */
  carried_through_hlc: string | null;
  carried_by_client_id: string | null;
  carried_at: string | null;
  /** server clock */
  reported_at: string;
}

/** What a laptop held unsynced per tour at its last report (migration 0011). */
export interface CarryDeviceToursTable {
  client_id: string;
  tour_id: string;
  sheets: number;
  ballots: number;
  notes: number;
  photos: number;
  other: number;
}

/** A token bucket shared by the server processes (auth/shared-buckets.ts); times in ms since epoch */
export interface RateBucketsTable {
  key: string;
  tokens: number;
  at: number;
  /** when the bucket is full again: a row past it counts as absent */
  full_at: number;
  /** whether the last take was allowed (1) or refused (0) */
  granted: number;
}

/** One holder of a named lease at a time (cluster/leases.ts); expires_at in ms since epoch */
export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}

export interface Database {
  users: UsersTable;
  records: RecordsTable;
  changes: ChangesTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  applied_mutations: AppliedMutationsTable;
  server_state: ServerStateTable;
  audit_log: AuditLogTable;
  blob_claims: BlobClaimsTable;
  pending_uploads: PendingUploadsTable;
  tile_packs: TilePacksTable;
  tile_pack_builds: TilePackBuildsTable;
  carry_devices: CarryDevicesTable;
  carry_device_tours: CarryDeviceToursTable;
  rate_buckets: RateBucketsTable;
  leases: LeasesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type RecordRow = Selectable<RecordsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
