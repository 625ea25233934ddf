/**
 * Rankings as JSON (export, logs, the server's API): exact values are BigInt fractions, which
 * JSON.stringify refuses, so each Rational is written as its lossless fraction string "689/8".
 *
 *   JSON.stringify(rankings, rankingJsonReplacer)
 *
 * Read a fraction back with `parseFraction` (./rational.ts).
 */
import { toFractionString, type Rational } from './rational';

function isRational(value: unknown): value is Rational {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { n?: unknown }).n === 'bigint' &&
    typeof (value as { d?: unknown }).d === 'bigint'
  );
}

export function rankingJsonReplacer(_key: string, value: unknown): unknown {
  if (isRational(value)) return toFractionString(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}
