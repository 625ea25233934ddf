import type { Stop } from '@shared/domain/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedStops, moveStopBy, moveStopTo, sortItinerary } from './itinerary-order';

function stop(id: string, day: string, order: number): Stop {
  return {
    id,
    tourId: 't',
    unitId: 'u',
    day,
    order,
    name: id,
    category: '',
    totalInvestment: null,
    completedInvestment: null,
    startDate: null,
    content: '',
    lat: null,
    lng: null,
    address: '',
    briefer: '',
  };
}

const D1 = '2021-12-08';
const D2 = '2021-12-09';
const itinerary = [stop('a', D1, 1), stop('b', D1, 2), stop('c', D1, 3), stop('d', D2, 1), stop('e', D2, 2)];
const seq = (stops: Stop[] | null) => stops?.map((s) => `${s.id}@${s.day.slice(-1)}#${s.order}`);

describe('itinerary reorder', () => {
  it('moves a stop up and down within a day and renumbers', () => {
    expect(seq(moveStopBy(itinerary, 'b', 'up'))).toEqual(['b@8#1', 'a@8#2', 'c@8#3', 'd@9#1', 'e@9#2']);
    expect(seq(moveStopBy(itinerary, 'b', 'down'))).toEqual(['a@8#1', 'c@8#2', 'b@8#3', 'd@9#1', 'e@9#2']);
  });

  it('crosses a day boundary into the neighbouring day', () => {
    expect(seq(moveStopBy(itinerary, 'c', 'down'))).toEqual(['a@8#1', 'b@8#2', 'c@9#1', 'd@9#2', 'e@9#3']);
    expect(seq(moveStopBy(itinerary, 'd', 'up'))).toEqual(['a@8#1', 'b@8#2', 'c@8#3', 'd@8#4', 'e@9#1']);
  });

  it('cannot move the first up or the last down', () => {
    expect(moveStopBy(itinerary, 'a', 'up')).toBeNull();
    expect(moveStopBy(itinerary, 'e', 'down')).toBeNull();
    expect(moveStopBy(itinerary, 'nope', 'down')).toBeNull();
  });

  it('drag and drop: takes the target place and day', () => {
    expect(seq(moveStopTo(itinerary, 'e', 'a'))).toEqual(['e@8#1', 'a@8#2', 'b@8#3', 'c@8#4', 'd@9#1']);
    expect(seq(moveStopTo(itinerary, 'a', 'c'))).toEqual(['b@8#1', 'c@8#2', 'a@8#3', 'd@9#1', 'e@9#2']);
    expect(seq(moveStopTo(itinerary, 'a', 'e'))).toEqual(['b@8#1', 'c@8#2', 'd@9#1', 'e@9#2', 'a@9#3']);
    expect(moveStopTo(itinerary, 'a', 'a')).toBeNull();
  });

  it('lists only the stops whose day or order changed', () => {
    const after = moveStopBy(itinerary, 'b', 'up')!;
    expect(changedStops(itinerary, after).map((s) => s.id).sort()).toEqual(['a', 'b']);
  });

  it('always keeps every stop once, with orders 1..n per day (property)', () => {
    const days = [D1, D2, '2021-12-10'];
    const arb = fc.array(fc.constantFrom(...days), { minLength: 1, maxLength: 12 }).chain((dayOf) =>
      fc.tuple(
        fc.constant(dayOf),
        fc.array(fc.tuple(fc.nat(dayOf.length - 1), fc.nat(dayOf.length - 1), fc.boolean()), { maxLength: 10 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([dayOf, moves]) => {
        const counts = new Map<string, number>();
        let stops = dayOf.map((day, i) => {
          counts.set(day, (counts.get(day) ?? 0) + 1);
          return stop(`s${i}`, day, counts.get(day)!);
        });
        for (const [from, to, isDrag] of moves) {
          const ordered = sortItinerary(stops);
          const next = isDrag ? moveStopTo(stops, ordered[from]!.id, ordered[to]!.id) : moveStopBy(stops, ordered[from]!.id, to % 2 ? 'up' : 'down');
          if (next) stops = next;
        }
        expect(stops.map((s) => s.id).sort()).toEqual(dayOf.map((_, i) => `s${i}`).sort());
        const byDay = new Map<string, number[]>();
        for (const s of sortItinerary(stops)) byDay.set(s.day, [...(byDay.get(s.day) ?? []), s.order]);
        for (const orders of byDay.values()) expect(orders).toEqual(orders.map((_, i) => i + 1));
      }),
    );
  });
});
