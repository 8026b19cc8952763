import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreComposite, weightsAt, type CompositeItem, type DatedWeight } from './composite';
import { ScoringError } from './explanation';

const weights = (entries: Record<string, number>) => new Map(Object.entries(entries));
const items = (entries: Record<string, number | null>): CompositeItem[] => Object.entries(entries).map(([key, score]) => ({ key, score }));

describe('weights over date ranges', () => {
  const dated: DatedWeight[] = [
    { key: 'DC_POWER', weight: 0.3, validFrom: '2020-01-01', validTo: '2020-06-30' },
    { key: 'DC_POWER', weight: 0.4, validFrom: '2020-07-01', validTo: null },
    { key: 'QUALITY', weight: 0.7, validFrom: '2020-01-01', validTo: '2020-06-30' },
    { key: 'QUALITY', weight: 0.6, validFrom: '2020-07-01', validTo: null },
    { key: 'ANODE', weight: 0.1, validFrom: '2021-01-01', validTo: null },
  ];
  it('takes the weight whose validity covers the date, both ends inclusive', () => {
    expect(weightsAt(dated, '2020-06-30')).toEqual(weights({ DC_POWER: 0.3, QUALITY: 0.7 }));
    expect(weightsAt(dated, '2020-07-01')).toEqual(weights({ DC_POWER: 0.4, QUALITY: 0.6 }));
    expect(weightsAt(dated, '2021-03-31')).toEqual(weights({ DC_POWER: 0.4, QUALITY: 0.6, ANODE: 0.1 }));
    expect(weightsAt(dated, '2019-12-31')).toEqual(new Map());
  });
  it('refuses overlapping validities, negative weights and malformed dates', () => {
    expect(() => weightsAt([...dated, { key: 'QUALITY', weight: 0.5, validFrom: '2020-06-30', validTo: '2020-07-31' }], '2020-01-15')).toThrow(/overlap/);
    expect(() => weightsAt([{ key: 'A', weight: 1, validFrom: '2020-01-01', validTo: null }, { key: 'A', weight: 2, validFrom: '2021-01-01', validTo: null }], '2020-01-15')).toThrow(/overlap/);
    expect(() => weightsAt([{ key: 'A', weight: -1, validFrom: '2020-01-01', validTo: null }], '2020-01-15')).toThrow(ScoringError);
    expect(() => weightsAt([{ key: 'A', weight: 1, validFrom: '2020-02-01', validTo: '2020-01-01' }], '2020-01-15')).toThrow(/before/);
    expect(() => weightsAt(dated, '2020-7-1')).toThrow(/YYYY-MM-DD/);
  });
});

