import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScoringError } from './explanation';
import { resolveEfficacyRule, scoreAddDeduct, scoreEfficacy, scoreFiveTier, scorePassFail, type AddDeductRule, type FiveNumbers, type FiveTierRule } from './item-scoring';

/** Decimals with `places` places, as people type them. */
const decimal = (places: number, max = 1_000_000) => fc.integer({ min: -max * 10 ** places, max: max * 10 ** places }).map((n) => n / 10 ** places);

describe('efficacy coefficient (hand-checked)', () => {
  it('the research example: x = 5.81, satisfactory 12, impermissible 6 → 58.73', () => {
    // 60 + 40 × (5.81 − 6) ÷ (12 − 6) = 60 − 7.6 ÷ 6 = 58.7333… → 58.73
    const s = scoreEfficacy(5.81, { satisfactory: 12, impermissible: 6 });
    expect(s.score).toBe(58.73);
    expect(s.raw).toBeCloseTo(58.733333, 6);
    expect(s.explanation).toEqual({
      rule: 'efficacy',
      value: 5.81,
      references: { satisfactory: 12, impermissible: 6 },
      arithmetic: '60 + 40 × (5.81 − 6) ÷ (12 − 6) ≈ 58.7333 → 58.73',
    });
  });
  it('scores 100 at satisfactory and 60 at impermissible', () => {
    expect(scoreEfficacy(12, { satisfactory: 12, impermissible: 6 }).score).toBe(100);
    expect(scoreEfficacy(6, { satisfactory: 12, impermissible: 6 }).score).toBe(60);
  });
  it('lower is better by the same formula: DC power 13 050 kWh/t, satisfactory 12 900, impermissible 13 200 → 80', () => {
    // 60 + 40 × (13050 − 13200) ÷ (12900 − 13200) = 60 + 40 × (−150) ÷ (−300) = 80
    expect(scoreEfficacy(13_050, { satisfactory: 12_900, impermissible: 13_200 }).score).toBe(80);
    // 12 850 is better than satisfactory: 60 + 40 × (−350) ÷ (−300) = 106.666… → 106.67
    expect(scoreEfficacy(12_850, { satisfactory: 12_900, impermissible: 13_200 }).score).toBe(106.67);
  });
  it('a tie at the third decimal rounds up where floating point would round down', () => {
    // 60 + 40 × (6.01275 − 6) ÷ 6 = 60 + 0.51 ÷ 6 = 60.085 exactly → 60.09 (floats give 60.084999…).
    expect(scoreEfficacy(6.01275, { satisfactory: 12, impermissible: 6 }).score).toBe(60.09);
    expect(60 + (40 * (6.01275 - 6)) / (12 - 6)).toBeLessThan(60.085);
  });
  it('caps and floors only when the rule says so', () => {
    // 60 + 40 × (15 − 6) ÷ 6 = 120 → capped at 100
    const capped = scoreEfficacy(15, { satisfactory: 12, impermissible: 6, cap: 100 });
    expect(capped.score).toBe(100);
    expect(capped.explanation.limitedBy).toBe('cap');
    expect(capped.explanation.arithmetic).toBe('60 + 40 × (15 − 6) ÷ (12 − 6) = 120; capped at 100 → 100');
    expect(scoreEfficacy(15, { satisfactory: 12, impermissible: 6 }).score).toBe(120);
    // 60 + 40 × (−3 − 6) ÷ 6 = 0 → floored at 40; without a floor it is 0
    expect(scoreEfficacy(-3, { satisfactory: 12, impermissible: 6, floor: 40 }).score).toBe(40);
    expect(scoreEfficacy(-3, { satisfactory: 12, impermissible: 6 }).score).toBe(0);
    // 60 + 40 × (−6 − 6) ÷ 6 = −20: negative without a floor
    expect(scoreEfficacy(-6, { satisfactory: 12, impermissible: 6 }).score).toBe(-20);
  });
  it('writes negative operands in parentheses: a profit margin of −1.5 % against 8 % and −2 %', () => {
    // 60 + 40 × (−1.5 − (−2)) ÷ (8 − (−2)) = 60 + 40 × 0.5 ÷ 10 = 62
    expect(scoreEfficacy(-1.5, { satisfactory: 8, impermissible: -2 }).explanation.arithmetic).toBe('60 + 40 × ((−1.5) − (−2)) ÷ (8 − (−2)) = 62 → 62');
  });
  it('refuses rules that cannot score', () => {
    expect(() => scoreEfficacy(5, { satisfactory: 6, impermissible: 6 })).toThrow(ScoringError);
    expect(() => scoreEfficacy(5, { satisfactory: 12, impermissible: 6, cap: 50, floor: 60 })).toThrow(/cap/);
    expect(() => scoreEfficacy(5, { satisfactory: 6, impermissible: 12, direction: 'higher' })).toThrow(/Higher is better/);
    expect(() => scoreEfficacy(Number.NaN, { satisfactory: 12, impermissible: 6 })).toThrow(/value/);
  });
  it('property: monotone in x, rising when satisfactory is above impermissible and falling when below', () => {
    fc.assert(
      fc.property(decimal(2), decimal(2), decimal(3), decimal(3), fc.option(fc.constant(100)), fc.option(fc.constant(0)), (a, b, x1, x2, cap, floor) => {
        fc.pre(a !== b);
        const rule = { satisfactory: a, impermissible: b, cap, floor };
        const [lo, hi] = x1 <= x2 ? [x1, x2] : [x2, x1];
        const [sLo, sHi] = [scoreEfficacy(lo, rule), scoreEfficacy(hi, rule)];
        if (a > b) {
          expect(sLo.raw).toBeLessThanOrEqual(sHi.raw);
          expect(sLo.score).toBeLessThanOrEqual(sHi.score);
        } else {
          expect(sLo.raw).toBeGreaterThanOrEqual(sHi.raw);
          expect(sLo.score).toBeGreaterThanOrEqual(sHi.score);
        }
      }),
    );
  });
  it('property: the exact score agrees with the floating-point formula to 1e-9', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: -1e4, max: 1e4, noNaN: true }), (x, h, s) => {
        fc.pre(Math.abs(h - s) > 1e-3);
        const float = 60 + (40 * (x - s)) / (h - s);
        expect(Math.abs(scoreEfficacy(x, { satisfactory: h, impermissible: s }).raw - float)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(float)));
      }),
    );
  });
});

