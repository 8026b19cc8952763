import { aggregateValue, type IndicatorDef } from '../../domain/benchmarking/indicator-math';
import { daysInMonth, monthsBetween, monthsOf } from '../../domain/benchmarking/period';
import { spreadAnnualTarget } from '../../domain/benchmarking/targets';
import type { Deps, RequestContext, Tx } from '../context';
import { audit } from '../modules/audit/audit.service';
import { findUnitByCode } from '../modules/units/units.repository';
import { demoIndicators } from './demo-indicators';
import { normal, seededRandom } from '../../domain/random';

export const demoFirstMonth = '2017-01';
export const demoLastMonth = '2020-03';


/** Inputs of a ratio indicator: generated as the denominator times a slowly improving rate. */
const ratioInputs: Record<string, { per: string; rate: number; drift: number; noise: number }> = {
  DJ_DC_KWH: { per: 'DJ_AL_OUT', rate: 13_080, drift: -0.004, noise: 0.004 },
  DJ_AC_KWH: { per: 'DJ_AL_OUT', rate: 13_520, drift: -0.004, noise: 0.004 },
  YH_POWER_KWH: { per: 'YH_AO_OUT', rate: 262, drift: -0.01, noise: 0.012 },
  YH_WATER_M3: { per: 'YH_AO_OUT', rate: 2.7, drift: -0.03, noise: 0.03 },
  YH_STEAM_T: { per: 'YH_AO_OUT', rate: 2.15, drift: -0.01, noise: 0.015 },
  DL_AIR_M3: { per: 'DL_AL_SERVED', rate: 1_680, drift: -0.01, noise: 0.015 },
  DL_WATER_M3: { per: 'DL_AL_SERVED', rate: 3.3, drift: -0.03, noise: 0.03 },
  JX_WATER_M3: { per: 'JX_PRODUCT_T', rate: 4.5, drift: -0.03, noise: 0.03 },
  TS_POWER_KWH: { per: 'TS_ANODE_OUT', rate: 415, drift: -0.006, noise: 0.01 },
  WL_TURNOVER: { per: 'WL_RAIL_T', rate: 12.6, drift: 0.01, noise: 0.015 },
};

/** Differences between sibling plants, so that rankings mean something. */
const unitScale: Record<string, { volume: number; efficiency: number }> = {
  YH1: { volume: 1.0, efficiency: 1.0 },
  YH2: { volume: 0.92, efficiency: 1.025 },
  YH3: { volume: 1.08, efficiency: 0.985 },
  'YH1-BS': { volume: 1, efficiency: 1.01 },
  'RD-RH': { volume: 1, efficiency: 1.005 },
  HQFW: { volume: 1, efficiency: 0.99 },
};

/**
 * Monthly values 2017-01 … 2020-03 for every unit and indicator of the demo, deterministic, with
 * trend, seasonality and noise, adjusted so that the newspaper's figures hold exactly.
 */
export function generateDemoData(): Map<string, Map<string, Map<string, number>>> {
  const months = monthsBetween(demoFirstMonth, demoLastMonth);
  const out = new Map<string, Map<string, Map<string, number>>>();
  const put = (unit: string, code: string, month: string, value: number) => {
    const u = out.get(unit) ?? new Map<string, Map<string, number>>();
    const s = u.get(code) ?? new Map<string, number>();
    s.set(month, value);
    u.set(code, s);
    out.set(unit, u);
  };
  const typed = demoIndicators.filter((d) => d.aggregation !== 'formula');
  // Denominators first, so ratio inputs can lean on them.
  const order = [...typed.filter((d) => !ratioInputs[d.code]), ...typed.filter((d) => ratioInputs[d.code])];
  for (const def of order) {
    for (const unit of def.units) {
      const rand = seededRandom(`${unit}/${def.code}`);
      const scale = unitScale[unit] ?? { volume: 1, efficiency: 1 };
      const phase = rand() * Math.PI * 2;
      for (const [i, month] of months.entries()) {
        const years = i / 12;
        const m = Number(month.slice(5, 7));
        const seasonal = 1 + (def.season ?? 0) * Math.sin((2 * Math.PI * (m - 1)) / 12 + phase);
        const noise = 1 + (def.noise ?? 0) * normal(rand);
        const ratio = ratioInputs[def.code];
        let value: number;
        if (ratio) {
          const per = out.get(unit)?.get(ratio.per)?.get(month) ?? 0;
          value = per * ratio.rate * scale.efficiency * (1 + ratio.drift) ** years * (1 + ratio.noise * normal(rand));
        } else {
          const trend = (1 + (def.drift ?? 0)) ** years;
          const days = def.aggregation === 'sum' ? daysInMonth(month) / 30 : 1;
          const volume = def.aggregation === 'sum' ? scale.volume : def.direction === 'lower' ? 1 / scale.efficiency : scale.efficiency;
          value = (def.base ?? 1) * days * volume * trend * seasonal * noise;
        }
        if (def.rangeMin !== undefined && def.rangeMin !== null) value = Math.max(value, def.rangeMin);
        if (def.rangeMax !== undefined && def.rangeMax !== null) value = Math.min(value, def.rangeMax);
        if (def.code === 'AQ_LOST_TIME') value = Math.max(0, Math.round(value - 0.3));
        const f = 10 ** def.precision;
        put(unit, def.code, month, Math.round(value * f) / f);
      }
    }
  }
  applyNewspaperFigures(out);
  return out;
}

