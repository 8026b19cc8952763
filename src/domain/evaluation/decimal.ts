/**
 * Exact decimal arithmetic for scores. A number is read as the decimal it prints as
 * (String(5.81) is "5.81"), held as a reduced fraction of BigInts, computed on exactly and rounded
 * once, at the end. Binary floating point would turn 1.005 into 1.00499999999999989… and
 * 60 + 40 × (6.01275 − 6) ÷ 6 into 60.084999999999994, and round both down: wrong pay.
 */
export interface Exact {
  readonly num: bigint;
  /** Always positive; the fraction is always reduced. */
  readonly den: bigint;
}

export const ZERO: Exact = { num: 0n, den: 1n };

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;
const MAX_DECIMALS = 20;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function fraction(num: bigint, den: bigint): Exact {
  if (den === 0n) throw new RangeError('Division by zero');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den);
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/** The exact value of the decimal a finite number prints as. */
export function exact(x: number): Exact {
  if (!Number.isFinite(x)) throw new RangeError(`Not a finite number: ${x}`);
  const m = DECIMAL.exec(String(x));
  if (!m) throw new RangeError(`Cannot read ${x} as a decimal`);
  const [, sign, whole, frac = '', exp = '0'] = m;
  const shift = Number(exp) - frac.length;
  const digits = BigInt(`${sign}${whole}${frac}`);
  return shift >= 0 ? fraction(digits * 10n ** BigInt(shift), 1n) : fraction(digits, 10n ** BigInt(-shift));
}

/** a + b, exactly. */
export const add = (a: Exact, b: Exact): Exact => fraction(a.num * b.den + b.num * a.den, a.den * b.den);
/** a − b, exactly. */
export const sub = (a: Exact, b: Exact): Exact => fraction(a.num * b.den - b.num * a.den, a.den * b.den);
/** a × b, exactly. */
export const mul = (a: Exact, b: Exact): Exact => fraction(a.num * b.num, a.den * b.den);
/** a ÷ b, exactly; throws RangeError when b is zero. */
export const div = (a: Exact, b: Exact): Exact => fraction(a.num * b.den, a.den * b.num);
/** −a. */
export const neg = (a: Exact): Exact => ({ num: -a.num, den: a.den });
/** −1, 0 or 1 as a is below, equal to or above b. */
export const cmp = (a: Exact, b: Exact): -1 | 0 | 1 => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};
/** The sign of a. */
export const sign = (a: Exact): -1 | 0 | 1 => (a.num < 0n ? -1 : a.num > 0n ? 1 : 0);
/** The exact sum of a list (0 for none). */
export const sum = (xs: readonly Exact[]): Exact => xs.reduce(add, ZERO);

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) throw new RangeError(`Decimals must be an integer from 0 to ${MAX_DECIMALS}, not ${decimals}`);
}

/** The decimal text of a rounded half away from zero to `decimals` places ("58.73", "-1.01", "0.00"). */
export function roundedText(a: Exact, decimals: number): string {
  checkDecimals(decimals);
  const negative = a.num < 0n;
  const scaled = (negative ? -a.num : a.num) * 10n ** BigInt(decimals);
  let q = scaled / a.den;
  if (2n * (scaled % a.den) >= a.den) q += 1n;
  const digits = q.toString().padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative && q !== 0n ? `-${text}` : text;
}

/** a rounded half away from zero to `decimals` places, as a number (never −0). */
export function roundExact(a: Exact, decimals: number): number {
  return Number(roundedText(a, decimals)) + 0;
}

/** Rounds half away from zero on the decimal the number prints as: 1.005 → 1.01, −2.25 → −2.3 (to 1). */
export function roundHalfAway(x: number, decimals: number): number {
  return roundExact(exact(x), decimals);
}

/** The number nearest to a (for display and for floating-point steps such as roots). */
export function toNumber(a: Exact): number {
  const limit = 2n ** 53n;
  const abs = a.num < 0n ? -a.num : a.num;
  // Both exactly representable: IEEE division rounds correctly.
  if (abs <= limit && a.den <= limit) return Number(a.num) / Number(a.den) + 0;
  return Number(roundedText(a, Math.min(MAX_DECIMALS, 17 + a.den.toString().length))) + 0;
}

/** Whether a has at most `decimals` decimal places. */
export function isExactAt(a: Exact, decimals: number): boolean {
  return (10n ** BigInt(decimals)) % a.den === 0n;
}

/** A number as text with a true minus sign ("−5.4"). */
export function showNumber(x: number): string {
  return String(x + 0).replace('-', '−');
}

/** An exact value as short text: its decimal when it has at most 4 places, else "≈" and 4 places. */
export function showExact(a: Exact): string {
  const text = trimZeros(roundedText(a, 4)).replace('-', '−');
  return isExactAt(a, 4) ? text : `≈${text}`;
}

/** "= 58.73" when the value has at most 4 decimal places, else "≈ 58.7333". */
export function showResult(a: Exact): string {
  const text = showExact(a);
  return text.startsWith('≈') ? `≈ ${text.slice(1)}` : `= ${text}`;
}

/** A number as an operand in an arithmetic string: negative ones in parentheses, "(−5.4)". */
export function operand(x: number | Exact): string {
  const text = typeof x === 'number' ? showNumber(x) : showExact(x);
  return /^≈?−/.test(text) ? `(${text})` : text;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
