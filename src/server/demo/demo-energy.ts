/**
 * The demo's energy data (issue 5, part 7; docs/decisions/0007-energy-data.md point 6): about 200
 * meters across the plants of the demo company, their readings, daily production and the faults the
 * detection must find. Everything is generated, deterministically (seeded PRNG, no Math.random), from
 * the demo's monthly benchmarking figures (`generateDemoData`).
 *
 * Time line (all days are Asia/Shanghai calendar days, readings at Shanghai instants):
 * - `full`: counters read daily at 00:00 from 2019-01-01 00:00 to 2019-12-03 00:00, then every 15
 *   minutes from 2019-12-03 00:15 to 2020-03-02 00:00 (the 90 days 2019-12-03 … 2020-03-01 inclusive,
 *   the last 90 days of the demo's approved data). Interval meters (a few custody meters with daily
 *   totals, interval 1440) read at 00:00 each day: the reading at D+1 00:00 is day D's consumption.
 * - `small`: a closed subset of 20 meters (parents and formula terms included), daily readings from
 *   2019-11-01 00:00 and 15-minute readings for the last 14 days 2020-02-17 … 2020-03-01; the values
 *   are the same as `full`'s at the same instants (registers count from 2019-01-01 in both).
 *
 * Consistency: a root meter's daily consumption follows the monthly quantity indicator it feeds
 * (`demoEnergyFeeds`: the month's sum equals the indicator, × a documented scale) spread over the
 * days by the unit's daily production (20 % base load + 80 % proportional, ±0.8 % noise), so the ISO
 * 50006 regression on production fits; a feeder takes a share of its parent (±1.5 % noise), so
 * children add up to their parent less a little unmetered use. Registers are rounded to 0.01.
 *
 * Counters have interval_minutes 15; their 2019 history is daily, so those days hold one interval
 * each (a coarse but complete day): the quality rules see them as gaps of the 15-minute grid.
 */
import { sql } from 'kysely';
import { daysInMonth, monthsBetween } from '../../domain/benchmarking/period';
import type { Deps, RequestContext, Tx } from '../context';
import { audit } from '../modules/audit/audit.service';
import { daysBetween, enqueueDays } from '../modules/energy/daily.service';
import { findUnitByCode } from '../modules/units/units.repository';
import { generateDemoData } from './demo-benchmarking';
import { normal, seededRandom } from '../../domain/random';

export type DemoEnergyVolume = 'full' | 'small';
export type Carrier = 'power' | 'water' | 'air' | 'gas' | 'steam';

/** A meter as the meters table holds it (codes instead of ids). */
export interface DemoMeter {
  code: string;
  nameZh: string;
  nameEn: string;
  carrier: Carrier;
  kind: 'counter' | 'interval' | 'virtual';
  uom: string;
  unit: string;
  parent: string | null;
  rollover: number | null;
  multiplier: number;
  intervalMinutes: 15 | 1440;
  formula: { meter: string; sign: 1 | -1 }[];
  sortOrder: number;
}

/** One reading: register value (counter) or the interval's consumption (interval), in register units. */
export interface DemoReading {
  meterCode: string;
  /** Epoch milliseconds. */
  at: number;
  value: number;
}

export interface DemoReplacement {
  meterCode: string;
  at: number;
  oldFinal: number;
  newInitial: number;
  note: string;
}

export interface DemoProduction {
  unit: string;
  day: string;
  product: string;
  quantity: number;
  uom: string;
}

// ---------------------------------------------------------------------------------------------
// Time

const HOUR = 3_600_000;
const DAY = 86_400_000;
const SLOT = 15 * 60_000;
const SHANGHAI = 8 * HOUR;

/** The instant a Shanghai day starts. */
export function shanghaiMidnight(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) - SHANGHAI;
}
function dayOf(t: number): string {
  return new Date(t + SHANGHAI).toISOString().slice(0, 10);
}
function addDays(day: string, n: number): string {
  return dayOf(shanghaiMidnight(day) + n * DAY);
}

/** First day with data; the daily counter history starts at its 00:00. */
export const demoEnergyFirstDay = '2019-01-01';
/** Last day with data (its closing reading is at the next day's 00:00). */
export const demoEnergyLastDay = '2020-03-01';
/** Where the 15-minute data start, per volume (both end with demoEnergyLastDay). */
export const demoEnergyWindow: Record<DemoEnergyVolume, { dailyFrom: string; quarterHourFrom: string }> = {
  full: { dailyFrom: '2019-01-01', quarterHourFrom: '2019-12-03' },
  small: { dailyFrom: '2019-11-01', quarterHourFrom: '2020-02-17' },
};
/** The internal grid: whole months, so partial months are spread like whole ones. */
const GRID_FIRST = '2019-01-01';
const GRID_LAST = '2020-03-31';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

const round2 = (v: number) => Math.round(v * 100) / 100;

// ---------------------------------------------------------------------------------------------
// Faults

/** The injected faults, where and how big; the detection must find each. */
export const demoEnergyFaults = {
  /** The register stops moving for 48 hours (readings in (from, to] repeat the value at `from`), then counts on from there: the use in between is lost. */
  stuck: { kind: 'stuck', meter: 'YH2-W-03', from: '2020-02-20T08:00:00+08:00', to: '2020-02-22T08:00:00+08:00', hours: 48 },
  /** The register restarts at 0 right after the reading at 10:00 (which shows 3 000 000.00); the reading at `at` shows one quarter-hour's advance. */
  reset: { kind: 'reset', meter: 'TS-P-04', at: '2020-02-25T10:15:00+08:00', registerBefore: 3_000_000 },
  /** The meter is exchanged at 10:07 (between two readings): the old register's last value and the new one's first; seeding writes meter_replacements. */
  replacement: { kind: 'replacement', meter: 'DJ1-P-ZZ-01', at: '2020-02-27T10:07:00+08:00', oldFinal: 4_321_000, newInitial: 3.2 },
  /**
   * A compressed-air leak on potline section 3 of 电解一厂 from 2020-02-01 00:00 (30 days before the
   * end of the 15-minute window), persisting: a constant extra flow (`demoLeakFlow()`, ≈ 221 000 m³
   * a day; February's underlying rate per tonne is 4 % below January's, as typed) sized so that
   * DJ1's mean daily air per tonne of aluminium over the 28 days from the step is exactly 15 % above
   * the mean of the 28 days before. It shows on the feeder, on
   * DJ1's incoming air meter and upstream at 动力厂's station (`alsoOn`); February 2020's air is
   * therefore above the DL_AIR_M3 figure typed for that month.
   */
  leak: { kind: 'leak', meter: 'DJ1-AIR-03', alsoOn: ['DJ1-AIR-MAIN', 'DL-AIR-OUT-DJ1', 'DL-AIR-MAIN'], unit: 'DJ1', from: '2020-02-01T00:00:00+08:00', increase: 0.15, baselineDays: 28 },
} as const;

/** The demo's energy anomaly rule (EN_DRIFT on 电解一厂's incoming air; its baseline ends the day before the leak). */
export const demoEnergyAnomalyRule = { indicator: 'DL_AIR_T', meter: 'DJ1-AIR-MAIN', params: { baselineFrom: '2019-12-07', baselineDays: 56, k: 0.5, h: 5, minR2: 0.75 } } as const;

/** The demo's data-quality rules: one EN_QUALITY per unit with an energy feed, under its first fed indicator (demoEnergyFeeds order). */
export const demoEnergyQualityParams = { lookbackDays: 31 } as const;

/** Not a fault: a register that wraps at its rollover inside the 15-minute window. */
export const demoEnergyRollover = { meter: 'DJ1-P-MAIN', at: '2020-01-10T12:00:00+08:00' } as const;

// ---------------------------------------------------------------------------------------------
// Meters

type Profile = 'flat' | 'process' | 'shift' | 'lighting' | 'heating';
type Basis =
  /** The month's sum = indicator × scale (of `unit`, default the meter's), spread by `driver`'s daily production (or evenly). */
  | { indicator: string; unit?: string; driver: string | null; scale?: number }
  /** rate × the driver unit's production, with a seasonal swing. */
  | { perTonne: number; driver: string; season?: number }
  /** A flat use per day. */
  | { perDay: number; season?: number };