describe('composite (hand-checked)', () => {
  it('weighted arithmetic mean: 0.3 × 58.73 + 0.7 × 90 = 80.619 → 80.6', () => {
    const r = scoreComposite(items({ DC_POWER: 58.73, QUALITY: 90 }), weights({ DC_POWER: 0.3, QUALITY: 0.7 }), { aggregation: 'arithmetic' });
    expect(r.score).toBe(80.6);
    expect(r.raw).toBe(80.619);
    expect(r.explanation).toEqual({ rule: 'composite.arithmetic', value: 80.619, references: { DC_POWER: 0.3, QUALITY: 0.7 }, arithmetic: '(0.3 × 58.73 + 0.7 × 90) ÷ 1 = 80.619 → 80.6' });
  });
  it('weights need not add up to 1: (2 × 70 + 3 × 80) ÷ 5 = 76', () => {
    expect(scoreComposite(items({ a: 70, b: 80 }), weights({ a: 2, b: 3 }), { aggregation: 'arithmetic' }).score).toBe(76);
  });
  it('items are rounded first (2 decimals), the total once (1 decimal): printed items add up to the printed total', () => {
    // 58.7333… → 58.73 and 90.005 → 90.01; (58.73 + 90.01) ÷ 2 = 74.37 → 74.4
    const r = scoreComposite(items({ a: 58.733333, b: 90.005 }), weights({ a: 1, b: 1 }), { aggregation: 'arithmetic' });
    expect(r.items).toEqual([{ key: 'a', score: 58.73, weight: 1 }, { key: 'b', score: 90.01, weight: 1 }]);
    expect(r.raw).toBe(74.37);
    expect(r.score).toBe(74.4);
    // Configurable: 3 decimals for items, 2 for the total: (58.733 + 90.005) ÷ 2 = 74.369 → 74.37
    expect(scoreComposite(items({ a: 58.733333, b: 90.005 }), weights({ a: 1, b: 1 }), { aggregation: 'arithmetic', itemDecimals: 3, totalDecimals: 2 }).score).toBe(74.37);
  });
  it('a total exactly on a half rounds up: (80.25 + 80.2) ÷ 2 = 80.225 → 80.23 at 2 decimals', () => {
    expect(scoreComposite(items({ a: 80.25, b: 80.2 }), weights({ a: 1, b: 1 }), { aggregation: 'arithmetic', totalDecimals: 2 }).score).toBe(80.23);
  });
  it('weighted geometric mean: 16^(1/4) × 81^(3/4) = 2 × 27 = 54; the arithmetic mean would be 64.75', () => {
    const r = scoreComposite(items({ a: 16, b: 81 }), weights({ a: 1, b: 3 }), { aggregation: 'geometric' });
    expect(r.score).toBe(54);
    expect(r.explanation.arithmetic).toBe('16^0.25 × 81^0.75 = 54 → 54');
    expect(scoreComposite(items({ a: 16, b: 81 }), weights({ a: 1, b: 3 }), { aggregation: 'arithmetic' }).score).toBe(64.8);
  });
  it('geometric, equal weights: √(64 × 100) = 80; the research example (75.368 · 96.844 · 74.940 · 83.404)^(1/4) = 82.1845…', () => {
    expect(scoreComposite(items({ a: 64, b: 100 }), weights({ a: 1, b: 1 }), { aggregation: 'geometric' }).score).toBe(80);
    // The research notes print ≈ 82.19; the four numbers give 82.1845, i.e. 82.18 at 2 decimals.
    const r = scoreComposite(items({ a: 75.368, b: 96.844, c: 74.94, d: 83.404 }), weights({ a: 1, b: 1, c: 1, d: 1 }), { aggregation: 'geometric', itemDecimals: 3, totalDecimals: 2 });
    expect(r.score).toBe(82.18);
    expect(r.raw).toBeCloseTo(82.18453, 5);
  });
  it('geometric: one zero item zeroes the mean; a negative item is refused (floor the items at 0)', () => {
    expect(scoreComposite(items({ a: 0, b: 90 }), weights({ a: 1, b: 1 }), { aggregation: 'geometric' }).score).toBe(0);
    expect(() => scoreComposite(items({ a: -5, b: 90 }), weights({ a: 1, b: 1 }), { aggregation: 'geometric' })).toThrow(/floor of 0/);
  });
  it('weighted sum for points schemes: five-tier 18 + add/deduct 13 + pass/fail 5 = 36', () => {
    const r = scoreComposite(items({ ratio: 18, plan: 13, safety: 5 }), weights({ ratio: 1, plan: 1, safety: 1 }), { aggregation: 'sum' });
    expect(r.score).toBe(36);
    expect(r.explanation.arithmetic).toBe('18 + 13 + 5 = 36 → 36');
  });
  it('waits for missing items rather than guess; ignores items without a weight; a zero weight leaves an item out', () => {
    const r = scoreComposite(items({ a: 80, b: null, c: 70 }), weights({ a: 1, b: 1 }), { aggregation: 'arithmetic' });
    expect(r).toMatchObject({ score: null, raw: null, missing: ['b'], unweighted: ['c'], explanation: { rule: 'composite.incomplete', arithmetic: 'waiting for b' } });
    expect(scoreComposite(items({ a: 80, c: 70 }), weights({ a: 1, b: 0 }), { aggregation: 'arithmetic' })).toMatchObject({ score: 80, missing: [], unweighted: ['c'] });
    expect(scoreComposite([], new Map(), { aggregation: 'arithmetic' })).toMatchObject({ score: null, explanation: { arithmetic: 'no weighted items' } });
    expect(() => scoreComposite(items({ a: 1 }).concat(items({ a: 2 })), weights({ a: 1 }), { aggregation: 'sum' })).toThrow(/twice/);
  });
  it('refuses an unknown aggregation, odd decimals and negative weights', () => {
    expect(() => scoreComposite(items({ a: 1 }), weights({ a: 1 }), { aggregation: 'median' as 'sum' })).toThrow(/aggregation/);
    expect(() => scoreComposite(items({ a: 1 }), weights({ a: 1 }), { aggregation: 'sum', totalDecimals: 1.5 })).toThrow(/totalDecimals/);
    expect(() => scoreComposite(items({ a: 1 }), weights({ a: -1 }), { aggregation: 'sum' })).toThrow(/negative/);
  });
});

