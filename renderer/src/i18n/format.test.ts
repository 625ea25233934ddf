import { describe, expect, it } from 'vitest';
import { daysInclusive, formatCalendarDate, formatDateRange, formatDay, formatInvestment, formatMonthDay, formatNumber, formatShare } from './format';

describe('formatInvestment (input in 万元)', () => {
  it('uses 万元 below one 亿 and 亿元 from there, as Chinese tables do', () => {
    expect(formatInvestment(8500, 'zh-CN')).toBe('8500万元');
    expect(formatInvestment(10_000, 'zh-CN')).toBe('1亿元');
    expect(formatInvestment(54_000, 'zh-CN')).toBe('5.4亿元');
    expect(formatInvestment(150_300, 'zh-CN')).toBe('15.03亿元');
    expect(formatInvestment(123_456, 'zh-CN')).toBe('12.35亿元');
    expect(formatInvestment(0, 'zh-CN')).toBe('0万元');
  });

  it('uses million / billion yuan in English', () => {
    expect(formatInvestment(8500, 'en')).toBe('¥85 million');
    expect(formatInvestment(54_000, 'en')).toBe('¥540 million');
    expect(formatInvestment(150_300, 'en')).toBe('¥1.5 billion');
  });
});

describe('dates', () => {
  it('formats calendar dates without shifting them by time zone', () => {
    expect(formatDay('2021-12-08', 'zh-CN')).toBe('12月8日 星期三');
    expect(formatDay('2021-12-08', 'en')).toBe('Wednesday, December 8');
    expect(formatDateRange('2021-12-08', '2021-12-10', 'zh-CN')).toBe('2021年12月8日至10日');
    expect(formatDateRange('2021-04-21', '2021-04-21', 'zh-CN')).toBe('2021年4月21日');
    expect(formatDateRange('2021-04-30', '2021-05-02', 'zh-CN')).toBe('2021年4月30日至5月2日');
    expect(formatDateRange('2021-12-31', '2022-01-02', 'zh-CN')).toBe('2021年12月31日至2022年1月2日');
    expect(formatDateRange('2021-12-08', '2021-12-10', 'en')).toBe('December 8–10, 2021');
    expect(formatDateRange('2021-04-30', '2021-05-02', 'en')).toBe('April 30 – May 2, 2021');
    expect(formatDateRange('2021-12-31', '2022-01-02', 'en')).toBe('December 31, 2021 – January 2, 2022');
  });

  it('writes the dates of an official document in Chinese (the bulletin)', () => {
    expect(formatDateRange('2018-12-03', '2018-12-04', 'zh-CN')).toBe('2018年12月3日至4日');
    expect(formatDateRange('2018-12-30', '2019-01-02', 'zh-CN')).toBe('2018年12月30日至2019年1月2日');
    expect(formatDateRange('2018-11-30', '2018-12-02', 'zh-CN')).toBe('2018年11月30日至12月2日');
    expect(formatDateRange('2018-12-03', '2018-12-03', 'zh-CN')).toBe('2018年12月3日');
    expect(formatCalendarDate('2019-01-06', 'zh-CN')).toBe('2019年1月6日');
  });

  it('counts days inclusively', () => {
    expect(daysInclusive('2021-12-08', '2021-12-08')).toBe(1);
    expect(daysInclusive('2021-12-31', '2022-01-02')).toBe(3);
  });
});

describe('formatShare', () => {
  it('gives a whole percent, or null when the total is unknown', () => {
    expect(formatShare(54_000, 100_000, 'zh-CN')).toBe('54%');
    expect(formatShare(null, 100_000, 'zh-CN')).toBeNull();
    expect(formatShare(1, 0, 'en')).toBeNull();
  });
});

describe('field formats', () => {
  it('writes 万元 amounts as the tables do', async () => {
    const { formatWan } = await import('./format');
    expect(formatWan(100_000, 'zh-CN')).toBe('100000万元');
    expect(formatWan(8_500.5, 'zh-CN')).toBe('8500.5万元');
    expect(formatWan(100_000, 'en')).toBe('100,000 wan (万元)');
  });

  it('formats calendar dates, instants and sizes', async () => {
    const { formatBytes, formatCalendarDate, formatDateTime } = await import('./format');
    expect(formatCalendarDate('2021-03-01', 'zh-CN')).toBe('2021年3月1日');
    expect(formatCalendarDate('2021-03-01', 'en')).toBe('March 1, 2021');
    // a fixed local instant: the zone of the machine running the test does not matter
    const instant = new Date(2021, 11, 8, 10, 32).toISOString();
    expect(formatDateTime(instant, 'zh-CN', new Date(2021, 0, 1))).toBe('12月8日 10:32');
    expect(formatDateTime(instant, 'zh-CN', new Date(2023, 0, 1))).toMatch(/^2021年12月8日 10:32$/);
    expect(formatDateTime(instant, 'en', new Date(2021, 0, 1))).toMatch(/^Dec 8,? 10:32$/);
    expect(formatBytes(850_000_000, 'zh-CN')).toBe('850 MB');
    expect(formatBytes(12_400_000_000, 'en')).toBe('12 GB');
    expect(formatBytes(1_240_000_000, 'en')).toBe('1.2 GB');
    expect(formatBytes(512, 'en')).toBe('512 B');
  });
});

describe('compact dates and plain figures (desk tables)', () => {
  it('writes a day without its year, without shifting it by time zone', () => {
    expect(formatMonthDay('2021-12-08', 'zh-CN')).toBe('12月8日');
    expect(formatMonthDay('2021-12-08', 'en')).toBe('Dec 8');
    expect(formatMonthDay('2022-01-01', 'en')).toBe('Jan 1');
  });

  it('writes figures as each language does: no separators in Chinese tables', () => {
    expect(formatNumber(100000, 'zh-CN')).toBe('100000');
    expect(formatNumber(100000, 'en')).toBe('100,000');
    expect(formatNumber(4250.456, 'en')).toBe('4,250.46');
  });
});
