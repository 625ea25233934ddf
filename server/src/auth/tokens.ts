/**
 * Bearer tokens: 32 random bytes (256 bits) from the CSPRNG, base64url on the wire. The database
 * keeps only sha256(token): whoever reads the database (a backup, an SQL injection elsewhere)
 * still cannot log in with what they read. sha256 without salt is right here, unlike passwords:
 * the token has 256 bits of entropy, so there is nothing to brute-force.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Recognisable prefix: secret scanners and people reading logs see at once what leaked. */
const tokenPrefix = 'gm_';

export function newSessionToken(): string {
  return tokenPrefix + randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Cheap shape check before any database work: `gm_` + 43 base64url characters. */
export function isWellFormedToken(token: string): boolean {
  return /^gm_[A-Za-z0-9_-]{43}$/.test(token);
}
