import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { intervalsFromReadings, registerAdvance, type Reading } from '../../domain/energy/counters';
import { generateDemoData } from './demo-benchmarking';
import { demoUnits } from './demo-company';
import {
  demoEnergyFaults,
  demoEnergyFeeds,
  demoEnergyRollover,
  demoEnergyWindow,
  demoLeakFlow,
  demoMeters,
  demoProductionDaily,
  demoReadings,
  demoReplacements,
  shanghaiMidnight,
  type DemoMeter,
  type DemoReading,
} from './demo-energy';

const MIN15 = 15 * 60_000;
const DAY = 86_400_000;
const meters = demoMeters('full');
const byCode = new Map(meters.map((m) => [m.code, m]));
const unitParent = new Map(demoUnits.map((u) => [u.code, u.parent]));
const monthlyData = generateDemoData();

function digest(volume: 'full' | 'small'): { rows: number; chunks: number; maxChunk: number; hash: string } {
  const h = createHash('sha256');
  let rows = 0;
  let chunks = 0;
  let maxChunk = 0;
  for (const chunk of demoReadings(volume)) {
    chunks++;
    rows += chunk.length;
    maxChunk = Math.max(maxChunk, chunk.length);
    for (const r of chunk) h.update(`${r.meterCode}|${r.at}|${r.value}\n`);
  }
  return { rows, chunks, maxChunk, hash: h.digest('hex') };
}

const fullFirst = digest('full');

describe('demo energy: determinism and volume', () => {
  it('gives the same readings on every run, in chunks of at most 10 000', () => {
    expect(digest('full')).toEqual(fullFirst);
    expect(digest('small')).toEqual(digest('small'));
    expect(fullFirst.maxChunk).toBeLessThanOrEqual(10_000);
    // ≈ 200 meters × 90 days × 96 quarter-hours plus the daily history.
    expect(fullFirst.rows).toBeGreaterThan(1_500_000);
    expect(fullFirst.rows).toBeLessThan(1_900_000);
  });

  it('small is 20 meters and 14 days of 15-minute data, with the same values as full at the same instants', () => {
    const small = demoMeters('small');
    expect(small).toHaveLength(20);
    const smallRows = new Map<string, number>();
    for (const chunk of demoReadings('small')) for (const r of chunk) smallRows.set(`${r.meterCode}|${r.at}`, r.value);
    expect(smallRows.size).toBeLessThan(40_000);
    const qhFrom = shanghaiMidnight(demoEnergyWindow.small.quarterHourFrom);
    expect([...smallRows.keys()].filter((k) => Number(k.split('|')[1]) > qhFrom && (Number(k.split('|')[1]) - qhFrom) % DAY !== 0).length).toBeGreaterThan(0);
    let matched = 0;
    for (const chunk of demoReadings('full')) {
      for (const r of chunk) {
        const v = smallRows.get(`${r.meterCode}|${r.at}`);
        if (v === undefined) continue;
        expect(v).toBe(r.value);
        matched++;
      }
    }
    expect(matched).toBe(smallRows.size);
  });
});

