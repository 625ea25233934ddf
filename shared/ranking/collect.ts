/**
 * Picking the one sheet (or ballot) that stands for a (stop, scorer) pair or a (list, scorer)
 * pair. Ids are derived from the pair, so normally there is exactly one; when an import or a
 * bug produced several, the choice must still not depend on input order: a submitted record
 * wins, then the latest updatedAt, then the greatest id (then the greatest JSON text).
 */
import type { SheetStatus } from '../domain/schemas';
import { compareText } from './issues';

export interface VersionedRecord {
  id: string;
  status: SheetStatus;
  updatedAt: string;
}

/** Negative when `a` should be preferred over `b`. */
export function comparePreference(a: VersionedRecord, b: VersionedRecord): number {
  const aSubmitted = a.status === 'submitted' ? 0 : 1;
  const bSubmitted = b.status === 'submitted' ? 0 : 1;
  if (aSubmitted !== bSubmitted) return aSubmitted - bSubmitted;
  const aTime = Date.parse(a.updatedAt);
  const bTime = Date.parse(b.updatedAt);
  if (aTime !== bTime && !Number.isNaN(aTime) && !Number.isNaN(bTime)) return bTime - aTime;
  return compareText(b.id, a.id) || compareText(JSON.stringify(b), JSON.stringify(a));
}

/**
 * The preferred record per (row, column) pair — rows are stops (or lists), columns scorers — in
 * a flat array indexed by position, because this runs once per sheet (24,000 times for a large
 * tour) and two hash lookups per sheet is what it costs. Remembers collisions: the very same
 * record twice is not one.
 */
export class PairGrid<T extends VersionedRecord> {
  private readonly cells: Array<T | undefined>;
  private readonly width: number;
  /** "row\u0000column" → every record seen, only for pairs with more than one distinct record */
  readonly collisions = new Map<string, T[]>();

  constructor(
    private readonly rowIndex: ReadonlyMap<string, number>,
    private readonly columnIndex: ReadonlyMap<string, number>,
  ) {
    this.width = columnIndex.size;
    this.cells = new Array<T | undefined>(rowIndex.size * this.width);
  }

  /** false when the row or column is unknown */
  add(row: string, column: string, record: T): boolean {
    const r = this.rowIndex.get(row);
    const c = this.columnIndex.get(column);
    if (r === undefined || c === undefined) return false;
    this.addAt(r, c, record, row, column);
    return true;
  }

  /** by position; `row` and `column` only label collisions */
  addAt(r: number, c: number, record: T, row: string, column: string): void {
    const at = r * this.width + c;
    const existing = this.cells[at];
    if (existing === undefined) {
      this.cells[at] = record;
      return;
    }
    if (JSON.stringify(existing) === JSON.stringify(record)) return;
    const key = `${row}\u0000${column}`;
    const seen = this.collisions.get(key) ?? [existing];
    seen.push(record);
    this.collisions.set(key, seen);
    if (comparePreference(record, existing) < 0) this.cells[at] = record;
  }

  /** by position in the row and column indexes */
  at(row: number, column: number): T | undefined {
    return this.cells[row * this.width + column];
  }

  get(row: string, column: string): T | undefined {
    const r = this.rowIndex.get(row);
    const c = this.columnIndex.get(column);
    return r === undefined || c === undefined ? undefined : this.at(r, c);
  }

  /** collisions as [row, column, records] */
  *collided(): Generator<[string, string, T[]]> {
    for (const [key, records] of this.collisions) {
      const [row, column] = key.split('\u0000') as [string, string];
      yield [row, column, records];
    }
  }
}
