/**
 * `guanmo-server blobs …`: the photo byte store, on the same data as the running server (same
 * environment variables: GUANMO_DATA_DIR, DATABASE_URL).
 *
 *   guanmo-server blobs gc [--dry-run] [--grace-hours N] [--json]
 *
 * Removes photo bytes no live photo record references, once the grace period (default 168 hours,
 * 7 days) has passed both since they were stored and since they were first found unreferenced
 * (blobs/blob-gc.ts says why both). The running server does the same every few hours
 * (housekeeping.ts); this command is for a look (--dry-run) or an immediate clean-up.
 * Safe to run while servers are running: one collection runs at a time (the lease or advisory
 * lock `blob_gc`, housekeeping.ts); while a server is collecting, this says so and exits 1.
 *
 * Exit codes: 0 done; 1 it could not be carried out (database unreachable); 2 wrong command line.
 */
import { parseArgs } from 'node:util';
import { collectBlobGarbage, defaultBlobGraceMs, formatBytesShort } from '../blobs/blob-gc.js';
import { BlobStore } from '../blobs/blob-store.js';
import { tryExclusive } from '../cluster/leases.js';
import { describeDatabase, loadConfig } from '../config.js';
import { blobGcJob } from '../housekeeping.js';
import { openDatabase } from '../db/database.js';
import { blobDirOf } from '../photos/register-photo-routes.js';
import type { CliIo } from './user-command.js';

export const blobsUsage = `Usage:
  guanmo-server blobs gc [--dry-run] [--grace-hours N] [--json]

Removes photo bytes that no photo record references any more, once N hours (default ${defaultBlobGraceMs / 3_600_000})
have passed since they were stored and since they were first found unreferenced. A first run only
notes what is unreferenced; a later run removes it. --dry-run changes nothing and lists what would
be removed now. --grace-hours 0 removes every unreferenced blob at once (e.g. after a test run).
`;

export async function runBlobsCommand(argv: readonly string[], io: Pick<CliIo, 'out' | 'err' | 'env' | 'cwd'>): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'gc') {
    io.err(`guanmo-server blobs: ${command === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(command)}`}\n\n${blobsUsage}`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: { 'dry-run': { type: 'boolean' }, 'grace-hours': { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    io.err(`guanmo-server blobs: ${error instanceof Error ? error.message : String(error)}\n\n${blobsUsage}`);
    return 2;
  }
  let graceMs = defaultBlobGraceMs;
  if (values['grace-hours'] !== undefined) {
    const hours = Number(values['grace-hours']);
    if (!/^\d+(\.\d+)?$/.test(values['grace-hours'].trim()) || !Number.isFinite(hours)) {
      io.err(`guanmo-server blobs: --grace-hours must be a number of hours (0 or more)\n\n${blobsUsage}`);
      return 2;
    }
    graceMs = Math.round(hours * 3_600_000);
  }
  const isDryRun = values['dry-run'] === true;

  const config = loadConfig(io.env, io.cwd);
  let database;
  try {
    database = await openDatabase(config, { warn: () => {} });
  } catch (error) {
    io.err(`guanmo-server blobs: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    const blobs = new BlobStore(blobDirOf(config.dataDir));
    const outcome = await tryExclusive(database.db, database.kind, blobGcJob, () => collectBlobGarbage(database.db, blobs, { graceMs, dryRun: isDryRun }));
    if (!outcome.ran) {
      io.err('guanmo-server blobs: a server process is collecting photo bytes right now; try again in a few minutes\n');
      return 1;
    }
    const result = outcome.value;
    if (values.json) {
      io.out(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    const verb = isDryRun ? 'would remove' : 'removed';
    for (const blob of result.removed) io.out(`${verb} ${blob.sha256} (${formatBytesShort(blob.size)})\n`);
    io.out(
      `${isDryRun ? 'dry run: ' : ''}${verb} ${result.removed.length} blob(s), ${formatBytesShort(result.removedBytes)}; ` +
        `${result.referenced} in use; ${result.waiting} unreferenced within the grace period of ${graceMs / 3_600_000} h\n`,
    );
    return 0;
  } catch (error) {
    io.err(`guanmo-server blobs: failed on ${describeDatabase(config)}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await database.close();
  }
}