/** 物流运输事业部, February 2020 (the newspaper): 552.3 kt by rail (117.5 % of plan, best February), 7.145 Mt·km and 7268 t·km per locomotive-day (both all-time records). */
function applyNewspaperFigures(data: Map<string, Map<string, Map<string, number>>>): void {
  const wl = data.get('WL')!;
  const rail = wl.get('WL_RAIL_T')!;
  const turnover = wl.get('WL_TURNOVER')!;
  const locoDays = wl.get('WL_LOCO_DAYS')!;
  const rand = seededRandom('WL/records');
  for (const month of rail.keys()) {
    if (month === '2020-02') continue;
    if (month.endsWith('-02')) rail.set(month, Math.min(rail.get(month)!, Math.round(520_000 + 20_000 * rand())));
    // Turnover stays below February 2020's 7 145 000 t·km, before and after.
    if (turnover.get(month)! >= 7_080_000) turnover.set(month, Math.round(6_950_000 + 120_000 * rand()));
    // Locomotive output stays below 7 268 t·km per locomotive-day.
    const rate = 6_650 + 520 * (Number(month.slice(0, 4)) - 2017) / 3.2 + 60 * rand();
    locoDays.set(month, Math.round((turnover.get(month)! / Math.min(rate, 7_230)) * 10) / 10);
  }
  rail.set('2020-02', 552_300);
  turnover.set('2020-02', 7_145_000);
  locoDays.set('2020-02', 983.1);
}

interface Levels {
  floor: number | null;
  target: number;
  stretch: number | null;
}

/** Floor 2 % worse and stretch 2 % better than the target, by direction. */
function around(target: number, direction: string, precision: number): Levels {
  const r = (v: number) => Math.round(v * 10 ** precision) / 10 ** precision;
  const worse = direction === 'lower' ? 1.02 : 0.98;
  const better = direction === 'lower' ? 0.98 : 1.02;
  return { floor: direction === 'band' ? null : r(target * worse), target: r(target), stretch: direction === 'band' ? null : r(target * better) };
}

