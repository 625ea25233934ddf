/**
 * A memo of what every sheet of a tour reads as (./sheet-values.ts), so that ranking the same
 * records again under other rules — what the desk does on every rule change — does not convert
 * 24,000 × 8 scores again: a sheet's hundredths, total, failure, off-step and unknown keys depend
 * only on the sheet and the template's criteria (key, max, step), never on the rules.
 *
 * What must stay true:
 * - Never stale. The memo belongs to one sheets array (WeakMap: it goes when the array goes) and
 *   one criteria key; a reading is used only while the very same sheet object still sits at the
 *   same position of that array. A changed record is a new object (Dexie, the server and zod all
 *   hand out fresh objects), so it is read again; so is everything when the array is a new one.
 *   Records are values: the engine never mutates them, and callers must not change a sheet's
 *   scores in place between two rankings (README.md, "Input and validation").
 * - Invisible in the output: a memoised run returns exactly what a cold run returns (property-
 *   tested in ./sheet-readings.test.ts).
 * - Cheap when cold: flat typed arrays indexed by the sheet's position, no object per sheet; only
 *   the rare failures, off-step and unknown keys go into maps.
 */
import type { ScoreSheet } from '../domain/schemas';
import type { PairGrid } from './collect';
import type { RankingIssue } from './issues';
import { hundredthsScoreMemo } from './score';
import { readSheet, unknownKeys, type CriterionSpec, type SheetFailure } from './sheet-values';

/** Which sheet stands for each (stop, scorer) pair (./project-scores.ts, collectSheets). */
export interface CollectedSheets {
  grid: PairGrid<ScoreSheet>;
  /** position in the sheets array of the grid's sheet, by stop index × scorer count + scorer index */
  sheetAt: Int32Array;
  /** sheets that belong to no pair, duplicate sheets */
  issues: readonly RankingIssue[];
}

const UNREAD = 0;
const READ_OK = 1;
const READ_FAILED = 2;
/** `flags` bits: the rare extras, so the common sheet costs no map lookup */
const HAS_OFF_STEP = 1;
const HAS_UNKNOWN = 2;

export class SheetReadings {
  /** per-criterion hundredths, `partCount` per sheet position: sheet i's start at i × partCount */
  readonly parts: Int32Array;
  readonly partCount: number;
  /** hundredths; float64 holds any safe-integer total exactly */
  private readonly totals: Float64Array;
  private readonly state: Uint8Array;
  private readonly flags: Uint8Array;
  /** the sheet each reading was made from (identity is what keeps it from going stale) */
  private readonly readFrom: Array<ScoreSheet | undefined>;
  private readonly failures = new Map<number, SheetFailure>();
  /** "a, b" — keys scored off their criterion's step, by position */
  private readonly offSteps = new Map<number, string>();
  private readonly unknowns = new Map<number, readonly string[]>();
  private readonly criterionKeys: ReadonlySet<string>;
  /** reused by every read: one array per sheet is what a cold run would otherwise allocate */
  private readonly offStepBuffer: string[] = [];
  /**
   * Sheet totals as Scores, shared by every ranking of these records: a total's Score never
   * changes, and they are frozen (./score.ts), so no ranking can change another's.
   */
  readonly totalScore = hundredthsScoreMemo();
  private collection: { key: string; from: ScoreSheet[]; collected: CollectedSheets } | null = null;

  constructor(
    readonly size: number,
    private readonly specs: readonly CriterionSpec[],
    readonly specsKey: string,
  ) {
    this.partCount = specs.length;
    this.parts = new Int32Array(size * specs.length);
    this.totals = new Float64Array(size);
    this.state = new Uint8Array(size);
    this.flags = new Uint8Array(size);
    this.readFrom = new Array<ScoreSheet | undefined>(size);
    this.criterionKeys = new Set(specs.map((s) => s.key));
  }

