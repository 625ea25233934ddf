/**
 * Exact rational numbers on BigInt, for scores.
 *
 * Why: a ranking is decided on the second decimal (rounded half up, 四舍五入), and a binary
 * float gets many x.xx5 means wrong (the mean of 80.07 and 80.08 is 80.07499999999999 as a
 * float, so it would show 80.07 instead of 80.08). Everything the engine averages or weighs is
 * therefore an exact fraction; only the display string is rounded.
 *
 * What must stay true:
 * - A Rational is always normalised: d > 0 and gcd(|n|, d) = 1, so structural equality
 *   (`toEqual`) is numeric equality and outputs compare deterministically.
 * - Decimal inputs (weights such as 0.6, investments such as 12345.6 万元) are read as the
 *   decimal the user typed — the shortest string that round-trips the JS number — never as
 *   the binary value 0.59999999999999997779….
 */

export interface Rational {
  /** numerator, carries the sign */
  readonly n: bigint;
  /** denominator, always > 0 */
  readonly d: bigint;
}

export const ZERO: Rational = Object.freeze({ n: 0n, d: 1n });
export const ONE: Rational = Object.freeze({ n: 1n, d: 1n });

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Euclid; the steps run on plain numbers once both fit (BigInt % is the engine's main cost). */
function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    if (a <= MAX_SAFE && b <= MAX_SAFE) {
      let x = Number(a);
      let y = Number(b);
      while (y !== 0) {
        const t = x % y;
        x = y;
        y = t;
      }
      return BigInt(x);
    }
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** n/d, normalised. Throws on a zero denominator (a bug, never user data). */
export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError('rational: zero denominator');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  if (n === 0n) return ZERO;
  const g = gcd(n, d);
  return g === 1n ? { n, d } : { n: n / g, d: d / g };
}

/** An integer (JS number) as a rational. The number must be a safe integer. */
export function fromInteger(value: number): Rational {
  if (!Number.isSafeInteger(value)) throw new RangeError(`fromInteger: ${value} is not a safe integer`);
  return { n: BigInt(value), d: 1n };
}

/** sum / count for integer sums (e.g. a sum of hundredths of points). */
export function fromQuotient(sum: number, count: number): Rational {
  if (!Number.isSafeInteger(sum) || !Number.isSafeInteger(count)) {
    throw new RangeError(`fromQuotient: ${sum}/${count} are not safe integers`);
  }
  return rational(BigInt(sum), BigInt(count));
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

/**
 * The decimal a JS number stands for, exactly: 0.6 → 3/5, 12345.6 → 61728/5, 1e-7 → 1/10⁷.
 * Uses the shortest round-trip string (what the user typed or what a CSV held).
 */
export function fromDecimal(value: number): Rational {
  if (!Number.isFinite(value)) throw new RangeError(`fromDecimal: ${value} is not finite`);
  const match = DECIMAL.exec(String(value));
  if (!match) throw new RangeError(`fromDecimal: cannot read ${value}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let n = BigInt(`${whole}${fraction}`);
  if (sign === '-') n = -n;
  const scale = Number(exponent) - fraction.length;
  return scale >= 0 ? rational(n * 10n ** BigInt(scale), 1n) : rational(n, 10n ** BigInt(-scale));
}

export function add(a: Rational, b: Rational): Rational {
  if (a.d === b.d) return rational(a.n + b.n, a.d);
  return rational(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function sub(a: Rational, b: Rational): Rational {
  return add(a, { n: -b.n, d: b.d });
}

export function mul(a: Rational, b: Rational): Rational {
  return rational(a.n * b.n, a.d * b.d);
}

export function div(a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError('div: division by zero');
  return rational(a.n * b.d, a.d * b.n);
}

/** −1, 0 or 1. */
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const left = a.n * b.d;
  const right = b.n * a.d;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isZero(a: Rational): boolean {
  return a.n === 0n;
}

/** Σ wᵢ·xᵢ / Σ wᵢ. Throws when the weights sum to zero (callers check first). */
export function weightedMean(items: ReadonlyArray<{ value: Rational; weight: Rational }>): Rational {
  let num = ZERO;
  let den = ZERO;
  for (const { value, weight } of items) {
    num = add(num, mul(value, weight));
    den = add(den, weight);
  }
  return div(num, den);
}

/**
 * Σ aᵢ·bᵢ, normalised once at the end: normalising (a BigInt gcd) after every step is what
 * costs in a long sum.
 */
export function sumOfProducts(pairs: Iterable<readonly [Rational, Rational]>): Rational {
  let n = 0n;
  let d = 1n;
  for (const [a, b] of pairs) {
    const pn = a.n * b.n;
    const pd = a.d * b.d;
    if (pd === d) {
      n += pn;
    } else {
      n = n * pd + pn * d;
      d *= pd;
    }
  }
  return rational(n, d);
}

/** Plain mean of rationals. Throws on an empty list (callers check first). */
export function mean(values: readonly Rational[]): Rational {
  if (values.length === 0) throw new RangeError('mean: no values');
  let sum = ZERO;
  for (const v of values) sum = add(sum, v);
  return div(sum, fromInteger(values.length));
}

/**
 * Rounded half up (四舍五入: halves go away from zero) to `decimals` places, returned as the
 * scaled integer: roundScaled(87.125, 2) = 8713n.
 */
export function roundScaled(a: Rational, decimals = 2): bigint {
  const scale = 10n ** BigInt(decimals);
  if (a.n < 0n) return -roundScaled({ n: -a.n, d: a.d }, decimals);
  // floor(x·scale + 1/2) = floor((2·n·scale + d) / (2·d)) for x ≥ 0
  return (2n * a.n * scale + a.d) / (2n * a.d);
}

/** The display string, rounded half up: 87.5 → "87.50", 86.125 → "86.13". */
export function formatFixed(a: Rational, decimals = 2): string {
  return formatScaled(roundScaled(a, decimals), decimals);
}

/** A scaled integer as a fixed-point string: (8750n, 2) → "87.50". */
export function formatScaled(scaled: bigint, decimals = 2): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

/** A float approximation, for charts and logs only — never for ranking. */
export function toNumber(a: Rational): number {
  return Number(a.n) / Number(a.d);
}

/** "349/4" (or "87" for whole numbers): a lossless text form, e.g. for JSON export. */
export function toFractionString(a: Rational): string {
  return a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`;
}

/** Inverse of toFractionString. */
export function parseFraction(text: string): Rational {
  const match = /^(-?\d+)(?:\/(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`parseFraction: cannot read "${text}"`);
  return rational(BigInt(match[1]!), BigInt(match[2] ?? '1'));
}