/** Benchmarks of the demo: peers named in the newspaper, and national standard grades. */
const demoBenchmarks = [
  { code: 'SXHR', nameZh: '山西中铝华润', nameEn: 'Shanxi Chalco China Resources', kind: 'peer', peerClass: '400kA', source: '集团对标数据（演示）', values: [['DJ_DC_KWH_T', 'DC', [12_990, 12_950, 12_910, 12_880]], ['DJ_AL9970_RATE', '', [97.1, 97.3, 97.5, 97.6]]] },
  { code: 'GZHR', nameZh: '贵州华仁新材料', nameEn: 'Guizhou Huaren New Materials', kind: 'peer', peerClass: '400kA', source: '集团对标数据（演示）', values: [['DJ_DC_KWH_T', 'DC', [12_950, 12_900, 12_860, 12_830]]] },
  { code: 'GB21346-ADV', nameZh: 'GB 21346-2013 先进值', nameEn: 'GB 21346-2013 advanced value', kind: 'industry', peerClass: '', source: 'GB 21346-2013 电解铝企业单位产品能源消耗限额', values: [['DJ_AC_KWH_T', 'AC', [12_650, 12_650, 12_650, 12_650]]] },
  { code: 'GB21346-ENTRY', nameZh: 'GB 21346-2013 准入值', nameEn: 'GB 21346-2013 entry value', kind: 'industry', peerClass: '', source: 'GB 21346-2013', values: [['DJ_AC_KWH_T', 'AC', [12_750, 12_750, 12_750, 12_750]]] },
  { code: 'GB21346-LIMIT', nameZh: 'GB 21346-2013 限定值', nameEn: 'GB 21346-2013 limit value', kind: 'industry', peerClass: '', source: 'GB 21346-2013', values: [['DJ_AC_KWH_T', 'AC', [13_700, 13_700, 13_700, 13_700]]] },
  { code: 'ZZ', nameZh: '中州分公司', nameEn: 'Zhongzhou branch', kind: 'peer', peerClass: 'bayer', source: '集团对标数据（演示）', values: [['YH_POWER_KWH_T', '', [252, 249, 246, 244]], ['YH_STEAM_T_T', '', [2.05, 2.02, 1.98, 1.96]]] },
  { code: 'SD', nameZh: '山东分公司', nameEn: 'Shandong branch', kind: 'peer', peerClass: 'bayer', source: '集团对标数据（演示）', values: [['YH_WATER_T', '', [2.45, 2.38, 2.3, 2.25]]] },
  { code: 'GZ', nameZh: '贵州分公司', nameEn: 'Guizhou branch', kind: 'peer', peerClass: '', source: '集团对标数据（演示）', values: [['KY_ORE_AS', '', [6.1, 6.0, 6.0, 5.9]]] },
  { code: 'SXGF', nameZh: '山西工服公司', nameEn: 'Shanxi Industrial Services', kind: 'peer', peerClass: '', source: '集团对标数据（演示）', values: [['JA_OUTPUT_PER_HEAD', '', [3.0, 3.2, 3.4, 3.5]]] },
  { code: 'GRP-POWER', nameZh: '集团电力系统', nameEn: 'Group power system', kind: 'peer', peerClass: '', source: '集团对标数据（演示）', values: [['DL_AIR_T', '', [1_620, 1_600, 1_580, 1_560]], ['DL_WATER_T', '', [3.1, 3.0, 2.9, 2.85]]] },
  { code: 'WL-LEAD', nameZh: '集团物流公司先进单位', nameEn: 'Leading unit of the group logistics company', kind: 'peer', peerClass: '', source: '集团对标数据（演示）', values: [['WL_LOCO_OUTPUT', '', [6_900, 7_000, 7_100, 7_150]]] },
  { code: 'SIB-YH1', nameZh: '第一氧化铝厂', nameEn: 'No.1 Alumina Plant', kind: 'sibling', peerClass: 'bayer', source: '系统内数据', sibling: 'YH1', values: [] },
] as const;

const demoSelections = [
  ['DJ1', 'DJ_DC_KWH_T', 'SXHR', 'comparing', '同槽型（400kA）兄弟企业，直流电耗领先'],
  ['DJ1', 'DJ_AC_KWH_T', 'GB21346-ADV', 'comparing', '国家标准先进值'],
  ['DJ1', 'DJ_AL9970_RATE', null, 'attained', '自身历史最好水平'],
  ['YH2', 'YH_POWER_KWH_T', 'ZZ', 'comparing', '中州分公司电耗水平'],
  ['YH2', 'YH_WATER_T', 'SD', 'selected', '山东分公司新水单耗'],
  ['YH2', 'YH_DIGEST_YIELD', 'SIB-YH1', 'comparing', '兄弟单位第一氧化铝厂'],
  ['JXYH', 'JX_HOURLY_OUT', null, 'chasing', '自身历史最好水平'],
  ['KY', 'KY_ORE_AS', 'GZ', 'comparing', '贵州分公司矿石品位'],
  ['JA', 'JA_OUTPUT_PER_HEAD', 'SXGF', 'comparing', '山西工服公司人均产值'],
  ['DL', 'DL_AIR_T', 'GRP-POWER', 'comparing', '集团电力系统'],
  ['WL', 'WL_LOCO_OUTPUT', 'WL-LEAD', 'attained', '集团物流公司先进单位'],
] as const;