interface Spec extends DemoMeter {
  basis?: Basis;
  /** A share of another meter's daily use (default: of the parent). */
  of?: string;
  share?: number;
  profile: Profile;
  /** Relative daily noise. */
  noise: number;
}

const uomOf: Record<Carrier, string> = { power: 'kWh', water: 'm³', air: 'm³', gas: 'm³', steam: 't' };

/** The meters, parents before children, virtual meters after their terms. */
function buildSpecs(): Spec[] {
  const out: Spec[] = [];
  const add = (
    code: string,
    unit: string,
    carrier: Carrier,
    zh: string,
    en: string,
    o: { parent?: string | null; of?: string; share?: number; basis?: Basis; mult?: number; kind?: 'counter' | 'interval'; uom?: string; profile?: Profile; noise?: number; rollover?: number } = {},
  ) => {
    const kind = o.kind ?? 'counter';
    const main = code.endsWith('-MAIN') || code.endsWith('-IN');
    out.push({
      code,
      nameZh: zh,
      nameEn: en,
      carrier,
      kind,
      uom: o.uom ?? uomOf[carrier],
      unit,
      parent: o.parent ?? null,
      rollover: kind === 'interval' ? null : (o.rollover ?? (carrier === 'power' ? 1e7 : main ? 1e8 : 1e7)),
      multiplier: o.mult ?? 1,
      intervalMinutes: kind === 'interval' ? 1440 : 15,
      formula: [],
      sortOrder: out.length * 10,
      ...(o.basis ? { basis: o.basis } : {}),
      ...(o.of ? { of: o.of } : {}),
      ...(o.share !== undefined ? { share: o.share } : {}),
      profile: o.profile ?? 'process',
      noise: o.noise ?? (o.basis ? 0.008 : 0.015),
    });
  };
  const virtual = (code: string, unit: string, carrier: Carrier, zh: string, en: string, terms: [string, 1 | -1][], uom?: string) => {
    out.push({ code, nameZh: zh, nameEn: en, carrier, kind: 'virtual', uom: uom ?? uomOf[carrier], unit, parent: null, rollover: null, multiplier: 1, intervalMinutes: 15, formula: terms.map(([meter, sign]) => ({ meter, sign })), sortOrder: out.length * 10, profile: 'flat', noise: 0 });
  };
  const feeders = (parent: string, unit: string, carrier: Carrier, list: [suffix: string, zh: string, en: string, share: number, opts?: { unit?: string; mult?: number; profile?: Profile }][], defaults: { mult?: number; profile?: Profile } = {}) => {
    for (const [suffix, zh, en, share, opts] of list) {
      add(`${parent.replace(/-(MAIN|IN)$/, '')}-${suffix}`, opts?.unit ?? unit, carrier, zh, en, { parent, share, mult: opts?.mult ?? defaults.mult ?? 1, profile: opts?.profile ?? defaults.profile ?? 'process' });
    }
  };

  // 电解一厂 (DJ1): AC incoming, four rectifier units with their DC side, casting, auxiliaries; air and water from 动力厂.
  add('DJ1-P-MAIN', 'DJ1', 'power', '电解一厂220kV进线总表', 'No.1 Electrolysis 220 kV incoming (AC)', { basis: { indicator: 'DJ_AC_KWH', driver: 'DJ1' }, mult: 2000, profile: 'flat' });
  for (let i = 1; i <= 4; i++) {
    add(`DJ1-DC-0${i}`, 'DJ1-DJ', 'power', `${i}号整流机组直流侧`, `Rectifier unit ${i} DC side`, { basis: { indicator: 'DJ_DC_KWH', unit: 'DJ1', driver: 'DJ1', scale: 0.25 }, mult: 1000, profile: 'flat', noise: 0.004 });
  }
  for (let i = 1; i <= 4; i++) {
    // In the tree the AC feeder of a rectifier sits under the incoming meter; its use follows its DC side plus 1.2 % rectifier loss.
    add(`DJ1-P-RECT${i}`, 'DJ1-DJ', 'power', `${i}号整流机组交流侧`, `Rectifier unit ${i} AC side`, { parent: 'DJ1-P-MAIN', of: `DJ1-DC-0${i}`, share: 1.012, mult: 1000, profile: 'flat', noise: 0.002 });
  }
  // The DC meters hang under their rectifier's AC feeder.
  for (let i = 1; i <= 4; i++) out.find((s) => s.code === `DJ1-DC-0${i}`)!.parent = `DJ1-P-RECT${i}`;
  add('DJ1-P-ZZ', 'DJ1-ZZ', 'power', '铸造车间总表', 'Casting workshop', { parent: 'DJ1-P-MAIN', share: 0.009, mult: 40, profile: 'shift' });
  feeders('DJ1-P-ZZ', 'DJ1-ZZ', 'power', [
    ['01', '1号混合炉', 'Mixing furnace 1', 0.34],
    ['02', '2号混合炉', 'Mixing furnace 2', 0.33],
    ['03', '铸造机组', 'Casting machines', 0.28],
  ], { mult: 10, profile: 'shift' });
  add('DJ1-P-AUX', 'DJ1', 'power', '厂用电总表', 'Plant auxiliaries', { parent: 'DJ1-P-MAIN', share: 0.009, mult: 40, profile: 'process' });
  feeders('DJ1-P-AUX', 'DJ1', 'power', [
    ['01', '烟气净化风机', 'Fume treatment fans', 0.3],
    ['02', '循环水泵房', 'Cooling water pumps', 0.2],
    ['03', '照明', 'Lighting', 0.06, { mult: 1, profile: 'lighting' }],
    ['04', '办公及生活', 'Offices and amenities', 0.05, { mult: 1, profile: 'shift' }],
  ], { mult: 10 });
  feeders('DJ1-P-AUX', 'DJ1-DJ-A1', 'power', [
    ['A1-01', '一工区多功能天车', 'Work Area 1 pot-tending cranes', 0.1],
    ['A1-02', '一工区槽控机', 'Work Area 1 pot controllers', 0.05],
    ['A1-03', '一工区照明', 'Work Area 1 lighting', 0.03, { profile: 'lighting' }],
  ], { mult: 1 });
  virtual('DJ1-DC-TOTAL', 'DJ1', 'power', '电解一厂直流电量（合计）', 'No.1 Electrolysis DC total', [1, 2, 3, 4].map((i) => [`DJ1-DC-0${i}`, 1]));
  virtual('DJ1-P-RECTLOSS', 'DJ1', 'power', '整流损失', 'Rectifier losses', [...[1, 2, 3, 4].map((i) => [`DJ1-P-RECT${i}`, 1] as [string, 1]), ...[1, 2, 3, 4].map((i) => [`DJ1-DC-0${i}`, -1] as [string, -1])]);

  // 动力厂 (DL): power in and out (MWh), compressed-air station, fresh-water station, gas boilers.
  const mwh = { uom: 'MWh' };
  add('DL-P-IN', 'DL', 'power', '动力厂220kV进线', 'Power Plant 220 kV incoming', { ...mwh, basis: { indicator: 'DL_POWER_MWH', driver: 'DJ1', scale: 1.03 }, profile: 'flat' });
  add('DL-P-OUT-DJ1', 'DL', 'power', '至电解一厂出线', 'Outgoing to No.1 Electrolysis', { ...mwh, parent: 'DL-P-IN', share: 0.922, profile: 'flat', noise: 0.004 });
  add('DL-P-OUT-TS', 'DL', 'power', '至炭素事业部出线', 'Outgoing to Carbon Division', { ...mwh, parent: 'DL-P-IN', share: 0.0155 });
  add('DL-P-OUT-LJG', 'DL', 'power', '至铝加工事业部出线', 'Outgoing to Aluminium Processing', { ...mwh, parent: 'DL-P-IN', share: 0.0325, profile: 'shift' });
  add('DL-P-AUX', 'DL', 'power', '动力厂自用电', 'Power Plant own use', { ...mwh, parent: 'DL-P-IN', share: 0.027 });
  for (const [s, zh, en, share] of [['01', '空压站电机', 'Air compressor motors', 0.62], ['02', '水泵房', 'Water pumping station', 0.25], ['03', '照明及办公', 'Lighting and offices', 0.06]] as const) {
    add(`DL-P-AUX-${s}`, 'DL', 'power', zh, en, { ...mwh, parent: 'DL-P-AUX', share, profile: s === '03' ? 'lighting' : 'process' });
  }
  virtual('DL-P-OUT', 'DL', 'power', '动力厂供电量（出线合计）', 'Power Plant electricity supplied (outgoing total)', [['DL-P-OUT-DJ1', 1], ['DL-P-OUT-TS', 1], ['DL-P-OUT-LJG', 1]], 'MWh');
  virtual('DL-P-NET', 'DL', 'power', '动力厂净用电（进线−出线）', 'Power Plant net use (incoming − outgoing)', [['DL-P-IN', 1], ['DL-P-OUT', -1]], 'MWh');
  add('DL-AIR-MAIN', 'DL', 'air', '空压站出口总管', 'Air compressor station header', { basis: { indicator: 'DL_AIR_M3', driver: 'DJ1' }, mult: 10 });
  add('DL-AIR-OUT-DJ1', 'DL', 'air', '至电解一厂压缩空气', 'Compressed air to No.1 Electrolysis', { parent: 'DL-AIR-MAIN', share: 0.965, mult: 10, noise: 0.004 });
  add('DL-AIR-OUT-TS', 'DL', 'air', '至炭素事业部压缩空气', 'Compressed air to Carbon Division', { parent: 'DL-AIR-MAIN', share: 0.02 });
  add('DL-AIR-OUT-LJG', 'DL', 'air', '至铝加工事业部压缩空气', 'Compressed air to Aluminium Processing', { parent: 'DL-AIR-MAIN', share: 0.008, profile: 'shift' });
  add('DL-W-MAIN', 'DL', 'water', '新水泵站总表', 'Fresh-water pumping station', { basis: { indicator: 'DL_WATER_M3', driver: 'DJ1' } });
  feeders('DL-W-MAIN', 'DL', 'water', [
    ['OUT-DJ1', '至电解一厂新水', 'Fresh water to No.1 Electrolysis', 0.55],
    ['OUT-TS', '至炭素事业部新水', 'Fresh water to Carbon Division', 0.15],
    ['OUT-LJG', '至铝加工事业部新水', 'Fresh water to Aluminium Processing', 0.1],
    ['01', '1号冷却塔补水', 'Cooling tower 1 make-up', 0.08],
    ['02', '2号冷却塔补水', 'Cooling tower 2 make-up', 0.07],
  ]);
  add('DL-G-MAIN', 'DL', 'gas', '天然气门站计量（日报）', 'Natural gas gate station (daily)', { kind: 'interval', basis: { indicator: 'DL_GAS_M3', driver: null } });
  feeders('DL-G-MAIN', 'DL', 'gas', [
    ['01', '1号燃气锅炉', 'Gas boiler 1', 0.4, { profile: 'heating' }],
    ['02', '2号燃气锅炉', 'Gas boiler 2', 0.35, { profile: 'heating' }],
    ['03', '食堂及生活', 'Canteen and amenities', 0.2, { profile: 'shift' }],
  ]);

  // 电解一厂's air and water from 动力厂, with the workshop meters.
  add('DJ1-AIR-MAIN', 'DJ1', 'air', '电解一厂压缩空气进厂总表', 'No.1 Electrolysis compressed air incoming', { of: 'DL-AIR-OUT-DJ1', share: 0.995, mult: 10, noise: 0.003 });
  feeders('DJ1-AIR-MAIN', 'DJ1-DJ', 'air', [
    ['01', '一区槽上打壳下料', 'Section 1 crust breaking and feeding', 0.2, { unit: 'DJ1-DJ-A1' }],
    ['02', '二区槽上打壳下料', 'Section 2 crust breaking and feeding', 0.2],
    ['03', '三区槽上打壳下料', 'Section 3 crust breaking and feeding', 0.2],
    ['04', '四区槽上打壳下料', 'Section 4 crust breaking and feeding', 0.2],
    ['05', '铸造车间用气', 'Casting workshop', 0.08, { unit: 'DJ1-ZZ', profile: 'shift' }],
    ['06', '烟气净化反吹', 'Fume treatment pulse cleaning', 0.1, { unit: 'DJ1' }],
  ]);
  add('DJ1-AIR-01-01', 'DJ1-DJ-A1', 'air', '一工区A列', 'Work Area 1 row A', { parent: 'DJ1-AIR-01', share: 0.5 });
  add('DJ1-AIR-01-02', 'DJ1-DJ-A1', 'air', '一工区B列', 'Work Area 1 row B', { parent: 'DJ1-AIR-01', share: 0.48 });
  add('DJ1-AIR-02-01', 'DJ1-DJ', 'air', '二工区A列', 'Section 2 row A', { parent: 'DJ1-AIR-02', share: 0.5 });
  add('DJ1-AIR-02-02', 'DJ1-DJ', 'air', '二工区B列', 'Section 2 row B', { parent: 'DJ1-AIR-02', share: 0.48 });
  add('DJ1-W-MAIN', 'DJ1', 'water', '电解一厂新水进厂总表', 'No.1 Electrolysis fresh water incoming', { of: 'DL-W-OUT-DJ1', share: 0.99 });
  feeders('DJ1-W-MAIN', 'DJ1', 'water', [
    ['01', '循环水补水', 'Cooling circuit make-up', 0.5],
    ['02', '铸造冷却水', 'Casting cooling water', 0.3, { unit: 'DJ1-ZZ', profile: 'shift' }],
    ['03', '生活用水', 'Domestic water', 0.15, { profile: 'shift' }],
  ]);

  // 热电分厂 (RD): two generators (MWh), station service, outgoing lines; water treatment in 燃化工区.
  add('RD-P-GEN1', 'RD', 'power', '1号发电机出口', 'Generator 1 terminals', { ...mwh, basis: { indicator: 'RD_POWER_GEN', driver: null, scale: 0.52 }, profile: 'flat' });
  add('RD-P-GEN2', 'RD', 'power', '2号发电机出口', 'Generator 2 terminals', { ...mwh, basis: { indicator: 'RD_POWER_GEN', driver: null, scale: 0.48 }, profile: 'flat' });
  add('RD-P-AUX', 'RD', 'power', '厂用电', 'Station service', { ...mwh, of: 'RD-P-GEN1', share: 0.12 });
  add('RD-P-OUT-01', 'RD', 'power', '至动力厂联络线', 'Tie line to the Power Plant', { ...mwh, of: 'RD-P-GEN1', share: 1.2, profile: 'flat' });
  add('RD-P-OUT-02', 'RD', 'power', '至氧化铝联络线', 'Tie line to the alumina plants', { ...mwh, of: 'RD-P-GEN2', share: 0.65, profile: 'flat' });
  virtual('RD-P-GEN', 'RD', 'power', '热电分厂发电量', 'Thermal Power Plant generation', [['RD-P-GEN1', 1], ['RD-P-GEN2', 1]], 'MWh');
  virtual('RD-P-NET', 'RD', 'power', '热电分厂净发电量（发电−厂用）', 'Thermal Power Plant net generation (generation − station service)', [['RD-P-GEN', 1], ['RD-P-AUX', -1]], 'MWh');
  add('RD-W-MAIN', 'RD-RH', 'water', '化学水处理进水', 'Water treatment intake', { basis: { perDay: 3000, season: 0.1 } });
  add('RD-W-01', 'RD-RH', 'water', '除盐水制备', 'Demineralised water', { parent: 'RD-W-MAIN', share: 0.7 });
  add('RD-W-02', 'RD-RH', 'water', '输煤系统喷淋', 'Coal handling spray', { parent: 'RD-W-MAIN', share: 0.25, profile: 'shift' });

  // 氧化铝厂 (YH1, YH2, YH3): power (with an outgoing feeder to a neighbour), water, steam, gas.
  const neighbour: Record<string, [string, string, string]> = { YH1: ['KY', '矿业公司', 'Mining Company'], YH2: ['JX', '精细氧化铝', 'Fine Alumina Plant'], YH3: ['WL', '物流运输事业部', 'Logistics Division'] };
  for (const yh of ['YH1', 'YH2', 'YH3']) {
    const n = Number(yh.slice(2));
    const rc = yh === 'YH3' ? 'YH3' : `${yh}-RC`;
    const bs = yh === 'YH1' ? 'YH1-BS' : yh;
    const cp = yh === 'YH2' ? 'YH2-CP' : yh;
    const [nb, nbZh, nbEn] = neighbour[yh]!;
    const zh = ['第一', '第二', '第三'][n - 1]!;
    add(`${yh}-P-MAIN`, yh, 'power', `${zh}氧化铝厂110kV进线总表`, `No.${n} Alumina 110 kV incoming`, { basis: { indicator: 'YH_POWER_KWH', driver: yh, scale: 1.06 }, mult: 400 });
    add(`${yh}-P-OUT-${nb}`, yh, 'power', `至${nbZh}出线`, `Outgoing to the ${nbEn}`, { parent: `${yh}-P-MAIN`, share: 0.06 / 1.06, mult: 20, noise: 0.01 });
    feeders(`${yh}-P-MAIN`, yh, 'power', [
      ['01', '原料磨', 'Raw material grinding', 0.12],
      ['02', '溶出', 'Digestion', 0.18, { unit: rc }],
      ['03', '赤泥分离洗涤', 'Red mud separation and washing', 0.08],
      ['04', '分解', 'Precipitation', 0.15, { unit: cp }],
      ['05', '蒸发', 'Evaporation', 0.12],
      ['06', '焙烧', 'Calcination', 0.14, { unit: bs }],
      ['07', '循环水', 'Cooling water', 0.07],
      ['08', '照明及办公', 'Lighting and offices', 0.02, { profile: 'lighting' }],
    ], { mult: 20 });
    add(`${yh}-P-02-01`, rc, 'power', '溶出高压隔膜泵', 'Digestion high-pressure membrane pumps', { parent: `${yh}-P-02`, share: 0.5, mult: 10 });
    add(`${yh}-P-02-02`, rc, 'power', '溶出套管加热系统', 'Digestion tube heaters', { parent: `${yh}-P-02`, share: 0.4, mult: 10 });
    add(`${yh}-P-04-01`, cp, 'power', '分解槽搅拌', 'Precipitator agitators', { parent: `${yh}-P-04`, share: 0.6, mult: 10 });
    add(`${yh}-P-06-01`, bs, 'power', '焙烧炉引风机', 'Calciner induced-draught fans', { parent: `${yh}-P-06`, share: 0.55, mult: 10 });
    add(`${yh}-P-05-01`, yh, 'power', '蒸发器循环泵', 'Evaporator circulation pumps', { parent: `${yh}-P-05`, share: 0.45, mult: 10 });
    virtual(`${yh}-P-NET`, yh, 'power', `${zh}氧化铝厂净用电（进线−出线）`, `No.${n} Alumina net use (incoming − outgoing)`, [[`${yh}-P-MAIN`, 1], [`${yh}-P-OUT-${nb}`, -1]]);
    add(`${yh}-W-MAIN`, yh, 'water', `${zh}氧化铝厂新水总表`, `No.${n} Alumina fresh water incoming`, { basis: { indicator: 'YH_WATER_M3', driver: yh } });
    feeders(`${yh}-W-MAIN`, yh, 'water', [
      ['01', '循环水补水', 'Cooling circuit make-up', 0.35],
      ['02', '工艺用水', 'Process water', 0.3, { unit: rc }],
      ['03', '锅炉给水', 'Boiler feed water', 0.2],
      ['04', '生活用水', 'Domestic water', 0.1, { profile: 'shift' }],
    ]);
    add(`${yh}-S-MAIN`, yh, 'steam', `${zh}氧化铝厂蒸汽总表`, `No.${n} Alumina steam incoming`, { basis: { indicator: 'YH_STEAM_T', driver: yh } });
    feeders(`${yh}-S-MAIN`, yh, 'steam', [
      ['01', '溶出用汽', 'Digestion steam', 0.55, { unit: rc }],
      ['02', '蒸发用汽', 'Evaporation steam', 0.3],
      ['03', '其他用汽', 'Other steam use', 0.1],
    ]);
    add(`${yh}-S-01-01`, rc, 'steam', '溶出一系列用汽', 'Digestion line 1 steam', { parent: `${yh}-S-01`, share: 0.5 });
    add(`${yh}-G-MAIN`, yh, 'gas', `${zh}氧化铝厂天然气（日报）`, `No.${n} Alumina natural gas (daily)`, { kind: 'interval', basis: { perTonne: 75, driver: yh, season: 0.03 } });
    feeders(`${yh}-G-MAIN`, bs, 'gas', [
      ['01', '1号焙烧炉', 'Calciner 1', 0.6],
      ['02', '2号焙烧炉', 'Calciner 2', 0.38],
    ]);
  }

  // 精细氧化铝 (JXYH)
  add('JXYH-P-MAIN', 'JXYH', 'power', '精细氧化铝进线总表', 'Fine Alumina incoming', { basis: { perTonne: 650, driver: 'JXYH' }, mult: 40 });
  feeders('JXYH-P-MAIN', 'JXYH', 'power', [
    ['01', '胶溶工序', 'Peptisation', 0.35],
    ['02', '干燥焙烧', 'Drying and calcination', 0.4],
    ['03', '包装', 'Packing', 0.15, { profile: 'shift' }],
  ], { mult: 10 });
  add('JXYH-P-02-01', 'JXYH', 'power', '闪速干燥机', 'Flash dryer', { parent: 'JXYH-P-02', share: 0.6, mult: 10 });
  add('JXYH-P-01-01', 'JXYH', 'power', '胶溶反应釜', 'Peptisation reactors', { parent: 'JXYH-P-01', share: 0.55, mult: 10 });
  add('JXYH-W-MAIN', 'JXYH', 'water', '精细氧化铝新水总表', 'Fine Alumina fresh water incoming', { basis: { indicator: 'JX_WATER_M3', driver: 'JXYH' } });
  feeders('JXYH-W-MAIN', 'JXYH', 'water', [
    ['01', '工艺用水', 'Process water', 0.7],
    ['02', '洗涤用水', 'Washing water', 0.25],
  ]);
  add('JXYH-S-MAIN', 'JXYH', 'steam', '精细氧化铝蒸汽总表', 'Fine Alumina steam incoming', { basis: { perTonne: 3, driver: 'JXYH' } });

  // 炭素事业部 (TS)
  add('TS-P-MAIN', 'TS', 'power', '炭素事业部进线总表', 'Carbon Division incoming', { basis: { indicator: 'TS_POWER_KWH', driver: 'TS' }, mult: 40 });
  feeders('TS-P-MAIN', 'TS', 'power', [
    ['01', '成型', 'Forming', 0.3, { profile: 'shift' }],
    ['02', '焙烧', 'Baking', 0.25],
    ['03', '组装', 'Rodding', 0.15, { profile: 'shift' }],
    ['04', '煅烧', 'Calcining', 0.12],
    ['05', '除尘', 'Dust collection', 0.08],
    ['06', '照明', 'Lighting', 0.03, { profile: 'lighting', mult: 1 }],
  ], { mult: 20 });
  add('TS-P-02-01', 'TS', 'power', '1号焙烧炉', 'Baking furnace 1', { parent: 'TS-P-02', share: 0.5, mult: 10 });
  add('TS-P-02-02', 'TS', 'power', '2号焙烧炉', 'Baking furnace 2', { parent: 'TS-P-02', share: 0.48, mult: 10 });
  add('TS-P-01-01', 'TS', 'power', '混捏机', 'Paste kneaders', { parent: 'TS-P-01', share: 0.4, mult: 10, profile: 'shift' });
  add('TS-G-MAIN', 'TS', 'gas', '炭素事业部天然气总表', 'Carbon Division natural gas incoming', { basis: { perTonne: 55, driver: 'TS', season: 0.05 } });
  feeders('TS-G-MAIN', 'TS', 'gas', [
    ['01', '焙烧炉燃气', 'Baking furnaces', 0.7],
    ['02', '煅烧炉燃气', 'Calciners', 0.25],
  ]);
  add('TS-W-MAIN', 'TS', 'water', '炭素事业部新水总表', 'Carbon Division fresh water incoming', { of: 'DL-W-OUT-TS', share: 0.99 });
  add('TS-W-01', 'TS', 'water', '成型冷却水', 'Forming cooling water', { parent: 'TS-W-MAIN', share: 0.6, profile: 'shift' });
  add('TS-AIR-MAIN', 'TS', 'air', '炭素事业部压缩空气总表', 'Carbon Division compressed air incoming', { of: 'DL-AIR-OUT-TS', share: 0.99 });
  add('TS-AIR-01', 'TS', 'air', '除尘反吹', 'Dust collector pulse cleaning', { parent: 'TS-AIR-MAIN', share: 0.7 });

  // 矿业公司石灰石矿 (KY-SHS), 铝加工事业部 (LJG), 物流运输事业部 (WL): fed from neighbours.
  add('KY-SHS-P-MAIN', 'KY-SHS', 'power', '石灰石矿进线总表', 'Limestone Mine incoming', { of: 'YH1-P-OUT-KY', share: 0.99, mult: 20 });
  add('KY-SHS-P-01', 'KY-SHS', 'power', '破碎系统', 'Crushing', { parent: 'KY-SHS-P-MAIN', share: 0.6, mult: 10, profile: 'shift' });
  add('KY-SHS-P-02', 'KY-SHS', 'power', '皮带输送', 'Belt conveyors', { parent: 'KY-SHS-P-MAIN', share: 0.3, mult: 10, profile: 'shift' });
  add('LJG-P-MAIN', 'LJG', 'power', '铝加工进线总表', 'Aluminium Processing incoming', { of: 'DL-P-OUT-LJG', share: 990, mult: 80, profile: 'shift' });
  feeders('LJG-P-MAIN', 'LJG', 'power', [
    ['01', '热轧', 'Hot rolling', 0.45, { profile: 'shift' }],
    ['02', '冷轧', 'Cold rolling', 0.3, { profile: 'shift' }],
    ['03', '精整', 'Finishing', 0.15, { profile: 'shift' }],
  ], { mult: 20 });
  add('LJG-G-MAIN', 'LJG', 'gas', '铝加工天然气总表', 'Aluminium Processing natural gas incoming', { basis: { perTonne: 90, driver: 'LJG', season: 0.04 } });
  add('LJG-G-01', 'LJG', 'gas', '熔铸炉', 'Melting furnaces', { parent: 'LJG-G-MAIN', share: 0.8 });
  add('LJG-W-MAIN', 'LJG', 'water', '铝加工新水总表', 'Aluminium Processing fresh water incoming', { of: 'DL-W-OUT-LJG', share: 0.99 });
  add('WL-P-MAIN', 'WL', 'power', '物流运输进线总表', 'Logistics incoming', { of: 'YH3-P-OUT-WL', share: 0.99, mult: 20 });
  add('WL-P-01', 'WL', 'power', '机务段', 'Locomotive depot', { parent: 'WL-P-MAIN', share: 0.55, mult: 10, profile: 'shift' });
  add('WL-P-02', 'WL', 'power', '车辆段及站场照明', 'Wagon depot and yard lighting', { parent: 'WL-P-MAIN', share: 0.35, mult: 10, profile: 'lighting' });

  // Parents before children, virtual meters last (already written after their terms).
  const byCode = new Map(out.map((s) => [s.code, s]));
  const ordered: Spec[] = [];
  const placed = new Set<string>();
  const place = (s: Spec) => {
    if (placed.has(s.code)) return;
    if (s.parent) place(byCode.get(s.parent)!);
    placed.add(s.code);
    ordered.push(s);
  };
  out.filter((s) => s.kind !== 'virtual').forEach(place);
  out.filter((s) => s.kind === 'virtual').forEach(place);
  return ordered.map((s, i) => ({ ...s, sortOrder: i * 10 }));
}

