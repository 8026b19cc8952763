import { describe, expect, it } from 'vitest';
import { dayEnd, qualityChecks, replayDays } from './anomaly-detect';
import { summarizeAnomaly } from './anomaly-summary';

const policy = { holdPeriods: 1, notify: 'once' as const, mute: [] };
const holds = (checks: { holds: boolean }[]) => checks.map((c) => (c.holds ? 1 : 0)).join('');

describe('qualityChecks (EN_QUALITY day checks)', () => {
  it('checks every calendar day of the window, holding from the first faulty day on (monotone)', () => {
    const checks = qualityChecks(['2020-02-21', '2020-02-20', '2020-02-22'], '2020-02-18', '2020-02-25');
    expect(checks.map((c) => c.day)).toEqual(['2020-02-18', '2020-02-19', '2020-02-20', '2020-02-21', '2020-02-22', '2020-02-23', '2020-02-24', '2020-02-25']);
    expect(holds(checks)).toBe('00111111');
    expect(checks[2]!.facts).toEqual({ day: '2020-02-20', firstFaultyDay: '2020-02-20', faultyDaysSoFar: 1 });
    expect(checks[7]!.facts).toEqual({ day: '2020-02-25', firstFaultyDay: '2020-02-20', faultyDaysSoFar: 3 });
    expect(checks[0]!.facts).toEqual({ day: '2020-02-18', firstFaultyDay: null, faultyDaysSoFar: 0 });
  });

  it('ignores faulty days outside the window and counts a day once (several meters)', () => {
    const checks = qualityChecks(['2020-01-30', '2020-02-02', '2020-02-02', '2020-03-05'], '2020-01-31', '2020-02-03');
    expect(holds(checks)).toBe('0011');
    expect(checks.at(-1)!.facts).toEqual({ day: '2020-02-03', firstFaultyDay: '2020-02-02', faultyDaysSoFar: 1 });
  });

  it('crosses month and leap-day boundaries; a one-day window; an empty or reversed window', () => {
    expect(qualityChecks([], '2020-02-27', '2020-03-02').map((c) => c.day)).toEqual(['2020-02-27', '2020-02-28', '2020-02-29', '2020-03-01', '2020-03-02']);
    expect(holds(qualityChecks(['2020-03-01'], '2020-03-01', '2020-03-01'))).toBe('1');
    expect(qualityChecks(['2020-03-01'], '2020-03-02', '2020-03-01')).toEqual([]);
  });

  it('replayed with hold 1: fires at the end of the first faulty day; with hold 3 two days later; nothing faulty stays inactive', () => {
    const checks = qualityChecks(['2020-02-20'], '2020-01-31', '2020-03-01');
    expect(replayDays(policy, checks).state).toMatchObject({ status: 'firing', since: dayEnd('2020-02-20'), notified: true });
    expect(replayDays({ ...policy, holdPeriods: 3 }, checks).state).toMatchObject({ status: 'firing', since: dayEnd('2020-02-22') });
    expect(replayDays(policy, qualityChecks([], '2020-01-31', '2020-03-01')).state.status).toBe('inactive');
  });
});

describe('summarizeAnomaly for EN_QUALITY', () => {
  const facts = {
    unitCode: 'YH2',
    unitName: '第二氧化铝厂',
    lookbackDays: 31,
    window: { from: '2020-01-31', to: '2020-03-01' },
    faultyDays: 3,
    meters: [{ meter: 'YH2-W-03', meterName: '3#取水泵', carrier: 'water', days: ['2020-02-20', '2020-02-21', '2020-02-22'], findings: ['EQ_STUCK'] }],
  };
  it('names the meters, their faults and days while firing', () => {
    expect(summarizeAnomaly('EN_QUALITY', 'firing', facts)).toBe('第二氧化铝厂 1 块表 3 个可疑日待确认：YH2-W-03（读数停滞 EQ_STUCK，2020-02-20…2020-02-22）');
    const two = { ...facts, faultyDays: 4, meters: [...facts.meters, { meter: 'YH2-P-NET', meterName: '', carrier: 'power', days: ['2020-02-25'], findings: ['EQ_NEGATIVE', 'EQ_SPIKE'] }] };
    expect(summarizeAnomaly('EN_QUALITY', 'firing', two)).toBe('第二氧化铝厂 2 块表 4 个可疑日待确认：YH2-W-03（读数停滞 EQ_STUCK，2020-02-20…2020-02-22）；YH2-P-NET（负消耗 EQ_NEGATIVE、突增 EQ_SPIKE，2020-02-25）');
  });
  it('counts every meter (meterCount) though the facts list at most 50, and names the first three', () => {
    const many = { ...facts, faultyDays: 60, meterCount: 60, meters: Array.from({ length: 50 }, (_, i) => ({ meter: `M-${String(i).padStart(2, '0')}`, days: ['2020-02-01'], findings: ['EQ_SPIKE'] })) };
    expect(summarizeAnomaly('EN_QUALITY', 'firing', many)).toBe('第二氧化铝厂 60 块表 60 个可疑日待确认：M-00（突增 EQ_SPIKE，2020-02-01）；M-01（突增 EQ_SPIKE，2020-02-01）；M-02（突增 EQ_SPIKE，2020-02-01） 等');
  });
  it('says all is confirmed once resolved, and that nothing waits when inactive', () => {
    expect(summarizeAnomaly('EN_QUALITY', 'resolved', { ...facts, meters: [], faultyDays: 0 })).toBe('第二氧化铝厂可疑数据均已确认或更正（2020-01-31…2020-03-01）');
    expect(summarizeAnomaly('EN_QUALITY', 'inactive', { ...facts, meters: [], faultyDays: 0 })).toBe('第二氧化铝厂近 31 天（2020-01-31…2020-03-01）没有待确认的可疑数据');
  });
});
