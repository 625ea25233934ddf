/**
 * Reordering a ballot (pure): move a unit one place up or down (keyboard buttons) or onto another
 * unit's place (drag and drop), and keep the scorer's order in step with the list when sync
 * changes the units.
 *
 * What must stay true: every result holds exactly the units it was given, each once.
 */

/** Moves `unitId` one place up or down; null when it cannot move (already first / last, unknown). */
export function moveUnitBy(order: readonly string[], unitId: string, direction: 'up' | 'down'): string[] | null {
  const from = order.indexOf(unitId);
  const to = direction === 'up' ? from - 1 : from + 1;
  if (from < 0 || to < 0 || to >= order.length) return null;
  const next = [...order];
  next[from] = order[to]!;
  next[to] = unitId;
  return next;
}

/** Drag and drop: `unitId` takes `targetId`'s place, the units between shift by one. Null when nothing changes. */
export function moveUnitTo(order: readonly string[], unitId: string, targetId: string): string[] | null {
  if (unitId === targetId) return null;
  const from = order.indexOf(unitId);
  const to = order.indexOf(targetId);
  if (from < 0 || to < 0) return null;
  const next = [...order];
  next.splice(from, 1);
  next.splice(to, 0, unitId);
  return next;
}

/**
 * The scorer's working order against the list's current units (`eligible`, in the stored or
 * default order): units no longer eligible leave, new ones join at the end. Returns `working`
 * itself when nothing changed, so React state stays stable.
 */
export function reconcileOrder(working: readonly string[], eligible: readonly string[]): readonly string[] {
  const allowed = new Set(eligible);
  const kept = working.filter((id) => allowed.has(id));
  const keptSet = new Set(kept);
  const added = eligible.filter((id) => !keptSet.has(id));
  return kept.length === working.length && added.length === 0 ? working : [...kept, ...added];
}
