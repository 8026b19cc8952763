import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, cmp, div, exact, mul, operand, roundedText, roundHalfAway, showExact, showResult, sub, toNumber } from './decimal';

describe('exact decimals', () => {
  it('reads a number as the decimal it prints as, including exponent forms', () => {
    expect(exact(5.81)).toEqual({ num: 581n, den: 100n });
    expect(exact(-0.19)).toEqual({ num: -19n, den: 100n });
    expect(exact(1e21)).toEqual({ num: 10n ** 21n, den: 1n });
    expect(exact(1.5e-7)).toEqual({ num: 3n, den: 20_000_000n });
    expect(exact(-0)).toEqual({ num: 0n, den: 1n });
    expect(() => exact(Number.NaN)).toThrow(RangeError);
    expect(() => exact(Infinity)).toThrow(RangeError);
  });
  it('computes without binary noise: 0.1 + 0.2 is 0.3, and 40 × 0.01275 ÷ 6 is 0.085', () => {
    expect(cmp(add(exact(0.1), exact(0.2)), exact(0.3))).toBe(0);
    // Floating point: 40 * (6.01275 - 6) / 6 = 0.08499999999999…
    expect(div(mul(exact(40), sub(exact(6.01275), exact(6))), exact(6))).toEqual({ num: 17n, den: 200n });
    expect(() => div(exact(1), exact(0))).toThrow(RangeError);
  });
  it('converts back to the nearest number', () => {
    // 176.2 ÷ 3 = 881/15 exactly; 881 / 15 in floating point is correctly rounded (176.2 / 3 is not).
    expect(toNumber(div(exact(176.2), exact(3)))).toBe(881 / 15);
    expect(toNumber(exact(0.1))).toBe(0.1);
    // Beyond 2^53 the fraction goes through its decimal text: 10^40 ÷ 3, correctly rounded.
    expect(toNumber(div(exact(1e30), exact(3e-10)))).toBe(Number(10n ** 40n / 3n));
  });
  it('shows results as "= exact" or "≈ 4 places", negative operands in parentheses', () => {
    expect(showResult(exact(58.73))).toBe('= 58.73');
    expect(showResult(div(exact(176.2), exact(3)))).toBe('≈ 58.7333');
    expect(showExact(exact(-0.5))).toBe('−0.5');
    expect(operand(-5.4)).toBe('(−5.4)');
    expect(operand(div(exact(-1), exact(3)))).toBe('(≈−0.3333)');
    expect(operand(12)).toBe('12');
  });
});

describe('rounding half away from zero (hand-checked)', () => {
  it('rounds the decimal as written, not its binary neighbour', () => {
    // 1.005 is stored as 1.00499999999999989…; Math.round(1.005 * 100) / 100 gives 1.
    expect(roundHalfAway(1.005, 2)).toBe(1.01);
    expect(roundHalfAway(-1.005, 2)).toBe(-1.01);
    expect(roundHalfAway(2.675, 2)).toBe(2.68);
    expect(roundHalfAway(1.0049999, 2)).toBe(1);
    expect(roundHalfAway(-2.25, 1)).toBe(-2.3);
    expect(roundHalfAway(0.5, 0)).toBe(1);
    expect(roundHalfAway(-0.5, 0)).toBe(-1);
    expect(roundHalfAway(117.54999, 1)).toBe(117.5);
  });
  it('never gives −0, pads nothing, and refuses odd decimals', () => {
    expect(Object.is(roundHalfAway(-0.004, 2), 0)).toBe(true);
    expect(roundedText(exact(-0.004), 2)).toBe('0.00');
    expect(roundedText(exact(58.7), 2)).toBe('58.70');
    expect(roundHalfAway(1.5e-7, 7)).toBe(2e-7);
    expect(() => roundHalfAway(1, 2.5)).toThrow(RangeError);
    expect(() => roundHalfAway(1, -1)).toThrow(RangeError);
  });
  it('property: a decimal ending in 5 rounds away from zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 0, max: 5 }), fc.boolean(), (k, d, negative) => {
        const sign = negative ? '-' : '';
        // k.5 × 10^−d, e.g. k = 100, d = 2 → 1.005 → 1.01.
        const value = Number(`${sign}${k * 10 + 5}e-${d + 1}`);
        expect(roundHalfAway(value, d)).toBe(Number(`${sign}${k + 1}e-${d}`) + 0);
      }),
    );
  });
  it('property: agrees with integer arithmetic on any decimal with two more places', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }), fc.integer({ min: 0, max: 4 }), (n, d) => {
        const value = Number(`${n}e-${d + 2}`);
        const q = Math.floor((Math.abs(n) + 50) / 100);
        expect(roundHalfAway(value, d)).toBe(Number(`${n < 0 ? '-' : ''}${q}e-${d}`) + 0);
      }),
    );
  });
  it('property: rounding moves a value by at most half a unit of the last place, and is idempotent', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, d) => {
        const r = roundHalfAway(x, d);
        const distance = sub(exact(r), exact(x));
        const half = div(exact(5), exact(10 ** (d + 1)));
        expect(cmp(distance, half)).toBeLessThanOrEqual(0);
        expect(cmp(distance, { num: -half.num, den: half.den })).toBeGreaterThanOrEqual(0);
        expect(roundHalfAway(r, d)).toBe(r);
      }),
    );
  });
});
