/**
 * Itinerary order editing (pure): move a stop up/down (keyboard buttons) or onto another stop's
 * place (drag and drop), then renumber `order` 1..n within each day.
 *
 * What must stay true: the result holds the same stops, sorted by (day, order), and every day's
 * orders are 1..n without gaps or repeats (the field app and the import both rely on a unique
 * (day, order)). Crossing a day boundary moves the stop to the neighbouring day.
 */
import type { Stop } from '@shared/domain/schemas';

export function sortItinerary(stops: readonly Stop[]): Stop[] {
  return [...stops].sort((a, b) => a.day.localeCompare(b.day) || a.order - b.order || a.id.localeCompare(b.id));
}

/** Stops with `order` renumbered 1..n per day, in the given sequence. */
export function renumber(sequence: readonly Stop[]): Stop[] {
  const next = new Map<string, number>();
  return sequence.map((stop) => {
    const order = (next.get(stop.day) ?? 0) + 1;
    next.set(stop.day, order);
    return stop.order === order ? stop : { ...stop, order };
  });
}

/**
 * Moves a stop one place up or down. At the first place of a day, "up" moves it to the end of
 * the previous day; at the last place, "down" to the start of the next day. Null when it cannot move.
 */
export function moveStopBy(stops: readonly Stop[], stopId: string, direction: 'up' | 'down'): Stop[] | null {
  const sequence = sortItinerary(stops);
  const index = sequence.findIndex((s) => s.id === stopId);
  if (index < 0) return null;
  const stop = sequence[index]!;
  const neighbour = sequence[direction === 'up' ? index - 1 : index + 1];
  if (!neighbour) return null;
  if (neighbour.day !== stop.day) {
    // same place in the sequence, other day
    sequence[index] = { ...stop, day: neighbour.day };
    return renumber(sortByDayKeepingSequence(sequence));
  }
  sequence[index] = neighbour;
  sequence[direction === 'up' ? index - 1 : index + 1] = stop;
  return renumber(sequence);
}

/** Drag and drop: the stop takes the target's place (and day); the others shift. Null when nothing changes. */
export function moveStopTo(stops: readonly Stop[], stopId: string, targetId: string): Stop[] | null {
  if (stopId === targetId) return null;
  const sequence = sortItinerary(stops);
  const from = sequence.findIndex((s) => s.id === stopId);
  const to = sequence.findIndex((s) => s.id === targetId);
  if (from < 0 || to < 0) return null;
  const target = sequence[to]!;
  const [moved] = sequence.splice(from, 1);
  sequence.splice(to, 0, { ...moved!, day: target.day });
  return renumber(sortByDayKeepingSequence(sequence));
}

/** The stops whose day or order differ from before (the ones to save). */
export function changedStops(before: readonly Stop[], after: readonly Stop[]): Stop[] {
  const old = new Map(before.map((s) => [s.id, s]));
  return after.filter((s) => {
    const was = old.get(s.id);
    return !was || was.day !== s.day || was.order !== s.order;
  });
}

function sortByDayKeepingSequence(sequence: Stop[]): Stop[] {
  return sequence.map((s, i) => ({ s, i })).sort((a, b) => a.s.day.localeCompare(b.s.day) || a.i - b.i).map((x) => x.s);
}
