import { describe, expect, it } from 'vitest';
import { formatTourDateTime, wallClock, wallClockAsUtcDate } from './tour-time';

describe('tour time (Asia/Shanghai)', () => {
  it('reads an instant as the wall-clock time in China, whatever the machine’s zone', () => {
    // 09:30 UTC is 17:30 in China; 20:00 UTC on Dec 8 is already Dec 9 there
    expect(wallClock(new Date('2021-12-08T09:30:15.000Z'))).toEqual({ year: 2021, month: 12, day: 8, hour: 17, minute: 30, second: 15 });
    expect(formatTourDateTime(new Date('2021-12-08T20:00:00.000Z'))).toBe('2021-12-09 04:00');
    expect(formatTourDateTime(new Date('2021-12-08T16:00:00.000Z'))).toBe('2021-12-09 00:00');
  });

  it('gives spreadsheets a date whose UTC fields are that wall-clock time', () => {
    expect(wallClockAsUtcDate(new Date('2021-12-08T09:30:15.000Z')).toISOString()).toBe('2021-12-08T17:30:15.000Z');
    expect(wallClockAsUtcDate(new Date('2021-12-31T18:00:00+02:00')).toISOString()).toBe('2022-01-01T00:00:00.000Z');
  });
});
