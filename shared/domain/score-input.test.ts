import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatHundredths,
  formatScoreValue,
  normalizeScoreText,
  readScoreText,
  sheetFormSchema,
  submittedScoresIssues,
  tallySheet,
  validStoredHundredths,
} from './score-input';

const halfPoints = { max: 20, step: 0.5 };
const wholePoints = { max: 15, step: 1 };
const hundredths = { max: 10, step: 0.01 };

const template = {
  criteria: [
    { key: 'scale', name: '项目规模', max: 20, step: 0.5, guidance: '' },
    { key: 'progress', name: '建设进度', max: 25, step: 0.5, guidance: '' },
    { key: 'report', name: '现场组织与汇报', max: 15, step: 1, guidance: '' },
  ],
};

describe('readScoreText', () => {
  it('accepts values from 0 to max on the step grid, exactly', () => {
    expect(readScoreText(halfPoints, '0')).toEqual({ kind: 'value', hundredths: 0 });
    expect(readScoreText(halfPoints, '12.5')).toEqual({ kind: 'value', hundredths: 1250 });
    expect(readScoreText(halfPoints, '20')).toEqual({ kind: 'value', hundredths: 2000 });
    expect(readScoreText(halfPoints, '20.0')).toEqual({ kind: 'value', hundredths: 2000 });
    expect(readScoreText(halfPoints, '12.50')).toEqual({ kind: 'value', hundredths: 1250 });
    expect(readScoreText(halfPoints, '12.500')).toEqual({ kind: 'value', hundredths: 1250 });
    expect(readScoreText(halfPoints, '.5')).toEqual({ kind: 'value', hundredths: 50 });
    expect(readScoreText(halfPoints, '7.')).toEqual({ kind: 'value', hundredths: 700 });
    expect(readScoreText(halfPoints, ' 8 ')).toEqual({ kind: 'value', hundredths: 800 });
    expect(readScoreText(hundredths, '9.99')).toEqual({ kind: 'value', hundredths: 999 });
  });

  it('treats an empty field as not scored, not as an error', () => {
    expect(readScoreText(halfPoints, '')).toEqual({ kind: 'empty' });
    expect(readScoreText(halfPoints, '   ')).toEqual({ kind: 'empty' });
  });

  it('refuses values above max or below 0', () => {
    expect(readScoreText(halfPoints, '20.5')).toEqual({ kind: 'invalid', code: 'range' });
    expect(readScoreText(halfPoints, '100')).toEqual({ kind: 'invalid', code: 'range' });
    expect(readScoreText(halfPoints, '99999999999999')).toEqual({ kind: 'invalid', code: 'range' });
    expect(readScoreText(halfPoints, '25.333')).toEqual({ kind: 'invalid', code: 'range' });
    // a minus sign is not part of any score
    expect(readScoreText(halfPoints, '-1')).toEqual({ kind: 'invalid', code: 'notNumber' });
  });

  it('refuses values off the step: decimals like 12.3 with step 0.5, halves with step 1', () => {
    expect(readScoreText(halfPoints, '12.3')).toEqual({ kind: 'invalid', code: 'step' });
    expect(readScoreText(halfPoints, '12.25')).toEqual({ kind: 'invalid', code: 'step' });
    expect(readScoreText(halfPoints, '12.51')).toEqual({ kind: 'invalid', code: 'step' });
    expect(readScoreText(halfPoints, '12.345')).toEqual({ kind: 'invalid', code: 'step' });
    expect(readScoreText(wholePoints, '7.5')).toEqual({ kind: 'invalid', code: 'step' });
    expect(readScoreText(hundredths, '1.001')).toEqual({ kind: 'invalid', code: 'step' });
  });

  it('refuses what is not a plain decimal number', () => {
    for (const text of ['abc', '1e1', '12,5', '1.2.3', '.', '0x10', '十', '12分', 'Infinity', 'NaN', '+5']) {
      expect(readScoreText(halfPoints, text), text).toEqual({ kind: 'invalid', code: 'notNumber' });
    }
  });

  it('reads full-width digits and point as a Chinese input method types them', () => {
    expect(normalizeScoreText('１２．５')).toBe('12.5');
    expect(readScoreText(halfPoints, '１２．５')).toEqual({ kind: 'value', hundredths: 1250 });
    expect(readScoreText(halfPoints, '１２．３')).toEqual({ kind: 'invalid', code: 'step' });
  });

  it('never accepts a value off the grid or out of range (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(0.5, 1, 0.01, 0.25, 2), (h, step) => {
        const criterion = { max: 20, step };
        const reading = readScoreText(criterion, formatHundredths(h));
        const stepH = Math.round(step * 100);
        const isValid = h <= 2000 && h % stepH === 0;
        expect(reading.kind === 'value').toBe(isValid);
        if (reading.kind === 'value') expect(reading.hundredths).toBe(h);
      }),
    );
  });
});