describe('one-vote veto (一票否决)', () => {
  it('a triggered veto zeroes the result and keeps the reason and what the score would have been', () => {
    const r = scoreComposite(items({ a: 90, b: 84.5 }), weights({ a: 0.5, b: 0.5 }), { aggregation: 'arithmetic' }, [
      { reason: '重大安全事故 2020-03-05', triggered: true },
      { reason: '质量事故', triggered: false },
    ]);
    // (0.5 × 90 + 0.5 × 84.5) ÷ 1 = 87.25 → 87.3, vetoed → 0
    expect(r).toMatchObject({ score: 0, unvetoedScore: 87.3, vetoed: true, vetoReasons: ['重大安全事故 2020-03-05'] });
    expect(r.explanation.rule).toBe('composite.vetoed');
    expect(r.explanation.arithmetic).toBe('(0.5 × 90 + 0.5 × 84.5) ÷ 1 = 87.25 → 87.3; vetoed (一票否决): 重大安全事故 2020-03-05 → 0');
  });
  it('a veto that is not triggered changes nothing; a veto zeroes even an incomplete composite; a veto needs a reason', () => {
    expect(scoreComposite(items({ a: 90 }), weights({ a: 1 }), { aggregation: 'arithmetic' }, [{ reason: '质量事故', triggered: false }])).toMatchObject({ score: 90, vetoed: false });
    expect(scoreComposite(items({ a: null }), weights({ a: 1 }), { aggregation: 'arithmetic' }, [{ reason: '质量事故', triggered: true }])).toMatchObject({ score: 0, unvetoedScore: null, vetoed: true });
    expect(() => scoreComposite(items({ a: 90 }), weights({ a: 1 }), { aggregation: 'arithmetic' }, [{ reason: ' ', triggered: true }])).toThrow(/reason/);
  });
});

describe('composite properties', () => {
  const scored = fc.array(fc.record({ score: fc.integer({ min: 0, max: 12_000 }).map((n) => n / 100), weight: fc.integer({ min: 1, max: 1000 }).map((n) => n / 100) }), { minLength: 1, maxLength: 8 });
  const build = (list: { score: number; weight: number }[]) => ({ items: list.map((l, i) => ({ key: `k${i}`, score: l.score })), weights: new Map(list.map((l, i) => [`k${i}`, l.weight])) });
  it('the weighted arithmetic mean lies between the lowest and highest item score', () => {
    fc.assert(
      fc.property(scored, (list) => {
        const { items: its, weights: ws } = build(list);
        const r = scoreComposite(its, ws, { aggregation: 'arithmetic' });
        const scores = list.map((l) => l.score);
        expect(r.raw!).toBeGreaterThanOrEqual(Math.min(...scores));
        expect(r.raw!).toBeLessThanOrEqual(Math.max(...scores));
      }),
    );
  });
  it('the weighted geometric mean is at most the weighted arithmetic mean (equal when all items are equal)', () => {
    fc.assert(
      fc.property(scored, (list) => {
        const { items: its, weights: ws } = build(list);
        const geometric = scoreComposite(its, ws, { aggregation: 'geometric' });
        const arithmetic = scoreComposite(its, ws, { aggregation: 'arithmetic' });
        expect(geometric.score!).toBeLessThanOrEqual(arithmetic.score!);
        expect(geometric.raw!).toBeLessThanOrEqual(arithmetic.raw! + 1e-9);
        if (list.every((l) => l.score === list[0]!.score)) expect(geometric.score).toBe(arithmetic.score);
      }),
    );
  });
});