describe('efficacy references from the benchmark and the peers', () => {
  const peers = [13_000, 12_900, 13_200, 13_050];
  it('peer best and worst by direction: lower is better, so best = min, worst = max', () => {
    const r = resolveEfficacyRule({ satisfactory: { kind: 'peer-best' }, impermissible: { kind: 'peer-worst' } }, { benchmark: null, peerValues: peers, direction: 'lower' });
    expect(r).toEqual({ ok: true, rule: { satisfactory: 12_900, impermissible: 13_200, cap: null, floor: null, direction: 'lower', sources: { satisfactory: 'peer-best', impermissible: 'peer-worst' } } });
    if (!r.ok) throw new Error('unreachable');
    // 60 + 40 × (13000 − 13200) ÷ (12900 − 13200) = 60 + 26.666… = 86.67
    const s = scoreEfficacy(13_000, r.rule);
    expect(s.score).toBe(86.67);
    expect(s.explanation.sources).toEqual({ satisfactory: 'peer-best', impermissible: 'peer-worst' });
  });
  it('higher is better: best = max; the benchmark and fixed values as given', () => {
    const ctx = { benchmark: 95, peerValues: [88, 91, 97], direction: 'higher' as const };
    const r = resolveEfficacyRule({ satisfactory: { kind: 'benchmark' }, impermissible: { kind: 'fixed', value: 80 }, cap: 100 }, ctx);
    expect(r.ok && r.rule).toMatchObject({ satisfactory: 95, impermissible: 80, cap: 100 });
    const best = resolveEfficacyRule({ satisfactory: { kind: 'peer-best' }, impermissible: { kind: 'peer-worst' } }, ctx);
    expect(best.ok && [best.rule.satisfactory, best.rule.impermissible]).toEqual([97, 88]);
  });
  it('says why it cannot resolve: no benchmark, no peers, equal or inverted references', () => {
    const spec = { satisfactory: { kind: 'benchmark' as const }, impermissible: { kind: 'peer-worst' as const } };
    expect(resolveEfficacyRule(spec, { benchmark: null, peerValues: [1, 2], direction: 'higher' })).toMatchObject({ ok: false, problem: 'NO_BENCHMARK' });
    expect(resolveEfficacyRule(spec, { benchmark: 3, peerValues: [], direction: 'higher' })).toMatchObject({ ok: false, problem: 'NO_PEER_VALUES' });
    expect(resolveEfficacyRule({ satisfactory: { kind: 'peer-best' }, impermissible: { kind: 'peer-worst' } }, { benchmark: null, peerValues: [5, 5], direction: 'higher' })).toMatchObject({ ok: false, problem: 'REFERENCES_EQUAL' });
    // A benchmark worse than the worst peer would make a better value score lower: refused.
    expect(resolveEfficacyRule(spec, { benchmark: 1, peerValues: [2, 3], direction: 'higher' })).toMatchObject({ ok: false, problem: 'REFERENCES_INVERTED' });
  });
});