/** Loads indicators, sets, 2017-01 … 2020-03 data, targets, benchmarks and stages; skips what exists. */
export async function seedDemoBenchmarking(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext): Promise<{ indicators: number; measurements: number }> {
  const now = deps.clock.now();
  const unitIds = new Map<string, string>();
  for (const code of new Set(demoIndicators.flatMap((d) => d.units).concat(['YH1']))) {
    const u = await findUnitByCode(trx, code);
    if (u) unitIds.set(code, u.id);
  }
  let indicators = 0;
  for (const d of demoIndicators) {
    const exists = await trx.selectFrom('indicators').select('id').where('code', '=', d.code).executeTakeFirst();
    if (exists) continue;
    await trx
      .insertInto('indicators')
      .values({
        code: d.code,
        name_zh: d.nameZh,
        name_en: d.nameEn,
        category: d.category,
        uom: d.uom,
        precision: d.precision,
        direction: d.direction,
        band_centre: d.bandCentre ?? null,
        band_tolerance: d.bandTolerance ?? null,
        aggregation: d.aggregation,
        formula: d.formula ?? null,
        scope_tag: d.scopeTag ?? '',
        scope_text: d.scopeText ?? '',
        range_min: d.rangeMin ?? null,
        range_max: d.rangeMax ?? null,
        owner_unit_id: unitIds.get(d.units[0]!) ?? null,
        description: d.description ?? '',
        valid_from: '2017-01-01',
        created_at: now,
        updated_at: now,
      })
      .execute();
    indicators++;
  }
  if (indicators === 0) return { indicators: 0, measurements: 0 };

  const ids = new Map((await trx.selectFrom('indicators').select(['id', 'code']).execute()).map((r) => [r.code, r.id]));
  const assignments = demoIndicators.flatMap((d, i) => d.units.filter((u) => unitIds.has(u)).map((u) => ({ unit_id: unitIds.get(u)!, indicator_id: ids.get(d.code)!, weight: 1, sort_order: i * 10, created_at: now })));
  await trx.insertInto('indicator_assignments').values(assignments).onConflict((oc) => oc.doNothing()).execute();

  // Measurements: approved up to February 2020; March 2020 submitted, except 电解一厂's, left for its clerk.
  // Each month was approved when it would have been: the 8th of the next month, 10:00 in Shanghai
  // (so a weekly notice of today does not count 39 months of history as this week's records).
  const reportedAt = (month: string) => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, m, 8, 2));
  };
  const data = generateDemoData();
  const rows: { unit_id: string; indicator_id: string; period: string; value: number; status: string; source: string; created_at: Date; updated_at: Date; approved_at: Date | null }[] = [];
  for (const [unit, series] of data) {
    if (!unitIds.has(unit)) continue;
    for (const [code, values] of series) {
      for (const [month, value] of values) {
        if (month === demoLastMonth && unit === 'DJ1') continue;
        const approved = month < demoLastMonth;
        rows.push({ unit_id: unitIds.get(unit)!, indicator_id: ids.get(code)!, period: month, value, status: approved ? 'approved' : 'submitted', source: 'demo', created_at: now, updated_at: now, approved_at: approved ? reportedAt(month) : null });
      }
    }
  }
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('measurements').values(rows.slice(i, i + 1000)).onConflict((oc) => oc.doNothing()).execute();

  // Closed years.
  const closed = monthsBetween(demoFirstMonth, '2019-12').map((period) => ({ period, locked: true, changed_at: now, changed_by: null, reason: '年度关账（演示）' }));
  await trx.insertInto('periods').values(closed).onConflict((oc) => oc.doNothing()).execute();

  await trx.insertInto('targets').values(demoTargets(data, unitIds, ids, now)).onConflict((oc) => oc.doNothing()).execute();

  for (const b of demoBenchmarks) {
    const row = await trx
      .insertInto('benchmarks')
      .values({ code: b.code, name_zh: b.nameZh, name_en: b.nameEn, kind: b.kind, peer_class: b.peerClass, source: b.source, sibling_unit_id: 'sibling' in b ? unitIds.get(b.sibling)! : null, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) continue;
    const values = b.values.flatMap(([code, scope, perYear]) => perYear.map((value, i) => ({ benchmark_id: row.id, indicator_id: ids.get(code)!, period: String(2017 + i), value, scope_tag: scope, source: b.source })));
    if (values.length) await trx.insertInto('benchmark_values').values(values).execute();
  }
  const benchmarkIds = new Map((await trx.selectFrom('benchmarks').select(['id', 'code']).execute()).map((r) => [r.code, r.id]));
  for (const [unit, code, benchmark, stage, reason] of demoSelections) {
    const sel = { unit_id: unitIds.get(unit)!, indicator_id: ids.get(code)!, benchmark_id: benchmark ? benchmarkIds.get(benchmark)! : null, use_history_best: benchmark === null, stage, reason, since_period: '2020-01', updated_at: now };
    await trx.insertInto('benchmark_selections').values(sel).onConflict((oc) => oc.doNothing()).execute();
    await trx.insertInto('benchmark_stage_history').values({ unit_id: sel.unit_id, indicator_id: sel.indicator_id, benchmark_id: sel.benchmark_id, stage, reason, period: '2020-01', at: now, by_user: null }).execute();
  }
  await audit(trx, deps, ctx, { action: 'system.seed_demo_benchmarking', details: { indicators, measurements: rows.length, from: demoFirstMonth, to: demoLastMonth } });
  return { indicators, measurements: rows.length };
}

