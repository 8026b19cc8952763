import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { levelOrderProblem, spreadAnnualTarget, targetForWindow } from './targets';

const t = (target: number, floor: number | null = null, stretch: number | null = null) => ({ floor, target, stretch });

describe('targets over a window', () => {
  it('quantities add their monthly targets, or take the annual share', () => {
    const monthly = new Map([['2020-01', t(480_000, 450_000)], ['2020-02', t(470_000, 440_000)]]);
    expect(targetForWindow('sum', ['2020-01', '2020-02'], monthly, null)).toEqual(t(950_000, 890_000));
    expect(targetForWindow('sum', ['2020-01', '2020-02', '2020-03'], monthly, t(6_000_000))).toEqual(t(1_500_000));
  });
  it('levels average the monthly targets or take the annual level', () => {
    expect(targetForWindow('formula', ['2020-01', '2020-02'], new Map([['2020-01', t(13_000)], ['2020-02', t(12_900)]]), t(12_950))).toEqual(t(12_950));
    expect(targetForWindow('avg', ['2020-01', '2020-02'], new Map(), t(60))).toEqual(t(60));
    expect(targetForWindow('avg', ['2020-01'], new Map(), null)).toBeNull();
  });
});

describe('spreading an annual target', () => {
  it('by days in 2020 (a leap year): February gets 29/366', () => {
    const m = spreadAnnualTarget(2020, t(366_000), 'sum', { kind: 'days' });
    expect(m.get('2020-02')!.target).toBeCloseTo(29_000, 9);
    expect(m.get('2020-01')!.target).toBeCloseTo(31_000, 9);
  });
  it('levels apply unchanged to each month', () => {
    expect(spreadAnnualTarget(2020, t(60), 'avg', { kind: 'equal' }).get('2020-07')).toEqual(t(60));
  });
  it('property: the months of a spread quantity add back to the annual target', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 12, maxLength: 12 }).filter((w) => w.some((x) => x > 0)), (annual, weights) => {
        for (const rule of [{ kind: 'equal' as const }, { kind: 'days' as const }, { kind: 'profile' as const, weights }]) {
          const total = [...spreadAnnualTarget(2019, t(annual), 'sum', rule).values()].reduce((a, b) => a + b.target, 0);
          expect(total).toBeCloseTo(annual, 4);
        }
      }),
    );
  });
});

describe('levelOrderProblem', () => {
  it('wants floor ≤ target ≤ stretch when higher is better, the reverse when lower is', () => {
    expect(levelOrderProblem('higher', { floor: 55, target: 60, stretch: 62 })).toBeNull();
    expect(levelOrderProblem('higher', { floor: 60, target: 60, stretch: 60 })).toBeNull();
    expect(levelOrderProblem('higher', { floor: 61, target: 60, stretch: 62 })).toMatch(/target must not be below the floor/);
    expect(levelOrderProblem('higher', { floor: null, target: 60, stretch: 59 })).toMatch(/stretch must be at or above/);
    expect(levelOrderProblem('lower', { floor: 13_100, target: 13_000, stretch: 12_900 })).toBeNull();
    expect(levelOrderProblem('lower', { floor: 12_900, target: 13_000, stretch: null })).toMatch(/target must not be above the floor/);
    expect(levelOrderProblem('lower', { floor: null, target: 13_000, stretch: 13_100 })).toMatch(/stretch must be at or below/);
    expect(levelOrderProblem('band', { floor: 1, target: 0, stretch: 5 })).toBeNull();
  });

  it('accepts exactly the ordered triples (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('higher' as const, 'lower' as const), fc.integer(), fc.integer(), fc.integer(), (direction, a, b, c) => {
        const ordered = direction === 'higher' ? a <= b && b <= c : a >= b && b >= c;
        expect(levelOrderProblem(direction, { floor: a, target: b, stretch: c }) === null).toBe(ordered);
      }),
    );
  });
});
