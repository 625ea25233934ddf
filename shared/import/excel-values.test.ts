import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateToSerial, excelNumberText, excelSerialText, serialDayText, serialKindOfCode, serialKindOfFormat } from './excel-values';

describe('excelNumberText', () => {
  it('gives back what the user typed, not the binary noise Excel stores', () => {
    expect(excelNumberText(120.87891000000001)).toBe('120.87891');
    expect(excelNumberText(0.30000000000000004)).toBe('0.3');
    expect(excelNumberText(100000)).toBe('100000');
    expect(excelNumberText(-3.5)).toBe('-3.5');
    expect(excelNumberText(0)).toBe('0');
    expect(excelNumberText(-0)).toBe('0');
    expect(excelNumberText(32.02751)).toBe('32.02751');
  });

  it('round-trips any number typed with up to 15 significant digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), (units, decimals) => {
        const typed = String(Number((units / 10 ** decimals).toFixed(decimals)));
        // what Excel may store: the nearest double written with 17 significant digits
        const stored = Number(Number(typed).toPrecision(17));
        expect(excelNumberText(stored)).toBe(typed);
      }),
    );
  });
});

describe('serial dates', () => {
  it('converts 1900-system serials, including around the fake 1900-02-29', () => {
    expect(serialDayText(44538, false)).toBe('2021-12-08');
    expect(serialDayText(1, false)).toBe('1900-01-01');
    expect(serialDayText(59, false)).toBe('1900-02-28');
    expect(serialDayText(60, false)).toBe('1900-02-29');
    expect(serialDayText(61, false)).toBe('1900-03-01');
    expect(serialDayText(2958465, false)).toBe('9999-12-31');
  });

  it('converts 1904-system serials', () => {
    expect(serialDayText(0, true)).toBe('1904-01-01');
    expect(serialDayText(44538 - 1462, true)).toBe('2021-12-08');
  });

  it('inverts dateToSerial', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1900, 2, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, day] = iso.split('-').map(Number) as [number, number, number];
        expect(serialDayText(dateToSerial(y, m, day), false)).toBe(iso);
      }),
    );
  });

  it('formats dates, times and date-times, rounding float noise to the second', () => {
    expect(excelSerialText(44538, 'date', false)).toBe('2021-12-08');
    expect(excelSerialText(44538.75, 'date', false)).toBe('2021-12-08');
    expect(excelSerialText(44538.3958333333, 'datetime', false)).toBe('2021-12-08 09:30');
    expect(excelSerialText(44538, 'datetime', false)).toBe('2021-12-08');
    expect(excelSerialText(44538.99999999, 'date', false)).toBe('2021-12-09');
    expect(excelSerialText(0.5, 'time', false)).toBe('12:00');
    expect(excelSerialText(0.50001157407, 'time', false)).toBe('12:00:01');
    expect(excelSerialText(-1, 'date', false)).toBeNull();
  });
});

describe('number format kinds', () => {
  it('knows the built-in date and time formats, East Asian ones included', () => {
    expect(serialKindOfFormat(14, undefined)).toBe('date');
    expect(serialKindOfFormat(22, undefined)).toBe('datetime');
    expect(serialKindOfFormat(31, undefined)).toBe('date'); // yyyy"年"m"月"d"日"
    expect(serialKindOfFormat(32, undefined)).toBe('time'); // h"时"mm"分"
    expect(serialKindOfFormat(57, undefined)).toBe('date');
    expect(serialKindOfFormat(0, undefined)).toBeNull();
    expect(serialKindOfFormat(2, undefined)).toBeNull();
    expect(serialKindOfFormat(49, undefined)).toBeNull(); // @ text
  });

  it('reads custom format codes', () => {
    expect(serialKindOfCode('yyyy-mm-dd')).toBe('date');
    expect(serialKindOfCode('yyyy"年"m"月"d"日"')).toBe('date');
    expect(serialKindOfCode('[$-804]yyyy/m/d;@')).toBe('date');
    expect(serialKindOfCode('m/d/yy h:mm')).toBe('datetime');
    expect(serialKindOfCode('mmm-yy')).toBe('date');
    expect(serialKindOfCode('h:mm AM/PM')).toBe('time');
    expect(serialKindOfCode('[h]:mm:ss')).toBe('time');
    expect(serialKindOfCode('General')).toBeNull();
    expect(serialKindOfCode('0.00')).toBeNull();
    expect(serialKindOfCode('#,##0.00_);[Red](#,##0.00)')).toBeNull();
    expect(serialKindOfCode('0.00E+00')).toBeNull();
    expect(serialKindOfCode('0.0"万元"')).toBeNull();
    expect(serialKindOfCode('@')).toBeNull();
  });
});
