import { describe, expect, it } from 'vitest';
import type { IndicatorDef } from '../../../domain/benchmarking/indicator-math';
import { combinedStatus, parseHistoryAction, substituteFormula, windowMonths, windowValues } from './drilldown-model';
import type { MeasurementDetail } from './queries';

function buildDetail(overrides: Partial<MeasurementDetail>): MeasurementDetail {
  return {
    unit: 'JA',
    indicator: 'JA_PROFIT_PER_HEAD',
    period: '2020-01',
    value: null,
    status: null,
    source: null,
    note: '',
    suspect: false,
    enteredBy: null,
    approvedBy: null,
    approvedAt: null,
    updatedAt: null,
    returnComment: null,
    formula: null,
    inputs: [],
    history: [],
    ...overrides,
  };
}

const defs = new Map<string, IndicatorDef>([
  ['JA_PROFIT', { code: 'JA_PROFIT', direction: 'higher', aggregation: 'sum', precision: 1 }],
  ['JA_HEADCOUNT', { code: 'JA_HEADCOUNT', direction: 'higher', aggregation: 'avg', precision: 0 }],
  ['JA_PROFIT_PER_HEAD', { code: 'JA_PROFIT_PER_HEAD', direction: 'higher', aggregation: 'formula', formula: 'JA_PROFIT / JA_HEADCOUNT', precision: 3 }],
]);

describe('windowMonths', () => {
  it('counts the months of a period as the scorecard does', () => {
    expect(windowMonths('2020-02')).toEqual(['2020-02']);
    expect(windowMonths('2020-02', 'ytd')).toEqual(['2020-01', '2020-02']);
    expect(windowMonths('2020-Q2')).toEqual(['2020-04', '2020-05', '2020-06']);
    expect(windowMonths('2020-Q2', 'ytd')).toHaveLength(6);
    expect(windowMonths('2020')).toHaveLength(12);
    expect(windowMonths('nonsense')).toEqual([]);
  });
});

describe('parseHistoryAction', () => {
  it('tells the action and the formula input it concerns', () => {
    expect(parseHistoryAction('measurement.save_approved (DJ_AL_OUT)')).toEqual({ action: 'save_approved', raw: 'measurement.save_approved', input: 'DJ_AL_OUT' });
    expect(parseHistoryAction('measurement.reopen')).toEqual({ action: 'reopen', raw: 'measurement.reopen', input: null });
    expect(parseHistoryAction('measurement.something_new')).toEqual({ action: null, raw: 'measurement.something_new', input: null });
  });
});

describe('combinedStatus', () => {
  it('is the common status, "mixed" when they differ, null without any', () => {
    expect(combinedStatus(['approved', 'approved', null])).toBe('approved');
    expect(combinedStatus(['approved', 'returned'])).toBe('mixed');
    expect(combinedStatus([null])).toBeNull();
  });
});

describe('windowValues', () => {
  it('divides the inputs’ window totals, not the monthly ratios', () => {
    const months = ['2020-01', '2020-02'];
    const details = [
      buildDetail({ period: '2020-01', formula: 'JA_PROFIT / JA_HEADCOUNT', inputs: [{ indicator: 'JA_PROFIT', value: 130, status: 'approved', source: 'demo' }, { indicator: 'JA_HEADCOUNT', value: 755, status: 'approved', source: 'demo' }] }),
      buildDetail({ period: '2020-02', formula: 'JA_PROFIT / JA_HEADCOUNT', inputs: [{ indicator: 'JA_PROFIT', value: 140, status: 'approved', source: 'demo' }, { indicator: 'JA_HEADCOUNT', value: 744, status: 'approved', source: 'demo' }] }),
    ];
    const result = windowValues('JA_PROFIT_PER_HEAD', months, details, defs);
    expect(result.inputs.get('JA_PROFIT')).toBe(270);
    expect(result.inputs.get('JA_HEADCOUNT')).toBe(749.5);
    expect(result.value).toBeCloseTo(270 / 749.5, 12);
  });

  it('has no value when a month is missing', () => {
    const details = [buildDetail({ indicator: 'JA_PROFIT', period: '2020-01', value: 130 }), buildDetail({ indicator: 'JA_PROFIT', period: '2020-02', value: null })];
    expect(windowValues('JA_PROFIT', ['2020-01', '2020-02'], details, defs).value).toBeNull();
    details[1]!.value = 140;
    expect(windowValues('JA_PROFIT', ['2020-01', '2020-02'], details, defs).value).toBe(270);
  });
});

describe('substituteFormula', () => {
  it('puts each input’s figure in place of its code', () => {
    expect(substituteFormula('HR_MGMT_HEADCOUNT / HR_TOTAL_HEADCOUNT * 100', (code) => (code === 'HR_MGMT_HEADCOUNT' ? '12' : '300'))).toBe('12 / 300 * 100');
  });
});
