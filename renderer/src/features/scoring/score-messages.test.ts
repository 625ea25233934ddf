import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../i18n/catalogs';
import { neighbours, scoreIssueMessage } from './score-messages';

const halves = { max: 20, step: 0.5 };

describe('score field messages', () => {
  it('name the allowed values around a value off the step', () => {
    expect(neighbours(halves, '12.3')).toEqual(['12', '12.5']);
    expect(neighbours(halves, '19.9')).toEqual(['19.5', '20']);
    expect(neighbours({ max: 15, step: 1 }, '7.5')).toEqual(['7', '8']);
    expect(neighbours({ max: 10, step: 0.25 }, '0.1')).toEqual(['0', '0.25']);
    // unreadable or out of range: around the middle
    expect(neighbours(halves, 'abc')).toEqual(['10', '10.5']);
    const zh = createTranslator('zh-CN');
    expect(scoreIssueMessage(zh, 'step', halves, '１２．３')).toBe('请按 0.5 分一档打分，例如 12 或 12.5');
    expect(scoreIssueMessage(zh, 'step', { max: 15, step: 1 }, '7.5')).toBe('此项只能打整数分，例如 7 或 8');
    expect(scoreIssueMessage(createTranslator('en'), 'step', halves, '12.3')).toBe('Scores go in steps of 0.5, e.g. 12 or 12.5');
  });

  it('explain range, number and missing values', () => {
    const zh = createTranslator('zh-CN');
    expect(scoreIssueMessage(zh, 'range', halves)).toBe('分数应在 0 到 20 分之间');
    expect(scoreIssueMessage(zh, 'notNumber', halves)).toBe('请填写 0 到 20 之间的数字');
    expect(scoreIssueMessage(zh, 'required', halves)).toBe('请为此项打分');
    expect(scoreIssueMessage(createTranslator('en'), 'range', { max: 25, step: 0.5 })).toBe('Scores go from 0 to 25');
  });
});
