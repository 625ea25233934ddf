import { describe, expect, it } from 'vitest';
import { dayOf, localToInstant, minutesBetween, parseExifDateTime, parseExifOffset } from './exif-time';

describe('parseExifDateTime', () => {
  it.each([
    ['2021:12:08 10:30:15', '2021-12-08T10:30:15'],
    ['2021:12:08 10:30', '2021-12-08T10:30:00'],
    ['2021-12-08T10:30:15', '2021-12-08T10:30:15'],
    ['2021:12:08 10:30:15.123', '2021-12-08T10:30:15'],
    ['0000:00:00 00:00:00', null],
    ['    :  :     :  :  ', null],
    ['2021:02:30 10:00:00', null],
    ['2021:12:08 24:00:00', null],
    ['', null],
    [undefined, null],
    [20211208, null],
  ])('%j → %j', (input, expected) => {
    expect(parseExifDateTime(input)).toBe(expected);
  });
});

describe('parseExifOffset', () => {
  it.each([
    ['+08:00', 480],
    ['-05:30', -330],
    ['+0800', 480],
    ['+00:00', 0],
    ['08:00', null],
    ['+15:00', null],
    ['', null],
    [null, null],
  ])('%j → %j', (input, expected) => {
    expect(parseExifOffset(input)).toBe(expected);
  });
});

describe('wall-clock helpers', () => {
  it('turns a wall-clock time at an offset into the instant', () => {
    expect(localToInstant('2021-12-08T10:30:15', 480)).toBe('2021-12-08T02:30:15.000Z');
    expect(localToInstant('2021-12-08T03:00:00', 480)).toBe('2021-12-07T19:00:00.000Z');
    expect(localToInstant('2021-12-08T10:30:15', -330)).toBe('2021-12-08T16:00:15.000Z');
  });

  it('gives the day and the minutes between two times', () => {
    expect(dayOf('2021-12-08T10:30:15')).toBe('2021-12-08');
    expect(minutesBetween('2021-12-08T10:30:00', '2021-12-08T11:15:30')).toBe(45.5);
    expect(minutesBetween('2021-12-08T23:50:00', '2021-12-09T00:10:00')).toBe(20);
  });
});
