/**
 * Schema migrations, in code, for both databases. Applied at every start (and by the admin CLI)
 * through Kysely's Migrator: each runs once, in a transaction, recorded in `guanmo_migration`;
 * on PostgreSQL an advisory lock makes concurrent starts of several server processes safe.
 *
 * What must stay true:
 * - Never edit or reorder a released migration: add a new one at the end. Names sort in order.
 * - Every migration works on SQLite and PostgreSQL; branch on `kind` where the SQL differs.
 * - A database migrated by a newer server (unknown migration names) refuses to start rather than
 *   being written by code that does not understand it.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationResult } from 'kysely';
import type { DbKind } from '../config.js';

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- migrations see the schema of their own time

function migrationsFor(kind: DbKind): Record<string, Migration> {
  const isPostgres = kind === 'postgres';
  return {
    '0001_users_records_changes': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'secretariat', 'scorer', 'observer')`))
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0).check(sql`disabled in (0, 1)`))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('records')
          .addColumn('collection', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('tour_id', 'text')
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('versions', 'text', (c) => c.notNull())
          .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0).check(sql`deleted in (0, 1)`))
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('records_pk', ['collection', 'id'])
          .execute();
        await db.schema.createIndex('records_tour_collection').on('records').columns(['tour_id', 'collection']).execute();

        let changes = db.schema.createTable('changes');
        changes = isPostgres
          ? changes
              .addColumn('seq', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
              .addColumn('tx_id', sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
          : // AUTOINCREMENT: a seq is never reused, even after the newest change is deleted
            changes.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement());
        await changes
          .addColumn('collection', 'text', (c) => c.notNull())
          .addColumn('record_id', 'text', (c) => c.notNull())
          .addColumn('tour_id', 'text')
          .addColumn('mutation_id', 'text')
          .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        if (isPostgres) {
          // pull pages walk (tx_id, seq); see changes.ts
          await db.schema.createIndex('changes_tx_seq').on('changes').columns(['tx_id', 'seq']).execute();
        }
      },
    },
    '0002_sessions_sync_audit': {
      async up(db: AnyDb) {
        // Bearer sessions. Only the sha256 of a token is stored: a leaked database (or backup)
        // cannot be replayed as logins.
        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('last_used_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .addColumn('ip', 'text')
          .addColumn('user_agent', 'text')
          .execute();
        await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

        // Re-announcing a tour's records (see sync/reannounce.ts) finds each record's newest change.
        await db.schema.createIndex('changes_record').on('changes').columns(['collection', 'record_id', 'seq']).execute();

        // Failed logins per user name and per client address, shared by every server process.
        await db.schema
          .createTable('login_throttle')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('first_failure_at', 'text', (c) => c.notNull())
          .addColumn('locked_until', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        // Mutation ids the server has applied: a re-sent push answers 'duplicate' and changes nothing.
        await db.schema
          .createTable('applied_mutations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('collection', 'text', (c) => c.notNull())
          .addColumn('record_id', 'text', (c) => c.notNull())
          .addColumn('applied_at', 'text', (c) => c.notNull())
          .execute();

        // Small server-wide values (the server's HLC high-water mark).
        await db.schema
          .createTable('server_state')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        // Who changed what outside the ordinary sync flow (reopened sheets, imports), and why.
        let audit = db.schema.createTable('audit_log');
        audit = isPostgres
          ? audit.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
          : audit.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
        await audit
          .addColumn('tour_id', 'text')
          .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('collection', 'text')
          .addColumn('record_id', 'text')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('before', 'text')
          .addColumn('after', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('audit_log_tour').on('audit_log').columns(['tour_id', 'id']).execute();
      },
    },
    '0003_photos_by_sha256': {
      async up(db: AnyDb) {
        // GET /api/blobs/:sha256 finds the photo records of a hash (photos/photo-access.ts queries
        // with exactly these expressions and a literal 'photos')
        await (isPostgres
          ? sql`create index records_photo_sha256 on records ((data::jsonb ->> 'sha256')) where collection = 'photos'`
          : sql`create index records_photo_sha256 on records (json_extract(data, '$.sha256')) where collection = 'photos'`
        ).execute(db);
      },
    },
    '0004_photos_by_thumb_sha256': {
      async up(db: AnyDb) {
        // a photo's thumbnail is its own blob (data.thumbSha256): GET /api/blobs/:sha256 finds the
        // photo records of a thumbnail hash too (photos/photo-access.ts, same rules as 0003)
        await (isPostgres
          ? sql`create index records_photo_thumb_sha256 on records ((data::jsonb ->> 'thumbSha256')) where collection = 'photos'`
          : sql`create index records_photo_thumb_sha256 on records (json_extract(data, '$.thumbSha256')) where collection = 'photos'`
        ).execute(db);
      },
    },
    '0005_scorers_by_user': {
      async up(db: AnyDb) {
        // every pull and push of a participant finds their scorer records by user id (sync/access.ts,
        // sync/pull.ts, sync/push.ts query with exactly these expressions and a literal 'scorers'),
        // instead of reading the JSON of every participant of every tour
        await (isPostgres
          ? sql`create index records_scorer_user on records ((data::json ->> 'userId')) where collection = 'scorers'`
          : sql`create index records_scorer_user on records (json_extract(data, '$.userId')) where collection = 'scorers'`
        ).execute(db);
      },
    },
    '0006_records_scorer_id': {
      async up(db: AnyDb) {
        // whose blind record a sheet or ballot is, as a column of the record and of each change
        // (schema.ts): every pull walks past the other scorers' sheets and used to look each one's
        // record up and parse its JSON to find out; filled here for existing rows, then written by
        // every write. A sheet's scorer never changes (its id is made from it), so every change
        // of a sheet gets its record's value.
        await db.schema.alterTable('records').addColumn('scorer_id', 'text').execute();
        await db.schema.alterTable('changes').addColumn('scorer_id', 'text').execute();
        await (isPostgres
          ? sql`update records set scorer_id = (data::json ->> 'scorerId') where collection in ('sheets', 'ballots')`
          : sql`update records set scorer_id = json_extract(data, '$.scorerId') where collection in ('sheets', 'ballots')`
        ).execute(db);
        await sql`update changes set scorer_id = (select r.scorer_id from records r where r.collection = changes.collection and r.id = changes.record_id)
          where collection in ('sheets', 'ballots')`.execute(db);
      },
    },
    '0007_records_state': {
      async up(db: AnyDb) {
        // every pull looks up the current seq of each record in its page (sync/pull.ts): with the
        // seq in the index the lookup reads the index alone, not the table row beside its JSON
        await db.schema.createIndex('records_state').on('records').columns(['collection', 'id', 'seq']).execute();
      },
    },
    '0008_users_must_change_password': {
      async up(db: AnyDb) {
        // an account created with a one-time password (POST /api/users/batch, `user import`):
        // sign-in refuses it until the person has chosen their own (auth-routes.ts)
        await db.schema
          .alterTable('users')
          .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0).check(sql`must_change_password in (0, 1)`))
          .execute();
      },
    },
    '0009_blob_claims_pending_uploads': {
      async up(db: AnyDb) {
        // Who proved possession of which photo bytes (uploaded them, or answered a possession
        // challenge), and what they stored for which tour: a photo record grants access to bytes
        // only when its author holds a claim on them (photos/photo-access.ts), and quotas count
        // the bytes a user's uploads brought to the server (photos/upload-limits.ts).
        await db.schema
          .createTable('blob_claims')
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('tour_id', 'text')
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('how', 'text', (c) => c.notNull().check(sql`how in ('stored', 'uploaded', 'proven', 'legacy')`))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('blob_claims_pk', ['sha256', 'user_id'])
          .execute();
        await db.schema.createIndex('blob_claims_user').on('blob_claims').columns(['user_id', 'how']).execute();
        await db.schema.createIndex('blob_claims_tour').on('blob_claims').columns(['tour_id', 'how']).execute();
        // Unfinished tus uploads: the per-user cap and the bytes they reserve against the quotas.
        await db.schema
          .createTable('pending_uploads')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('tour_id', 'text')
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('pending_uploads_user').on('pending_uploads').column('user_id').execute();
        await db.schema.createIndex('pending_uploads_tour').on('pending_uploads').column('tour_id').execute();
        // Photo records made before possession was checked keep working: their authors are taken
        // to hold the bytes their records name (original and thumbnail).
        const at = new Date().toISOString();
        for (const field of ['sha256', 'thumbSha256']) {
          const shaOf = isPostgres ? sql`(r.data::jsonb ->> ${sql.lit(field)})` : sql`json_extract(r.data, ${sql.lit(`$.${field}`)})`;
          const authorOf = isPostgres ? sql`(r.data::jsonb ->> 'authorId')` : sql`json_extract(r.data, '$.authorId')`;
          const sizeOf = field === 'sha256' ? (isPostgres ? sql`coalesce((r.data::jsonb ->> 'size')::bigint, 0)` : sql`coalesce(json_extract(r.data, '$.size'), 0)`) : sql`0`;
          await sql`insert into blob_claims (sha256, user_id, tour_id, size, how, created_at)
            select distinct ${shaOf}, ${authorOf}, r.tour_id, ${sizeOf}, 'legacy', ${at}
            from records r
            where r.collection = 'photos' and r.deleted = 0 and ${shaOf} is not null
              and exists (select 1 from users u where u.id = ${authorOf})
            on conflict do nothing`.execute(db);
        }
      },
    },
    '0010_tile_packs': {
      async up(db: AnyDb) {
        // Each tour's current offline basemap pack (maps/pack-store.ts): the file under
        // <data folder>/tile-packs/ and its manifest (shared/maps/pack-protocol.ts tilePackSchema).
        await db.schema
          .createTable('tile_packs')
          .addColumn('tour_id', 'text', (c) => c.primaryKey())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('file_name', 'text', (c) => c.notNull())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('manifest', 'text', (c) => c.notNull())
          .addColumn('built_at', 'text', (c) => c.notNull())
          .addColumn('built_by', 'text')
          .execute();
        // The build running or last run for a tour, shared by every server process and the CLI:
        // one build per tour at a time, and its progress for GET /api/tours/:id/tile-pack.
        await db.schema
          .createTable('tile_pack_builds')
          .addColumn('tour_id', 'text', (c) => c.primaryKey())
          .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'running', 'done', 'failed')`))
          .addColumn('done', 'integer', (c) => c.notNull())
          .addColumn('total', 'integer', (c) => c.notNull())
          .addColumn('source_id', 'text', (c) => c.notNull())
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('error', 'text')
          .addColumn('error_en', 'text')
          .execute();
      },
    },
    '0011_carry_device_status': {
      async up(db: AnyDb) {
        // Which laptops still hold unsynced work (carry/device-status.ts): each laptop's last
        // report (one row per device id, the push clientId) and, per tour, what it still held.
        // carried_through_hlc: another laptop of the same user pushed a file exported here,
        // holding this laptop's outbox up to that HLC (the laptop's own clock).
        await db.schema
          .createTable('carry_devices')
          .addColumn('client_id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
          .addColumn('device_name', 'text', (c) => c.notNull())
          .addColumn('app_version', 'text')
          .addColumn('newest_pending_hlc', 'text')
          .addColumn('carried_through_hlc', 'text')
          .addColumn('carried_by_client_id', 'text')
          .addColumn('carried_at', 'text')
          .addColumn('reported_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('carry_device_tours')
          .addColumn('client_id', 'text', (c) => c.notNull().references('carry_devices.client_id').onDelete('cascade'))
          .addColumn('tour_id', 'text', (c) => c.notNull())
          .addColumn('sheets', 'integer', (c) => c.notNull())
          .addColumn('ballots', 'integer', (c) => c.notNull())
          .addColumn('notes', 'integer', (c) => c.notNull())
          .addColumn('photos', 'integer', (c) => c.notNull())
          .addColumn('other', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('carry_device_tours_pk', ['client_id', 'tour_id'])
          .execute();
        await db.schema.createIndex('carry_device_tours_tour').on('carry_device_tours').column('tour_id').execute();
      },
    },
    '0012_scale_shared_state': {
      async up(db: AnyDb) {
        // Token buckets shared by every server process on one database (auth/shared-buckets.ts):
        // a limit holds for the sum of the processes, not for each. `full_at` (ms) is when the
        // bucket will be full again: a row past it is the same as no row, and housekeeping drops it.
        await db.schema
          .createTable('rate_buckets')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('tokens', isPostgres ? 'double precision' : 'real', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('full_at', 'bigint', (c) => c.notNull())
          .addColumn('granted', 'integer', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('rate_buckets_full_at').on('rate_buckets').column('full_at').execute();
        // Leases (cluster/leases.ts): one holder at a time of a named job or role, until
        // `expires_at` (ms) unless renewed: housekeeping and photo garbage collection on SQLite,
        // and the one server process a SQLite data folder may have.
        await db.schema
          .createTable('leases')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('holder', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '0013_unlogged_rate_buckets': {
      async up(db: AnyDb) {
        // PostgreSQL: every sync request takes a token with one upsert of `rate_buckets`, which as
        // a logged table was a WAL flush (an fsync) per pull. Unlogged, the take writes no WAL and
        // its commit waits for no disk. What that gives up is acceptable for a limit: after a
        // crash the table comes back empty (every bucket full again), and a standby has none.
        // SQLite keeps its buckets in memory and never writes this table.
        if (isPostgres) await sql`alter table rate_buckets set unlogged`.execute(db);
      },
    },
    '0014_changes_by_tour': {
      async up(db: AnyDb) {
        // PostgreSQL: a participant's pull page walks the changes of each of their tours in log
        // order (sync/pull.ts pgParticipantWalk) instead of the whole log. SQLite serves one
        // deployment's tours from one process and keeps its walk of the whole log.
        if (isPostgres) await db.schema.createIndex('changes_tour_tx_seq').on('changes').columns(['tour_id', 'tx_id', 'seq']).execute();
      },
    },
    '0015_sync_tables_small_samples': {
      async up(db: AnyDb) {
        // PostgreSQL: ANALYZE of the sync tables samples 3,000 rows instead of 30,000 (the
        // sample is 300 × the largest statistics target of a table's columns and expression
        // indexes), and skips the records' JSON. Every statement on these tables goes through
        // a unique or selective index, for which a 10-entry list of common values and a 10-step
        // histogram are plenty (collections and a province's tours are a handful). While a
        // province's first day fills the tables, autovacuum analyzes each of them about once a
        // minute; at the default sample that was 1–1.5 s of CPU each time on a 2-core server,
        // and the server-side p99 of exactly those seconds stood at 200–350 ms (bench:server
        // --scenario province; the queries' own cost, bench:page, is unchanged).
        // A column added to these tables later needs its target set too, or the sample grows back.
        if (!isPostgres) return;
        await sql`do $$
          declare c record;
          begin
            for c in select a.attrelid::regclass as rel, a.attname as name from pg_attribute a
              where a.attrelid in ('records'::regclass, 'changes'::regclass, 'applied_mutations'::regclass) and a.attnum > 0 and not a.attisdropped
            loop
              execute format('alter table %s alter column %I set statistics %s', c.rel, c.name,
                case when c.rel = 'records'::regclass and c.name in ('data', 'versions') then 0 else 10 end);
            end loop;
            for c in select indexrelid::regclass as idx from pg_index where indrelid = 'records'::regclass and indexprs is not null
            loop
              execute format('alter index %s alter column 1 set statistics 10', c.idx);
            end loop;
          end $$`.execute(db);
      },
    },
  };
}

export const migrationTableName = 'guanmo_migration';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Brings the schema up to date; returns the names of the migrations applied now (none when current). */
export async function migrateToLatest(db: AnyDb, kind: DbKind): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(kind) },
    migrationTableName,
    migrationLockTableName: `${migrationTableName}_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r: MigrationResult) => r.status === 'Success').map((r) => r.migrationName);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(failed ? `database migration ${failed} failed: ${reason}` : `database migration failed: ${reason}`, {
      cause: error,
    });
  }
  return applied;
}

/** Brings the schema up to migration `name` and no further (tests of a migration over older data). */
export async function migrateUpTo(db: AnyDb, kind: DbKind, name: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(kind) },
    migrationTableName,
    migrationLockTableName: `${migrationTableName}_lock`,
  });
  const { error } = await migrator.migrateTo(name);
  if (error) throw new MigrationError(`database migration up to ${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** Names of all migrations this server knows, oldest first (for tests and diagnostics). */
export function knownMigrations(kind: DbKind): string[] {
  return Object.keys(migrationsFor(kind)).sort();
}
