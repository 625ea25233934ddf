/**
 * Building a ballot (pure): place a unit at the end of the order or at another unit's place,
 * take it back out, move it one place up or down (keyboard buttons) or onto another unit's place
 * (drag and drop), and keep the scorer's order in step with the list when sync changes the units.
 *
 * What must stay true: moves keep exactly the units they were given, each once; placing adds one
 * unit not in the order yet, taking out removes one; nothing ever places a unit by itself.
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
 * Places `unitId` (not in the order yet): at the end, or at `beforeId`'s place (the units from
 * there on move down one). Null when it is already placed.
 */
export function placeUnit(order: readonly string[], unitId: string, beforeId: string | null = null): string[] | null {
  if (order.includes(unitId)) return null;
  const at = beforeId === null ? -1 : order.indexOf(beforeId);
  const next = [...order];
  next.splice(at < 0 ? next.length : at, 0, unitId);
  return next;
}

/** Takes `unitId` out of the order (back among the units to place); null when it is not placed. */
export function unplaceUnit(order: readonly string[], unitId: string): string[] | null {
  if (!order.includes(unitId)) return null;
  return order.filter((id) => id !== unitId);
}

/**
 * The scorer's placed units against the list's current units (`eligible`): units no longer on
 * the list leave; units new to the list are NOT placed (they wait among the units to place).
 * Returns `placed` itself when nothing changed, so React state stays stable.
 */
export function keepEligible(placed: readonly string[], eligible: readonly string[]): readonly string[] {
  const allowed = new Set(eligible);
  const kept = placed.filter((id) => allowed.has(id));
  return kept.length === placed.length ? placed : kept;
}

/** The eligible units not placed yet, in list order. */
export function unplacedUnits(placed: readonly string[], eligible: readonly string[]): string[] {
  const placedSet = new Set(placed);
  return eligible.filter((id) => !placedSet.has(id));
}
