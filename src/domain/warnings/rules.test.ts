import { describe, expect, it } from 'vitest';
import type { IndicatorDef } from '../benchmarking/indicator-math';
import { monthsBetween } from '../benchmarking/period';
import {
  DEFAULT_LIGHTS,
  checkControlChart,
  checkDataQuality,
  checkGapWidening,
  checkMissing,
  lightOf,
  monthEnd,
  monthOf,
  replayWarning,
  reportingDeadline,
  ruleDefinition,
  type PeriodCheck,
} from './rules';

const lower: IndicatorDef = { code: 'KWH_T', direction: 'lower', aggregation: 'formula', formula: 'A / B', precision: 0 };
const higher: IndicatorDef = { code: 'OUT', direction: 'higher', aggregation: 'sum', precision: 0 };
const levels = { floor: 102, target: 100, stretch: 98 };
const series = (from: string, values: (number | null)[]) => ({ months: monthsBetween(from, '2100-12').slice(0, values.length), values });
const checks = (holds: boolean[]): PeriodCheck[] => holds.map((h, i) => ({ period: `2020-${String(i + 1).padStart(2, '0')}`, holds: h, facts: { i }, points: h ? [`2020-${String(i + 1).padStart(2, '0')}`] : [] }));
const policy = { holdPeriods: 1, mute: [], notify: 'once' as const };

describe('status lights', () => {
  it('first match wins, by direction: green attained, yellow within the floor, red otherwise', () => {
    expect([97, 100, 101, 102, 103].map((v) => lightOf(lower, v, levels, DEFAULT_LIGHTS)?.light)).toEqual(['green', 'green', 'yellow', 'yellow', 'red']);
    const up = { floor: 98, target: 100, stretch: 102 };
    expect([103, 100, 99, 97].map((v) => lightOf(higher, v, up, DEFAULT_LIGHTS)?.light)).toEqual(['green', 'green', 'yellow', 'red']);
    // Order matters: a stretch light listed first takes the best values.
    expect(lightOf(lower, 97, levels, [{ light: 'green', when: 'stretch' }, { light: 'yellow', when: 'any' }])?.light).toBe('green');
    expect(lightOf(lower, 99, levels, [{ light: 'green', when: 'stretch' }, { light: 'yellow', when: 'any' }])?.light).toBe('yellow');
    // No value, or no target to be attained: no light (never red by default).
    expect(lightOf(lower, null, levels, DEFAULT_LIGHTS)).toBeNull();
    expect(lightOf(lower, 150, null, [{ light: 'green', when: 'attained' }])).toBeNull();
  });
  it('describes itself in words', () => {
    expect(ruleDefinition({ code: 'TARGET', lights: DEFAULT_LIGHTS })).toBe('Status lights, first match wins: green when the target is attained; yellow at or beyond the floor; red otherwise. A red value without a measure raises the warning.');
  });
});

describe('gap widening', () => {
  it('holds after N strictly worse gaps in a row (N + 1 months with both values)', () => {
    // Lower is better; benchmark 100: gaps 0, −1, −2, −3, −3, −4.
    const s = series('2020-01', [100, 101, 102, 103, 103, 104]);
    const c = checkGapWidening({ code: 'GAP_WIDENING', periods: 3 }, lower, s, [100, 100, 100, 100, 100, 100], 'B');
    expect(c.map((x) => x.holds)).toEqual([false, false, false, true, false, false]);
    expect(c[3]!.facts).toMatchObject({ gaps: [0, -1, -2, -3], periods: ['2020-01', '2020-02', '2020-03', '2020-04'], benchmark: 'B' });
    // A missing benchmark breaks the run.
    const rising = series('2020-01', [100, 101, 102, 103, 104, 105]);
    expect(checkGapWidening({ code: 'GAP_WIDENING', periods: 2 }, lower, rising, [100, null, 100, 100, 100, 100], 'B').map((x) => x.holds)).toEqual([false, false, false, false, true, true]);
  });
});

