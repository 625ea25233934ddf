/**
 * Password hashing (argon2id) and generated passwords.
 *
 * What must stay true:
 * - Only argon2id PHC strings are stored; the parameters travel inside the string, so raising
 *   them later keeps old hashes verifiable (rehash on next login).
 * - Generated passwords come from the CSPRNG and are easy to read aloud and type on a laptop at
 *   a construction site: lower-case letters and digits without look-alikes (0/o, 1/l/i).
 */
import { randomInt } from 'node:crypto';
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (~50 ms here). */
const argon2Options: Options = {
  // `Algorithm` is an ambient const enum, which isolatedModules cannot read as a value.
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Options);
}

/** false for a wrong password and for a malformed stored hash alike */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

const passwordAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

/** e.g. `k7pq-xm3v-9tds-2hwe`: 16 symbols of 31, about 79 bits */
export function generatePassword(groups = 4, groupLength = 4): string {
  const parts: string[] = [];
  for (let g = 0; g < groups; g++) {
    let part = '';
    for (let i = 0; i < groupLength; i++) part += passwordAlphabet[randomInt(passwordAlphabet.length)];
    parts.push(part);
  }
  return parts.join('-');
}
