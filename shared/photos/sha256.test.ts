import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256';

const reference = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const text = (s: string) => new TextEncoder().encode(s);

describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['观摩', reference(text('观摩'))],
  ])('hashes %j', (input, expected) => {
    expect(sha256Hex(text(input))).toBe(expected);
  });

  it('agrees with node:crypto on every length around the block boundaries', () => {
    for (let length = 0; length <= 200; length++) {
      const data = randomBytes(length);
      expect(sha256Hex(data), `length ${length}`).toBe(reference(data));
    }
  });

  it('agrees with node:crypto on a photo-sized input and on views into larger buffers', () => {
    const big = randomBytes(3_000_001);
    expect(sha256Hex(big)).toBe(reference(big));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(20), (bytes, skip) => {
        const padded = new Uint8Array(skip + bytes.length + 7);
        padded.set(bytes, skip);
        const view = padded.subarray(skip, skip + bytes.length);
        return sha256Hex(view) === reference(bytes);
      }),
    );
  });
});

describe('Sha256 (incremental)', () => {
  it('gives the one-shot digest whatever the pieces, and resumes from its state', async () => {
    const { Sha256 } = await import('./sha256');
    const data = new Uint8Array(5000).map((_, i) => (i * 31 + 7) & 0xff);
    const whole = sha256Hex(data);
    for (const cut of [[], [1], [63, 64, 65], [64, 128], [100, 2000, 4999], [4999]]) {
      const hash = new Sha256();
      let from = 0;
      for (const to of [...cut, data.length]) {
        hash.update(data.subarray(from, to));
        from = to;
      }
      expect(hash.hex()).toBe(whole);
    }
    const first = new Sha256().update(data.subarray(0, 1234));
    const resumed = new Sha256(JSON.parse(JSON.stringify(first.state())));
    expect(resumed.update(data.subarray(1234)).hex()).toBe(whole);
    expect(new Sha256().hex()).toBe(sha256Hex(new Uint8Array(0)));
  });
});