let specCache: Spec[] | null = null;
function specs(): Spec[] {
  specCache ??= buildSpecs();
  return specCache;
}

function toMeter(s: Spec): DemoMeter {
  return { code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, carrier: s.carrier, kind: s.kind, uom: s.uom, unit: s.unit, parent: s.parent, rollover: s.rollover, multiplier: s.multiplier, intervalMinutes: s.intervalMinutes, formula: s.formula.map((t) => ({ ...t })), sortOrder: s.sortOrder };
}

/** The meters of `small`: the fault meters and a few trees, closed under parents and formula terms. */
const smallSeed = ['DJ1-P-MAIN', 'DJ1-P-ZZ-01', 'DJ1-AIR-01', 'DJ1-AIR-02', 'DJ1-AIR-03', 'DJ1-AIR-04', 'DJ1-AIR-05', 'DJ1-AIR-06', 'YH2-W-03', 'YH2-P-NET', 'TS-P-01', 'TS-P-02', 'TS-P-04', 'DL-G-MAIN'];

function smallCodes(): Set<string> {
  const byCode = new Map(specs().map((s) => [s.code, s]));
  const set = new Set<string>();
  const visit = (code: string) => {
    if (set.has(code)) return;
    set.add(code);
    const s = byCode.get(code)!;
    if (s.parent) visit(s.parent);
    for (const t of s.formula) visit(t.meter);
  };
  smallSeed.forEach(visit);
  return set;
}

