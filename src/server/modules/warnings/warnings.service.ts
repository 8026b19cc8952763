import { aggregateValue, isBetter, type IndicatorDef } from '../../../domain/benchmarking/indicator-math';
import { monthsBetween, monthsEnding, type MonthKey } from '../../../domain/benchmarking/period';
import { valueAt } from '../../../domain/warnings/control-chart';
import type { MuteWindow, WarningPolicy } from '../../../domain/warnings/debounce';
import {
  checkControlChart,
  checkDataQuality,
  checkGapWidening,
  checkMissing,
  checkTarget,
  isControlChart,
  isDataQuality,
  monthEnd,
  monthOf,
  replayWarning,
  reportingDeadline,
  ruleDefinition,
  type ConfirmedPoint,
  type MonthlySeries,
  type PeriodCheck,
  type RuleSpec,
} from '../../../domain/warnings/rules';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { systemContext } from '../../context';
import { audit, diffChanges } from '../audit/audit.service';
import { findIndicatorByCode, listIndicators } from '../indicators/indicators.repository';
import type { Indicator } from '../indicators/indicators.schemas';
import { loadTargetsOf } from '../measurements/measurements.repository';
import { monthlyValues, targetIndex, toDef } from '../measurements/measurements.service';
import { loadMeasureLookup, raiseProblemsFromWarnings } from '../problems/problem-raise';
import { isEnergyRule } from '../energy/anomalies.schemas';
import { checkEnergyRuleFits, energyRuleDefinition, runEnergyDetection } from '../energy/anomalies.service';
import { oneScanAtATime } from './scan-lock';
import { findUnitByCode, listUnits } from '../units/units.repository';
import { listRuleRows, listWarningRows, loadReportedValues, type RuleRow, type ScanMeasurementRow, type WarningListRow, type WarningRow } from './warnings.repository';
import type { CreateRuleBody, PutRuleBody, ScanResult, Warning, WarningRule } from './warnings.schemas';
import { ms, sameWarning } from './warning-row';

/**
 * Whether a red value has a corrective measure (整改措施): a red value without one raises a TARGET
 * warning. Loaded before each scan from the problems and their measures (problems/problem-raise.ts).
 */
export type MeasureLookup = (unitId: string, indicatorId: string, period: MonthKey) => boolean;

/** A notice to send: for now it goes to the log; a mail or message channel plugs in here. */
export interface WarningNotice {
  warningId: string | null;
  unit: string;
  indicator: string;
  rule: string;
  period: MonthKey | null;
  facts: Record<string, unknown>;
}
function sendWarningNotice(deps: Pick<Deps, 'log'>, notice: WarningNotice): void {
  deps.log.info({ notice }, 'warning notice');
}

/** The code and validated parameters of a stored rule, as the domain reads them. */
export function specOf(code: string, params: Record<string, unknown>): RuleSpec {
  return { code, ...params } as RuleSpec;
}

function toRule(r: RuleRow): WarningRule {
  return {
    id: r.id,
    indicator: r.indicator,
    unit: r.unit,
    code: r.code,
    params: r.params,
    definition: isEnergyRule(r.code) ? energyRuleDefinition(r.code, r.params) : ruleDefinition(specOf(r.code, r.params)),
    holdPeriods: r.hold_periods,
    notify: r.notify as 'once',
    mute: r.mute as { from: string; to: string }[],
    enabled: r.enabled,
    sortOrder: r.sort_order,
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

type Point = { period: MonthKey; value: number | null };
const points = (v: unknown): Point[] => (Array.isArray(v) ? (v as Point[]) : []);

function toWarning(w: WarningListRow): Warning {
  return {
    id: w.id,
    unit: w.unit,
    indicator: w.indicator,
    rule: w.rule,
    ruleId: w.rule_id,
    state: w.state as Warning['state'],
    since: w.since?.toISOString() ?? null,
    period: w.last_period,
    facts: w.facts,
    suspectPeriods: points(w.suspect_points).map((p) => p.period),
    notifiedAt: w.notified_at?.toISOString() ?? null,
    confirmedBy: w.confirmed_by_username,
    confirmedReason: w.confirmed_reason,
    version: w.version,
  };
}

/** The typed indicators a value is made of (itself when typed), through nested formulas. */
function typedInputs(code: string, library: ReadonlyMap<string, Indicator>, seen = new Set<string>()): string[] {
  const ind = library.get(code);
  if (!ind || seen.has(code)) return [];
  seen.add(code);
  if (!ind.formula) return [code];
  return [...new Set([...ind.formula.matchAll(/[A-Za-z_][A-Za-z0-9_.]*/g)].flatMap((m) => typedInputs(m[0].replace(/\.+$/, ''), library, seen)))];
}

const sameValue = (a: number | null, b: number | null) => a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));
/** JSON as the database gives it back (no undefined, no NaN), for comparisons. */
const asStored = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;


