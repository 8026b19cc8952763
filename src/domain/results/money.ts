/**
 * Yuan, quantities and points as exact decimals (src/domain/evaluation/decimal.ts), read from the
 * decimal text the database and the API carry ("1234.5000"), never through binary floating point.
 * Amounts are rounded to 0.01 yuan half away from zero; shares are handed out by largest remainder
 * so that they always add up to the total, to the fen.
 */
import { cmp, div, mul, roundedText, sign, sum, type Exact } from '../evaluation/decimal';

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?$/;

/** The exact value of a decimal text ("12.30", "-0.5", "1234.5000"); throws RangeError otherwise. */
export function decimalOf(text: string): Exact {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) throw new RangeError(`Not a decimal: ${JSON.stringify(text)}`);
  const [, minus, whole, frac = ''] = m;
  const digits = BigInt(`${minus === '-' ? '-' : ''}${whole}${frac}`);
  return div({ num: digits, den: 1n }, { num: 10n ** BigInt(frac.length), den: 1n });
}

/** Whether a text is a decimal this module reads. */
export function isDecimalText(text: string): boolean {
  return DECIMAL_TEXT.test(text.trim());
}

/** An amount in yuan rounded half away from zero to the fen, as text ("15184.35", "-0.01", "0.00"). */
export function yuan(a: Exact): string {
  return roundedText(a, 2);
}

/** A decimal as its shortest text, up to `decimals` places after rounding ("1234.5", "12.3", "0"). */
export function plainText(a: Exact, decimals = 4): string {
  const text = roundedText(a, decimals);
  const trimmed = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  return trimmed === '-0' ? '0' : trimmed;
}

/** Fen (0.01 yuan) of an amount already at 2 decimals or fewer, as a BigInt; throws when it has more. */
export function fenOf(a: Exact): bigint {
  const scaled = mul(a, { num: 100n, den: 1n });
  if (scaled.den !== 1n) throw new RangeError('The amount has more than 2 decimals: round it to the fen first');
  return scaled.num;
}

/** Yuan text of a whole number of fen. */
export function yuanOfFen(fen: bigint): string {
  return roundedText({ num: fen, den: 100n }, 2);
}

/**
 * Shares of a whole number (fen) by weights, by the largest-remainder method (Hamilton): each gets
 * the floor of its exact quota, and the units left go one each to the largest remainders (ties to
 * the earlier entry). The shares add up to the total exactly. A negative total is shared as its
 * magnitude and given back negative. Weights must be ≥ 0 and not all 0.
 */
export function allocateLargestRemainder(total: bigint, weights: readonly Exact[]): bigint[] {
  if (weights.length === 0) throw new RangeError('Nothing to allocate to');
  if (weights.some((w) => sign(w) < 0)) throw new RangeError('A weight is negative');
  const whole = sum(weights);
  if (sign(whole) === 0) throw new RangeError('The weights are all zero');
  const negative = total < 0n;
  const magnitude = negative ? -total : total;
  const quotas = weights.map((w) => div(mul({ num: magnitude, den: 1n }, w), whole));
  // floor(num / den) for non-negative fractions; den is positive.
  const floors = quotas.map((q) => q.num / q.den);
  const remainders = quotas.map((q, i) => ({ i, rest: { num: q.num - floors[i]! * q.den, den: q.den } as Exact }));
  let left = magnitude - floors.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => cmp(b.rest, a.rest) || a.i - b.i);
  const shares = [...floors];
  for (const r of remainders) {
    if (left <= 0n) break;
    shares[r.i]! += 1n;
    left -= 1n;
  }
  return negative ? shares.map((s) => -s) : shares;
}

/** The sum of decimal texts, exactly. */
export function sumText(texts: readonly string[]): Exact {
  return sum(texts.map(decimalOf));
}