describe('demo energy: the meter tree', () => {
  it('has about 200 meters with unique valid codes, names in both languages, on demo units', () => {
    expect(meters.length).toBeGreaterThanOrEqual(180);
    expect(meters.length).toBeLessThanOrEqual(220);
    expect(byCode.size).toBe(meters.length);
    for (const m of meters) {
      expect(m.code).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
      expect(m.nameZh.trim()).not.toBe('');
      expect(m.nameEn.trim()).not.toBe('');
      expect(unitParent.has(m.unit)).toBe(true);
      if (m.kind === 'counter') {
        expect(m.rollover === 1e7 || m.rollover === 1e8).toBe(true);
        expect(m.intervalMinutes).toBe(15);
      } else expect(m.rollover).toBeNull();
      if (m.kind === 'interval') expect(m.intervalMinutes).toBe(1440);
      expect(m.multiplier).toBeGreaterThan(0);
    }
    expect(meters.filter((m) => m.kind === 'interval').length).toBeGreaterThanOrEqual(2);
    expect(meters.filter((m) => m.kind === 'virtual').length).toBeGreaterThanOrEqual(3);
    expect(meters.filter((m) => m.carrier === 'power' && m.kind === 'counter' && m.multiplier > 1).length).toBeGreaterThan(50);
    expect(byCode.get('DJ1-P-MAIN')).toBeDefined();
    expect(byCode.get('DJ1-AIR-01')).toBeDefined();
  });

  it('lists parents before children, on the same carrier, in the same unit or one above', () => {
    const isAncestorOrSelf = (ancestor: string, unit: string) => {
      for (let u: string | null | undefined = unit; u; u = unitParent.get(u)) if (u === ancestor) return true;
      return false;
    };
    const seen = new Set<string>();
    for (const m of meters) {
      if (m.parent) {
        expect(seen.has(m.parent), `${m.parent} before ${m.code}`).toBe(true);
        const p = byCode.get(m.parent)!;
        expect(p.carrier).toBe(m.carrier);
        expect(isAncestorOrSelf(p.unit, m.unit), `${m.code} in ${m.unit} under ${p.code} in ${p.unit}`).toBe(true);
        expect(p.kind).not.toBe('virtual');
      }
      seen.add(m.code);
    }
  });

  it('has virtual formulas over existing earlier meters of the same carrier and unit of measure, without cycles', () => {
    const seen = new Set<string>();
    for (const m of meters) {
      if (m.kind === 'virtual') {
        expect(m.formula.length).toBeGreaterThan(0);
        expect(new Set(m.formula.map((t) => t.meter)).size).toBe(m.formula.length);
        for (const t of m.formula) {
          expect(seen.has(t.meter), `${t.meter} before ${m.code}`).toBe(true);
          const ref = byCode.get(t.meter)!;
          expect([ref.carrier, ref.uom]).toEqual([m.carrier, m.uom]);
          expect([1, -1]).toContain(t.sign);
        }
      } else expect(m.formula).toEqual([]);
      seen.add(m.code);
    }
    // Terms always come first, so no meter can reach itself; check it directly too.
    const reaches = (from: DemoMeter, target: string, depth = 0): boolean =>
      depth < 50 && from.formula.some((t) => t.meter === target || reaches(byCode.get(t.meter)!, target, depth + 1));
    for (const m of meters) expect(reaches(m, m.code)).toBe(false);
    expect(byCode.get('DL-P-NET')!.formula).toEqual([{ meter: 'DL-P-IN', sign: 1 }, { meter: 'DL-P-OUT', sign: -1 }]);
  });

  it('keeps small closed under parents and formula terms, with every fault meter', () => {
    const small = new Map(demoMeters('small').map((m) => [m.code, m]));
    for (const m of small.values()) {
      if (m.parent) expect(small.has(m.parent)).toBe(true);
      for (const t of m.formula) expect(small.has(t.meter)).toBe(true);
    }
    const f = demoEnergyFaults;
    for (const code of [f.stuck.meter, f.reset.meter, f.replacement.meter, f.leak.meter, 'DJ1-AIR-MAIN']) expect(small.has(code)).toBe(true);
    expect(demoReplacements('small')).toEqual(demoReplacements('full'));
  });

  it('names feeds that exist, with an indicator of the unit', () => {
    for (const f of demoEnergyFeeds) {
      expect(byCode.has(f.meter)).toBe(true);
      expect(monthlyData.get(f.unit)?.get(f.indicator)).toBeDefined();
    }
  });
});

/** Everything the checks below need from one pass over the full readings. */
interface Collected {
  midnight: Map<string, Map<number, number>>;
  series: Map<string, Reading[]>;
  zeroAdvances: Map<string, number>;
}
const tracked = new Set<string>([demoEnergyFaults.stuck.meter, demoEnergyFaults.reset.meter, demoEnergyFaults.replacement.meter, demoEnergyRollover.meter]);
let data: Collected;

beforeAll(() => {
  const midnight = new Map<string, Map<number, number>>();
  const series = new Map<string, Reading[]>();
  const zeroAdvances = new Map<string, number>();
  const last = new Map<string, number>();
  const push = (r: DemoReading) => {
    const m = byCode.get(r.meterCode)!;
    if ((r.at + 8 * 3_600_000) % DAY === 0) {
      const s = midnight.get(r.meterCode) ?? new Map<number, number>();
      s.set(r.at, r.value);
      midnight.set(r.meterCode, s);
    }
    if (tracked.has(r.meterCode)) {
      const s = series.get(r.meterCode) ?? [];
      s.push({ at: r.at, value: r.value });
      series.set(r.meterCode, s);
    }
    if (m.kind === 'counter') {
      if (last.get(r.meterCode) === r.value) zeroAdvances.set(r.meterCode, (zeroAdvances.get(r.meterCode) ?? 0) + 1);
      last.set(r.meterCode, r.value);
    }
  };
  for (const chunk of demoReadings('full')) chunk.forEach(push);
  data = { midnight, series, zeroAdvances };
});