/**
 * The demo's meters (≈ 200 for `full`, 20 for `small`), parents before children and virtual meters
 * after their terms: the order to insert them in.
 */
export function demoMeters(volume: DemoEnergyVolume = 'full'): DemoMeter[] {
  const all = specs();
  if (volume === 'full') return all.map(toMeter);
  const keep = smallCodes();
  return all.filter((s) => keep.has(s.code)).map(toMeter);
}

/** Which meter feeds which quantity indicator of which unit (energy_feeds). */
export const demoEnergyFeeds: { indicator: string; unit: string; meter: string }[] = [
  { indicator: 'DJ_AC_KWH', unit: 'DJ1', meter: 'DJ1-P-MAIN' },
  { indicator: 'DJ_DC_KWH', unit: 'DJ1', meter: 'DJ1-DC-TOTAL' },
  ...['YH1', 'YH2', 'YH3'].flatMap((u) => [
    { indicator: 'YH_POWER_KWH', unit: u, meter: `${u}-P-NET` },
    { indicator: 'YH_WATER_M3', unit: u, meter: `${u}-W-MAIN` },
    { indicator: 'YH_STEAM_T', unit: u, meter: `${u}-S-MAIN` },
  ]),
  { indicator: 'DL_AIR_M3', unit: 'DL', meter: 'DL-AIR-MAIN' },
  { indicator: 'DL_WATER_M3', unit: 'DL', meter: 'DL-W-MAIN' },
  { indicator: 'DL_GAS_M3', unit: 'DL', meter: 'DL-G-MAIN' },
  { indicator: 'DL_POWER_MWH', unit: 'DL', meter: 'DL-P-OUT' },
  { indicator: 'RD_POWER_GEN', unit: 'RD', meter: 'RD-P-GEN' },
  { indicator: 'TS_POWER_KWH', unit: 'TS', meter: 'TS-P-MAIN' },
  { indicator: 'JX_WATER_M3', unit: 'JXYH', meter: 'JXYH-W-MAIN' },
];

