/**
 * Login names: what a person types is normalised before it is stored or looked up, so `Admin`,
 * `admin ` and full-width `ａｄｍｉｎ` are one account.
 */
import { z } from 'zod';

export function normalizeUsername(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

/** Letters (any script, so 张三 works), digits, and . _ - inside; 1–64 characters. */
export const usernameSchema = z
  .string()
  .transform(normalizeUsername)
  .pipe(
    z
      .string()
      .min(1, 'user name is empty')
      .max(64, 'user name is longer than 64 characters')
      .regex(/^[\p{L}\p{N}](?:[\p{L}\p{N}._-]*[\p{L}\p{N}])?$/u, 'user name may contain letters, digits, and . _ - between them'),
  );
