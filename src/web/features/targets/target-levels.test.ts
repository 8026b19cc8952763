import { describe, expect, it } from 'vitest';
import { annualBases, levelProblem, withoutSpreadSuffix, previewSpread, profileWeights, proposalBasis, proposedLevels, proposedTarget, yearTargets, type TargetRow } from './target-levels';

const rate = { direction: 'higher' as const, aggregation: 'avg' as const, precision: 1 };
const power = { direction: 'lower' as const, aggregation: 'formula' as const, precision: 1 };
const tonnes = { direction: 'higher' as const, aggregation: 'sum' as const, precision: 0 };

describe('the proposal', () => {
  it('improves the base by the amplitude in the indicator’s direction, as the server does', () => {
    // The carbon division's first-grade rate: 59.3 % last year, +2 % → 60.486 → 60.5 (the server's answer).
    expect(proposedTarget(59.3, 2, rate)).toBe(60.5);
    expect(proposedTarget(400, 5, power)).toBe(380);
    expect(proposedTarget(400, -5, power)).toBe(420);
    expect(proposedTarget(955, 3, { direction: 'band', precision: 1 })).toBe(955);
  });

  it('fills floor, target and stretch from the base, once and twice the amplitude, in order', () => {
    expect(proposedLevels(59.3, 2, rate)).toEqual({ floor: 59.3, target: 60.5, stretch: 61.7 });
    expect(proposedLevels(400, 5, power)).toEqual({ floor: 400, target: 380, stretch: 360 });
    // Relaxing: the base becomes the stretch.
    expect(proposedLevels(100, -10, { direction: 'higher', precision: 0 })).toEqual({ floor: 80, target: 90, stretch: 100 });
    expect(proposedLevels(955, 3, { direction: 'band', precision: 1 })).toEqual({ floor: null, target: 955, stretch: null });
    // Whatever the sign of base or amplitude, the levels come out in order.
    for (const [base, amplitude] of [[59.3, 2], [-50, 10], [100, -10], [0.4, 25]] as const) {
      expect(levelProblem('higher', proposedLevels(base, amplitude, rate)!)).toBeNull();
      expect(levelProblem('lower', proposedLevels(base, amplitude, power)!)).toBeNull();
    }
  });

  it('words the basis as the server does', () => {
    expect(proposalBasis('上年实绩', 2, 'higher')).toBe('上年实绩改善 2%');
    expect(proposalBasis('上年实绩', -1.5, 'lower')).toBe('上年实绩放宽 1.5%');
    expect(proposalBasis('历史最好水平', 0, 'higher')).toBe('历史最好水平');
    expect(proposalBasis('行业水平', 3, 'band')).toBe('行业水平');
  });

  it('puts a month’s quantity on the scale of a year and fills in the plan in force', () => {
    const bases = [
      { key: 'lastYear', label: '上年实绩', labelEn: 'Last year', value: 147_582, period: '2019' },
      { key: 'lastPeriod', label: '上期水平', labelEn: 'Latest month', value: 12_022, period: '2019-12' },
      { key: 'plan', label: '现行计划', labelEn: 'Current plan', value: null, period: null },
    ];
    const annual = annualBases(bases, tonnes, 2020, 150_000);
    expect(annual.map((b) => [b.key, b.value, b.annualised, b.period])).toEqual([
      ['lastYear', 147_582, false, '2019'],
      ['lastPeriod', 144_264, true, '2019-12'],
      ['plan', 150_000, false, '2020'],
    ]);
    expect(annualBases(bases, rate, 2020, null)[1]).toMatchObject({ value: 12_022, annualised: false });
  });
});

describe('the order of the levels', () => {
  it('wants floor ≤ target ≤ stretch when higher is better, reversed when lower is better', () => {
    expect(levelProblem('higher', { floor: 58, target: 60, stretch: 62 })).toBeNull();
    expect(levelProblem('higher', { floor: 60, target: 60, stretch: 60 })).toBeNull();
    expect(levelProblem('higher', { floor: 61, target: 60, stretch: 62 })).toBe('floorBeyondTarget');
    expect(levelProblem('higher', { floor: 58, target: 60, stretch: 59 })).toBe('stretchBelowTarget');
    expect(levelProblem('lower', { floor: 420, target: 400, stretch: 380 })).toBeNull();
    expect(levelProblem('lower', { floor: 380, target: 400, stretch: null })).toBe('floorBeyondTarget');
    expect(levelProblem('lower', { floor: null, target: 400, stretch: 410 })).toBe('stretchBelowTarget');
    expect(levelProblem('higher', { floor: null, target: null, stretch: null })).toBe('targetMissing');
    expect(levelProblem('band', { floor: 960, target: 955, stretch: 950 })).toBeNull();
  });
});

