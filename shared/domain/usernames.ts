/**
 * Login names (账号): what a person types is normalised before it is stored or looked up, so
 * `Admin`, `admin ` and full-width `ａｄｍｉｎ` are one account. Shared by the server (which
 * stores and checks them) and the desk (which proposes names for accounts still to be created
 * from a scorer table, and matches a table's 账号 column against the server's accounts).
 */
import { z } from 'zod';

export function normalizeUsername(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

export const USERNAME_MAX = 64;
const USERNAME_PATTERN = /^[\p{L}\p{N}](?:[\p{L}\p{N}._-]*[\p{L}\p{N}])?$/u;

/** Letters (any script, so 张三 works), digits, and . _ - inside; 1–64 characters. */
export const usernameSchema = z
  .string()
  .transform(normalizeUsername)
  .pipe(
    z
      .string()
      .min(1, 'user name is empty')
      .max(USERNAME_MAX, `user name is longer than ${USERNAME_MAX} characters`)
      .regex(USERNAME_PATTERN, 'user name may contain letters, digits, and . _ - between them'),
  );

/** Whether `name`, once normalised, is a valid user name. */
export function isValidUsername(name: string): boolean {
  return usernameSchema.safeParse(name).success;
}

/**
 * A user name for a new account of a person known only by name (张明 → 张明, 市领导 1 → 市领导1):
 * the normalised name without what user names may not contain, with 2, 3 … appended while
 * `isTaken` says the name is used. Chinese names stay Chinese: there is no pinyin here, and the
 * desk shows the name chosen before anything is created. null when nothing usable is left.
 */
export function proposeUsername(displayName: string, isTaken: (username: string) => boolean): string | null {
  const kept = Array.from(normalizeUsername(displayName).replace(/\s+/g, ''))
    .filter((ch) => /[\p{L}\p{N}._-]/u.test(ch))
    .join('')
    .replace(/^[._-]+|[._-]+$/g, '');
  const base = Array.from(kept).slice(0, USERNAME_MAX - 4).join('');
  if (!isValidUsername(base)) return null;
  if (!isTaken(base)) return base;
  for (let n = 2; n < 10_000; n++) {
    const candidate = `${base}${n}`;
    if (!isTaken(candidate)) return candidate;
  }
  return null;
}