// ---------------------------------------------------------------------------------------------
// Production

/** Daily production per unit: the monthly output indicator spread over the days (±4 %). */
const productionDefs: { unit: string; indicator: string; product: string; shapeOf?: string }[] = [
  { unit: 'DJ1', indicator: 'DJ_AL_OUT', product: 'aluminium' },
  { unit: 'DL', indicator: 'DL_AL_SERVED', product: 'aluminium-served', shapeOf: 'DJ1' },
  { unit: 'YH1', indicator: 'YH_AO_OUT', product: 'alumina' },
  { unit: 'YH2', indicator: 'YH_AO_OUT', product: 'alumina' },
  { unit: 'YH3', indicator: 'YH_AO_OUT', product: 'alumina' },
  { unit: 'JXYH', indicator: 'JX_PRODUCT_T', product: 'fine-alumina' },
  { unit: 'TS', indicator: 'TS_ANODE_OUT', product: 'anode' },
  { unit: 'KY-SHS', indicator: 'SHS_OUT', product: 'limestone' },
  { unit: 'LJG', indicator: 'LJ_OUTPUT', product: 'aluminium-products' },
];

interface Model {
  days: string[];
  dayIndex: Map<string, number>;
  months: string[];
  /** Days of the grid per month: [first index, count]. */
  monthSpan: Map<string, [number, number]>;
  monthly: ReturnType<typeof generateDemoData>;
  production: Map<string, Float64Array>;
  /** Per physical meter: the day's consumption in its unit of measure (faults excluded). */
  base: Map<string, Float64Array>;
  /** Extra flat use per day (the leak). */
  flat: Map<string, Float64Array>;
}

