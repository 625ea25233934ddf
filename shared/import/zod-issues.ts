/**
 * The shared zod schemas are the last word on every imported record; this turns their issues
 * into the same row/column wording as the importer's own checks.
 */
import type { z } from 'zod';
import type { Problem } from './issues';

export function problemOfZodIssue(issue: z.core.$ZodIssue): Problem {
  switch (issue.code) {
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return { zh: `太长（最多${max}个字）`, en: `is too long (at most ${max} characters)` };
      if (issue.origin === 'array') return { zh: `太多（最多${max}项）`, en: `has too many entries (at most ${max})` };
      return issue.inclusive
        ? { zh: `不能大于${max}`, en: `must not be greater than ${max}` }
        : { zh: `必须小于${max}`, en: `must be less than ${max}` };
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return issue.minimum === 1 ? { zh: '不能为空', en: 'must not be empty' } : { zh: `太短（至少${min}个字）`, en: `is too short (at least ${min} characters)` };
      if (issue.origin === 'array') return { zh: `至少需要${min}项`, en: `needs at least ${min} entries` };
      return issue.inclusive
        ? { zh: `不能小于${min}`, en: `must not be less than ${min}` }
        : { zh: `必须大于${min}`, en: `must be greater than ${min}` };
    }
    case 'invalid_type':
      return { zh: `类型不对（应为${typeName(issue.expected)}）`, en: `has the wrong type (expected ${issue.expected})` };
    case 'invalid_format':
      return { zh: `格式不对（${issue.message}）`, en: `is badly formatted (${issue.message})` };
    default:
      return { zh: `不符合要求（${issue.message}）`, en: `is not valid (${issue.message})` };
  }
}

function typeName(expected: string): string {
  switch (expected) {
    case 'number':
      return '数字';
    case 'string':
      return '文字';
    case 'boolean':
      return '是/否';
    default:
      return expected;
  }
}
