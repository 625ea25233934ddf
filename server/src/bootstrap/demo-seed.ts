/**
 * Demo data for a first start with GUANMO_DEMO: the demo tours of assets/demo, the people of its
 * manifest as accounts, and their assignment to the tours (scorer records), so that logging in as
 * a demo scorer shows a tour ready to score. Built by the same shared code the desktop app uses,
 * with the same fixed ids, so offline-seeded laptops and the server agree on every record.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Transaction } from 'kysely';
import { buildDemoTours, demoManifestSchema, demoPeople, demoUserId, type DemoTour } from '@shared/demo/demo-tours';
import { scorerSchema, stopSchema, tourSchema, unitSchema, type Role } from '@shared/domain/schemas';
import { formatHlc, HlcClock } from '@shared/sync/hlc';
import { serverOrigin, writeRecord, type FieldVersions, type RecordCollection } from '../db/records.js';
import type { Database } from '../db/schema.js';

export interface AccountSpec {
  username: string;
  displayName: string;
  role: Role;
  /** fixed id (demo accounts: demoUserId, so laptops seeding offline agree); default a random UUID */
  id?: string;
}

/** What GUANMO_DEMO loads: the tours (with their participants) and the accounts of the people. */
export interface DemoData {
  tours: DemoTour[];
  accounts: AccountSpec[];
}

export interface DemoSeedSummary {
  tours: number;
  units: number;
  stops: number;
  scorers: number;
}

/**
 * Stores the demo tours, their units, stops and participants (scorer records). The participants'
 * user ids are the fixed demo ids; first-start.ts creates those accounts in the same transaction.
 */
export async function seedDemoRecords(
  trx: Transaction<Database>,
  demoTours: readonly DemoTour[],
  now: Date = new Date(),
): Promise<DemoSeedSummary> {
  // One server event stamps every seeded field: any later edit from a client outranks it.
  const stamp = formatHlc(new HlcClock('server').send(now.getTime()));
  const write = async (collection: RecordCollection, tourId: string, record: { id: string }) => {
    const data = record as unknown as Record<string, unknown>;
    const versions: FieldVersions = Object.fromEntries(Object.keys(data).map((field) => [field, stamp]));
    await writeRecord(trx, { collection, id: record.id, tourId, data, versions, deleted: false }, serverOrigin, now);
  };

  const summary: DemoSeedSummary = { tours: 0, units: 0, stops: 0, scorers: 0 };
  for (const demo of demoTours) {
    // the files on disk are a trust boundary like any import: validate before storing
    const tour = tourSchema.parse(demo.tour);
    await write('tours', tour.id, tour);
    summary.tours++;
    for (const unit of demo.units) {
      await write('units', tour.id, unitSchema.parse(unit));
      summary.units++;
    }
    for (const stop of demo.stops) {
      await write('stops', tour.id, stopSchema.parse(stop));
      summary.stops++;
    }
    for (const scorer of demo.scorers) {
      await write('scorers', tour.id, scorerSchema.parse(scorer));
      summary.scorers++;
    }
  }
  return summary;
}

export const demoManifestFileName = 'demo-tours.json';

/**
 * Reads assets/demo (the manifest and the tables it names) and builds the demo tours with the
 * same shared code as the desktop app, so both seed identical records and ids. Throws (the shared
 * DemoDataError lists every problem) when the files are missing or invalid: GUANMO_DEMO asked for
 * them explicitly, so a server without its demo must not start quietly.
 */
export async function loadDemoData(demoDir: string): Promise<DemoData> {
  const manifestPath = path.join(demoDir, demoManifestFileName);
  let manifest: unknown;
  try {
    manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read the demo manifest ${manifestPath} (GUANMO_DEMO_DIR): ${reason}`, { cause: error });
  }
  // Read just the tables the manifest names; a missing one is reported by buildDemoTours.
  const entries = demoManifestSchema.safeParse(manifest);
  const names = entries.success ? entries.data.tours.flatMap((t) => (t.templateFile ? [t.tourFile, t.templateFile] : [t.tourFile])) : [];
  const files: Record<string, Uint8Array> = {};
  for (const name of new Set(names)) {
    try {
      files[name] = new Uint8Array(await fs.readFile(path.join(demoDir, name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const tours = buildDemoTours(manifest, files);
  const accounts = demoPeople(manifest).map((p) => ({ ...p, id: demoUserId(p.username) }));
  return { tours, accounts };
}
