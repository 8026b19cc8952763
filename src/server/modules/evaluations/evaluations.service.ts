import type { z } from 'zod';
import { aggregateValue, roundTo, type IndicatorDef } from '../../../domain/benchmarking/indicator-math';
import { daysInMonth, formatPeriod, monthsBetween, monthsEnding, monthsOf, parsePeriod, type Period } from '../../../domain/benchmarking/period';
import { scoreComposite, weightsAt, type Aggregation } from '../../../domain/evaluation/composite';
import { div, exact, mul, operand, roundExact, showNumber, showResult } from '../../../domain/evaluation/decimal';
import { ScoringError, type Explanation, type ItemScore } from '../../../domain/evaluation/explanation';
import { FIVE_EQUAL_BANDS, gradeByBands, gradeByPercentile, type Graded, type RankEntry } from '../../../domain/evaluation/grading';
import { resolveEfficacyRule, scoreAddDeduct, scoreEfficacy, scoreFiveTier, scorePassFail, type Better } from '../../../domain/evaluation/item-scoring';
import { cadreCoefficient, payCoefficientFromGrade, payCoefficientFromScore, type Coefficient } from '../../../domain/evaluation/pay';
import { cadreLinkOf, validateScheme, type GradingInput, type PayInput, type SchemeIssue, type SchemeIssueCode, type SchemeItemInput } from '../../../domain/evaluation/scheme-validation';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { AppError, businessRule, conflict, notFound, staleVersion } from '../../errors';
import { audit, diffChanges } from '../audit/audit.service';
import { listIndicators } from '../indicators/indicators.repository';
import { loadMeasurements, loadTargetsOf, type MeasurementRow } from '../measurements/measurements.repository';
import { monthlyValues, targetIndex, toDef } from '../measurements/measurements.service';
import {
  gradingSchema,
  itemParams,
  paySchema,
  payShape,
  type CreateSchemeBody,
  type History,
  type HistoryRow,
  type ItemMethod,
  type PutSchemeBody,
  type ResultRow,
  type Results,
  type Scheme,
} from './evaluations.schemas';

/** Items score out of 100 in a scheme, so that mixed methods can be weighted together. */
const FULL_SCORE = 100;

type SchemeRow = { id: string; code: string; name_zh: string; name_en: string; aggregation: string; item_decimals: number; total_decimals: number; grading: Record<string, unknown>; pay: Record<string, unknown>; version: number };
type ItemRow = { indicator_id: string; code: string; method: string; measure: string; params: Record<string, unknown>; weight: string; valid_from: string; valid_to: string | null; sort_order: number };
type Computed = { rows: ResultRow[]; months: string[] };

const invalid = (message: string, field: string) => businessRule('SCORING_INVALID', message, { field });

/** Parses stored jsonb with a zod schema; a bad scheme is SCORING_INVALID naming the field. */
function parseStored<S extends z.ZodType>(schema: S, value: unknown, field: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.infer<S>;
  const issue = parsed.error.issues[0]!;
  throw invalid(`${field}: ${issue.message}`, [field, ...issue.path.map(String)].join('.'));
}

/** The last day of a window, 'YYYY-MM-DD': dated weights are read on it. */
function lastDay(months: readonly string[]): string {
  const end = months.at(-1)!;
  return `${end}-${String(daysInMonth(end)).padStart(2, '0')}`;
}

function parse(periodText: string): Period {
  const period = parsePeriod(periodText);
  if (!period) throw businessRule('PERIOD_INVALID', `Not a period: ${periodText} (YYYY-MM, YYYY-Qn or YYYY)`, { field: 'period' });
  return period;
}

/** Scales a points score (0…basePoints…cap) to the scheme's 100 and writes it into the explanation. */
export function outOf100(item: ItemScore, fullPoints: number, decimals: number): ItemScore {
  if (fullPoints === FULL_SCORE) return item;
  const scaled = mul(div(exact(item.score), exact(fullPoints)), exact(FULL_SCORE));
  const score = roundExact(scaled, decimals);
  return {
    score,
    raw: score,
    explanation: { ...item.explanation, references: { ...item.explanation.references, fullPoints }, arithmetic: `${item.explanation.arithmetic}; out of 100: ${operand(item.score)} ÷ ${operand(fullPoints)} × 100 ${showResult(scaled)} → ${showNumber(score)}` },
  };
}

/** Frozen rows as stored; publications made before cadres existed have none. */
function frozenRows(results: unknown): ResultRow[] {
  return (results as Computed).rows.map((r) => ({ ...r, cadres: r.cadres ?? [] }));
}

