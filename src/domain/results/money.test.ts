import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exact } from '../evaluation/decimal';
import { allocateLargestRemainder, decimalOf, fenOf, isDecimalText, plainText, sumText, yuan, yuanOfFen } from './money';

describe('money as exact decimals', () => {
  it('reads decimal text exactly, the way the database prints numerics', () => {
    expect(decimalOf('1234.5000')).toEqual({ num: 2469n, den: 2n });
    expect(decimalOf('-0.01')).toEqual({ num: -1n, den: 100n });
    expect(decimalOf('12.30')).toEqual({ num: 123n, den: 10n });
    expect(decimalOf('7')).toEqual({ num: 7n, den: 1n });
    expect(() => decimalOf('1e3')).toThrow(RangeError);
    expect(() => decimalOf('abc')).toThrow(RangeError);
    expect(isDecimalText('12.')).toBe(true);
    expect(isDecimalText('.5')).toBe(false);
  });
  it('rounds yuan half away from zero to the fen: 1.005 → 1.01, −2.345 → −2.35', () => {
    expect(yuan(decimalOf('1.005'))).toBe('1.01');
    expect(yuan(decimalOf('-2.345'))).toBe('-2.35');
    expect(yuan(decimalOf('0.004'))).toBe('0.00');
    // Naive floating-point rounding of 1.005 gives 1 (1.005 × 100 = 100.49999999999999).
    expect(Math.round(1.005 * 100) / 100).toBe(1);
    expect(yuan(decimalOf('15184.35'))).toBe('15184.35');
  });
  it('prints decimals short and sums text exactly', () => {
    expect(plainText(decimalOf('1234.5000'))).toBe('1234.5');
    expect(plainText(decimalOf('-0.00001'))).toBe('0');
    expect(yuan(sumText(['0.1', '0.2', '0.3']))).toBe('0.60');
    expect(fenOf(decimalOf('12.34'))).toBe(1234n);
    expect(() => fenOf(decimalOf('12.345'))).toThrow(RangeError);
    expect(yuanOfFen(-5n)).toBe('-0.05');
  });
});

describe('largest-remainder allocation', () => {
  it('shares 100.00 yuan among three equal members as 33.34, 33.33, 33.33 (the first tie wins)', () => {
    expect(allocateLargestRemainder(10000n, [exact(1), exact(1), exact(1)])).toEqual([3334n, 3333n, 3333n]);
  });
  it('gives the left-over fen to the largest remainders: 1.00 by 1 : 2 : 3 → 0.17, 0.33, 0.50', () => {
    // Quotas 16.67, 33.33, 50 fen: floors 16, 33, 50 leave 1 fen, which goes to 0.67 (the first).
    expect(allocateLargestRemainder(100n, [exact(1), exact(2), exact(3)])).toEqual([17n, 33n, 50n]);
  });
  it('shares a negative total as a negative one and refuses zero or negative weights', () => {
    expect(allocateLargestRemainder(-100n, [exact(1), exact(1), exact(1)])).toEqual([-34n, -33n, -33n]);
    expect(() => allocateLargestRemainder(100n, [exact(0), exact(0)])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(100n, [exact(-1), exact(2)])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(100n, [])).toThrow(RangeError);
  });
  it('property: shares add up to the total exactly, each within one fen of its exact quota', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 30 }), (total, raw) => {
        const weights = raw.map((w) => w / 100);
        fc.pre(weights.some((w) => w > 0));
        const shares = allocateLargestRemainder(total, weights.map(exact));
        expect(shares.reduce((a, b) => a + b, 0n)).toBe(total);
        const whole = raw.reduce((a, b) => a + b, 0);
        shares.forEach((s, i) => {
          // |s × Σw − total × wᵢ| < Σw  ⇔  |s − quota| < 1
          const diff = s * BigInt(whole) - total * BigInt(raw[i]!);
          expect(diff < 0n ? -diff : diff).toBeLessThan(BigInt(whole));
          if (raw[i] === 0) expect(s).toBe(0n);
        });
      }),
    );
  });
  it('property: a member with more points never gets less', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 20 }), (total, raw) => {
        const shares = allocateLargestRemainder(total, raw.map(exact));
        for (let i = 0; i < raw.length; i++) for (let j = 0; j < raw.length; j++) if (raw[i]! > raw[j]!) expect(shares[i]!).toBeGreaterThanOrEqual(shares[j]!);
      }),
    );
  });
});