describe('formatting', () => {
  it('shows stored values as typed, without float noise', () => {
    expect(formatScoreValue(12.5)).toBe('12.5');
    expect(formatScoreValue(20)).toBe('20');
    expect(formatScoreValue(0)).toBe('0');
    expect(formatScoreValue(0.1 + 0.2)).toBe('0.3');
    expect(formatScoreValue(null)).toBe('');
    expect(formatHundredths(8750)).toBe('87.5');
    expect(formatHundredths(10000)).toBe('100');
    expect(formatHundredths(1)).toBe('0.01');
  });

  it('validates stored values against the criterion', () => {
    expect(validStoredHundredths(halfPoints, 12.5)).toBe(1250);
    expect(validStoredHundredths(halfPoints, 12.3)).toBeNull();
    expect(validStoredHundredths(halfPoints, 21)).toBeNull();
    expect(validStoredHundredths(halfPoints, null)).toBeNull();
  });
});

describe('tallySheet', () => {
  it('totals valid values exactly and reports the rest', () => {
    const tally = tallySheet(template, { scale: '18.5', progress: '22.5', report: '14.5' });
    expect(tally.totalHundredths).toBe(4100);
    expect(tally.maxHundredths).toBe(6000);
    expect(tally.scored).toBe(2);
    expect(tally.issues).toEqual({ report: 'step' });
    expect(tally.scores).toEqual({ scale: 18.5, progress: 22.5, report: null });
  });

  it('sums tenths without binary floating-point error', () => {
    const tally = tallySheet({ criteria: [1, 2, 3].map((i) => ({ key: `k${i}`, name: `K${i}`, max: 10, step: 0.1, guidance: '' })) }, { k1: '0.1', k2: '0.2', k3: '0.3' });
    expect(tally.totalHundredths).toBe(60);
    expect(formatHundredths(tally.totalHundredths)).toBe('0.6');
  });

  it('marks empty fields as required and counts them as not scored', () => {
    const tally = tallySheet(template, { scale: '10' });
    expect(tally.scored).toBe(1);
    expect(tally.issues).toEqual({ progress: 'required', report: 'required' });
  });
});

describe('sheetFormSchema', () => {
  it('lets a draft keep empty fields but not invalid ones', () => {
    const draft = sheetFormSchema(template, 'draft');
    expect(draft.safeParse({ scale: '10', progress: '', report: '' }).success).toBe(true);
    const bad = draft.safeParse({ scale: '12.3', progress: '30', report: 'x' });
    expect(bad.success).toBe(false);
    expect(Object.fromEntries(bad.error!.issues.map((i) => [i.path.join('.'), i.message]))).toEqual({ scale: 'step', progress: 'range', report: 'notNumber' });
  });

  it('requires every criterion to submit', () => {
    const submit = sheetFormSchema(template, 'submit');
    expect(submit.safeParse({ scale: '10', progress: '20', report: '15' }).success).toBe(true);
    const missing = submit.safeParse({ scale: '10', progress: '' });
    expect(missing.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['progress', 'required'],
      ['report', 'required'],
    ]);
  });
});

describe('submittedScoresIssues', () => {
  it('accepts a complete valid sheet and names every problem of the others', () => {
    expect(submittedScoresIssues(template, { scale: 10, progress: 20.5, report: 15 })).toEqual({});
    expect(submittedScoresIssues(template, { scale: 10.3, progress: null, report: 16, extra: 1 })).toEqual({
      scale: 'step',
      progress: 'required',
      report: 'range',
      extra: 'notNumber',
    });
    expect(submittedScoresIssues(template, { scale: Number.NaN, progress: -1, report: 1 })).toEqual({ scale: 'notNumber', progress: 'notNumber' });
  });
});