/** A meter's consumption over [from, to) (Shanghai midnights), in its unit of measure. */
function consumption(code: string, from: number, to: number): number {
  const m = byCode.get(code)!;
  if (m.kind === 'virtual') return m.formula.reduce((s, t) => s + t.sign * consumption(t.meter, from, to), 0);
  const mid = data.midnight.get(code)!;
  if (m.kind === 'interval') {
    let s = 0;
    for (let t = from + DAY; t <= to; t += DAY) s += mid.get(t)! * m.multiplier;
    return s;
  }
  let s = 0;
  for (let t = from; t < to; t += DAY) s += registerAdvance(mid.get(t)!, mid.get(t + DAY)!, m.rollover).advance * m.multiplier;
  return s;
}
const monthRange = (month: string): [number, number] => {
  const [y, mo] = month.split('-').map(Number) as [number, number];
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  return [shanghaiMidnight(`${month}-01`), shanghaiMidnight(`${next}-01`)];
};

describe('demo energy: consistent with the monthly benchmarking figures', () => {
  it.each(['2019-06', '2020-01'])('each feed meter sums, in %s, to within 3 percent of its quantity indicator', (month) => {
    for (const f of demoEnergyFeeds) {
      const indicator = monthlyData.get(f.unit)!.get(f.indicator)!.get(month)!;
      const sum = consumption(f.meter, ...monthRange(month));
      expect(Math.abs(sum / indicator - 1), `${f.unit} ${f.indicator} ${f.meter}: ${sum} vs ${indicator}`).toBeLessThan(0.03);
    }
  });

  it('children add up to no more than their parent and to a good part of it', () => {
    const [from, to] = monthRange('2020-01');
    const children = new Map<string, string[]>();
    for (const m of meters) if (m.parent) children.set(m.parent, [...(children.get(m.parent) ?? []), m.code]);
    for (const [parent, kids] of children) {
      const p = consumption(parent, from, to);
      const k = kids.reduce((s, c) => s + consumption(c, from, to), 0);
      expect(k / p, `${parent}: ${k} of ${p}`).toBeLessThan(1.02);
      expect(k / p, parent).toBeGreaterThan(0.4);
    }
  });

  it('spreads each unit’s monthly output over the days', () => {
    const production = demoProductionDaily();
    expect(production.every((p) => p.quantity > 0 && p.uom === 't')).toBe(true);
    const june = new Map<string, number>();
    for (const p of production) if (p.day.startsWith('2019-06')) june.set(p.unit, (june.get(p.unit) ?? 0) + p.quantity);
    const output: Record<string, string> = { DJ1: 'DJ_AL_OUT', DL: 'DL_AL_SERVED', YH1: 'YH_AO_OUT', YH2: 'YH_AO_OUT', YH3: 'YH_AO_OUT', JXYH: 'JX_PRODUCT_T', TS: 'TS_ANODE_OUT', 'KY-SHS': 'SHS_OUT', LJG: 'LJ_OUTPUT' };
    for (const [unit, code] of Object.entries(output)) {
      expect(Math.abs(june.get(unit)! - monthlyData.get(unit)!.get(code)!.get('2019-06')!)).toBeLessThan(3);
    }
    const dj1 = production.filter((p) => p.unit === 'DJ1').map((p) => p.quantity);
    expect(Math.max(...dj1) / Math.min(...dj1)).toBeGreaterThan(1.05);
    expect(production.at(-1)!.day).toBe('2020-03-01');
  });
});

