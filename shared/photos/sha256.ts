/**
 * SHA-256 (FIPS 180-4) in plain TypeScript, hex out. Photos are addressed by this hash; the
 * app uses crypto.subtle where it exists and this where it does not (a browser on plain http
 * is not a secure context and has no crypto.subtle). ~100 MB/s in V8: fine for photos.
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
  0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
  0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

export function sha256Hex(data: Uint8Array): string {
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const fullBlocks = Math.floor(data.length / 64);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let b = 0; b < fullBlocks; b++) compress(h, w, view, b * 64);

  // the last partial block, the 0x80 terminator and the bit length, in one or two blocks
  const restLength = data.length - fullBlocks * 64;
  const tail = new Uint8Array(restLength < 56 ? 64 : 128);
  tail.set(data.subarray(fullBlocks * 64));
  tail[restLength] = 0x80;
  const tailView = new DataView(tail.buffer);
  const bits = data.length * 8;
  tailView.setUint32(tail.length - 8, Math.floor(bits / 2 ** 32));
  tailView.setUint32(tail.length - 4, bits >>> 0);
  for (let offset = 0; offset < tail.length; offset += 64) compress(h, w, tailView, offset);

  let hex = '';
  for (const word of h) hex += word.toString(16).padStart(8, '0');
  return hex;
}

/** The state of an unfinished hash, as plain data (kept in IndexedDB to resume a download). */
export interface Sha256State {
  /** the eight working words */
  h: number[];
  /** bytes hashed so far */
  length: number;
  /** bytes after the last whole 64-byte block (fewer than 64) */
  tail: number[];
}

/**
 * SHA-256 over data that arrives in pieces (a tile pack downloaded in chunks): `update` with each
 * piece, `hex()` at the end. `state()` / `new Sha256(state)` carry an unfinished hash across a
 * reload, so a resumed download never re-reads what it already verified.
 */
export class Sha256 {
  private readonly h: Uint32Array;
  private readonly w = new Uint32Array(64);
  private readonly block = new Uint8Array(64);
  private readonly blockView = new DataView(this.block.buffer);
  private blockLength: number;
  private length: number;

  constructor(state?: Sha256State) {
    this.h = new Uint32Array(state?.h ?? [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    if (this.h.length !== 8 || (state && (state.tail.length >= 64 || state.length < state.tail.length))) throw new Error('not a SHA-256 state');
    this.block.set(state?.tail ?? []);
    this.blockLength = state?.tail.length ?? 0;
    this.length = state?.length ?? 0;
  }

  update(data: Uint8Array): this {
    let offset = 0;
    this.length += data.length;
    if (this.blockLength > 0) {
      const take = Math.min(64 - this.blockLength, data.length);
      this.block.set(data.subarray(0, take), this.blockLength);
      this.blockLength += take;
      offset = take;
      if (this.blockLength < 64) return this;
      compress(this.h, this.w, this.blockView, 0);
      this.blockLength = 0;
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (; offset + 64 <= data.length; offset += 64) compress(this.h, this.w, view, offset);
    this.block.set(data.subarray(offset));
    this.blockLength = data.length - offset;
    return this;
  }

  state(): Sha256State {
    return { h: [...this.h], length: this.length, tail: [...this.block.subarray(0, this.blockLength)] };
  }

  /** The digest of everything so far, lowercase hex (the hash can go on being updated). */
  hex(): string {
    const h = new Uint32Array(this.h);
    const rest = this.blockLength;
    const tail = new Uint8Array(rest < 56 ? 64 : 128);
    tail.set(this.block.subarray(0, rest));
    tail[rest] = 0x80;
    const tailView = new DataView(tail.buffer);
    const bits = this.length * 8;
    tailView.setUint32(tail.length - 8, Math.floor(bits / 2 ** 32));
    tailView.setUint32(tail.length - 4, bits >>> 0);
    for (let offset = 0; offset < tail.length; offset += 64) compress(h, this.w, tailView, offset);
    let hex = '';
    for (const word of h) hex += word.toString(16).padStart(8, '0');
    return hex;
  }
}

function compress(h: Uint32Array, w: Uint32Array, view: DataView, offset: number): void {
  for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
  for (let i = 16; i < 64; i++) {
    const w15 = w[i - 15]!;
    const w2 = w[i - 2]!;
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let hh = h[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + s1 + ch + K[i]! + w[i]!) | 0;
    const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (s0 + maj) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
}

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}