export interface ScanTrigger {
  ctx: RequestContext;
  /** What started it: 'job', 'manual', 'measurement.approve', 'import.measurements'… */
  reason: string;
  /** Audit the scan even when nothing changed (a user asked for it). */
  auditAlways?: boolean;
}

/**
 * Evaluates every enabled rule for every unit reporting its indicator, as of `at`, and brings the
 * warnings up to date in one transaction: the checks of each rule are replayed through the
 * debounce (domain/warnings/rules.ts), data-quality warnings that fire mark their values suspect,
 * and notices go out. Reads the values once; running it again with the same data and clock
 * changes nothing.
 */
export function scanWarnings(deps: Deps, at: Date, trigger: ScanTrigger, hasMeasure?: MeasureLookup): Promise<ScanResult> {
  return oneScanAtATime(deps.database, async () => {
    const monthly = await runScan(deps, at, trigger, hasMeasure ?? (await loadMeasureLookup(deps.database.db)));
    // Energy anomalies (EN_DRIFT, EN_CHART per meter, EN_QUALITY per unit): daily, in the same turn.
    const energy = await runEnergyDetection(deps, at, trigger.ctx, trigger.reason);
    const result = { ...monthly };
    for (const k of ['rules', 'evaluated', 'created', 'updated', 'unchanged', 'firing', 'pending', 'resolved', 'notified'] as const) result[k] += energy[k];
    // Firing performance warnings raise problems; closed-unverified problems are checked again.
    await raiseProblemsFromWarnings(deps, at, systemContext(`problems after warnings-scan (${trigger.reason})`));
    return result;
  });
}

