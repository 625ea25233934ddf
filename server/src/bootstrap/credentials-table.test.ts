import { describe, expect, it } from 'vitest';
import { displayWidth, formatCredentialsTable } from './credentials-table.js';

describe('credentials table', () => {
  const text = formatCredentialsTable([
    { username: 'admin', displayName: '系统管理员', role: 'admin', password: null },
    { username: 'scorer1', displayName: '评委甲', role: 'scorer', password: 'abcd-efgh-jkmn-pqrs' },
  ]);

  it('says in Chinese and English that the passwords are shown once', () => {
    expect(text).toContain('只显示这一次');
    expect(text).toContain('shown only this once');
  });

  it('lists every account with its role, and the password unless the operator chose it', () => {
    expect(text).toMatch(/scorer1 +│ 评委甲 +│ 评委 scorer +│ abcd-efgh-jkmn-pqrs/);
    expect(text).toMatch(/admin +│ 系统管理员 +│ 管理员 admin +│ （GUANMO_ADMIN_PASSWORD）/);
  });

  it('lines up in a terminal (CJK characters are two columns wide)', () => {
    const tableLines = text.split('\n').filter((line) => /^[┌├└│]/.test(line));
    expect(tableLines).toHaveLength(6);
    const widths = new Set(tableLines.map(displayWidth));
    expect(widths.size).toBe(1);
    expect(displayWidth('评委 a')).toBe(6);
  });
});
