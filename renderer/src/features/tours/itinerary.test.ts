import { stopSchema } from '@shared/domain/schemas';
import { describe, expect, it } from 'vitest';
import { groupStopsByDay } from './itinerary';

const stop = (id: string, day: string, order: number) => stopSchema.parse({ id, tourId: 't', unitId: 'u', day, order, name: id });

describe('groupStopsByDay', () => {
  it('groups by day in visiting order, numbering days from the tour start', () => {
    const days = groupStopsByDay([stop('c', '2021-12-10', 1), stop('b', '2021-12-08', 2), stop('a', '2021-12-08', 1)], '2021-12-08');
    expect(days.map((d) => [d.day, d.number, d.stops.map((s) => s.id)])).toEqual([
      ['2021-12-08', 1, ['a', 'b']],
      ['2021-12-10', 3, ['c']],
    ]);
  });

  it('returns no days for no stops', () => {
    expect(groupStopsByDay([], '2021-12-08')).toEqual([]);
  });
});
