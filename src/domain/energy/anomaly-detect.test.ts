import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { addDay, dayEnd, detectChartShift, detectDrift, replayDays, type AnomalyDay, type DriftSpec } from './anomaly-detect';


/**
 * `n` days from 2020-01-01: production 900…1 100 t, consumption 50 × production + 4 000 with ±noise,
 * plus `step` a day from day index `stepAt` on (the leak).
 */
function canned(n: number, opts: { seed?: number; noise?: number; step?: number; stepAt?: number; slope?: number } = {}): AnomalyDay[] {
  const rand = mulberry32(opts.seed ?? 1);
  const noise = opts.noise ?? 300;
  return Array.from({ length: n }, (_, i) => {
    const production = 900 + 200 * rand();
    const extra = opts.step !== undefined && i >= (opts.stepAt ?? n) ? opts.step : 0;
    return { day: addDay('2020-01-01', i), production, consumption: (opts.slope ?? 50) * production + 4_000 + noise * (2 * rand() - 1) + extra };
  });
}

const spec: DriftSpec = { baselineFrom: '2020-01-01', baselineDays: 56, k: 0.5, h: 5, minR2: 0.75 };
const policy = { holdPeriods: 1, notify: 'once' as const, mute: [] };

describe('day arithmetic', () => {
  it('adds calendar days across months and years; a day ends at 00:00 Asia/Shanghai of the next', () => {
    expect(addDay('2020-01-31', 1)).toBe('2020-02-01');
    expect(addDay('2020-02-28', 1)).toBe('2020-02-29');
    expect(addDay('2019-12-31', 1)).toBe('2020-01-01');
    expect(addDay('2020-03-01', -1)).toBe('2020-02-29');
    expect(new Date(dayEnd('2020-02-01')).toISOString()).toBe('2020-02-01T16:00:00.000Z');
  });
});

describe('detectDrift (EN_DRIFT) on canned series', () => {
  it('a step of +10 % of the mean use from day 70 is caught on that day, with the baseline accepted', () => {
    const days = canned(90, { step: 5_400, stepAt: 70 });
    const r = detectDrift(days, spec);
    expect(r.baseline).not.toBeNull();
    expect(r.baseline!.r2!).toBeGreaterThan(0.95);
    expect(Math.abs(r.baseline!.a! - 50)).toBeLessThan(1);
    expect([r.baseline!.from, r.baseline!.to, r.monitorFrom]).toEqual(['2020-01-01', '2020-02-25', '2020-02-26']);
    expect(r.crossedOn).toBe(days[70]!.day);
    expect(r.checks.filter((c) => c.holds).map((c) => c.day)).toEqual(days.slice(70).map((d) => d.day));
    expect(r.threshold).toBeCloseTo(5 * r.baseline!.residualSd!, 9);
    // Evidence: every day from the baseline start; CUSUM only while monitoring; expected = a·p + b.
    expect(r.points).toHaveLength(90);
    expect(r.points[0]!.cusum).toBeNull();
    expect(r.points[55]!.cusum).toBeNull();
    expect(r.points[56]!.cusum).not.toBeNull();
    expect(r.points[10]!.expected).toBeCloseTo(r.baseline!.a! * days[10]!.production! + r.baseline!.b!, 6);
    expect(r.points[10]!.perTonne).toBeCloseTo(days[10]!.consumption! / days[10]!.production!, 12);
    const fired = replayDays(policy, r.checks);
    expect(fired.state.status).toBe('firing');
    expect(new Date(fired.state.since!).toISOString()).toBe(new Date(dayEnd(days[70]!.day)).toISOString());
  });

  it('noise alone does not signal (the same noise, no step)', () => {
    const r = detectDrift(canned(90), spec);
    expect(r.baseline).not.toBeNull();
    expect(r.crossedOn).toBeNull();
    expect(r.checks).toHaveLength(34);
    expect(r.checks.some((c) => c.holds)).toBe(false);
    expect(replayDays(policy, r.checks).state.status).toBe('inactive');
  });

  it('less use than expected is not an anomaly', () => {
    const r = detectDrift(canned(90, { step: -5_400, stepAt: 70 }), spec);
    expect(r.checks.some((c) => c.holds)).toBe(false);
  });

  it('R² below 0.75: no baseline, nothing checked, and the fit says why', () => {
    // Noise of ±12 000 against a production effect of ±5 000: the line explains little.
    const r = detectDrift(canned(90, { noise: 12_000, step: 20_000, stepAt: 70 }), spec);
    expect(r.fit!.r2!).toBeLessThan(0.75);
    expect(r.fit!.accepted).toBe(false);
    expect(r.fit!.reasons).toContain('LOW_R2');
    expect(r.baseline).toBeNull();
    expect(r.threshold).toBeNull();
    expect(r.checks).toEqual([]);
    expect(r.points.every((p) => p.expected === null && p.cusum === null)).toBe(true);
  });

  it('a baseline window not yet complete is not accepted', () => {
    const r = detectDrift(canned(40), spec);
    expect(r.fit!.reasons).toEqual(['WINDOW_INCOMPLETE']);
    expect(r.baseline).toBeNull();
  });

  it('a repaired leak resolves once the last week is back to the baseline', () => {
    const days = canned(120, { step: 5_400, stepAt: 70 }).map((d, i) => (i >= 90 ? { ...d, consumption: d.consumption! - 5_400 } : d));
    const r = detectDrift(days, spec);
    expect(r.checks.find((c) => c.day === days[89]!.day)!.holds).toBe(true);
    expect(r.checks.at(-1)!.holds).toBe(false);
    expect(replayDays(policy, r.checks).state.status).toBe('resolved');
  });

  it('unusable days (no production, suspect consumption) are shown, neither fitted nor checked', () => {
    const days = canned(90, { step: 5_400, stepAt: 70 }).map((d, i) => (i === 3 ? { ...d, production: 0 } : i === 60 ? { ...d, consumption: null } : d));
    const r = detectDrift(days, spec);
    expect(r.fit!.n).toBe(55);
    expect(r.checks).toHaveLength(33);
    expect(r.points[60]).toMatchObject({ consumption: null, expected: null, perTonne: null, cusum: null });
  });

  it('null baselineFrom starts at the first usable day', () => {
    const days = canned(90).map((d, i) => (i < 5 ? { ...d, consumption: null } : d));
    const r = detectDrift(days, { ...spec, baselineFrom: null });
    expect(r.fit!.from).toBe(days[5]!.day);
    expect(r.points[0]!.day).toBe(days[5]!.day);
  });

  it('a hold of 3 days fires on the third day of the drift', () => {
    const days = canned(90, { step: 5_400, stepAt: 70 });
    const r = replayDays({ ...policy, holdPeriods: 3 }, detectDrift(days, spec).checks);
    expect(r.state.status).toBe('firing');
    expect(r.state.since).toBe(dayEnd(days[72]!.day));
  });
});