  /**
   * The sheet at position `at` of the array this memo belongs to: its total in hundredths (its
   * parts are at `at × partCount` of `parts`), or why it cannot count.
   */
  read(at: number, sheet: ScoreSheet): number | SheetFailure {
    if (this.readFrom[at] !== sheet || this.state[at] === UNREAD) this.readAgain(at, sheet);
    return this.state[at] === READ_OK ? this.totals[at]! : this.failures.get(at)!;
  }

  /**
   * The collection of this array's sheets made under `key` (see collectionKey in
   * ./project-scores.ts), kept while the key and every element of the array stay the same;
   * otherwise made again by `collect`.
   */
  collected(key: string, sheets: readonly ScoreSheet[], collect: () => CollectedSheets): CollectedSheets {
    const kept = this.collection;
    if (kept !== null && kept.key === key && isSameElements(kept.from, sheets)) return kept.collected;
    const collected = collect();
    this.collection = { key, from: [...sheets], collected };
    return collected;
  }

  /** keys scored off their step, joined with ", "; undefined when none (valid only after `read`) */
  offStepAt(at: number): string | undefined {
    return (this.flags[at]! & HAS_OFF_STEP) === 0 ? undefined : this.offSteps.get(at);
  }

  /** keys of the sheet that are not criteria (valid only after `read`) */
  unknownKeysAt(at: number): readonly string[] | undefined {
    return (this.flags[at]! & HAS_UNKNOWN) === 0 ? undefined : this.unknowns.get(at);
  }

  private readAgain(at: number, sheet: ScoreSheet): void {
    // (guarded: on a cold run every sheet comes through here, and the maps are nearly empty)
    if (this.state[at] === READ_FAILED) this.failures.delete(at);
    if ((this.flags[at]! & HAS_OFF_STEP) !== 0) this.offSteps.delete(at);
    if ((this.flags[at]! & HAS_UNKNOWN) !== 0) this.unknowns.delete(at);
    let flags = 0;
    const offStep = this.offStepBuffer;
    if (offStep.length > 0) offStep.length = 0;
    const reading = readSheet(sheet, this.specs, this.parts, at * this.partCount, offStep);
    // a fully read sheet has every criterion key, so it has other keys only if it has more keys
    if (typeof reading !== 'number' || Object.keys(sheet.scores).length > this.partCount) {
      const unknown = unknownKeys(sheet, this.criterionKeys);
      if (unknown.length > 0) {
        this.unknowns.set(at, unknown);
        flags |= HAS_UNKNOWN;
      }
    }
    if (typeof reading === 'number') {
      this.totals[at] = reading;
      this.state[at] = READ_OK;
      if (offStep.length > 0) {
        this.offSteps.set(at, offStep.join(', '));
        flags |= HAS_OFF_STEP;
      }
    } else {
      this.failures.set(at, reading);
      this.state[at] = READ_FAILED;
    }
    this.flags[at] = flags;
    this.readFrom[at] = sheet;
  }
}

function isSameElements(a: readonly ScoreSheet[], b: readonly ScoreSheet[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const memo = new WeakMap<readonly ScoreSheet[], SheetReadings>();

/** What the criteria are for reading a sheet: key, max and step (names only label output). */
export function specsKey(specs: readonly CriterionSpec[]): string {
  return specs.map((s) => `${s.key}\u0000${s.max}\u0000${s.step}`).join('\u0001');
}

/** The memo of `sheets` read against `specs`: the one kept from an earlier ranking, or a new one. */
export function sheetReadings(sheets: readonly ScoreSheet[], specs: readonly CriterionSpec[]): SheetReadings {
  const key = specsKey(specs);
  const kept = memo.get(sheets);
  if (kept !== undefined && kept.size === sheets.length && kept.specsKey === key) return kept;
  const fresh = new SheetReadings(sheets.length, specs, key);
  memo.set(sheets, fresh);
  return fresh;
}
