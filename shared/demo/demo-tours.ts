/**
 * The demo tours both the server and the desktop app seed on first start, built from
 * assets/demo/demo-tours.json and the secretariat's tables beside it.
 *
 * What must stay true: this is a pure function of (manifest, file contents). The server reads
 * the files from disk, the renderer bundles them with Vite `?raw`; both call this and get the
 * very same records and ids, so a tour seeded offline on a laptop and the one seeded on the
 * server are the same tour when they first sync.
 */
import { z } from 'zod';
import {
  idSchema,
  rankingRulesSchema,
  roleSchema,
  scorerSchema,
  tourKindSchema,
  tourSchema,
  tourStatusSchema,
  type Role,
  type Scorer,
  type Stop,
  type Template,
  type Tour,
  type Unit,
} from '../domain/schemas';
import { parseCsvDetailed } from '../import/csv';
import type { ImportIssue, ImportResult } from '../import/issues';
import { readTableFile } from '../import/read-table-file';
import { importTemplateTable } from '../import/template-table';
import { importTourTable } from '../import/tour-table';
import { demoUserId } from './demo-ids';

/** A plain file name beside the manifest (no folders, so no path tricks). */
const fileNameSchema = z.string().regex(/^[\w\-.]+\.(?:csv|xlsx)$/i, 'expected a file name like tour.csv beside the manifest');

export const demoTourEntrySchema = z
  .object({
    id: idSchema.max(100),
    name: z.string().trim().min(1).max(200),
    kind: tourKindSchema,
    status: tourStatusSchema,
    tourFile: fileNameSchema,
    templateFile: fileNameSchema.nullable(),
    templateName: z.string().trim().min(1).max(200).optional(),
    rules: rankingRulesSchema.optional(),
    /** demo people on this tour; homeUnit names the unit (县市区) they recuse from */
    participants: z
      .array(
        z.object({
          username: z.string().min(1),
          role: z.enum(['scorer', 'observer']),
          homeUnit: z.string().min(1).optional(),
          weightGroup: z.string().min(1).optional(),
        }),
      )
      .default([]),
  })
  .superRefine((t, ctx) => {
    if (t.kind === 'scored' && (t.templateFile === null || t.templateName === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a scored tour needs templateFile and templateName', path: ['templateFile'] });
    }
    if (t.kind === 'study' && t.templateFile !== null) {
      ctx.addIssue({ code: 'custom', message: 'a study tour has no score sheet: templateFile must be null', path: ['templateFile'] });
    }
  });

export const demoPersonSchema = z.object({
  username: z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/),
  displayName: z.string().trim().min(1).max(100),
  role: roleSchema,
});
export type DemoPerson = z.infer<typeof demoPersonSchema>;

export const demoManifestSchema = z.object({
  people: z.array(demoPersonSchema).default([]),
  tours: z
    .array(demoTourEntrySchema)
    .min(1)
    .refine((tours) => new Set(tours.map((t) => t.id)).size === tours.length, { message: 'tour ids must be unique' }),
});
export type DemoManifest = z.infer<typeof demoManifestSchema>;

export type DemoTour = { tour: Tour; units: Unit[]; stops: Stop[]; scorers: Scorer[] };

export { demoUserId };

/** Demo people of the manifest (the server creates their accounts). */
export function demoPeople(manifest: unknown): DemoPerson[] {
  return demoManifestSchema.parse(manifest).people;
}

export type DemoRole = Role;

export class DemoDataError extends Error {
  override readonly name = 'DemoDataError';
  constructor(readonly problems: string[]) {
    super(`demo data is invalid:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
}

/**
 * @param manifest the parsed demo-tours.json (validated here)
 * @param files file name → content: text (e.g. Vite `?raw`) or bytes (read from disk; .csv in
 *   any supported encoding, or .xlsx)
 * @throws DemoDataError listing every problem, when the manifest or a table is invalid
 */
export function buildDemoTours(manifest: unknown, files: Record<string, string | Uint8Array>): DemoTour[] {
  const parsed = demoManifestSchema.safeParse(manifest);
  if (!parsed.success) {
    throw new DemoDataError(parsed.error.issues.map((i) => `demo-tours.json ${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const problems: string[] = [];
  const tours: DemoTour[] = [];
  for (const entry of parsed.data.tours) {
    const table = withRows(entry.tourFile, files, problems, (rows) => importTourTable(rows, { tourId: entry.id }));
    let template: Template | null = null;
    if (entry.templateFile !== null) {
      template = withRows(entry.templateFile, files, problems, (rows) =>
        importTemplateTable(rows, { id: `${entry.id}-template`, name: entry.templateName ?? '' }),
      );
    }
    if (!table || (entry.templateFile !== null && !template)) continue;
    const tour = tourSchema.safeParse({
      id: entry.id,
      name: entry.name,
      kind: entry.kind,
      status: entry.status,
      startDate: table.startDate,
      endDate: table.endDate,
      template,
      rules: entry.rules,
    });
    if (!tour.success) {
      problems.push(...tour.error.issues.map((i) => `tour ${entry.id} ${i.path.join('.')}: ${i.message}`));
      continue;
    }
    const scorers: Scorer[] = [];
    for (const p of entry.participants) {
      const person = parsed.data.people.find((x) => x.username === p.username);
      const home = p.homeUnit === undefined ? null : table.units.find((u) => u.name === p.homeUnit);
      if (!person) problems.push(`tour ${entry.id}: participant ${p.username} is not among people`);
      if (home === undefined) problems.push(`tour ${entry.id}: participant ${p.username}'s homeUnit ${p.homeUnit} is not a unit of ${entry.tourFile}`);
      if (!person || home === undefined) continue;
      scorers.push(
        scorerSchema.parse({
          id: `${entry.id}-scorer-${p.username}`,
          tourId: entry.id,
          userId: demoUserId(p.username),
          name: person.displayName,
          // a study tour has no score sheets: everyone on it observes
          role: entry.kind === 'study' ? 'observer' : p.role,
          homeUnitId: home?.id ?? null,
          weightGroup: p.weightGroup ?? null,
        }),
      );
    }
    tours.push({ tour: tour.data, units: table.units, stops: table.stops, scorers });
  }
  if (problems.length > 0) throw new DemoDataError(problems);
  return tours;
}

function withRows<T>(
  name: string,
  files: Record<string, string | Uint8Array>,
  problems: string[],
  use: (rows: string[][]) => ImportResult<T>,
): T | null {
  const content = Object.prototype.hasOwnProperty.call(files, name) ? files[name] : undefined;
  if (content === undefined) {
    problems.push(`${name}: file not provided`);
    return null;
  }
  const rows = rowsOf(name, content);
  const result = rows.ok ? use(rows.value) : rows;
  if (result.ok) return result.value;
  problems.push(...result.errors.map((e: ImportIssue) => `${name}: ${e.message}`));
  return null;
}

function rowsOf(name: string, content: string | Uint8Array): ImportResult<string[][]> {
  if (typeof content !== 'string') return readTableFile(name, content);
  const parsed = parseCsvDetailed(content);
  if (parsed.unterminatedQuoteRow !== null) {
    const row = parsed.unterminatedQuoteRow;
    return { ok: false, errors: [{ row, column: '', value: '', message: `第${row}行: 引号没有闭合`, messageEn: `Row ${row}: unterminated quote` }] };
  }
  return { ok: true, value: parsed.rows };
}
