import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cadreLinkOf, validateScheme, type SchemeInput, type SchemeItemInput } from './scheme-validation';

const item = (over: Partial<SchemeItemInput> & Pick<SchemeItemInput, 'method' | 'params'>): SchemeItemInput =>
  ({ indicator: 'X', measure: 'value', weight: 50, validFrom: '2020-01-01', validTo: null, ...over }) as SchemeItemInput;

const good: SchemeInput = {
  itemDecimals: 2,
  totalDecimals: 1,
  grading: { method: 'percentile', cuts: [0.2, 0.4, 0.6, 0.8] },
  pay: { points: [[60, 0.8], [100, 1.2]], cadre: { multiplier: 1.1, min: 0.8, max: 1.3 } },
  units: ['U1', 'U2'],
  items: [
    item({ indicator: 'A', method: 'efficacy', params: { satisfactory: { kind: 'peer-best' }, impermissible: { kind: 'peer-worst' } } }),
    item({ indicator: 'B', method: 'five-tier', params: { tiers: [2.3, 2.4, 2.5, 2.6, 2.8] } }),
    item({ indicator: 'C', method: 'add-deduct', params: { base: 100, basePoints: 10, perUnit: 1, cap: 15, floor: 0 } }),
    item({ indicator: 'D', method: 'pass-fail', params: { threshold: 86 } }),
  ],
};

describe('validateScheme', () => {
  it('accepts a sound scheme', () => {
    expect(validateScheme(good)).toEqual([]);
    expect(validateScheme({ ...good, grading: { method: 'bands' }, pay: { grades: { A: 1.2, B: 1.1, C: 1, D: 0.9, E: 0.8 } } })).toEqual([]);
  });

  it('reports every problem at once, each at its field with a stable code', () => {
    const bad: SchemeInput = {
      ...good,
      itemDecimals: 11,
      units: ['U1', 'U1'],
      grading: { method: 'percentile', cuts: [0.8, 0.6, 0.4, 0.2] },
      pay: { points: [[60, 0.8], [50, 1.2]], grades: { A: 1, B: 1, C: 1, D: 1, E: 1 }, cadre: { multiplier: 0, min: 1.5, max: 0.8 } },
      items: [
        item({ indicator: 'A', method: 'efficacy', params: { satisfactory: { kind: 'fixed', value: 5 }, impermissible: { kind: 'fixed', value: 5 } } }),
        item({ indicator: 'B', method: 'five-tier', params: { tiers: [2.3, 2.5, 2.4, 2.6, 2.8] } }),
        item({ indicator: 'C', method: 'add-deduct', params: { base: 100, basePoints: 10, perUnit: 1, cap: 5, floor: 10 }, weight: -1 }),
        item({ indicator: 'A', method: 'pass-fail', params: { threshold: 1 }, validFrom: '2020-06-01' }),
        item({ indicator: 'E', method: 'efficacy', params: { satisfactory: { kind: 'peer-best' }, impermissible: { kind: 'peer-best' } }, validFrom: '2020-05-01', validTo: '2020-04-01' }),
      ],
    };
    const issues = validateScheme(bad);
    const pairs = issues.map((i) => `${i.path} ${i.code}`);
    expect(pairs).toEqual(
      expect.arrayContaining([
        'itemDecimals DECIMALS_INVALID',
        'units[1] UNIT_DUPLICATE',
        'items[0].params.satisfactory REFERENCES_EQUAL',
        'items[1].params.tiers[2] TIERS_NOT_MONOTONE',
        'items[2].params.cap CAP_BELOW_FLOOR',
        'items[2].weight WEIGHT_NEGATIVE',
        'items[3].validFrom VALIDITY_OVERLAP',
        'items[4].params.impermissible REFERENCES_SAME_SOURCE',
        'items[4].validTo VALIDITY_INVALID',
        'grading.cuts[1] GRADING_CUTS_INVALID',
        'pay PAY_MAPPING_INVALID',
        'pay.points[1][0] PAY_POINTS_INVALID',
        'pay.cadre.multiplier CADRE_INVALID',
        'pay.cadre.max CADRE_INVALID',
      ]),
    );
    for (const i of issues) expect(i.message.length).toBeGreaterThan(0);
  });

  it('grade tables must not pay a worse grade more', () => {
    const issues = validateScheme({ ...good, pay: { grades: { A: 1.2, B: 1.3, C: 1, D: 0.9, E: 0.8 } } });
    expect(issues).toEqual([expect.objectContaining({ path: 'pay.grades.B', code: 'PAY_GRADES_INVALID' })]);
  });

  it('property: dated items of one indicator are accepted exactly when their ranges do not overlap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 27 }), fc.integer({ min: 0, max: 27 }), fc.integer({ min: 1, max: 28 }), (aEnd, gap, bLen) => {
        const day = (d: number) => `2020-01-${String(d).padStart(2, '0')}`;
        const bStart = Math.min(28, Math.max(1, aEnd + gap - 13));
        const items = [
          item({ indicator: 'A', method: 'pass-fail', params: { threshold: 1 }, validFrom: day(1), validTo: day(aEnd) }),
          item({ indicator: 'A', method: 'pass-fail', params: { threshold: 1 }, validFrom: day(bStart), validTo: day(Math.min(28, bStart + bLen)) }),
        ];
        const overlaps = validateScheme({ ...good, items }).some((i) => i.code === 'VALIDITY_OVERLAP');
        expect(overlaps).toBe(bStart <= aEnd);
      }),
    );
  });
});

describe('cadreLinkOf', () => {
  it('is the scheme\'s own link, or × 1 within the mapping\'s lowest and highest coefficient', () => {
    expect(cadreLinkOf(good.pay)).toEqual({ multiplier: 1.1, min: 0.8, max: 1.3 });
    expect(cadreLinkOf({ points: [[60, 0.8], [100, 1.2]] })).toEqual({ multiplier: 1, min: 0.8, max: 1.2 });
    expect(cadreLinkOf({ grades: { A: 1.3, B: 1.1, C: 1, D: 0.9, E: 0.7 } })).toEqual({ multiplier: 1, min: 0.7, max: 1.3 });
  });
});
