import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cadreCoefficient, payCoefficientFromGrade, payCoefficientFromScore, type PayPoints } from './pay';

describe('pay coefficient from a score (hand-checked)', () => {
  const points: PayPoints = [[60, 0.8], [100, 1.2]];
  it('linear between 60 → 0.8 and 100 → 1.2: 87.3 → 0.8 + 27.3 ÷ 40 × 0.4 = 1.073', () => {
    const c = payCoefficientFromScore(87.3, points);
    expect(c.coefficient).toBe(1.073);
    expect(c.explanation.arithmetic).toBe('0.8 + (87.3 − 60) ÷ (100 − 60) × (1.2 − 0.8) = 1.073 → 1.073');
    // 80 → 0.8 + 20 ÷ 40 × 0.4 = 1
    expect(payCoefficientFromScore(80, points).coefficient).toBe(1);
  });
  it('clamped at both ends: 50 → 0.8, 105 → 1.2; the points themselves give their coefficients', () => {
    expect(payCoefficientFromScore(50, points)).toMatchObject({ coefficient: 0.8, explanation: { limitedBy: 'floor' } });
    expect(payCoefficientFromScore(105, points)).toMatchObject({ coefficient: 1.2, explanation: { limitedBy: 'cap', arithmetic: '105 is above 100, the highest point: 1.2 → 1.2' } });
    expect(payCoefficientFromScore(60, points).coefficient).toBe(0.8);
    expect(payCoefficientFromScore(60, points).explanation.limitedBy).toBeUndefined();
    expect(payCoefficientFromScore(100, points).coefficient).toBe(1.2);
  });
  it('several segments, and rounding to the scheme\'s decimals', () => {
    const three: PayPoints = [[0, 0], [60, 0.8], [90, 1], [100, 1.2]];
    // 30 → 0 + 30 ÷ 60 × 0.8 = 0.4; 75 → 0.8 + 15 ÷ 30 × 0.2 = 0.9; 95 → 1 + 5 ÷ 10 × 0.2 = 1.1
    expect([30, 75, 95].map((s) => payCoefficientFromScore(s, three).coefficient)).toEqual([0.4, 0.9, 1.1]);
    // 87.35 → 0.8 + 27.35 ÷ 40 × 0.4 = 1.0735 → 1.07 at 2 decimals (1.0735 → 1.074 at 3)
    expect(payCoefficientFromScore(87.35, points, 2).coefficient).toBe(1.07);
    expect(payCoefficientFromScore(87.35, points, 3).coefficient).toBe(1.074);
  });
  it('refuses points whose scores do not rise', () => {
    expect(() => payCoefficientFromScore(70, [[60, 0.8], [60, 1.2]])).toThrow(/increase/);
    expect(() => payCoefficientFromScore(70, [])).toThrow(/At least one/);
  });
  it('property: never outside the lowest and highest coefficient, and monotone when the coefficients rise', () => {
    fc.assert(
      fc.property(fc.integer({ min: -500, max: 1500 }), fc.integer({ min: -500, max: 1500 }), (a, b) => {
        const [lo, hi] = [Math.min(a, b) / 10, Math.max(a, b) / 10];
        const three: PayPoints = [[0, 0.5], [60, 0.8], [100, 1.2]];
        const [cLo, cHi] = [payCoefficientFromScore(lo, three).coefficient, payCoefficientFromScore(hi, three).coefficient];
        expect(cLo).toBeLessThanOrEqual(cHi);
        for (const c of [cLo, cHi]) expect(c >= 0.5 && c <= 1.2).toBe(true);
      }),
    );
  });
});

describe('pay coefficient from a grade', () => {
  it('reads the table', () => {
    const table = { A: 1.2, B: 1.1, C: 1, D: 0.9, E: 0.8 };
    expect(payCoefficientFromGrade('B', table)).toMatchObject({ coefficient: 1.1, explanation: { rule: 'pay.grade', arithmetic: 'grade B → 1.1' } });
    expect(payCoefficientFromGrade('E', table).coefficient).toBe(0.8);
  });
});

describe("a cadre's coefficient linked to the unit's", () => {
  it('unit coefficient × personal factor, clamped to the range', () => {
    // 1.073 × 1.1 = 1.1803
    expect(cadreCoefficient(1.073, 1.1, { min: 0.8, max: 1.2 })).toMatchObject({ coefficient: 1.1803, explanation: { arithmetic: '1.073 × 1.1 = 1.1803 → 1.1803' } });
    // 1.2 × 1.1 = 1.32 → capped at 1.2
    expect(cadreCoefficient(1.2, 1.1, { min: 0.8, max: 1.2 })).toMatchObject({ coefficient: 1.2, explanation: { limitedBy: 'cap', arithmetic: '1.2 × 1.1 = 1.32; capped at 1.2 → 1.2' } });
    // 0.8 × 0.9 = 0.72 → floored at 0.8
    expect(cadreCoefficient(0.8, 0.9, { min: 0.8, max: 1.2 })).toMatchObject({ coefficient: 0.8, explanation: { limitedBy: 'floor' } });
    // 1.0735 × 1.05 = 1.127175 → 1.13 at 2 decimals
    expect(cadreCoefficient(1.0735, 1.05, { min: 0.8, max: 1.2 }, 2).coefficient).toBe(1.13);
    expect(() => cadreCoefficient(1, 1, { min: 1.2, max: 0.8 })).toThrow(/range/);
  });
});