describe('detectDrift properties', () => {
  const seeds = fc.integer({ min: 1, max: 1_000_000 });
  it('scaling consumption by c > 0 changes no decision (the CUSUM is in σ̂)', () => {
    fc.assert(
      fc.property(seeds, fc.double({ min: 0.01, max: 1000, noNaN: true }), fc.integer({ min: 57, max: 85 }), (seed, c, stepAt) => {
        const days = canned(90, { seed, step: 3_000, stepAt });
        const scaled = days.map((d) => ({ ...d, consumption: d.consumption! * c }));
        const a = detectDrift(days, spec);
        const b = detectDrift(scaled, spec);
        expect(b.checks.map((x) => x.holds)).toEqual(a.checks.map((x) => x.holds));
        expect(b.crossedOn).toBe(a.crossedOn);
        if (a.threshold !== null) expect(b.threshold!).toBeCloseTo(a.threshold * c, 6);
      }),
      { numRuns: 60 },
    );
  });

  it('more use never signals later (S⁺ is monotone in the residuals); a large step always signals from its first day', () => {
    fc.assert(
      fc.property(seeds, fc.integer({ min: 57, max: 85 }), fc.integer({ min: 0, max: 20_000 }), (seed, stepAt, step) => {
        const quiet = detectDrift(canned(90, { seed }), spec);
        const more = detectDrift(canned(90, { seed, step, stepAt }), spec);
        if (quiet.crossedOn !== null) expect(more.crossedOn !== null && more.crossedOn <= quiet.crossedOn).toBe(true);
        const days = canned(90, { seed, step: 20_000, stepAt });
        const loud = detectDrift(days, spec);
        expect(loud.crossedOn !== null && loud.crossedOn <= days[stepAt]!.day).toBe(true);
        expect(loud.checks.filter((x) => x.day >= days[stepAt]!.day).every((x) => x.holds)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('the upper CUSUM is never negative and points cover every day from the baseline start', () => {
    fc.assert(
      fc.property(seeds, fc.integer({ min: 56, max: 120 }), (seed, n) => {
        const r = detectDrift(canned(n, { seed, step: 2_000, stepAt: 60 }), spec);
        expect(r.points).toHaveLength(n);
        for (const p of r.points) if (p.cusum !== null) expect(p.cusum).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 40 },
    );
  });
});

describe('detectChartShift (EN_CHART)', () => {
  it('a step up of the use per tonne fires WE1 above the limit; noise alone does not', () => {
    const days = canned(90, { step: 12_000, stepAt: 70 });
    const r = detectChartShift(days, { baselineFrom: '2020-01-01', baselineDays: 56, rules: ['WE1'] });
    expect(r.limits).not.toBeNull();
    expect(r.limits!.center).toBeGreaterThan(50);
    expect(r.limits!.upper).toBeGreaterThan(r.limits!.center);
    expect(r.checks.find((c) => c.holds)?.day).toBe(days[70]!.day);
    expect(r.points.every((p) => p.expected === null && p.cusum === null)).toBe(true);
    const quiet = detectChartShift(canned(90), { baselineFrom: '2020-01-01', baselineDays: 56, rules: ['WE1'] });
    expect(quiet.checks.some((c) => c.holds)).toBe(false);
  });

  it('a step down is not an anomaly; no limits without a complete window', () => {
    const down = detectChartShift(canned(90, { step: -12_000, stepAt: 70 }), { baselineFrom: '2020-01-01', baselineDays: 56, rules: ['WE1', 'WE2'] });
    expect(down.checks.some((c) => c.holds)).toBe(false);
    const short = detectChartShift(canned(30), { baselineFrom: '2020-01-01', baselineDays: 56, rules: ['WE1'] });
    expect(short.limits).toBeNull();
    expect(short.reason).toBe('the baseline window is not complete');
  });
});