describe('five-tier standard values (hand-checked)', () => {
  const higher: FiveTierRule = { weight: 20, tiers: [100, 80, 60, 40, 20] };
  const lower: FiveTierRule = { weight: 20, tiers: [10, 30, 50, 70, 90] };
  it('90 between good 80 and excellent 100, weight 20 → 18', () => {
    // base 20 × 0.8 = 16; coefficient (90 − 80) ÷ (100 − 80) = 0.5; adjustment 0.5 × (20 × 1 − 16) = 2; 16 + 2 = 18
    const s = scoreFiveTier(90, higher);
    expect(s.score).toBe(18);
    expect(s.explanation.rule).toBe('five-tier.band');
    expect(s.explanation.sources).toEqual({ thisTier: 'good', nextTier: 'excellent' });
    expect(s.explanation.arithmetic).toBe('20 × 0.8 + (90 − 80) ÷ (100 − 80) × (20 × 1 − 20 × 0.8) = 16 + 0.5 × 4 = 18 → 18');
  });
  it('mirrored for lower is better: 20 between good 30 and excellent 10 → 18', () => {
    // base 16; coefficient (20 − 30) ÷ (10 − 30) = 0.5; 16 + 0.5 × 4 = 18
    expect(scoreFiveTier(20, lower).score).toBe(18);
  });
  it('other bands: 50 between low 40 and average 60 → 10; a SASAC-style ratio 7.3 → 12.94', () => {
    // 20 × 0.4 + (50 − 40) ÷ (60 − 40) × (12 − 8) = 8 + 2 = 10
    expect(scoreFiveTier(50, higher).score).toBe(10);
    // tiers 16.5 / 11.2 / 6.1 / 1.2 / −5.4: 20 × 0.6 + (7.3 − 6.1) ÷ (11.2 − 6.1) × (16 − 12) = 12 + 0.2353 × 4 = 12.941… → 12.94
    expect(scoreFiveTier(7.3, { weight: 20, tiers: [16.5, 11.2, 6.1, 1.2, -5.4] }).score).toBe(12.94);
  });
  it('at or above excellent scores the full weight, never more', () => {
    expect(scoreFiveTier(100, higher).score).toBe(20);
    expect(scoreFiveTier(1e9, higher)).toMatchObject({ score: 20, explanation: { rule: 'five-tier.at-or-above-excellent' } });
    expect(scoreFiveTier(5, lower).score).toBe(20);
  });
  it('at poor scores weight × 0.2; worse than poor scores 0 (SASAC practice as the research notes give it)', () => {
    expect(scoreFiveTier(20, higher).score).toBe(4);
    expect(scoreFiveTier(90, lower).score).toBe(4);
    expect(scoreFiveTier(19.99, higher)).toMatchObject({ score: 0, explanation: { rule: 'five-tier.below-poor', arithmetic: '19.99 is worse than poor 20: 0 → 0' } });
    expect(scoreFiveTier(90.01, lower).score).toBe(0);
  });
  it('takes other tier coefficients, but excellent must be 1 and they must decrease', () => {
    // 10 × 0.7 + (90 − 80) ÷ 20 × (10 − 7) = 7 + 1.5 = 8.5
    expect(scoreFiveTier(90, { weight: 10, tiers: [100, 80, 60, 40, 20], coefficients: [1, 0.7, 0.5, 0.3, 0] }).score).toBe(8.5);
    expect(() => scoreFiveTier(90, { ...higher, coefficients: [0.9, 0.8, 0.6, 0.4, 0.2] })).toThrow(/excellent must be 1/);
    expect(() => scoreFiveTier(90, { ...higher, coefficients: [1, 0.8, 0.8, 0.4, 0.2] })).toThrow(/decrease/);
  });
  it('refuses tiers out of order, equal tiers and a weight of 0', () => {
    expect(() => scoreFiveTier(90, { weight: 20, tiers: [100, 80, 85, 40, 20] })).toThrow(/strictly/);
    expect(() => scoreFiveTier(90, { weight: 20, tiers: [100, 80, 80, 40, 20] })).toThrow(/strictly/);
    expect(() => scoreFiveTier(90, { weight: 0, tiers: [100, 80, 60, 40, 20] })).toThrow(/weight/);
    expect(() => scoreFiveTier(90, { weight: 20, tiers: [100, 80, 60, 40] as unknown as FiveNumbers })).toThrow(/Five/);
  });

  const tiersHigher = fc.uniqueArray(decimal(2, 10_000), { minLength: 5, maxLength: 5 }).map((t) => [...t].sort((a, b) => b - a) as unknown as FiveNumbers);
  const weight = fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100);
  it('property: never above the weight, never below 0, and monotone in goodness', () => {
    fc.assert(
      fc.property(tiersHigher, weight, decimal(3, 20_000), decimal(3, 20_000), fc.boolean(), (tiers, w, x1, x2, mirror) => {
        const rule: FiveTierRule = mirror ? { weight: w, tiers: tiers.map((t) => -t) as unknown as FiveNumbers } : { weight: w, tiers };
        const [worse, better] = mirror ? (x1 >= x2 ? [x1, x2] : [x2, x1]) : x1 <= x2 ? [x1, x2] : [x2, x1];
        const [a, b] = [scoreFiveTier(worse, rule), scoreFiveTier(better, rule)];
        for (const s of [a, b]) {
          expect(s.raw).toBeLessThanOrEqual(w);
          expect(s.score).toBeLessThanOrEqual(w);
          expect(s.raw).toBeGreaterThanOrEqual(0);
        }
        expect(a.raw).toBeLessThanOrEqual(b.raw);
        expect(a.score).toBeLessThanOrEqual(b.score);
      }),
    );
  });
  it('property: lower-is-better tiers score exactly as the negated higher-is-better ones', () => {
    fc.assert(
      fc.property(tiersHigher, weight, fc.oneof(decimal(3, 20_000), fc.double({ min: -2e4, max: 2e4, noNaN: true })), (tiers, w, x) => {
        const mirrored = scoreFiveTier(-x, { weight: w, tiers: tiers.map((t) => -t) as unknown as FiveNumbers });
        const original = scoreFiveTier(x, { weight: w, tiers });
        expect(mirrored.score).toBe(original.score);
        expect(mirrored.raw).toBe(original.raw);
        expect(mirrored.explanation.rule).toBe(original.explanation.rule);
      }),
    );
  });
  it('property: at each tier value the score is weight × that tier\'s coefficient (the bands meet)', () => {
    fc.assert(
      fc.property(tiersHigher, weight, fc.integer({ min: 0, max: 4 }), (tiers, w, i) => {
        expect(scoreFiveTier(tiers[i]!, { weight: w, tiers }).raw).toBeCloseTo(w * [1, 0.8, 0.6, 0.4, 0.2][i]!, 9);
      }),
    );
  });
});