/**
 * Targets: quantities get monthly targets spread by days from 98 % of the year before (or the
 * plan the newspaper names); levels get an annual target 1 % better than the year before.
 */
function demoTargets(data: Map<string, Map<string, Map<string, number>>>, unitIds: Map<string, string>, ids: Map<string, string>, now: Date) {
  const defs = new Map<string, IndicatorDef>(demoIndicators.map((d) => [d.code, { code: d.code, direction: d.direction, aggregation: d.aggregation, formula: d.formula ?? null, precision: d.precision, bandCentre: d.bandCentre ?? null, bandTolerance: d.bandTolerance ?? null }]));
  const out: { unit_id: string; indicator_id: string; period: string; floor: number | null; target: number; stretch: number | null; basis: string; created_at: Date; updated_at: Date }[] = [];
  for (const d of demoIndicators) {
    // Energy inputs of a ratio (kWh, m³) are steered by the ratio's target, not their own.
    if (ratioInputs[d.code] && d.code !== 'WL_TURNOVER') continue;
    for (const unit of d.units) {
      if (!unitIds.has(unit)) continue;
      const series = data.get(unit) ?? new Map();
      for (const year of [2017, 2018, 2019, 2020]) {
        const lastYear = monthsOf({ kind: 'year', year: year - 1 });
        const previous = aggregateValue(d.code, lastYear, defs, series) ?? aggregateValue(d.code, monthsOf({ kind: 'year', year }), defs, series);
        if (previous === null) continue;
        let basis = year === 2017 ? '当年实绩水平' : '上年实绩改善';
        let annual: number;
        if (d.aggregation === 'sum') annual = previous * (d.direction === 'lower' ? 0.98 : 1.02);
        else if (d.direction === 'band') annual = d.bandCentre!;
        else annual = previous * (d.direction === 'lower' ? 0.99 : 1.01);
        if (year === 2020) {
          if (d.code === 'TS_FIRST_GRADE') [annual, basis] = [60, '两公司下达：阳极一级品率 ≥ 60%'];
          if (d.code === 'TS_SECOND_UP') [annual, basis] = [100, '两公司下达：二级及以上品率 100%'];
          if (d.code === 'YX_FORECAST_ACC') [annual, basis] = [90, '市场预测准确率 ≥ 90%'];
          if (d.code === 'TS_POWER_KWH_T') [annual, basis] = [previous - 15, '吨阳极电耗较上年降低 15 kWh'];
          if (d.code === 'HR_MGMT_HEADCOUNT') [annual, basis] = [Math.round(previous * 0.8), '管理人员精简 20%'];
        }
        const push = (period: string, levels: Levels, b: string) =>
          out.push({ unit_id: unitIds.get(unit)!, indicator_id: ids.get(d.code)!, period, ...levels, basis: b, created_at: now, updated_at: now });
        if (d.aggregation === 'sum') {
          const monthly = spreadAnnualTarget(year, around(annual, d.direction, d.precision), 'sum', { kind: 'days' });
          for (const [month, levels] of monthly) {
            let l = around(levels.target, d.direction, d.precision);
            let b = `${basis}（按日历天数分解）`;
            if (year === 2020 && unit === 'YH2' && d.code === 'YH_ORE_OUT') [l, b] = [around(125_000, 'higher', 0), '成品矿产量 12.5 万吨/月'];
            if (year === 2020 && unit === 'YH2' && d.code === 'YH_EXT_SALES') [l, b] = [{ floor: 60_000, target: 62_000, stretch: 65_000 }, '外销量不低于 6 万吨/月'];
            if (d.code === 'WL_RAIL_T' && month === '2020-02') [l, b] = [{ floor: 450_000, target: 470_000, stretch: 500_000 }, '二月运输计划 47 万吨'];
            push(month, l, b);
          }
        } else {
          push(String(year), around(annual, d.direction, d.precision), basis);
        }
      }
    }
  }
  return out;
}
