/**
 * One-time passwords the desk hands out for accounts it asks the server to create: made here,
 * not by the server, so that a request whose answer was lost can be sent again with the same
 * passwords (POST /api/users/batch reports them as the accounts' one-time passwords).
 *
 * Same shape as the server's generated passwords (server/src/auth/passwords.ts): 16 symbols of
 * 31 (~79 bits) from the CSPRNG, lower-case letters and digits without look-alikes (0/o, 1/l/i),
 * in groups of four, easy to read off a paper slip and type on a laptop.
 */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newOneTimePassword(groups = 4, groupLength = 4): string {
  const wanted = groups * groupLength;
  const symbols: string[] = [];
  // rejection sampling: 248 = 8 × 31, so bytes below it map evenly onto the alphabet
  while (symbols.length < wanted) {
    for (const byte of globalThis.crypto.getRandomValues(new Uint8Array(wanted * 2))) {
      if (byte < 248 && symbols.length < wanted) symbols.push(ALPHABET[byte % ALPHABET.length]!);
    }
  }
  const parts: string[] = [];
  for (let g = 0; g < groups; g++) parts.push(symbols.slice(g * groupLength, (g + 1) * groupLength).join(''));
  return parts.join('-');
}