describe('add / deduct per unit (hand-checked)', () => {
  const rule: AddDeductRule = { base: 100, basePoints: 10, perUnit: 1, cap: 15, floor: 0 };
  it('10 points at 100 %, +1 per point above, −1 per point below, at most 15, at least 0', () => {
    expect(scoreAddDeduct(100, rule).score).toBe(10);
    // 10 + (103 − 100) × 1 = 13
    expect(scoreAddDeduct(103, rule).score).toBe(13);
    // 10 + (117.5 − 100) × 1 = 27.5 → capped at 15
    expect(scoreAddDeduct(117.5, rule)).toMatchObject({ score: 15, raw: 15, explanation: { limitedBy: 'cap', arithmetic: '10 + (117.5 − 100) × 1 = 27.5; capped at 15 → 15' } });
    // 10 − (100 − 92) × 1 = 2
    expect(scoreAddDeduct(92, rule)).toMatchObject({ score: 2, explanation: { rule: 'add-deduct.worse', arithmetic: '10 − (100 − 92) × 1 = 2 → 2' } });
    // 10 − (100 − 85) × 1 = −5 → floored at 0
    expect(scoreAddDeduct(85, rule)).toMatchObject({ score: 0, explanation: { limitedBy: 'floor' } });
    // proportional: 10 + 0.45 × 1 = 10.45
    expect(scoreAddDeduct(100.45, rule).score).toBe(10.45);
  });
  it('lower is better, with a different deduction rate: purchase cost 2 000 yuan/t for 10 points', () => {
    const cost: AddDeductRule = { base: 2000, basePoints: 10, perUnit: 0.1, perUnitWorse: 0.2, direction: 'lower', cap: 15, floor: 0 };
    // 10 + (2000 − 1980) × 0.1 = 12
    expect(scoreAddDeduct(1980, cost).score).toBe(12);
    // 10 − (2010 − 2000) × 0.2 = 8
    expect(scoreAddDeduct(2010, cost)).toMatchObject({ score: 8, explanation: { arithmetic: '10 − (2010 − 2000) × 0.2 = 8 → 8' } });
    // 10 − 60 × 0.2 = −2 → 0
    expect(scoreAddDeduct(2060, cost).score).toBe(0);
  });
  it('without cap and floor the points are unbounded; refuses negative rates and a cap below the floor', () => {
    expect(scoreAddDeduct(130, { base: 100, basePoints: 10, perUnit: 1 }).score).toBe(40);
    expect(scoreAddDeduct(70, { base: 100, basePoints: 10, perUnit: 1 }).score).toBe(-20);
    expect(() => scoreAddDeduct(1, { base: 100, basePoints: 10, perUnit: -1 })).toThrow(ScoringError);
    expect(() => scoreAddDeduct(1, { ...rule, cap: 5, floor: 6 })).toThrow(/cap/);
  });
  it('property: within [floor, cap] and monotone in the direction', () => {
    fc.assert(
      fc.property(decimal(2, 1000), decimal(2, 1000), fc.boolean(), (x1, x2, lowerBetter) => {
        const r: AddDeductRule = { ...rule, direction: lowerBetter ? 'lower' : 'higher', perUnitWorse: 2 };
        const [a, b] = [scoreAddDeduct(Math.min(x1, x2), r), scoreAddDeduct(Math.max(x1, x2), r)];
        for (const s of [a, b]) expect(s.score >= 0 && s.score <= 15).toBe(true);
        if (lowerBetter) expect(a.score).toBeGreaterThanOrEqual(b.score);
        else expect(a.score).toBeLessThanOrEqual(b.score);
      }),
    );
  });
});

describe('pass / fail', () => {
  it('full points when the condition holds, else 0', () => {
    expect(scorePassFail(true, { points: 5 })).toMatchObject({ score: 5, explanation: { rule: 'pass-fail.passed' } });
    expect(scorePassFail(false, { points: 5 })).toMatchObject({ score: 0, explanation: { rule: 'pass-fail.failed' } });
  });
  it('a number against a threshold, at the threshold passing', () => {
    expect(scorePassFail(90, { points: 5, threshold: 90 }).score).toBe(5);
    expect(scorePassFail(89.99, { points: 5, threshold: 90 })).toMatchObject({ score: 0, explanation: { arithmetic: '89.99 < 90: 0 points → 0' } });
    expect(scorePassFail(0.5, { points: 5, threshold: 0.5, direction: 'lower' }).score).toBe(5);
    expect(scorePassFail(0.51, { points: 5, threshold: 0.5, direction: 'lower' }).score).toBe(0);
    expect(() => scorePassFail(1, { points: 5 })).toThrow(/threshold/);
  });
});