function monthlyValue(data: Model['monthly'], unit: string, indicator: string, month: string): number {
  const v = data.get(unit)?.get(indicator)?.get(month);
  if (v === undefined) throw new Error(`demo energy: no ${indicator} for ${unit} in ${month}`);
  return v;
}

/** Daily production and daily consumption per meter over the grid (whole months 2019-01 … 2020-03). */
function model(): Model {
  const days: string[] = [];
  for (let d = GRID_FIRST; d <= GRID_LAST; d = addDays(d, 1)) days.push(d);
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const months = monthsBetween(GRID_FIRST.slice(0, 7), GRID_LAST.slice(0, 7));
  const monthSpan = new Map<string, [number, number]>(months.map((m) => [m, [dayIndex.get(`${m}-01`)!, daysInMonth(m)]]));
  const monthly = generateDemoData();

  const production = new Map<string, Float64Array>();
  for (const p of productionDefs) {
    const out = new Float64Array(days.length);
    const rand = seededRandom(`energy/production/${p.unit}`);
    const shape = p.shapeOf ? production.get(p.shapeOf)! : null;
    for (const m of months) {
      const [first, n] = monthSpan.get(m)!;
      const total = monthlyValue(monthly, p.unit, p.indicator, m);
      const w = Array.from({ length: n }, (_, i) => (shape ? shape[first + i]! : Math.max(0.5, 1 + 0.04 * normal(rand))));
      const sum = w.reduce((a, b) => a + b, 0);
      w.forEach((x, i) => (out[first + i] = (total * x) / sum));
    }
    production.set(p.unit, out);
  }
  const monthlyProduction = (unit: string, m: string) => {
    const [first, n] = monthSpan.get(m)!;
    const series = production.get(unit)!;
    let s = 0;
    for (let i = first; i < first + n; i++) s += series[i]!;
    return s;
  };

  const base = new Map<string, Float64Array>();
  const all = specs().filter((s) => s.kind !== 'virtual');
  const byCode = new Map(all.map((s) => [s.code, s]));
  const compute = (s: Spec): Float64Array => {
    const done = base.get(s.code);
    if (done) return done;
    const rand = seededRandom(`energy/daily/${s.code}`);
    const out = new Float64Array(days.length);
    const b = s.basis;
    if (b) {
      const driverCode = 'driver' in b ? b.driver : null;
      const driver = driverCode ? production.get(driverCode)! : null;
      for (const m of months) {
        const [first, n] = monthSpan.get(m)!;
        const meanProd = driverCode ? monthlyProduction(driverCode, m) / n : 1;
        let sum = 0;
        for (let i = first; i < first + n; i++) {
          const load = driver ? 0.2 * meanProd + 0.8 * driver[i]! : 1;
          const doy = (shanghaiMidnight(days[i]!) - shanghaiMidnight('2019-01-01')) / DAY;
          const season = 'season' in b && b.season ? 1 + b.season * Math.cos((2 * Math.PI * doy) / 365.25) : 1;
          out[i] = load * season * (1 + s.noise * normal(rand));
          sum += out[i]!;
        }
        // The month's total: the indicator (× scale), a rate × production, or a flat use.
        let total: number;
        if ('indicator' in b) total = monthlyValue(monthly, b.unit ?? s.unit, b.indicator, m) * (b.scale ?? 1);
        else if ('perTonne' in b) total = b.perTonne * monthlyProduction(b.driver, m) * (sum / (n * meanProd));
        else total = b.perDay * sum;
        for (let i = first; i < first + n; i++) out[i] = (out[i]! * total) / sum;
      }
    } else {
      const from = byCode.get(s.of ?? s.parent ?? '');
      if (!from) throw new Error(`demo energy: ${s.code} has neither a basis nor a meter to share`);
      const src = compute(from);
      const share = s.share ?? 1;
      for (let i = 0; i < days.length; i++) out[i] = src[i]! * share * (1 + s.noise * normal(rand));
    }
    base.set(s.code, out);
    return out;
  };
  all.forEach(compute);

  // The leak: a constant extra flow from its day on, sized so that DJ1's mean daily air per tonne
  // over the `baselineDays` from the step is (1 + increase) × the mean over as many days before.
  const flat = new Map<string, Float64Array>();
  const leak = demoEnergyFaults.leak;
  const leakDay = dayIndex.get(dayOf(Date.parse(leak.from)))!;
  const dj1Air = base.get('DJ1-AIR-MAIN')!;
  const dj1Out = production.get(leak.unit)!;
  let before = 0;
  let after = 0;
  let inverse = 0;
  for (let i = 0; i < leak.baselineDays; i++) {
    before += dj1Air[leakDay - 1 - i]! / dj1Out[leakDay - 1 - i]!;
    after += dj1Air[leakDay + i]! / dj1Out[leakDay + i]!;
    inverse += 1 / dj1Out[leakDay + i]!;
  }
  const flow = ((1 + leak.increase) * before - after) / inverse;
  const factor: Record<string, number> = { 'DJ1-AIR-03': 1, 'DJ1-AIR-MAIN': 1, 'DL-AIR-OUT-DJ1': 1 / 0.995, 'DL-AIR-MAIN': 1 / 0.995 };
  for (const code of [leak.meter, ...leak.alsoOn]) {
    const f = new Float64Array(days.length);
    for (let i = leakDay; i < days.length; i++) f[i] = flow * factor[code]!;
    flat.set(code, f);
  }
  return { days, dayIndex, months, monthSpan, monthly, production, base, flat };
}

/** The leak's extra flow, m³ per day on DJ1-AIR-03 and DJ1-AIR-MAIN (computed from the generated air use). */
export function demoLeakFlow(): number {
  const m = model();
  return m.flat.get(demoEnergyFaults.leak.meter)![m.days.length - 1]!;
}