describe('spreading an annual quantity', () => {
  const annual = { floor: 360, target: 366, stretch: null };

  it('divides by calendar days, equally or by a profile, rounded to the precision', () => {
    const days = previewSpread(2020, annual, tonnes, 'days')!;
    expect(days).toHaveLength(12);
    expect(days[0]).toEqual({ period: '2020-01', levels: { floor: 30, target: 31, stretch: null } });
    expect(days[1]!.levels.target).toBe(29); // 2020 is a leap year: 366 × 29 / 366
    expect(previewSpread(2020, annual, tonnes, 'equal')![5]!.levels).toEqual({ floor: 30, target: 31, stretch: null });
    const weights = [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0];
    const profile = previewSpread(2020, { floor: null, target: 1200, stretch: null }, tonnes, 'profile', weights)!;
    expect(profile.map((m) => m.levels.target)).toEqual([200, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 0]);
  });

  it('does not spread levels, nothing with `none`, and no profile without weights', () => {
    expect(previewSpread(2020, annual, rate, 'days')).toBeNull();
    expect(previewSpread(2020, annual, tonnes, 'none')).toBeNull();
    expect(previewSpread(2020, annual, tonnes, 'profile', null)).toBeNull();
  });

  it('drops the words spreading added from a monthly basis', () => {
    expect(withoutSpreadSuffix('上年实绩改善（按日历天数分解）')).toBe('上年实绩改善');
    expect(withoutSpreadSuffix('计划（平均分解）')).toBe('计划');
    expect(withoutSpreadSuffix('外销量不低于 6 万吨/月')).toBe('外销量不低于 6 万吨/月');
  });

  it('takes a profile only from twelve usable months', () => {
    expect(profileWeights([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])).toHaveLength(12);
    expect(profileWeights([1, 2, 3])).toBeNull();
    expect(profileWeights([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, null])).toBeNull();
    expect(profileWeights([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -1])).toBeNull();
    expect(profileWeights(Array.from({ length: 12 }, () => 0))).toBeNull();
  });
});

describe('the year’s targets as the table shows them', () => {
  const month = (period: string, target: number, basis = '按日历天数分解'): TargetRow => ({ period, floor: null, target, stretch: null, basis });

  it('takes a level’s annual row for every month without a row of its own', () => {
    const view = yearTargets(2020, [{ period: '2020', floor: 58.8, target: 60, stretch: 61.2, basis: '两公司下达' }], 'avg');
    expect(view.annual).toEqual({ floor: 58.8, target: 60, stretch: 61.2 });
    expect(view.annualSource).toBe('own');
    expect(view.months[1]).toEqual({ period: '2020-02', levels: { floor: 58.8, target: 60, stretch: 61.2 }, source: 'annual', basis: '两公司下达' });
    expect(view.ownMonths).toBe(0);
  });

  it('adds up a quantity’s months when there is no annual row, and flags months that disagree with one', () => {
    const rows = Array.from({ length: 12 }, (_, i) => month(`2020-${String(i + 1).padStart(2, '0')}`, 100));
    const fromMonths = yearTargets(2020, rows, 'sum');
    expect(fromMonths.annual?.target).toBe(1200);
    expect(fromMonths.annualSource).toBe('months');
    expect(fromMonths.basis).toBe('按日历天数分解');
    const both = yearTargets(2020, [...rows, { period: '2020', floor: null, target: 1300, stretch: null, basis: '计划' }], 'sum');
    expect(both.annual?.target).toBe(1300);
    expect(both.monthsTotal).toBe(1200);
    // An annual quantity alone: each month its twelfth.
    const annualOnly = yearTargets(2020, [{ period: '2020', floor: null, target: 1200, stretch: null, basis: '计划' }], 'sum');
    expect(annualOnly.months[0]).toMatchObject({ source: 'annual', levels: { target: 100 } });
    expect(annualOnly.monthsTotal).toBeNull();
  });

  it('shows nothing for an indicator without targets', () => {
    const view = yearTargets(2020, [], 'sum');
    expect(view.annual).toBeNull();
    expect(view.annualSource).toBe('none');
    expect(view.months.every((m) => m.source === 'none' && m.levels === null)).toBe(true);
  });
});