describe('demo energy: the injected faults are where documented', () => {
  it('stuck: the register does not move in (from, to] and moves before and after', () => {
    const f = demoEnergyFaults.stuck;
    const [from, to] = [Date.parse(f.from), Date.parse(f.to)];
    const rows = data.series.get(f.meter)!;
    const at = (t: number) => rows.find((r) => r.at === t)!.value;
    const inside = rows.filter((r) => r.at > from && r.at <= to);
    expect(inside).toHaveLength(f.hours * 4);
    expect(new Set(inside.map((r) => r.value))).toEqual(new Set([at(from)]));
    expect(at(from)).toBeGreaterThan(at(from - MIN15));
    expect(at(to + MIN15)).toBeGreaterThan(at(to));
    // The only counter that ever stands still is the stuck one.
    expect([...data.zeroAdvances]).toEqual([[f.meter, f.hours * 4]]);
  });

  it('reset: the register drops from the documented value to near 0 once, and the arithmetic calls it a reset', () => {
    const f = demoEnergyFaults.reset;
    const m = byCode.get(f.meter)!;
    const rows = data.series.get(f.meter)!;
    const at = Date.parse(f.at);
    const before = rows.find((r) => r.at === at - MIN15)!.value;
    const after = rows.find((r) => r.at === at)!.value;
    expect(before).toBe(f.registerBefore);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(before * 0.001);
    expect(registerAdvance(before, after, m.rollover).flag).toBe('reset');
    const drops = rows.filter((r, i) => i > 0 && r.value < rows[i - 1]!.value);
    expect(drops.map((r) => r.at)).toEqual([at]);
  });

  it('replacement: old final and new initial around the documented instant, counted right with the replacement', () => {
    const f = demoEnergyFaults.replacement;
    const m = byCode.get(f.meter)!;
    const t = Date.parse(f.at);
    expect(demoReplacements('full')).toEqual([{ meterCode: f.meter, at: t, oldFinal: f.oldFinal, newInitial: f.newInitial, note: expect.any(String) }]);
    const rows = data.series.get(f.meter)!;
    const prev = rows.filter((r) => r.at < t).at(-1)!;
    const next = rows.find((r) => r.at > t)!;
    expect(prev.value).toBeLessThanOrEqual(f.oldFinal);
    expect(f.oldFinal - prev.value).toBeLessThan(50);
    expect(next.value).toBeGreaterThan(f.newInitial);
    expect(next.value).toBeLessThan(f.newInitial + 50);
    const window = rows.filter((r) => r.at >= t - 8 * MIN15 && r.at <= t + 8 * MIN15);
    const spec = { kind: 'counter' as const, rollover: m.rollover, multiplier: m.multiplier, intervalMs: MIN15 };
    const withRep = intervalsFromReadings(window, { ...spec, replacements: demoReplacements('full') }).intervals;
    const across = withRep.find((i) => i.start < t && i.end >= t)!;
    expect(across.flags).toEqual(['replacement']);
    const others = withRep.filter((i) => i !== across).map((i) => i.consumption);
    const mean = others.reduce((a, b) => a + b, 0) / others.length;
    expect(Math.abs(across.consumption / mean - 1)).toBeLessThan(0.5);
    // Without the replacement the drop would read as a reset.
    expect(intervalsFromReadings(window, { ...spec, replacements: [] }).intervals.find((i) => i.end === next.at)!.flags).toContain('reset');
  });

  it('rollover (not a fault): DJ1-P-MAIN wraps once, at the documented time, and the arithmetic calls it a rollover', () => {
    const m = byCode.get(demoEnergyRollover.meter)!;
    const rows = data.series.get(m.code)!;
    const drops = rows.filter((r, i) => i > 0 && r.value < rows[i - 1]!.value);
    expect(drops).toHaveLength(1);
    const i = rows.indexOf(drops[0]!);
    expect(Math.abs(drops[0]!.at - Date.parse(demoEnergyRollover.at))).toBeLessThanOrEqual(MIN15);
    expect(registerAdvance(rows[i - 1]!.value, rows[i]!.value, m.rollover).flag).toBe('rollover');
  });

  it('leak: DJ1’s daily air per tonne steps up by ≈ 15 % from the documented day and stays up; other sections do not', () => {
    const f = demoEnergyFaults.leak;
    const start = Date.parse(f.from);
    const production = new Map(demoProductionDaily().filter((p) => p.unit === f.unit).map((p) => [shanghaiMidnight(p.day), p.quantity]));
    const perTonne = (code: string, from: number, days: number) => {
      const out: number[] = [];
      for (let d = 0; d < days; d++) out.push(consumption(code, from + d * DAY, from + (d + 1) * DAY) / production.get(from + d * DAY)!);
      return out;
    };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const before = perTonne('DJ1-AIR-MAIN', start - 28 * DAY, 28);
    const after = perTonne('DJ1-AIR-MAIN', start, 28);
    expect(mean(after) / mean(before)).toBeGreaterThan(1.12);
    expect(mean(after) / mean(before)).toBeLessThan(1.18);
    // Persisting: every day after is above the mean before.
    expect(Math.min(...after)).toBeGreaterThan(mean(before));
    const quiet = mean(perTonne('DJ1-AIR-04', start, 28)) / mean(perTonne('DJ1-AIR-04', start - 28 * DAY, 28));
    expect(Math.abs(quiet - 1)).toBeLessThan(0.05);
    // The extra flow sits on the section-3 feeder: its rise is the leak flow.
    const rise = consumption(f.meter, start, start + 28 * DAY) / 28 - consumption(f.meter, start - 28 * DAY, start) / 28;
    expect(Math.abs(rise / demoLeakFlow() - 1)).toBeLessThan(0.1);
  });
});
