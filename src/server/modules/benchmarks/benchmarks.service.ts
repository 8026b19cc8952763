import { aggregateValue, isBetter, roundTo } from '../../../domain/benchmarking/indicator-math';
import { monthsBetween, monthsOf } from '../../../domain/benchmarking/period';
import { levelOrderProblem, spreadAnnualTarget } from '../../../domain/benchmarking/targets';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound } from '../../errors';
import { audit } from '../audit/audit.service';
import { findIndicatorByCode, listIndicators } from '../indicators/indicators.repository';
import type { Indicator } from '../indicators/indicators.schemas';
import { loadMeasurements, loadTargets } from '../measurements/measurements.repository';
import { monthlyValues, toDef } from '../measurements/measurements.service';
import { findUnitByCode, type UnitRow } from '../units/units.repository';
import type { Benchmark } from './benchmarks.schemas';

export function benchmarkService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function visibleUnit(trx: Tx, actor: Actor, code: string): Promise<UnitRow> {
    const unit = await findUnitByCode(trx, code);
    if (!unit || !inScope(await visibleUnitIds(trx, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${code}`);
    return unit;
  }
  async function indicator(trx: Tx, code: string): Promise<Indicator> {
    const ind = await findIndicatorByCode(trx, code);
    if (!ind) throw notFound('INDICATOR_NOT_FOUND', `No indicator ${code}`);
    return ind;
  }

  async function listBenchmarks(trx: Tx): Promise<Benchmark[]> {
    const rows = await trx.selectFrom('benchmarks as b').leftJoin('units as u', 'u.id', 'b.sibling_unit_id').select(['b.id', 'b.code', 'b.name_zh', 'b.name_en', 'b.kind', 'u.code as sibling', 'b.peer_class', 'b.source', 'b.version']).orderBy('b.code').execute();
    const values = await trx.selectFrom('benchmark_values as v').innerJoin('indicators as i', 'i.id', 'v.indicator_id').select(['v.benchmark_id', 'i.code', 'v.period', 'v.value', 'v.scope_tag', 'v.source']).orderBy('v.period').execute();
    return rows.map((b) => ({
      code: b.code,
      nameZh: b.name_zh,
      nameEn: b.name_en,
      kind: b.kind as Benchmark['kind'],
      siblingUnit: b.sibling,
      peerClass: b.peer_class,
      source: b.source,
      values: values.filter((v) => v.benchmark_id === b.id).map((v) => ({ indicator: v.code, period: v.period, value: Number(v.value), scopeTag: v.scope_tag, source: v.source })),
      version: b.version,
    }));
  }

  return {
    list: () => db.transaction().execute(listBenchmarks),

    async create(ctx: RequestContext, actor: Actor, body: { code: string; nameZh: string; nameEn: string; kind: Benchmark['kind']; siblingUnit: string | null; peerClass: string; source: string }) {
      return db.transaction().execute(async (trx) => {
        if ((body.kind === 'sibling') !== (body.siblingUnit !== null)) throw businessRule('BENCHMARK_INVALID', 'A sibling benchmark names a unit of the system, and only a sibling does');
        const sibling = body.siblingUnit ? await visibleUnit(trx, actor, body.siblingUnit) : null;
        if (await trx.selectFrom('benchmarks').select('id').where('code', '=', body.code).executeTakeFirst()) throw conflict('BENCHMARK_CODE_TAKEN', `The benchmark code ${body.code} is already used`);
        const now = clock.now();
        await trx.insertInto('benchmarks').values({ code: body.code, name_zh: body.nameZh, name_en: body.nameEn, kind: body.kind, sibling_unit_id: sibling?.id ?? null, peer_class: body.peerClass, source: body.source, created_at: now, updated_at: now }).execute();
        await audit(trx, deps, ctx, { action: 'benchmark.create', objectType: 'benchmark', objectId: body.code, changes: { kind: { new: body.kind }, name_zh: { new: body.nameZh }, sibling: { new: body.siblingUnit } } });
        return (await listBenchmarks(trx)).find((b) => b.code === body.code)!;
      });
    },

    /** Adds or replaces values of a benchmark (per indicator and period). */
    async putValues(ctx: RequestContext, code: string, values: { indicator: string; period: string; value: number; scopeTag: string; source: string }[]) {
      return db.transaction().execute(async (trx) => {
        const b = await trx.selectFrom('benchmarks').select(['id', 'kind']).where('code', '=', code).executeTakeFirst();
        if (!b) throw notFound('BENCHMARK_NOT_FOUND', `No benchmark ${code}`);
        if (b.kind === 'sibling') throw businessRule('BENCHMARK_DERIVED', "A sibling benchmark's values come from that unit's own data");
        const ids = new Map((await trx.selectFrom('indicators').select(['id', 'code']).execute()).map((r) => [r.code, r.id]));
        const missing = [...new Set(values.map((v) => v.indicator))].filter((c) => !ids.has(c));
        if (missing.length) throw businessRule('INDICATOR_NOT_FOUND', `Unknown indicators: ${missing.join(', ')}`, { indicators: missing });
        for (const v of values) {
          await trx
            .insertInto('benchmark_values')
            .values({ benchmark_id: b.id, indicator_id: ids.get(v.indicator)!, period: v.period, value: v.value, scope_tag: v.scopeTag, source: v.source })
            .onConflict((oc) => oc.columns(['benchmark_id', 'indicator_id', 'period']).doUpdateSet({ value: v.value, scope_tag: v.scopeTag, source: v.source }))
            .execute();
        }
        await audit(trx, deps, ctx, { action: 'benchmark.values', objectType: 'benchmark', objectId: code, details: { values: values.length } });
        return (await listBenchmarks(trx)).find((x) => x.code === code)!;
      });
    },

    async selections(actor: Actor, unitCode: string) {
      return db.transaction().execute(async (trx) => {
        const unit = await visibleUnit(trx, actor, unitCode);
        const rows = await trx
          .selectFrom('benchmark_selections as s')
          .innerJoin('indicators as i', 'i.id', 's.indicator_id')
          .leftJoin('benchmarks as b', 'b.id', 's.benchmark_id')
          .select(['s.indicator_id', 'i.code', 'b.code as benchmark', 's.use_history_best', 's.stage', 's.reason', 's.since_period', 's.version'])
          .where('s.unit_id', '=', unit.id)
          .orderBy('i.code')
          .execute();
        const history = await trx
          .selectFrom('benchmark_stage_history as h')
          .leftJoin('benchmarks as b', 'b.id', 'h.benchmark_id')
          .leftJoin('users as u', 'u.id', 'h.by_user')
          .select(['h.indicator_id', 'h.stage', 'b.code as benchmark', 'h.reason', 'h.period', 'h.at', 'u.username as by'])
          .where('h.unit_id', '=', unit.id)
          .orderBy('h.id')
          .execute();
        return rows.map((r) => ({
          unit: unit.code,
          indicator: r.code,
          benchmark: r.benchmark,
          useHistoryBest: r.use_history_best,
          stage: r.stage as 'selected',
          reason: r.reason,
          sincePeriod: r.since_period,
          history: history.filter((h) => h.indicator_id === r.indicator_id).map((h) => ({ stage: h.stage, benchmark: h.benchmark, reason: h.reason, period: h.period, at: h.at.toISOString(), by: h.by })),
          version: r.version,
        }));
      });
    },

    /** 选标 → 对标 → 达标 → 追标: records the stage and the benchmark with a reason, keeping the history. */
    async putSelection(ctx: RequestContext, actor: Actor, body: { unit: string; indicator: string; benchmark: string | null; stage: 'selected' | 'comparing' | 'attained' | 'chasing'; reason: string; period: string }) {
      await db.transaction().execute(async (trx) => {
        const unit = await visibleUnit(trx, actor, body.unit);
        const ind = await indicator(trx, body.indicator);
        const b = body.benchmark ? await trx.selectFrom('benchmarks').select(['id', 'peer_class']).where('code', '=', body.benchmark).executeTakeFirst() : null;
        if (body.benchmark && !b) throw notFound('BENCHMARK_NOT_FOUND', `No benchmark ${body.benchmark}`);
        // Peer classes decide who is compared with whom: a classed benchmark is for units of its class.
        if (b && b.peer_class && b.peer_class !== unit.peer_class) {
          throw businessRule('PEER_CLASS_MISMATCH', `${body.benchmark} is in peer class ${b.peer_class}; ${unit.code} is in ${unit.peer_class ? `peer class ${unit.peer_class}` : 'no peer class'}. Set the unit's peer class or choose a benchmark of its class.`, { benchmarkPeerClass: b.peer_class, unitPeerClass: unit.peer_class });
        }
        const now = clock.now();
        const before = await trx.selectFrom('benchmark_selections').selectAll().where('unit_id', '=', unit.id).where('indicator_id', '=', ind.id).executeTakeFirst();
        const values = { benchmark_id: b?.id ?? null, use_history_best: !b, stage: body.stage, reason: body.reason, since_period: body.period, updated_at: now };
        await trx
          .insertInto('benchmark_selections')
          .values({ unit_id: unit.id, indicator_id: ind.id, ...values })
          .onConflict((oc) => oc.columns(['unit_id', 'indicator_id']).doUpdateSet((eb) => ({ ...values, version: eb('benchmark_selections.version', '+', 1) })))
          .execute();
        await trx.insertInto('benchmark_stage_history').values({ unit_id: unit.id, indicator_id: ind.id, benchmark_id: b?.id ?? null, stage: body.stage, reason: body.reason, period: body.period, at: now, by_user: actor.userId }).execute();
        await audit(trx, deps, ctx, { action: 'benchmark.select', objectType: 'benchmark_selection', objectId: `${unit.code}/${ind.code}`, changes: { stage: { old: before?.stage ?? null, new: body.stage }, benchmark: { new: body.benchmark ?? 'history_best' } } });
      });
      return (await this.selections(actor, body.unit)).find((s) => s.indicator === body.indicator)!;
    },

    async comparable() {
      return (await db.selectFrom('comparable_scopes').selectAll().orderBy('scope_a').execute()).map((r) => ({ scopeA: r.scope_a, scopeB: r.scope_b }));
    },

    /** An administrator declares two 口径 comparable (e.g. after checking the definitions match). */
    async addComparable(ctx: RequestContext, a: string, b: string) {
      if (a === b) throw businessRule('SCOPES_EQUAL', 'Choose two different 口径');
      // Byte order (code points), as the table's CHECK compares them with COLLATE "C".
    const [scopeA, scopeB] = Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0 ? [a, b] : [b, a];
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('comparable_scopes').values({ scope_a: scopeA, scope_b: scopeB }).onConflict((oc) => oc.doNothing()).execute();
        await audit(trx, deps, ctx, { action: 'benchmark.comparable', objectType: 'scope', objectId: `${scopeA}~${scopeB}` });
      });
      return this.comparable();
    },

    async targets(actor: Actor, unitCode: string, year: number) {
      const unit = await db.transaction().execute((trx) => visibleUnit(trx, actor, unitCode));
      const rows = await loadTargets(db, unit.id, [year]);
      return rows.sort((a, b) => a.code.localeCompare(b.code) || a.period.localeCompare(b.period)).map((r) => ({ unit: unit.code, indicator: r.code, period: r.period, floor: r.floor, target: r.target, stretch: r.stretch, basis: r.basis }));
    },

    /** Sets targets; annual targets of quantities can be spread to months (equally or by days). */
    async putTargets(ctx: RequestContext, actor: Actor, body: { unit: string; targets: { indicator: string; period: string; floor: number | null; target: number; stretch: number | null; basis: string }[]; spread: 'none' | 'equal' | 'days' }) {
      return db.transaction().execute(async (trx) => {
        const unit = await visibleUnit(trx, actor, body.unit);
        const library = new Map((await listIndicators(trx)).map((i) => [i.code, i]));
        const rows: typeof body.targets = [];
        for (const t of body.targets) {
          const ind = library.get(t.indicator);
          if (!ind) throw businessRule('INDICATOR_NOT_FOUND', `Unknown indicator ${t.indicator}`);
          const order = levelOrderProblem(ind.direction, t);
          if (order) throw businessRule('TARGET_LEVELS_ORDER', `${t.indicator} ${t.period}: ${order}`, { indicator: t.indicator, period: t.period });
          rows.push(t);
          if (body.spread !== 'none' && t.period.length === 4 && ind.aggregation === 'sum') {
            for (const [month, l] of spreadAnnualTarget(Number(t.period), t, 'sum', { kind: body.spread })) {
              rows.push({ indicator: t.indicator, period: month, floor: roundTo(l.floor, ind.precision), target: roundTo(l.target, ind.precision)!, stretch: roundTo(l.stretch, ind.precision), basis: `${t.basis}（${body.spread === 'days' ? '按日历天数分解' : '平均分解'}）` });
            }
          }
        }
        const now = clock.now();
        for (const r of rows) {
          const values = { floor: r.floor, target: r.target, stretch: r.stretch, basis: r.basis, updated_at: now };
          await trx
            .insertInto('targets')
            .values({ unit_id: unit.id, indicator_id: library.get(r.indicator)!.id, period: r.period, created_at: now, ...values })
            .onConflict((oc) => oc.columns(['unit_id', 'indicator_id', 'period']).doUpdateSet((eb) => ({ ...values, version: eb('targets.version', '+', 1) })))
            .execute();
        }
        await audit(trx, deps, ctx, { action: 'target.set', objectType: 'unit', objectId: unit.code, details: { targets: rows.length, spread: body.spread } });
        return rows.map((r) => ({ unit: unit.code, ...r }));
      });
    },

    /**
     * The target-setting assistant: the bases the newspaper names side by side (last year, the
     * latest month, the historical best, the selected benchmark, the industry level, the current
     * plan) and a proposal: a chosen base improved by an amplitude in percent.
     */
    async assistant(actor: Actor, q: { unit: string; indicator: string; year: number; base?: string; amplitude?: number }) {
      const unit = await db.transaction().execute((trx) => visibleUnit(trx, actor, q.unit));
      const ind = await db.transaction().execute((trx) => indicator(trx, q.indicator));
      const library = await listIndicators(db);
      const defs = new Map(library.map((i) => [i.code, toDef(i)]));
      const own = await loadMeasurements(db, { unitIds: [unit.id], upTo: `${q.year - 1}-12` });
      const approved = monthlyValues(own.filter((r) => r.status === 'approved'));
      const first = own.reduce((m, r) => (r.period < m ? r.period : m), `${q.year - 1}-12`);
      const lastYear = aggregateValue(ind.code, monthsOf({ kind: 'year', year: q.year - 1 }), defs, approved);
      const latestMonth = monthsBetween(first, `${q.year - 1}-12`).reverse().find((m) => aggregateValue(ind.code, [m], defs, approved) !== null) ?? null;
      let best: { value: number; period: string } | null = null;
      for (let y = Number(first.slice(0, 4)); y < q.year; y++) {
        const v = aggregateValue(ind.code, monthsOf({ kind: 'year', year: y }), defs, approved);
        if (v !== null && (!best || isBetter(toDef(ind), v, best.value))) best = { value: v, period: String(y) };
      }
      const sel = await db.selectFrom('benchmark_selections').select(['benchmark_id']).where('unit_id', '=', unit.id).where('indicator_id', '=', ind.id).executeTakeFirst();
      const latestOf = async (benchmarkIds: string[]) => {
        if (!benchmarkIds.length) return null;
        const v = await db.selectFrom('benchmark_values').select(['value', 'period']).where('benchmark_id', 'in', benchmarkIds).where('indicator_id', '=', ind.id).where('period', '<=', `${q.year}-12`).orderBy('period', 'desc').limit(1).executeTakeFirst();
        return v ? { value: Number(v.value), period: v.period } : null;
      };
      const benchmark = await latestOf(sel?.benchmark_id ? [sel.benchmark_id] : []);
      const industry = await latestOf((await db.selectFrom('benchmarks').select('id').where('kind', '=', 'industry').execute()).map((b) => b.id));
      const plan = (await loadTargets(db, unit.id, [q.year])).find((t) => t.code === ind.code && t.period === String(q.year)) ?? null;
      const round = (v: number | null) => roundTo(v, ind.precision);
      const bases = [
        { key: 'lastYear', label: '上年实绩', labelEn: 'Last year', value: round(lastYear), period: String(q.year - 1) },
        { key: 'lastPeriod', label: '上期水平', labelEn: 'Latest month', value: latestMonth ? round(aggregateValue(ind.code, [latestMonth], defs, approved)) : null, period: latestMonth },
        { key: 'historicalBest', label: '历史最好水平', labelEn: 'Historical best', value: round(best?.value ?? null), period: best?.period ?? null },
        { key: 'benchmark', label: '选定标杆', labelEn: 'Selected benchmark', value: round(benchmark?.value ?? null), period: benchmark?.period ?? null },
        { key: 'industry', label: '行业水平', labelEn: 'Industry level', value: round(industry?.value ?? null), period: industry?.period ?? null },
        { key: 'plan', label: '现行计划', labelEn: 'Current plan', value: round(plan ? plan.target : null), period: plan ? String(q.year) : null },
      ];
      let proposal = null;
      if (q.base) {
        const base = bases.find((b) => b.key === q.base);
        const amplitude = q.amplitude ?? 0;
        const factor = ind.direction === 'lower' ? 1 - amplitude / 100 : 1 + amplitude / 100;
        // A month of a quantity stands for a year as twelve of it (the target is annual).
        const annualised = q.base === 'lastPeriod' && ind.aggregation === 'sum';
        const baseValue = base?.value === null || base === undefined ? null : base.value * (annualised ? 12 : 1);
        const target = baseValue === null ? null : round(baseValue * (ind.direction === 'band' ? 1 : factor));
        proposal = { base: q.base, amplitude, target, basis: `${base?.label ?? q.base}${annualised ? '×12' : ''}${amplitude ? (amplitude > 0 ? `改善 ${amplitude}%` : `放宽 ${-amplitude}%`) : ''}` };
      }
      return { unit: unit.code, indicator: ind.code, year: q.year, direction: ind.direction, bases, proposal };
    },
  };
}
export type BenchmarkService = ReturnType<typeof benchmarkService>;