describe('control chart checks', () => {
  it('limits from the baseline months only; the rule reads the months after it', () => {
    const base = [10, 11, 10, 11, 10, 11];
    const c = checkControlChart({ code: 'WE1', baselineMonths: 6, baselineFrom: null, screenRanges: false }, series('2020-01', [...base, 10.5, 20]));
    expect(c.map((x) => [x.period, x.holds])).toEqual([['2020-07', false], ['2020-08', true]]);
    expect(c[1]!.facts).toMatchObject({ mean: 10.5, mrBar: 1, baseline: '2020-01…2020-06', points: ['2020-08'], side: 'above' });
    // Too short a baseline checks nothing, and says why.
    expect(checkControlChart({ code: 'WE1', baselineMonths: 24, baselineFrom: null, screenRanges: false }, series('2020-01', base))).toEqual([]);
  });
});

describe('data quality checks', () => {
  it('a confirmed value is not flagged again until it changes', () => {
    const s = series('2020-01', [5, 5, 5, 6]);
    const spec = { code: 'DQ_STUCK' as const, periods: 3 };
    expect(checkDataQuality(spec, s, { min: null, max: null }, []).map((x) => x.holds)).toEqual([false, false, true, false]);
    const confirmed = ['2020-01', '2020-02', '2020-03'].map((period) => ({ period, value: 5 }));
    expect(checkDataQuality(spec, s, { min: null, max: null }, confirmed).some((x) => x.holds)).toBe(false);
    expect(checkDataQuality(spec, series('2020-01', [5, 5, 5.5]), { min: null, max: null }, confirmed).some((x) => x.holds)).toBe(false);
    expect(checkDataQuality({ code: 'DQ_RANGE' }, series('2020-01', [5, 50]), { min: 0, max: 10 }, [{ period: '2020-02', value: 49 }])[1]).toMatchObject({ holds: true, points: ['2020-02'] });
  });
  it('a jump names the month jumped to', () => {
    const c = checkDataQuality({ code: 'DQ_JUMP', k: 3, baselineMonths: 6 }, series('2020-01', [10, 11, 10, 11, 10, 11, 30]), { min: null, max: null }, []);
    expect(c.filter((x) => x.holds).map((x) => x.points)).toEqual([['2020-07']]);
  });
  it('missing once the deadline (the 10th of the next month, Shanghai) has passed, strictly', () => {
    const deadline = reportingDeadline('2020-03', 10);
    expect(new Date(deadline).toISOString()).toBe('2020-04-09T16:00:00.000Z');
    const spec = { code: 'DQ_MISSING' as const, deadlineDay: 10, lookbackMonths: 3 };
    expect(checkMissing(spec, ['2020-02', '2020-03'], new Set(['2020-02']), deadline).map((x) => x.holds)).toEqual([false, false]);
    expect(checkMissing(spec, ['2020-02', '2020-03'], new Set(['2020-02']), deadline + 1).map((x) => x.holds)).toEqual([false, true]);
  });
  it('months in Asia/Shanghai', () => {
    expect(monthOf(Date.parse('2020-03-31T16:00:00Z'))).toBe('2020-04');
    expect(monthOf(Date.parse('2020-03-31T15:59:59Z'))).toBe('2020-03');
    expect(new Date(monthEnd('2020-12')).toISOString()).toBe('2020-12-31T16:00:00.000Z');
  });
});

describe('replay', () => {
  it('is a function of the checks: the same checks give the same state', () => {
    const c = checks([false, true, true, false, true]);
    const p = { ...policy, holdPeriods: 2 };
    expect(replayWarning(p, c, monthEnd)).toEqual(replayWarning(p, c, monthEnd));
    expect(replayWarning(p, c, monthEnd).state).toMatchObject({ status: 'pending', held: 1 });
    expect(replayWarning(p, checks([true, true, true]), monthEnd)).toMatchObject({ state: { status: 'firing', since: monthEnd('2020-02') }, period: '2020-03', firingPoints: ['2020-02', '2020-03'], facts: { period: '2020-03', i: 2 } });
  });
  it('a firing episode that cleared is resolved, with the facts of its last true month', () => {
    expect(replayWarning(policy, checks([true, false, false]), monthEnd)).toMatchObject({ state: { status: 'resolved', since: monthEnd('2020-02') }, facts: { period: '2020-01' }, firingPoints: ['2020-01'] });
  });
  it('replays only the last 12 months (plus the hold)', () => {
    const old = checks([true, ...Array<boolean>(12).fill(false)]);
    expect(replayWarning(policy, old, monthEnd).state.status).toBe('inactive');
  });
});