/** What a scheme looks like in the audit log (everything but its version). */
function snapshot(s: Scheme): Record<string, unknown> {
  const { version: _version, ...rest } = s;
  return rest;
}

/** The units whose results differ between a frozen version and a live computation. */
function differences(frozen: readonly ResultRow[], live: readonly ResultRow[]): { unit: string; published: number | null; now: number | null; fields: string[] }[] {
  const fields = ['score', 'rank', 'grade', 'payCoefficient', 'vetoed'] as const;
  const before = new Map(frozen.map((r) => [r.unit, r]));
  const after = new Map(live.map((r) => [r.unit, r]));
  const out: { unit: string; published: number | null; now: number | null; fields: string[] }[] = [];
  for (const unit of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [b, a] = [before.get(unit), after.get(unit)];
    let changed: string[];
    if (!b || !a) changed = ['unit'];
    else {
      changed = fields.filter((f) => b[f] !== a[f]);
      const coefficients = (r: ResultRow) => JSON.stringify(r.cadres.map((c) => [c.person, c.payCoefficient]));
      if (coefficients(b) !== coefficients(a)) changed.push('cadres');
    }
    if (changed.length) out.push({ unit, published: b?.score ?? null, now: a?.score ?? null, fields: changed });
  }
  return out;
}

export function evaluationService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function findScheme(trx: Db | Tx, code: string): Promise<SchemeRow> {
    const s = await trx.selectFrom('evaluation_schemes').selectAll().where('code', '=', code).executeTakeFirst();
    if (!s) throw notFound('SCHEME_NOT_FOUND', `No evaluation scheme ${code}`);
    return s;
  }

  async function schemeUnits(trx: Db | Tx, schemeId: string) {
    return trx
      .selectFrom('evaluation_scheme_units as su')
      .innerJoin('units as u', 'u.id', 'su.unit_id')
      .select(['u.id', 'u.code', 'u.name_zh', 'u.sort_order'])
      .where('su.scheme_id', '=', schemeId)
      .orderBy('u.sort_order')
      .orderBy('u.code')
      .execute();
  }

  async function schemeItems(trx: Db | Tx, schemeId: string): Promise<ItemRow[]> {
    const rows = await trx
      .selectFrom('evaluation_items as e')
      .innerJoin('indicators as i', 'i.id', 'e.indicator_id')
      .select(['e.indicator_id', 'i.code', 'e.method', 'e.measure', 'e.params', 'e.weight', 'e.valid_from', 'e.valid_to', 'e.sort_order'])
      .where('e.scheme_id', '=', schemeId)
      .orderBy('e.sort_order')
      .orderBy('i.code')
      .orderBy('e.valid_from')
      .execute();
    return rows;
  }

  /** The benchmark value each unit selected for an indicator, over the window (null when none). */
  async function selectedBenchmarks(trx: Db | Tx, unitIds: string[], indicatorId: string, months: string[], defs: Map<string, IndicatorDef>, code: string): Promise<Map<string, number | null>> {
    const end = months.at(-1)!;
    const out = new Map<string, number | null>();
    const selections = await trx
      .selectFrom('benchmark_selections as s')
      .leftJoin('benchmarks as b', 'b.id', 's.benchmark_id')
      .select(['s.unit_id', 's.benchmark_id', 'b.kind', 'b.sibling_unit_id'])
      .where('s.indicator_id', '=', indicatorId)
      .where('s.unit_id', 'in', unitIds)
      .execute();
    for (const sel of selections) {
      if (!sel.benchmark_id) continue;
      if (sel.kind === 'sibling' && sel.sibling_unit_id) {
        const rows = await loadMeasurements(trx, { unitIds: [sel.sibling_unit_id], periods: months });
        out.set(sel.unit_id, aggregateValue(code, months, defs, monthlyValues(rows.filter((r) => r.status === 'approved' && !r.suspect))));
        continue;
      }
      const values = await trx.selectFrom('benchmark_values').select(['period', 'value']).where('benchmark_id', '=', sel.benchmark_id).where('indicator_id', '=', indicatorId).where('period', '<=', end).orderBy('period', 'desc').execute();
      // The month itself for a month, else the year's value, else the latest before.
      const pick = (months.length === 1 ? values.find((v) => v.period === end) : undefined) ?? values.find((v) => v.period === end.slice(0, 4)) ?? values[0];
      out.set(sel.unit_id, pick ? Number(pick.value) : null);
    }
    return out;
  }

  /** Scores every unit of a scheme for a period, from approved, not suspect data only. */
  async function compute(trx: Db | Tx, scheme: SchemeRow, period: Period): Promise<Computed> {
    const months = monthsOf(period);
    const periodKey = formatPeriod(period);
    const units = await schemeUnits(trx, scheme.id);
    const unitIds = units.map((u) => u.id);
    const library = new Map((await listIndicators(trx)).map((i) => [i.id, i]));
    const defs = new Map<string, IndicatorDef>([...library.values()].map((i) => [i.code, toDef(i)]));
    const aggregation = scheme.aggregation as Aggregation;
    const grading = parseStored(gradingSchema, scheme.grading, 'grading');
    const pay = parseStored(paySchema, scheme.pay, 'pay');

    // Dated weights: the item valid on the window's last day is the one scored.
    const allItems = await schemeItems(trx, scheme.id);
    const date = lastDay(months);
    let weights: Map<string, number>;
    try {
      weights = weightsAt(allItems.map((i) => ({ key: i.code, weight: Number(i.weight), validFrom: i.valid_from, validTo: i.valid_to })), date);
    } catch (e) {
      if (e instanceof ScoringError) throw invalid(e.message, `items.${e.field}`);
      throw e;
    }
    const items = allItems.filter((i) => i.valid_from <= date && (i.valid_to === null || date <= i.valid_to));

    // Suspect data never move pay: only approved values that nobody marked suspect count.
    const rows: MeasurementRow[] = unitIds.length ? await loadMeasurements(trx, { unitIds, periods: months }) : [];
    const dataOf = new Map(units.map((u) => [u.id, monthlyValues(rows.filter((r) => r.unit_id === u.id && r.status === 'approved' && !r.suspect))]));
    const targets = new Map<string, ReturnType<typeof targetIndex>>();
    const targetRows = await loadTargetsOf(trx, unitIds, [period.year]);
    for (const u of units) targets.set(u.id, targetIndex(targetRows.filter((t) => t.unit_id === u.id)));

    // Each item's measured value per unit, then its score (peers are the scheme's units).
    type Scored = { value: number | null; score: number | null; explanation: Explanation | null; problem: string | null };
    const scored = new Map<string, Map<string, Scored>>();
    for (const item of items) {
      const ind = library.get(item.indicator_id)!;
      const field = `items.${ind.code}`;
      const method = item.method as ItemMethod;
      const params = parseStored(itemParams[method], item.params, `${field}.params`);
      const indicatorDirection: Better | null = ind.direction === 'band' ? null : ind.direction;
      const values = new Map<string, { value: number | null; problem: string | null }>();
      for (const u of units) {
        const actual = aggregateValue(ind.code, months, defs, dataOf.get(u.id)!);
        if (actual === null) values.set(u.id, { value: null, problem: 'NO_VALUE' });
        else if (item.measure === 'completionRate') {
          const target = targets.get(u.id)!.forWindow(ind, months)?.target ?? null;
          values.set(u.id, target === null || target === 0 ? { value: null, problem: 'NO_TARGET' } : { value: roundTo((actual / target) * 100, 2), problem: null });
        } else values.set(u.id, { value: roundTo(actual, ind.precision), problem: null });
      }
      const byUnit = new Map<string, Scored>();
      const decimals = scheme.item_decimals;
      try {
        const benchmarks = method === 'efficacy' ? await selectedBenchmarks(trx, unitIds, ind.id, months, defs, ind.code) : new Map<string, number | null>();
        const peerValues = [...values.values()].map((v) => v.value).filter((v): v is number => v !== null);
        for (const u of units) {
          const { value, problem } = values.get(u.id)!;
          if (value === null) {
            byUnit.set(u.id, { value, score: null, explanation: null, problem });
            continue;
          }
          let result: ItemScore;
          if (method === 'efficacy') {
            const p = params as z.infer<(typeof itemParams)['efficacy']>;
            if (!indicatorDirection) throw new ScoringError('Efficacy needs an indicator where higher or lower is better', 'indicator');
            const resolved = resolveEfficacyRule(p, { benchmark: benchmarks.get(u.id) ?? null, peerValues, direction: indicatorDirection });
            if (!resolved.ok) {
              byUnit.set(u.id, { value, score: null, explanation: null, problem: resolved.problem });
              continue;
            }
            result = scoreEfficacy(value, resolved.rule, decimals);
          } else if (method === 'five-tier') {
            const p = params as z.infer<(typeof itemParams)['five-tier']>;
            result = scoreFiveTier(value, { weight: FULL_SCORE, tiers: p.tiers, ...(p.coefficients ? { coefficients: p.coefficients } : {}) }, decimals);
          } else if (method === 'add-deduct') {
            const p = params as z.infer<(typeof itemParams)['add-deduct']>;
            const direction = p.direction ?? (item.measure === 'completionRate' ? 'higher' : indicatorDirection);
            if (!direction) throw new ScoringError('Give the direction: the indicator has none', 'direction');
            result = outOf100(scoreAddDeduct(value, { ...p, direction }, decimals), p.basePoints, decimals);
          } else {
            const p = params as z.infer<(typeof itemParams)['pass-fail']>;
            const direction = p.direction ?? indicatorDirection;
            if (!direction) throw new ScoringError('Give the direction: the indicator has none', 'direction');
            result = scorePassFail(value, { points: FULL_SCORE, threshold: p.threshold, direction }, decimals);
          }
          byUnit.set(u.id, { value, score: result.score, explanation: result.explanation, problem: null });
        }
      } catch (e) {
        if (e instanceof ScoringError) throw invalid(`${ind.code}: ${e.message}`, `${field}.${e.field}`);
        throw e;
      }
      scored.set(item.code, byUnit);
    }

    // Vetoes of any period that overlaps the window (a month's veto also zeroes its quarter and year).
    const window = new Set(months);
    const vetoRows = await trx.selectFrom('evaluation_vetoes').select(['unit_id', 'period', 'reason']).where('scheme_id', '=', scheme.id).orderBy('created_at').execute();
    const vetoesOf = (unitId: string) =>
      vetoRows.filter((v) => v.unit_id === unitId && monthsOf(parsePeriod(v.period)!).some((m) => window.has(m))).map((v) => ({ reason: v.period === periodKey ? v.reason : `${v.reason}（${v.period}）`, triggered: true }));

    const composites = new Map<string, ReturnType<typeof scoreComposite>>();
    try {
      for (const u of units) {
        composites.set(u.id, scoreComposite(items.map((i) => ({ key: i.code, score: scored.get(i.code)!.get(u.id)!.score })), weights, { aggregation, itemDecimals: scheme.item_decimals, totalDecimals: scheme.total_decimals }, vetoesOf(u.id)));
      }
    } catch (e) {
      if (e instanceof ScoringError) throw invalid(e.message, e.field);
      throw e;
    }

    // Ranks and grades among the units with a total; the pay coefficient follows the total.
    const entries: RankEntry[] = units.flatMap((u) => {
      const c = composites.get(u.id)!;
      return c.score === null ? [] : [{ key: u.id, value: c.score, vetoed: c.vetoed }];
    });
    let graded: Map<string, Graded>;
    try {
      graded = grading.method === 'percentile' ? gradeByPercentile(entries, grading.cuts) : gradeByBands(entries, grading.cuts ?? FIVE_EQUAL_BANDS);
    } catch (e) {
      if (e instanceof ScoringError) throw invalid(e.message, `grading.${e.field}`);
      throw e;
    }

    // Cadres (干部) of the scheme's units: their coefficient follows their unit's.
    const cadreLink = cadreLinkOf(pay as PayInput);
    const cadreRows = unitIds.length
      ? await trx.selectFrom('people').select(['code', 'name', 'unit_id']).where('cadre', '=', true).where('unit_id', 'in', unitIds).orderBy('code').execute()
      : [];

    const out: ResultRow[] = units.map((u) => {
      const c = composites.get(u.id)!;
      const g = graded.get(u.id) ?? null;
      let payResult: Coefficient | null = null;
      try {
        if (pay.points && c.score !== null) payResult = payCoefficientFromScore(c.score, pay.points);
        else if (pay.grades && g) payResult = payCoefficientFromGrade(g.grade, pay.grades);
      } catch (e) {
        if (e instanceof ScoringError) throw invalid(e.message, `pay.${e.field}`);
        throw e;
      }
      const cadres = cadreRows
        .filter((p) => p.unit_id === u.id)
        .map((p) => {
          if (!payResult) return { person: p.code, name: p.name, payCoefficient: null, explanation: null };
          try {
            const k = cadreCoefficient(payResult.coefficient, cadreLink.multiplier, { min: cadreLink.min, max: cadreLink.max });
            return { person: p.code, name: p.name, payCoefficient: k.coefficient, explanation: k.explanation };
          } catch (e) {
            if (e instanceof ScoringError) throw invalid(e.message, `pay.cadre.${e.field}`);
            throw e;
          }
        });
      return {
        unit: u.code,
        unitName: u.name_zh,
        score: c.score,
        unvetoedScore: c.unvetoedScore,
        rank: g?.rank ?? null,
        rankOf: g?.of ?? null,
        grade: g?.grade ?? null,
        payCoefficient: payResult?.coefficient ?? null,
        vetoed: c.vetoed,
        vetoReasons: c.vetoReasons,
        missing: c.missing,
        items: items.map((i) => {
          const s = scored.get(i.code)!.get(u.id)!;
          return { indicator: i.code, method: i.method as ItemMethod, measure: i.measure as 'value', value: s.value, score: s.score, weight: Number(i.weight), explanation: s.explanation, problem: s.problem };
        }),
        explanation: { score: c.explanation, grade: g?.explanation ?? null, pay: payResult?.explanation ?? null },
        cadres,
      };
    });
    out.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unit.localeCompare(b.unit));
    return { rows: out, months };
  }

  async function latestPublication(trx: Db | Tx, schemeId: string, period: string) {
    return trx.selectFrom('evaluation_publications').selectAll().where('scheme_id', '=', schemeId).where('period', '=', period).orderBy('version', 'desc').limit(1).executeTakeFirst();
  }

  async function toScheme(trx: Db | Tx, s: SchemeRow): Promise<Scheme> {
    return {
      code: s.code,
      nameZh: s.name_zh,
      nameEn: s.name_en,
      aggregation: s.aggregation as Scheme['aggregation'],
      itemDecimals: s.item_decimals,
      totalDecimals: s.total_decimals,
      grading: s.grading,
      pay: s.pay,
      units: (await schemeUnits(trx, s.id)).map((u) => u.code),
      items: (await schemeItems(trx, s.id)).map((i) => ({ indicator: i.code, method: i.method as ItemMethod, measure: i.measure as 'value', params: i.params, weight: Number(i.weight), validFrom: i.valid_from, validTo: i.valid_to })),
      version: s.version,
    };
  }

  type Checked = { grading: GradingInput; pay: PayInput; unitIds: string[]; items: { indicatorId: string; method: ItemMethod; measure: string; params: unknown; weight: number; validFrom: string; validTo: string | null }[] };

  /** Every problem of a scheme body (shapes, the calculators' checks, indicators and units), or the parsed scheme. */
  async function checkScheme(trx: Db | Tx, body: PutSchemeBody | CreateSchemeBody): Promise<Checked> {
    const issues: SchemeIssue[] = [];
    const shape = (base: string, code: SchemeIssueCode | ((path: string) => SchemeIssueCode), error: z.ZodError) => {
      for (const i of error.issues) {
        const path = [base, ...i.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))].join('').replace(/^\./, '');
        issues.push({ path, code: typeof code === 'function' ? code(path) : code, message: i.message });
      }
    };
    const grading = gradingSchema.safeParse(body.grading);
    if (!grading.success) shape('grading', 'GRADING_CUTS_INVALID', grading.error);
    // The shape here; whether it maps by score or by grade is the domain's check.
    const pay = payShape.safeParse(body.pay);
    if (!pay.success) shape('pay', (path) => (path.startsWith('pay.points') ? 'PAY_POINTS_INVALID' : path.startsWith('pay.grades') ? 'PAY_GRADES_INVALID' : path.startsWith('pay.cadre') ? 'CADRE_INVALID' : 'PAY_MAPPING_INVALID'), pay.error);

    const library = new Map((await listIndicators(trx)).map((i) => [i.code, i]));
    const unitRows = body.units.length ? await trx.selectFrom('units').select(['id', 'code']).where('code', 'in', body.units).execute() : [];
    const unitIds = new Map(unitRows.map((u) => [u.code, u.id]));
    body.units.forEach((u, i) => {
      if (!unitIds.has(u)) issues.push({ path: `units[${i}]`, code: 'UNIT_NOT_FOUND', message: `No unit ${u}` });
    });
    const items: Checked['items'] = [];
    const forDomain: SchemeItemInput[] = [];
    body.items.forEach((item, i) => {
      const ind = library.get(item.indicator);
      if (!ind) issues.push({ path: `items[${i}].indicator`, code: 'INDICATOR_NOT_FOUND', message: `No indicator ${item.indicator}` });
      const params = itemParams[item.method].safeParse(item.params);
      if (!params.success) shape(`items[${i}].params`, 'PARAMS_INVALID', params.error);
      const base = { indicator: item.indicator, measure: item.measure, weight: item.weight, validFrom: item.validFrom, validTo: item.validTo, indicatorDirection: ind?.direction ?? null };
      // An item whose params do not parse is checked for everything else (a neutral rule in their place).
      const rule = (params.success ? { method: item.method, params: params.data } : { method: 'pass-fail', params: { threshold: 0 } }) as SchemeItemInput;
      forDomain.push({ ...rule, ...base, ...(params.success ? {} : { indicatorDirection: null }) });
      if (ind && params.success) items.push({ indicatorId: ind.id, method: item.method, measure: item.measure, params: params.data, weight: item.weight, validFrom: item.validFrom, validTo: item.validTo });
    });
    issues.push(
      ...validateScheme({
        itemDecimals: body.itemDecimals,
        totalDecimals: body.totalDecimals,
        grading: grading.success ? grading.data : { method: 'bands' },
        pay: pay.success ? (pay.data as PayInput) : { points: [[0, 1]] },
        units: body.units,
        items: forDomain,
      }),
    );
    const seen = new Set<string>();
    const unique = issues.filter((i) => {
      const key = `${i.path} ${i.code}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    if (unique.length) throw businessRule('SCHEME_INVALID', `The scheme has ${unique.length} problem${unique.length === 1 ? '' : 's'}`, { issues: unique });
    return { grading: grading.data!, pay: pay.data as PayInput, unitIds: body.units.map((u) => unitIds.get(u)!), items };
  }

  async function writeParts(trx: Tx, schemeId: string, checked: Checked, now: Date): Promise<void> {
    if (checked.unitIds.length) await trx.insertInto('evaluation_scheme_units').values(checked.unitIds.map((unit_id) => ({ scheme_id: schemeId, unit_id }))).execute();
    if (checked.items.length) {
      await trx
        .insertInto('evaluation_items')
        .values(
          checked.items.map((i, n) => ({
            scheme_id: schemeId,
            indicator_id: i.indicatorId,
            method: i.method,
            measure: i.measure,
            params: JSON.stringify(i.params),
            weight: i.weight,
            valid_from: i.validFrom,
            valid_to: i.validTo,
            sort_order: n * 10,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    }
  }

  return {
    /** The results of a scheme for a period: the latest published version, frozen, or else a live draft; rows limited to the caller's units. */
    async results(actor: Actor, schemeCode: string, periodText: string): Promise<Results> {
      const period = parse(periodText);
      const periodKey = formatPeriod(period);
      return db.transaction().execute(async (trx) => {
        const scheme = await findScheme(trx, schemeCode);
        const scope = await visibleUnitIds(trx, actor);
        const visible = new Set((await schemeUnits(trx, scheme.id)).filter((u) => inScope(scope, u.id)).map((u) => u.code));
        const published = await latestPublication(trx, scheme.id, periodKey);
        if (published) {
          const frozen = frozenRows(published.results).filter((r) => visible.has(r.unit));
          const out: Results = { scheme: scheme.code, period: periodKey, months: (published.results as unknown as Computed).months, status: 'published' as const, version: published.version, publishedAt: published.published_at.toISOString(), rows: frozen };
          // A recalculation's difference is visible: what computing now would give, unit by unit.
          try {
            const live = (await compute(trx, scheme, period)).rows.filter((r) => visible.has(r.unit));
            const changes = differences(frozen, live);
            return { ...out, draftDiffers: changes.length > 0, changes };
          } catch (e) {
            if (e instanceof AppError && e.statusCode === 422) return { ...out, draftDiffers: false, changes: [], draftError: { code: e.code, message: e.message } };
            throw e;
          }
        }
        const live = await compute(trx, scheme, period);
        return { scheme: scheme.code, period: periodKey, months: live.months, status: 'draft' as const, version: null, publishedAt: null, rows: live.rows.filter((r) => visible.has(r.unit)) };
      });
    },

    /** Freezes the live results as a new version and reports whose score changed since the last one. */
    async publish(ctx: RequestContext, schemeCode: string, periodText: string) {
      const period = parse(periodText);
      const periodKey = formatPeriod(period);
      return db.transaction().execute(async (trx) => {
        const scheme = await findScheme(trx, schemeCode);
        const previous = await latestPublication(trx, scheme.id, periodKey);
        const live = await compute(trx, scheme, period);
        const version = (previous?.version ?? 0) + 1;
        const now = clock.now();
        await trx
          .insertInto('evaluation_publications')
          .values({ scheme_id: scheme.id, period: periodKey, version, published_at: now, published_by: ctx.actor?.userId ?? null, results: JSON.stringify(live) })
          .execute();
        const changes: { unit: string; old: number | null; new: number | null }[] = [];
        if (previous) {
          const old = new Map((previous.results as unknown as Computed).rows.map((r) => [r.unit, r.score]));
          for (const r of live.rows) {
            const before = old.has(r.unit) ? old.get(r.unit)! : null;
            if (before !== r.score) changes.push({ unit: r.unit, old: before, new: r.score });
          }
          changes.sort((a, b) => a.unit.localeCompare(b.unit));
        }
        await audit(trx, deps, ctx, {
          action: 'evaluation.publish',
          objectType: 'evaluation_scheme',
          objectId: `${scheme.code}/${periodKey}`,
          details: { version, previousVersion: previous?.version ?? null, scores: Object.fromEntries(live.rows.map((r) => [r.unit, r.score])), changes },
        });
        return { scheme: scheme.code, period: periodKey, version, publishedAt: now.toISOString(), previousVersion: previous?.version ?? null, changes };
      });
    },

    /** Records a one-vote veto (一票否决) of a unit for a period, with its reason. */
    async veto(ctx: RequestContext, actor: Actor, body: { scheme: string; unit: string; period: string; reason: string }) {
      const periodKey = formatPeriod(parse(body.period));
      return db.transaction().execute(async (trx) => {
        const scheme = await findScheme(trx, body.scheme);
        const unit = (await schemeUnits(trx, scheme.id)).find((u) => u.code === body.unit);
        const scope = await visibleUnitIds(trx, actor);
        if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${body.unit} in the scheme ${scheme.code}`);
        const now = clock.now();
        const row = await trx
          .insertInto('evaluation_vetoes')
          .values({ scheme_id: scheme.id, unit_id: unit.id, period: periodKey, reason: body.reason, created_by: actor.userId, created_at: now })
          .returning(['id', 'created_at'])
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'evaluation.veto', objectType: 'evaluation_scheme', objectId: `${scheme.code}/${periodKey}`, changes: { veto: { new: { unit: unit.code, reason: body.reason } } } });
        return { id: row.id, scheme: scheme.code, unit: unit.code, period: periodKey, reason: body.reason, createdAt: row.created_at.toISOString() };
      });
    },

    /** The schemes with their units and items (every dated item row). */
    async schemes(): Promise<Scheme[]> {
      return db.transaction().execute(async (trx) => {
        const schemes = await trx.selectFrom('evaluation_schemes').selectAll().orderBy('code').execute();
        const out: Scheme[] = [];
        for (const s of schemes) out.push(await toScheme(trx, s));
        return out;
      });
    },

    /** Creates a scheme from a whole, valid body (SCHEME_INVALID lists every problem). */
    async createScheme(ctx: RequestContext, body: CreateSchemeBody): Promise<Scheme> {
      return db.transaction().execute(async (trx) => {
        if (await trx.selectFrom('evaluation_schemes').select('id').where('code', '=', body.code).executeTakeFirst()) throw conflict('SCHEME_EXISTS', `A scheme ${body.code} already exists`);
        const checked = await checkScheme(trx, body);
        const now = clock.now();
        const row = await trx
          .insertInto('evaluation_schemes')
          .values({ code: body.code, name_zh: body.nameZh, name_en: body.nameEn, aggregation: body.aggregation, item_decimals: body.itemDecimals, total_decimals: body.totalDecimals, grading: JSON.stringify(checked.grading), pay: JSON.stringify(checked.pay), created_at: now, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        await writeParts(trx, row.id, checked, now);
        const scheme = await toScheme(trx, row);
        await audit(trx, deps, ctx, { action: 'evaluation.scheme.create', objectType: 'evaluation_scheme', objectId: scheme.code, changes: diffChanges(null, snapshot(scheme)) });
        return scheme;
      });
    },

    /**
     * Replaces a scheme whole (optimistic version). Published versions are frozen rows and do not
     * change; results computed from now on (drafts, new publications) use the new scheme.
     */
    async putScheme(ctx: RequestContext, code: string, body: PutSchemeBody): Promise<Scheme> {
      return db.transaction().execute(async (trx) => {
        const current = await findScheme(trx, code);
        if (current.version !== body.version) throw staleVersion();
        const before = await toScheme(trx, current);
        const checked = await checkScheme(trx, body);
        const now = clock.now();
        const row = await trx
          .updateTable('evaluation_schemes')
          .set({ name_zh: body.nameZh, name_en: body.nameEn, aggregation: body.aggregation, item_decimals: body.itemDecimals, total_decimals: body.totalDecimals, grading: JSON.stringify(checked.grading), pay: JSON.stringify(checked.pay), updated_at: now, version: current.version + 1 })
          .where('id', '=', current.id)
          .where('version', '=', body.version)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw staleVersion();
        await trx.deleteFrom('evaluation_items').where('scheme_id', '=', current.id).execute();
        await trx.deleteFrom('evaluation_scheme_units').where('scheme_id', '=', current.id).execute();
        await writeParts(trx, current.id, checked, now);
        const scheme = await toScheme(trx, row);
        await audit(trx, deps, ctx, { action: 'evaluation.scheme.update', objectType: 'evaluation_scheme', objectId: scheme.code, changes: diffChanges(snapshot(before), snapshot(scheme)), details: { version: scheme.version } });
        return scheme;
      });
    },

    /**
     * A unit's evaluation history: the latest published version of every published period, and a
     * live draft for each month of the window that is not published.
     */
    async history(actor: Actor, schemeCode: string, unitCode: string, window: { from?: string; to?: string }): Promise<History> {
      return db.transaction().execute(async (trx) => {
        const scheme = await findScheme(trx, schemeCode);
        const units = await schemeUnits(trx, scheme.id);
        const unit = units.find((u) => u.code === unitCode);
        const scope = await visibleUnitIds(trx, actor);
        if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${unitCode} in the scheme ${scheme.code}`);

        const rows: HistoryRow[] = [];
        const publications = await trx.selectFrom('evaluation_publications').selectAll().where('scheme_id', '=', scheme.id).orderBy('period').orderBy('version', 'desc').execute();
        const published = new Set<string>();
        for (const p of publications) {
          if (published.has(p.period)) continue;
          published.add(p.period);
          const r = frozenRows(p.results).find((x) => x.unit === unit.code);
          if (!r) continue;
          rows.push({ period: p.period, status: 'published', version: p.version, score: r.score, rank: r.rank, rankOf: r.rankOf, grade: r.grade, payCoefficient: r.payCoefficient, vetoed: r.vetoed, publishedAt: p.published_at.toISOString(), problem: null });
        }

        // Drafts: the months of the window (default: 12 up to the latest approved month) not published.
        let to = window.to;
        if (!to) {
          const latest = await trx
            .selectFrom('measurements')
            .select((eb) => eb.fn.max('period').as('period'))
            .where('unit_id', 'in', units.map((u) => u.id))
            .where('status', '=', 'approved')
            .executeTakeFirst();
          to = latest?.period ?? undefined;
        }
        if (to) {
          // By default not before the scheme's first item applies: earlier months have nothing to score.
          const firstItem = (await schemeItems(trx, scheme.id)).reduce<string | null>((m, i) => (m === null || i.valid_from < m ? i.valid_from : m), null);
          const yearBack = monthsEnding(to, 12)[0]!;
          const from = window.from ?? (firstItem && firstItem.slice(0, 7) > yearBack ? firstItem.slice(0, 7) : yearBack);
          if (from > to) throw businessRule('PERIOD_INVALID', 'from is after to', { field: 'from' });
          const months = monthsBetween(from, to);
          if (months.length > 36) throw businessRule('PERIOD_INVALID', 'At most 36 months of drafts at once', { field: 'from' });
          for (const month of months) {
            if (published.has(month)) continue;
            const draft: HistoryRow = { period: month, status: 'draft', version: null, score: null, rank: null, rankOf: null, grade: null, payCoefficient: null, vetoed: false, publishedAt: null, problem: null };
            try {
              const r = (await compute(trx, scheme, parse(month))).rows.find((x) => x.unit === unit.code);
              if (r) Object.assign(draft, { score: r.score, rank: r.rank, rankOf: r.rankOf, grade: r.grade, payCoefficient: r.payCoefficient, vetoed: r.vetoed });
            } catch (e) {
              if (!(e instanceof AppError && e.statusCode === 422)) throw e;
              draft.problem = e.code;
            }
            rows.push(draft);
          }
        }
        rows.sort((a, b) => a.period.localeCompare(b.period));
        return { scheme: scheme.code, unit: unit.code, unitName: unit.name_zh, rows };
      });
    },
  };
}
export type EvaluationService = ReturnType<typeof evaluationService>;