/** Daily production per unit, 2019-01-01 … 2020-03-01, tonnes rounded to 0.1 (source 'demo'). */
export function demoProductionDaily(): DemoProduction[] {
  const m = model();
  const out: DemoProduction[] = [];
  const last = m.dayIndex.get(demoEnergyLastDay)!;
  for (const p of productionDefs) {
    const series = m.production.get(p.unit)!;
    for (let i = 0; i <= last; i++) out.push({ unit: p.unit, day: m.days[i]!, product: p.product, quantity: Math.round(series[i]! * 10) / 10, uom: 't' });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Readings

/** The relative load of a quarter-hour (hour of day h, 0–24) by profile. */
function shapeAt(profile: Profile, h: number): number {
  switch (profile) {
    case 'flat':
      return 1 + 0.01 * Math.sin((2 * Math.PI * (h - 9)) / 24);
    case 'process':
      return 1 + 0.06 * Math.sin((2 * Math.PI * (h - 8)) / 24);
    case 'shift':
      // Day shift 08:00–20:00 heavier, eased over an hour at each change.
      return 1 + 0.3 * Math.tanh((Math.min(h - 8, 20 - h) * 2) / 1);
    case 'lighting':
      return 1 - 0.45 * Math.tanh((Math.min(h - 7, 18.5 - h) * 2) / 1);
    case 'heating':
      return 1 + 0.15 * Math.cos((2 * Math.PI * (h - 3)) / 24);
  }
}

const SLOTS = 96;

/** The day's consumption split over its 96 quarter-hours (shape × ±1.5 % noise, summing exactly to the day). */
function quarterHours(s: Spec, day: string, base: number, flat: number): Float64Array {
  const rand = seededRandom(`energy/slots/${s.code}/${day}`);
  const w = new Float64Array(SLOTS);
  let sum = 0;
  for (let k = 0; k < SLOTS; k++) {
    w[k] = Math.max(0.05, shapeAt(s.profile, (k + 0.5) / 4) * (1 + 0.015 * normal(rand)));
    sum += w[k]!;
  }
  for (let k = 0; k < SLOTS; k++) w[k] = (base * w[k]!) / sum + flat / SLOTS;
  return w;
}

interface CounterState {
  /** The register (unwrapped) = base + (cum − cumRef) / multiplier. */
  base: number;
  cumRef: number;
}

/** Where each counter's register starts at 2019-01-01 00:00 (chosen so the documented values hold). */
function initialRegisters(m: Model): Map<string, number> {
  const out = new Map<string, number>();
  const cumAt = (code: string, at: number) => {
    const series = m.base.get(code)!;
    const flat = m.flat.get(code);
    const day = dayOf(at);
    const idx = m.dayIndex.get(day)!;
    let cum = 0;
    for (let i = 0; i < idx; i++) cum += series[i]! + (flat?.[i] ?? 0);
    const s = specs().find((x) => x.code === code)!;
    const q = quarterHours(s, day, series[idx]!, flat?.[idx] ?? 0);
    const within = (at - shanghaiMidnight(day)) / SLOT;
    for (let k = 0; k < Math.floor(within); k++) cum += q[k]!;
    const frac = within - Math.floor(within);
    if (frac > 0) cum += q[Math.floor(within)]! * frac;
    return cum;
  };
  for (const s of specs()) {
    if (s.kind !== 'counter') continue;
    const rand = seededRandom(`energy/initial/${s.code}`);
    out.set(s.code, round2(rand() * s.rollover! * 0.9));
  }
  const wrap = (v: number, s: Spec) => ((v % s.rollover!) + s.rollover!) % s.rollover!;
  const spec = (code: string) => specs().find((x) => x.code === code)!;
  // The rollover: DJ1-P-MAIN reaches its modulus at the documented instant.
  const ro = spec(demoEnergyRollover.meter);
  out.set(ro.code, wrap(ro.rollover! - cumAt(ro.code, Date.parse(demoEnergyRollover.at)) / ro.multiplier, ro));
  // The reset: the register reads exactly registerBefore at the last reading before the restart.
  const rs = spec(demoEnergyFaults.reset.meter);
  out.set(rs.code, wrap(demoEnergyFaults.reset.registerBefore - cumAt(rs.code, Date.parse(demoEnergyFaults.reset.at) - SLOT) / rs.multiplier, rs));
  // The replacement: the old register's last value is the documented one.
  const rp = spec(demoEnergyFaults.replacement.meter);
  out.set(rp.code, wrap(demoEnergyFaults.replacement.oldFinal - cumAt(rp.code, Date.parse(demoEnergyFaults.replacement.at)) / rp.multiplier, rp));
  return out;
}

/** The meter replacements the readings contain (seeding writes them to meter_replacements). */
export function demoReplacements(volume: DemoEnergyVolume = 'full'): DemoReplacement[] {
  const r = demoEnergyFaults.replacement;
  if (!demoMeters(volume).some((m) => m.code === r.meter)) return [];
  return [{ meterCode: r.meter, at: Date.parse(r.at), oldFinal: r.oldFinal, newInitial: r.newInitial, note: '演示：表计更换（换表）' }];
}

/** Rows per chunk of `demoReadings`. */
export const demoChunkSize = 10_000;

/**
 * The readings of every physical meter of the volume, meter by meter in time order, in chunks of
 * at most `demoChunkSize` rows, so the full volume (≈ 1.7 million rows) is never one array.
 */
export function* demoReadings(volume: DemoEnergyVolume = 'full'): Generator<DemoReading[]> {
  const m = model();
  const window = demoEnergyWindow[volume];
  const initial = initialRegisters(m);
  const stuckFrom = Date.parse(demoEnergyFaults.stuck.from);
  const stuckTo = Date.parse(demoEnergyFaults.stuck.to);
  const resetAt = Date.parse(demoEnergyFaults.reset.at);
  const repAt = Date.parse(demoEnergyFaults.replacement.at);
  const lastIdx = m.dayIndex.get(demoEnergyLastDay)!;
  const dailyFromIdx = m.dayIndex.get(window.dailyFrom)!;
  const qhFromIdx = m.dayIndex.get(window.quarterHourFrom)!;
  const keep = new Set(demoMeters(volume).map((x) => x.code));
  let buf: DemoReading[] = [];

  for (const s of specs()) {
    if (s.kind === 'virtual' || !keep.has(s.code)) continue;
    const series = m.base.get(s.code)!;
    const flat = m.flat.get(s.code);
    const push = (at: number, value: number) => {
      buf.push({ meterCode: s.code, at, value });
    };
    if (s.kind === 'interval') {
      for (let i = dailyFromIdx; i <= lastIdx; i++) push(shanghaiMidnight(m.days[i]!) + DAY, round2((series[i]! + (flat?.[i] ?? 0)) / s.multiplier));
    } else {
      const M = s.rollover!;
      const st: CounterState = { base: initial.get(s.code)!, cumRef: 0 };
      let cum = 0;
      let frozen: number | null = null;
      const register = () => {
        const v = round2((((st.base + (cum - st.cumRef) / s.multiplier) % M) + M) % M);
        return v >= M ? 0 : v;
      };
      for (let i = 0; i < dailyFromIdx; i++) cum += series[i]! + (flat?.[i] ?? 0);
      push(shanghaiMidnight(m.days[dailyFromIdx]!), register());
      for (let i = dailyFromIdx; i <= lastIdx; i++) {
        const dayStart = shanghaiMidnight(m.days[i]!);
        if (i < qhFromIdx) {
          cum += series[i]! + (flat?.[i] ?? 0);
          push(dayStart + DAY, register());
          continue;
        }
        const q = quarterHours(s, m.days[i]!, series[i]!, flat?.[i] ?? 0);
        for (let k = 0; k < SLOTS; k++) {
          const prevAt = dayStart + k * SLOT;
          const at = prevAt + SLOT;
          const prevCum = cum;
          // The stuck meter: the register at `from`, repeated until `to`.
          if (s.code === demoEnergyFaults.stuck.meter && prevAt === stuckFrom) frozen = register();
          cum += q[k]!;
          if (s.code === demoEnergyFaults.replacement.meter && repAt > prevAt && repAt <= at) {
            // The old register stops at oldFinal; the new one counts on from newInitial.
            st.base = demoEnergyFaults.replacement.newInitial;
            st.cumRef = prevCum + ((cum - prevCum) * (repAt - prevAt)) / SLOT;
          }
          if (frozen !== null && at > stuckFrom && at <= stuckTo) {
            if (at === stuckTo) {
              // Counting resumes from the frozen value; the use in between is lost.
              st.base = frozen;
              st.cumRef = cum;
            }
            push(at, frozen);
            continue;
          }
          if (s.code === demoEnergyFaults.reset.meter && at === resetAt) {
            // The register restarted at 0 right after the previous reading.
            st.base = 0;
            st.cumRef = prevCum;
          }
          push(at, register());
        }
      }
    }
    while (buf.length >= demoChunkSize) {
      yield buf.slice(0, demoChunkSize);
      buf = buf.slice(demoChunkSize);
    }
  }
  if (buf.length) yield buf;
}

// ---------------------------------------------------------------------------------------------
// Seeding

export interface DemoEnergySeedResult {
  meters: number;
  replacements: number;
  production: number;
  readings: number;
  feeds: number;
}

/**
 * Loads the demo's energy data in the caller's transaction: meters (parents first, virtual meters
 * after their terms), replacements, daily production, feeds and readings (one reading_batches row,
 * source 'demo'; INSERT … SELECT FROM unnest(…) per chunk of 10 000), and one audit row with the
 * counts. Skips everything when the meters are already there or the volume is 'none'. energy_daily
 * is not computed here (the energy module recomputes days from the readings).
 */
export async function seedDemoEnergy(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext, volume: DemoEnergyVolume | 'none'): Promise<DemoEnergySeedResult> {
  const none = { meters: 0, replacements: 0, production: 0, readings: 0, feeds: 0 };
  if (volume === 'none') return none;
  const meters = demoMeters(volume);
  if (await trx.selectFrom('meters').select('id').where('code', '=', meters[0]!.code).executeTakeFirst()) return none;
  const now = deps.clock.now();

  const unitIds = new Map<string, string>();
  for (const code of new Set([...meters.map((x) => x.unit), ...productionDefs.map((p) => p.unit), ...demoEnergyFeeds.map((f) => f.unit)])) {
    const u = await findUnitByCode(trx, code);
    if (u) unitIds.set(code, u.id);
  }
  const ids = new Map<string, { id: string; key: number }>();
  for (const mt of meters) {
    const unitId = unitIds.get(mt.unit);
    if (!unitId) throw new Error(`demo energy: unit ${mt.unit} is missing (seed the demo company first)`);
    const row = await trx
      .insertInto('meters')
      .values({
        code: mt.code,
        name_zh: mt.nameZh,
        name_en: mt.nameEn,
        carrier: mt.carrier,
        kind: mt.kind,
        uom: mt.uom,
        unit_id: unitId,
        parent_id: mt.parent ? ids.get(mt.parent)!.id : null,
        rollover: mt.rollover,
        multiplier: mt.multiplier,
        interval_minutes: mt.intervalMinutes,
        formula: JSON.stringify(mt.formula),
        valid_from: demoEnergyFirstDay,
        sort_order: mt.sortOrder,
        created_at: now,
        updated_at: now,
      })
      .returning(['id', 'key'])
      .executeTakeFirstOrThrow();
    ids.set(mt.code, { id: row.id, key: row.key });
  }

  const replacements = demoReplacements(volume);
  for (const r of replacements) {
    await trx.insertInto('meter_replacements').values({ meter_id: ids.get(r.meterCode)!.id, at: new Date(r.at), old_final: r.oldFinal, new_initial: r.newInitial, note: r.note, created_by: null, created_at: now }).execute();
  }

  const production = demoProductionDaily().filter((p) => unitIds.has(p.unit));
  for (let i = 0; i < production.length; i += 2000) {
    await trx
      .insertInto('production_daily')
      .values(production.slice(i, i + 2000).map((p) => ({ unit_id: unitIds.get(p.unit)!, day: p.day, product: p.product, quantity: p.quantity, uom: p.uom, source: 'demo', updated_by: null, updated_at: now })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  const indicatorIds = new Map((await trx.selectFrom('indicators').select(['id', 'code']).execute()).map((r) => [r.code, r.id]));
  const feeds = demoEnergyFeeds.filter((f) => ids.has(f.meter) && indicatorIds.has(f.indicator) && unitIds.has(f.unit));
  if (feeds.length) {
    await trx
      .insertInto('energy_feeds')
      .values(feeds.map((f) => ({ indicator_id: indicatorIds.get(f.indicator)!, unit_id: unitIds.get(f.unit)!, meter_id: ids.get(f.meter)!.id, created_at: now })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  // The anomaly rule the leak must fire: 电解一厂's incoming compressed air against its ISO 50006
  // baseline (the 56 days before the leak), under the indicator of air per tonne of aluminium.
  const airRule = demoEnergyAnomalyRule;
  if (ids.has(airRule.meter) && indicatorIds.has(airRule.indicator)) {
    await trx
      .insertInto('warning_rules')
      .values({ indicator_id: indicatorIds.get(airRule.indicator)!, unit_id: null, code: 'EN_DRIFT', params: JSON.stringify({ meter: airRule.meter, ...airRule.params }), hold_periods: 1, notify: 'once', mute: '[]', enabled: true, sort_order: 1000, created_at: now, updated_at: now })
      .execute();
  }

  // The data-quality warnings (EN_QUALITY): one per unit that has an energy feed, under the first
  // indicator the unit is fed (the benchmarking figure its meter data protect); YH2's fires for the
  // stuck water meter YH2-W-03 until its days are confirmed.
  const firstFed = new Map<string, string>();
  for (const f of feeds) if (!firstFed.has(f.unit)) firstFed.set(f.unit, f.indicator);
  if (firstFed.size) {
    await trx
      .insertInto('warning_rules')
      .values(
        [...firstFed].map(([unit, indicator], i) => ({
          indicator_id: indicatorIds.get(indicator)!,
          unit_id: unitIds.get(unit)!,
          code: 'EN_QUALITY',
          params: JSON.stringify(demoEnergyQualityParams),
          hold_periods: 1,
          notify: 'once',
          mute: '[]',
          enabled: true,
          sort_order: 1100 + i,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }

  // The months wholly inside the 15-minute window come from the meters, not from the generated
  // benchmarking figures: their demo values of the fed quantities are removed here, and the feeds
  // write them (source meter) once the days are computed after start-up. The meters follow those
  // figures by construction, so only the injected faults (the air leak) change them.
  const meteredMonths = monthsBetween(demoEnergyWindow[volume].quarterHourFrom.slice(0, 7), demoEnergyLastDay.slice(0, 7)).filter(
    (m) => `${m}-01` >= demoEnergyWindow[volume].quarterHourFrom && `${m}-${String(daysInMonth(m)).padStart(2, '0')}` <= demoEnergyLastDay,
  );
  let unTyped = 0;
  for (const f of feeds) {
    if (meteredMonths.length === 0) break;
    const r = await trx.deleteFrom('measurements').where('indicator_id', '=', indicatorIds.get(f.indicator)!).where('unit_id', '=', unitIds.get(f.unit)!).where('source', '=', 'demo').where('period', 'in', meteredMonths).executeTakeFirst();
    unTyped += Number(r.numDeletedRows);
  }

  const batch = await trx.insertInto('reading_batches').values({ source: 'demo', file_name: `demo-energy-${volume}`, created_by: null, created_at: now }).returning('id').executeTakeFirstOrThrow();
  let readings = 0;
  const nowIso = now.toISOString();
  for (const chunk of demoReadings(volume)) {
    const keys = chunk.map((r) => ids.get(r.meterCode)!.key);
    // Epoch milliseconds: cheaper to send and convert than ISO text.
    const ats = chunk.map((r) => r.at);
    const values = chunk.map((r) => r.value);
    await sql`INSERT INTO meter_readings (meter_key, at, value, received_at, batch_id)
      SELECT x.k, to_timestamp(x.t / 1000.0), x.v, ${nowIso}::timestamptz, ${batch.id}::uuid
      FROM unnest(${keys}::int[], ${ats}::float8[], ${values}::float8[]) AS x(k, t, v)
      ON CONFLICT (meter_key, at) DO NOTHING`.execute(trx);
    readings += chunk.length;
  }
  await trx.updateTable('reading_batches').set({ received: readings, accepted: readings }).where('id', '=', batch.id).execute();
  // Every day with data is queued: the server recomputes them in the background after start-up.
  const days = daysBetween(demoEnergyWindow[volume].dailyFrom, demoEnergyLastDay);
  await enqueueDays(trx, new Map(meters.filter((mt) => mt.kind !== 'virtual').map((mt) => [ids.get(mt.code)!.id, new Set(days)])), now);

  const result = { meters: meters.length, replacements: replacements.length, production: production.length, readings, feeds: feeds.length };
  await audit(trx, deps, ctx, { action: 'system.seed_demo_energy', details: { volume, ...result, meteredMonths, unTyped, batchId: batch.id, from: demoEnergyWindow[volume].dailyFrom, quarterHourFrom: demoEnergyWindow[volume].quarterHourFrom, to: demoEnergyLastDay } });
  return result;
}
