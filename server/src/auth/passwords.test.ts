import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';
import { normalizeUsername, usernameSchema } from './usernames.js';

describe('passwords', () => {
  it('hashes with argon2id (OWASP parameters) and verifies', async () => {
    const stored = await hashPassword('评委甲-password');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, '评委甲-password')).toBe(true);
    expect(await verifyPassword(stored, '评委乙-password')).toBe(false);
    // salted: the same password hashes differently
    expect(await hashPassword('评委甲-password')).not.toBe(stored);
  });

  it('treats a malformed stored hash as a wrong password', async () => {
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });

  it('generates readable, unambiguous, unique passwords', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      expect(password).not.toMatch(/[01ilo]/);
      seen.add(password);
    }
    expect(seen.size).toBe(500);
  });
});

describe('user names', () => {
  it('normalises case, width and surrounding space', () => {
    expect(normalizeUsername('  Admin ')).toBe('admin');
    expect(normalizeUsername('ａｄｍｉｎ')).toBe('admin');
    expect(usernameSchema.parse('张三')).toBe('张三');
    expect(usernameSchema.parse('Scorer.1')).toBe('scorer.1');
  });

  it.each(['', ' ', '-admin', 'admin-', 'a b', 'a/b', 'x'.repeat(65)])('rejects %j', (name) => {
    expect(usernameSchema.safeParse(name).success).toBe(false);
  });
});