async function runScan(deps: Deps, at: Date, trigger: ScanTrigger, hasMeasure: MeasureLookup): Promise<ScanResult> {
  const { db } = deps.database;
  const now = at.getTime();
  const horizon = monthOf(now);
  const allRules = await listRuleRows(db);
  // Energy rules are evaluated per meter and day by energy/anomalies.service.ts, not here.
  const energyRuleIds = new Set(allRules.filter((r) => isEnergyRule(r.code)).map((r) => r.id));
  const rules = allRules.filter((r) => r.enabled && !energyRuleIds.has(r.id));
  const library = await listIndicators(db);
  const indicatorById = new Map(library.map((i) => [i.id, i]));
  const indicatorByCode = new Map(library.map((i) => [i.code, i]));
  const defs = new Map<string, IndicatorDef>(library.map((i) => [i.code, toDef(i)]));
  const units = new Map((await listUnits(db)).map((u) => [u.id, u]));
  const assignments = await db.selectFrom('indicator_assignments').select(['unit_id', 'indicator_id']).execute();
  const rows = await loadReportedValues(db, horizon);
  const stored = new Map((await db.selectFrom('warnings').selectAll().execute()).map((w) => [`${w.rule_id}/${w.unit_id}/${w.indicator_id}`, w]));

  const rowsByUnit = new Map<string, ScanMeasurementRow[]>();
  for (const r of rows) (rowsByUnit.get(r.unit_id) ?? rowsByUnit.set(r.unit_id, []).get(r.unit_id)!).push(r);
  // The latest month anyone has reported: DQ_MISSING expects no month after it, so a system whose
  // feeds stopped does not flag every month since.
  const reportingHorizon = rows.reduce<MonthKey | null>((m, r) => (m === null || r.period > m ? r.period : m), null);

  // Series per unit × indicator, with suspect values (data quality) or without them (performance).
  const monthlyCache = new Map<string, Map<string, Map<string, number>>>();
  const seriesCache = new Map<string, MonthlySeries>();
  function seriesOf(unitId: string, ind: Indicator, clean: boolean): MonthlySeries {
    const key = `${unitId}/${ind.code}/${clean}`;
    const hit = seriesCache.get(key);
    if (hit) return hit;
    const unitRows = rowsByUnit.get(unitId) ?? [];
    const dataKey = `${unitId}/${clean}`;
    let data = monthlyCache.get(dataKey);
    if (!data) monthlyCache.set(dataKey, (data = monthlyValues(clean ? unitRows.filter((r) => !r.suspect) : unitRows)));
    const inputs = new Set(typedInputs(ind.code, indicatorByCode));
    const periods = unitRows.filter((r) => inputs.has(r.code)).map((r) => r.period);
    let out: MonthlySeries = { months: [], values: [] };
    if (periods.length) {
      const months = monthsBetween(periods.reduce((a, b) => (a < b ? a : b)), periods.reduce((a, b) => (a > b ? a : b)));
      const values = months.map((m) => aggregateValue(ind.code, [m], defs, data));
      const first = values.findIndex((v) => v !== null);
      const last = values.length - 1 - [...values].reverse().findIndex((v) => v !== null);
      if (first >= 0) out = { months: months.slice(first, last + 1), values: values.slice(first, last + 1) };
    }
    seriesCache.set(key, out);
    return out;
  }

  // Targets, read once for every unit and year with values.
  const years = [...new Set(rows.map((r) => Number(r.period.slice(0, 4))))];
  const targetRows = rules.some((r) => r.code === 'TARGET') ? await loadTargetsOf(db, [...rowsByUnit.keys()], years) : [];
  const targetsByUnit = new Map<string, ReturnType<typeof targetIndex>>();
  const targetsOf = (unitId: string) => targetsByUnit.get(unitId) ?? targetsByUnit.set(unitId, targetIndex(targetRows.filter((t) => t.unit_id === unitId))).get(unitId)!;

  // Selected benchmarks, read only when a GAP_WIDENING rule needs them.
  const gapRules = rules.some((r) => r.code === 'GAP_WIDENING');
  const selections = gapRules
    ? await db
        .selectFrom('benchmark_selections as s')
        .leftJoin('benchmarks as b', 'b.id', 's.benchmark_id')
        .select(['s.unit_id', 's.indicator_id', 's.use_history_best', 'b.id as benchmark_id', 'b.code', 'b.kind', 'b.sibling_unit_id'])
        .execute()
    : [];
  const benchmarkValues = gapRules ? await db.selectFrom('benchmark_values').select(['benchmark_id', 'indicator_id', 'period', 'value', 'scope_tag']).execute() : [];
  const comparable = gapRules ? await db.selectFrom('comparable_scopes').selectAll().execute() : [];
  const isComparable = (a: string, b: string) => !a || !b || a === b || comparable.some((c) => (c.scope_a === a && c.scope_b === b) || (c.scope_a === b && c.scope_b === a));

  function benchmarkSeries(unitId: string, ind: Indicator, s: MonthlySeries): { values: (number | null)[]; label: string } | null {
    const sel = selections.find((x) => x.unit_id === unitId && x.indicator_id === ind.id);
    if (!sel) return null;
    const def = defs.get(ind.code)!;
    if (sel.use_history_best) {
      // Own best so far, as the scorecard counts it (the month itself included).
      let best: number | null = null;
      return {
        label: 'HISTORY_BEST',
        values: s.values.map((v) => {
          if (v !== null && (best === null || isBetter(def, v, best))) best = v;
          return best;
        }),
      };
    }
    if (sel.kind === 'sibling' && sel.sibling_unit_id) {
      const sib = seriesOf(sel.sibling_unit_id, ind, true);
      return { label: sel.code!, values: s.months.map((m) => valueAt(sib.values, sib.months.indexOf(m))) };
    }
    const own = benchmarkValues.filter((v) => v.benchmark_id === sel.benchmark_id && v.indicator_id === ind.id);
    return {
      label: sel.code!,
      values: s.months.map((m) => {
        const v = own.find((x) => x.period === m) ?? own.find((x) => x.period === m.slice(0, 4));
        return v && isComparable(ind.scopeTag, v.scope_tag || ind.scopeTag) ? Number(v.value) : null;
      }),
    };
  }

  const counts = { rules: rules.length, evaluated: 0, created: 0, updated: 0, unchanged: 0, firing: 0, pending: 0, resolved: 0, suspectMarked: 0, notified: 0 };
  const inserts: { rule_id: string; unit_id: string; indicator_id: string; state: string; since: Date | null; last_period: string | null; facts: string; held: number; notified: boolean; notified_at: Date | null; resolved_at: Date | null; suspect_points: string; created_at: Date; updated_at: Date }[] = [];
  const updates: { id: string; version: number; set: Record<string, unknown> }[] = [];
  const markIds = new Set<string>();
  const notices: WarningNotice[] = [];
  const evaluatedKeys = new Set<string>();

  // Data quality first: the values they hold back are left out of the performance rules below.
  const ordered = [...rules.filter((r) => isDataQuality(r.code)), ...rules.filter((r) => !isDataQuality(r.code))];
  let cleanSeriesStale = false;
  for (const rule of ordered) {
    const ind = indicatorById.get(rule.indicator_id);
    if (!ind) continue;
    if (!isDataQuality(rule.code) && cleanSeriesStale) {
      // Suspect marks changed the performance series: computed again from here on.
      for (const k of [...seriesCache.keys()]) if (k.endsWith('/true')) seriesCache.delete(k);
      for (const k of [...monthlyCache.keys()]) if (k.endsWith('/true')) monthlyCache.delete(k);
      cleanSeriesStale = false;
    }
    const spec = specOf(rule.code, rule.params);
    const definition = ruleDefinition(spec);
    const policy: WarningPolicy = { holdPeriods: rule.hold_periods, notify: rule.notify as 'once', mute: (rule.mute as { from: string; to: string }[]).map((w): MuteWindow => [Date.parse(w.from), Date.parse(w.to)]) };
    const def = defs.get(ind.code)!;
    const inputs = typedInputs(ind.code, indicatorByCode);
    const unitIds = assignments.filter((a) => a.indicator_id === ind.id && (rule.unit_id === null || a.unit_id === rule.unit_id) && units.get(a.unit_id)?.active).map((a) => a.unit_id);
    for (const unitId of unitIds) {
      const key = `${rule.id}/${unitId}/${ind.id}`;
      evaluatedKeys.add(key);
      const s = stored.get(key);
      const confirmed: ConfirmedPoint[] = points(s?.confirmed_points);
      let checks: PeriodCheck[] = [];
      let instantOf = monthEnd;
      let series: MonthlySeries = { months: [], values: [] };
      if (spec.code === 'TARGET') {
        series = seriesOf(unitId, ind, true);
        const targets = targetsOf(unitId);
        checks = checkTarget(spec, def, series, (m) => targets.forWindow(ind, [m]), (m) => hasMeasure(unitId, ind.id, m));
      } else if (spec.code === 'GAP_WIDENING') {
        series = seriesOf(unitId, ind, true);
        const bench = benchmarkSeries(unitId, ind, series);
        if (bench) checks = checkGapWidening(spec, def, series, bench.values, bench.label);
      } else if (isControlChart(spec.code)) {
        series = seriesOf(unitId, ind, true);
        checks = checkControlChart(spec as Extract<RuleSpec, { baselineMonths: number; screenRanges: boolean }>, series);
      } else if (spec.code === 'DQ_MISSING') {
        if (ind.formula) continue;
        const day = spec.deadlineDay;
        let due = monthOf(now);
        while (reportingDeadline(due, day) >= now) due = monthsEnding(due, 2)[0]!;
        const end = reportingHorizon !== null && reportingHorizon < due ? reportingHorizon : due;
        const reported = new Set((rowsByUnit.get(unitId) ?? []).filter((r) => r.indicator_id === ind.id).map((r) => r.period));
        checks = reportingHorizon === null ? [] : checkMissing(spec, monthsEnding(end, spec.lookbackMonths), reported, now);
        instantOf = (m) => Math.min(reportingDeadline(m, day), now);
      } else if (spec.code === 'DQ_RANGE' || spec.code === 'DQ_STUCK' || spec.code === 'DQ_JUMP') {
        series = seriesOf(unitId, ind, false);
        checks = checkDataQuality(spec, series, { min: ind.rangeMin, max: ind.rangeMax }, confirmed);
      }
      if (checks.length === 0 && !s) continue;
      counts.evaluated++;
      const r = replayWarning(policy, checks, instantOf);
      let status = r.state.status;
      let since = r.state.since;
      let held = r.state.held;
      let notified = r.state.notified;
      if (status === 'inactive' && s && (s.state === 'firing' || s.state === 'resolved')) {
        // Out of the replayed months (or confirmed): what fired stays resolved.
        status = 'resolved';
        held = 0;
        notified = false;
        since = s.state === 'resolved' ? ms(s.since) : r.period ? instantOf(r.period) : now;
      }
      if (!s && status === 'inactive') continue;

      // Data quality: the values of a firing finding are held back until confirmed or corrected.
      let suspectPoints: Point[] = [];
      if (isDataQuality(spec.code) && spec.code !== 'DQ_MISSING') {
        const valueOf = (p: MonthKey) => valueAt(series.values, series.months.indexOf(p));
        const rowsAt = (p: MonthKey) => (rowsByUnit.get(unitId) ?? []).filter((x) => x.period === p && inputs.includes(x.code));
        const isConfirmed = (p: MonthKey) => confirmed.some((c) => c.period === p && sameValue(c.value, valueOf(p)));
        const firing = r.firingPoints.filter((p) => !isConfirmed(p));
        for (const p of firing) {
          for (const row of rowsAt(p)) {
            if (row.suspect) continue;
            row.suspect = true;
            markIds.add(row.id);
            cleanSeriesStale = true;
          }
        }
        // Earlier marks stay listed while their value is unchanged and still held back.
        const kept = points(s?.suspect_points).filter((p) => !firing.includes(p.period) && sameValue(p.value, valueOf(p.period)) && rowsAt(p.period).some((x) => x.suspect));
        suspectPoints = [...firing.map((p) => ({ period: p, value: valueOf(p) })), ...kept].sort((a, b) => a.period.localeCompare(b.period));
      }

      // A shift is not always bad news: say whether its side is the better one for the indicator.
      const side = r.facts.side;
      const favourable = isControlChart(spec.code) && (side === 'above' || side === 'below') && def.direction !== 'band' ? { favourable: (side === 'above') === (def.direction === 'higher') } : {};
      const facts = asStored({ rule: spec.code, definition, ...r.facts, ...favourable });
      const next = {
        state: status,
        since: since === null ? null : new Date(since),
        last_period: r.period,
        facts,
        held,
        notified,
        resolved_at: status === 'resolved' ? (s?.state === 'resolved' && s.resolved_at ? s.resolved_at : since === null ? null : new Date(since)) : null,
        suspect_points: asStored(suspectPoints),
      };
      const newEpisode = !s || s.state !== 'firing' || ms(s.since) !== since;
      const notice =
        status === 'firing' &&
        ((notified && (newEpisode || !s?.notified)) || (policy.notify === 'every' && r.notify && !!s && s.last_period !== null && r.period !== null && r.period > s.last_period));
      if (notice) {
        counts.notified++;
        notices.push({ warningId: s?.id ?? null, unit: units.get(unitId)?.code ?? unitId, indicator: ind.code, rule: spec.code, period: r.period, facts });
      }
      if (status === 'firing') counts.firing++;
      if (status === 'pending') counts.pending++;
      if (status === 'resolved') counts.resolved++;
      const stamp = new Date(now);
      if (!s) {
        inserts.push({ rule_id: rule.id, unit_id: unitId, indicator_id: ind.id, ...next, facts: JSON.stringify(next.facts), suspect_points: JSON.stringify(next.suspect_points), notified_at: notice ? stamp : null, created_at: stamp, updated_at: stamp });
        counts.created++;
        continue;
      }
      if (sameWarning(s, next) && !notice) {
        counts.unchanged++;
        continue;
      }
      updates.push({ id: s.id, version: s.version, set: { ...next, facts: JSON.stringify(next.facts), suspect_points: JSON.stringify(next.suspect_points), ...(notice ? { notified_at: stamp } : {}), updated_at: stamp, version: s.version + 1 } });
      counts.updated++;
    }
  }
  // Warnings no rule evaluates any more (rule disabled, unit no longer reporting): what fired is
  // resolved, what was pending lapses. Their suspect values stay until confirmed or corrected.
  for (const [key, s] of stored) {
    if (energyRuleIds.has(s.rule_id) || evaluatedKeys.has(key) || (s.state !== 'firing' && s.state !== 'pending')) continue;
    const state = s.state === 'firing' ? 'resolved' : 'inactive';
    const stamp = new Date(now);
    const facts = { ...s.facts, retired: 'the rule is disabled, or the unit no longer reports the indicator' };
    updates.push({ id: s.id, version: s.version, set: { state, since: stamp, held: 0, notified: false, resolved_at: state === 'resolved' ? stamp : null, facts: JSON.stringify(facts), updated_at: stamp, version: s.version + 1 } });
    counts.updated++;
    if (state === 'resolved') counts.resolved++;
  }
  counts.suspectMarked = markIds.size;

  const changed = inserts.length + updates.length + markIds.size > 0;
  if (changed || trigger.auditAlways) {
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < inserts.length; i += 500) {
        await trx.insertInto('warnings').values(inserts.slice(i, i + 500)).onConflict((oc) => oc.columns(['rule_id', 'unit_id', 'indicator_id']).doNothing()).execute();
      }
      for (const u of updates) await trx.updateTable('warnings').set(u.set).where('id', '=', u.id).where('version', '=', u.version).execute();
      const ids = [...markIds];
      for (let i = 0; i < ids.length; i += 1000) await trx.updateTable('measurements').set({ suspect: true }).where('id', 'in', ids.slice(i, i + 1000)).where('suspect', '=', false).execute();
      await audit(trx, { clock: { now: () => at } }, trigger.ctx, { action: 'warning.scan', objectType: 'warnings', details: { ...counts, reason: trigger.reason } });
    });
  }
  for (const n of notices) sendWarningNotice(deps, n);
  return { at: at.toISOString(), ...counts };
}

