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
 * A two-level map pair → record that keeps the preferred record and remembers collisions.
 * The very same record twice is not a collision.
 */
export class PairPicker<T extends VersionedRecord> {
  readonly byOuter = new Map<string, Map<string, T>>();
  /** outer key → inner key → every record seen, only for pairs with more than one distinct id */
  readonly collisions = new Map<string, Map<string, T[]>>();

  add(outer: string, inner: string, record: T): void {
    let inners = this.byOuter.get(outer);
    if (!inners) {
      inners = new Map();
      this.byOuter.set(outer, inners);
    }
    const existing = inners.get(inner);
    if (existing === undefined) {
      inners.set(inner, record);
      return;
    }
    if (JSON.stringify(existing) === JSON.stringify(record)) return;
    let collided = this.collisions.get(outer);
    if (!collided) {
      collided = new Map();
      this.collisions.set(outer, collided);
    }
    const seen = collided.get(inner) ?? [existing];
    seen.push(record);
    collided.set(inner, seen);
    if (comparePreference(record, existing) < 0) inners.set(inner, record);
  }

  get(outer: string, inner: string): T | undefined {
    return this.byOuter.get(outer)?.get(inner);
  }
}
