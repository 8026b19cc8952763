/**
 * Quantities, prices and amounts of the supplies, purchases and donations travel as decimal text
 * ("2000.00"), never as binary floats: requests may give a JSON number or text, the server keeps
 * the text, sums in SQL (numeric) and compares or multiplies with the exact decimals of
 * src/domain/evaluation/decimal.ts.
 */
import { z } from 'zod';
import { cmp, exact, mul, roundedText, type Exact } from '../../../domain/evaluation/decimal';

interface DecimalOptions {
  /** Digits before the point (the column's precision minus its scale). */
  intDigits: number;
  /** Most digits after the point (the column's scale). */
  fracDigits: number;
  /** A minus sign is allowed. */
  signed?: boolean;
  /** Zero is refused (a positive amount, or a signed correction that changes something). */
  nonZero?: boolean;
}

const isZero = (text: string) => /^-?0*(\.0*)?$/.test(text);

/** A decimal as JSON text or number, validated and kept as its text ("12.5", "-3"). */
export function decimalText(o: DecimalOptions) {
  const pattern = new RegExp(`^${o.signed ? '-?' : ''}\\d{1,${o.intDigits}}(\\.\\d{1,${o.fracDigits}})?$`);
  const what = `a decimal${o.signed ? '' : ' ≥ 0'} with at most ${o.intDigits} digits before the point and ${o.fracDigits} after it${o.nonZero ? ', not 0' : ''}`;
  const text = z
    .union([z.string().trim(), z.number()])
    .transform((v) => String(v))
    .pipe(z.string().regex(pattern, what));
  return o.nonZero ? text.refine((t) => !isZero(t), `must not be 0 (${what})`) : text;
}

/**
 * The exact value of a decimal text of at most 15 significant digits (every input this module
 * accepts: numeric(14, 2) and numeric(14, 4)), which a double holds and prints back unchanged.
 */
export function exactOf(text: string): Exact {
  return exact(Number(text));
}

/** Whether a < b, exactly. */
export const below = (a: string, b: string): boolean => cmp(exactOf(a), exactOf(b)) < 0;

/** quantity × unit price, rounded half away from zero to cents ("2000.00"). */
export const lineTotal = (quantity: string, unitPrice: string): string => roundedText(mul(exactOf(quantity), exactOf(unitPrice)), 2);

/** A unit price as stored (numeric(14, 4): "2.5000") shown with 2 to 4 decimals ("2.50", "0.0125"). */
export function priceText(stored: string): string {
  const [whole = '0', frac = ''] = stored.split('.');
  const trimmed = frac.replace(/0+$/, '').padEnd(2, '0');
  return `${whole}.${trimmed}`;
}