export function warningService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function indicator(trx: Tx, code: string): Promise<Indicator> {
    const ind = await findIndicatorByCode(trx, code);
    if (!ind) throw notFound('INDICATOR_NOT_FOUND', `No indicator ${code}`);
    return ind;
  }

  /** What the API cannot say in a schema: the rule must make sense for its indicator. */
  function checkRuleFits(ind: Indicator, code: string): void {
    if (code === 'DQ_RANGE' && ind.rangeMin === null && ind.rangeMax === null) {
      throw businessRule('WARNING_RULE_INVALID', `${ind.code} has no reasonable range (rangeMin/rangeMax): set one on the indicator before adding DQ_RANGE`, { code, indicator: ind.code });
    }
    if (code === 'DQ_MISSING' && ind.formula) {
      throw businessRule('WARNING_RULE_INVALID', `${ind.code} is computed from ${ind.formula}; DQ_MISSING applies to the indicators that are typed or imported`, { code, indicator: ind.code });
    }
  }

  async function ruleById(trx: Tx, id: string): Promise<RuleRow> {
    const [r] = await listRuleRows(trx, { id });
    if (!r) throw notFound('WARNING_RULE_NOT_FOUND', 'No such warning rule');
    return r;
  }

  /** Runs a scan, logging instead of throwing: used after a user's change has committed. */
  async function scanAfterCommit(reason: string): Promise<void> {
    try {
      await scanWarnings(deps, clock.now(), { ctx: systemContext(`warnings-scan after ${reason}`), reason });
    } catch (e) {
      deps.log.error({ err: e, reason }, 'warnings scan failed');
    }
  }

  return {
    scanAfterCommit,

    /** POST /api/warnings/scan: a scan now, audited as the user's. */
    scan: (ctx: RequestContext) => scanWarnings(deps, clock.now(), { ctx, reason: 'manual', auditAlways: true }),

    /** Warnings of the units in the actor's scope (unit and indicator filters optional). */
    async list(actor: Actor, q: { unit?: string; indicator?: string; state?: string }): Promise<{ rows: Warning[] }> {
      const scope = await visibleUnitIds(db, actor);
      let unitId: string | undefined;
      if (q.unit) {
        const unit = await findUnitByCode(db, q.unit);
        if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${q.unit}`);
        unitId = unit.id;
      }
      let indicatorId: string | undefined;
      if (q.indicator) indicatorId = (await db.transaction().execute((trx) => indicator(trx, q.indicator!))).id;
      const rows = await listWarningRows(db, { unitIds: scope ? [...scope] : null, ...(unitId ? { unitId } : {}), ...(indicatorId ? { indicatorId } : {}), ...(q.state ? { state: q.state } : {}) });
      return { rows: rows.map(toWarning) };
    },

    async rules(indicatorCode?: string): Promise<{ items: WarningRule[] }> {
      const ind = indicatorCode ? await db.transaction().execute((trx) => indicator(trx, indicatorCode)) : null;
      return { items: (await listRuleRows(db, ind ? { indicatorId: ind.id } : {})).map(toRule) };
    },

    async createRule(ctx: RequestContext, actor: Actor, body: CreateRuleBody): Promise<WarningRule> {
      return db.transaction().execute(async (trx) => {
        const ind = await indicator(trx, body.indicator);
        checkRuleFits(ind, body.code);
        let unitId: string | null = null;
        if (isEnergyRule(body.code)) {
          // An energy rule watches a meter: its unit is the meter's (the indicator says what the use is about);
          // EN_QUALITY watches the meters of the unit it names (required).
          const unit = body.unit ? await findUnitByCode(trx, body.unit) : null;
          if (body.unit && (!unit || !inScope(await visibleUnitIds(trx, actor), unit.id))) throw notFound('UNIT_NOT_FOUND', `No unit ${body.unit}`);
          unitId = unit?.id ?? null;
          await checkEnergyRuleFits(trx, actor, { code: body.code, unitId, params: body.params });
        } else if (body.unit) {
          const unit = await findUnitByCode(trx, body.unit);
          if (!unit || !inScope(await visibleUnitIds(trx, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${body.unit}`);
          const assigned = await trx.selectFrom('indicator_assignments').select('unit_id').where('unit_id', '=', unit.id).where('indicator_id', '=', ind.id).executeTakeFirst();
          if (!assigned) throw businessRule('INDICATOR_NOT_ASSIGNED', `${ind.code} is not in the indicator set of ${unit.code}`);
          unitId = unit.id;
        }
        const now = clock.now();
        const row = await trx
          .insertInto('warning_rules')
          .values({ indicator_id: ind.id, unit_id: unitId, code: body.code, params: JSON.stringify(body.params), hold_periods: body.holdPeriods, notify: body.notify, mute: JSON.stringify(body.mute), enabled: body.enabled, sort_order: body.sortOrder, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'warning_rule.create', objectType: 'warning_rule', objectId: row.id, changes: diffChanges(null, { indicator: ind.code, unit: body.unit, code: body.code, params: body.params, holdPeriods: body.holdPeriods, notify: body.notify, mute: body.mute, enabled: body.enabled, sortOrder: body.sortOrder }) });
        return toRule(await ruleById(trx, row.id));
      });
    },

    /** Replaces a rule's parameters, debounce, notices, mutes and order; its code stays. */
    async putRule(ctx: RequestContext, id: string, body: PutRuleBody): Promise<WarningRule> {
      return db.transaction().execute(async (trx) => {
        const before = await ruleById(trx, id);
        if (before.code !== body.code) throw businessRule('WARNING_RULE_CODE_FIXED', `This rule is ${before.code}; add a new rule for ${body.code} instead`, { code: before.code });
        const ind = await indicator(trx, before.indicator);
        checkRuleFits(ind, body.code);
        if (isEnergyRule(body.code)) await checkEnergyRuleFits(trx, ctx.actor, { code: body.code, unitId: before.unit_id, params: body.params });
        const now = clock.now();
        const r = await trx
          .updateTable('warning_rules')
          .set({ params: JSON.stringify(body.params), hold_periods: body.holdPeriods, notify: body.notify, mute: JSON.stringify(body.mute), enabled: body.enabled, sort_order: body.sortOrder, updated_at: now, version: before.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        const old = { params: before.params, holdPeriods: before.hold_periods, notify: before.notify, mute: before.mute, enabled: before.enabled, sortOrder: before.sort_order };
        await audit(trx, deps, ctx, { action: 'warning_rule.update', objectType: 'warning_rule', objectId: id, changes: diffChanges(old, { params: body.params, holdPeriods: body.holdPeriods, notify: body.notify, mute: body.mute, enabled: body.enabled, sortOrder: body.sortOrder }) });
        return toRule(await ruleById(trx, id));
      });
    },

    /**
     * The unit confirms the values a data-quality warning holds back: they count again (suspect
     * cleared), the warning is resolved and the values are not flagged again unless they change.
     */
    async confirm(ctx: RequestContext, actor: Actor, id: string, body: { reason: string; version: number }): Promise<Warning> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const [w] = await listWarningRows(trx, { unitIds: scope ? [...scope] : null, id });
        if (!w) throw notFound('WARNING_NOT_FOUND', 'No such warning');
        if (!isDataQuality(w.rule) || w.rule === 'DQ_MISSING') throw businessRule('WARNING_NOT_CONFIRMABLE', `A ${w.rule} warning is not about suspect values; only DQ_RANGE, DQ_STUCK and DQ_JUMP can be confirmed`, { rule: w.rule });
        const suspect = points(w.suspect_points);
        if (w.state !== 'firing' && suspect.length === 0) throw conflict('WARNING_NOT_FIRING', `This warning is ${w.state} and holds back no values`, { state: w.state });
        if (w.version !== body.version) throw staleVersion();
        const library = new Map((await listIndicators(trx)).map((i) => [i.code, i]));
        const inputs = typedInputs(w.indicator, library).map((c) => library.get(c)!.id);
        const periods = suspect.map((p) => p.period);
        const cleared = periods.length
          ? Number((await trx.updateTable('measurements').set({ suspect: false }).where('unit_id', '=', w.unit_id).where('indicator_id', 'in', inputs).where('period', 'in', periods).where('suspect', '=', true).executeTakeFirst()).numUpdatedRows)
          : 0;
        const now = clock.now();
        const confirmedPoints = [...points(w.confirmed_points).filter((c) => !periods.includes(c.period)), ...suspect].sort((a, b) => a.period.localeCompare(b.period));
        await trx
          .updateTable('warnings')
          .set({ state: 'resolved', since: now, resolved_at: now, held: 0, notified: false, suspect_points: '[]', confirmed_points: JSON.stringify(confirmedPoints), confirmed_by: actor.userId, confirmed_at: now, confirmed_reason: body.reason, updated_at: now, version: w.version + 1 })
          .where('id', '=', w.id)
          .execute();
        await audit(trx, deps, ctx, {
          action: 'warning.confirm',
          objectType: 'warning',
          objectId: w.id,
          changes: { state: { old: w.state, new: 'resolved' } },
          details: { unit: w.unit, indicator: w.indicator, rule: w.rule, reason: body.reason, values: suspect, cleared },
        });
        const [after] = await listWarningRows(trx, { unitIds: null, id: w.id });
        return toWarning(after!);
      });
    },
  };
}
export type WarningService = ReturnType<typeof warningService>;
export type { WarningRow };
