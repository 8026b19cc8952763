/**
 * The warnings scan's follow-up: firing performance warnings (TARGET, GAP_WIDENING, control-chart
 * run rules) raise one open problem per unit and cause (`<indicator id>:<rule code>`), and
 * closed-unverified problems are checked again against the data. One transaction, idempotent: a
 * re-scan with the same data changes nothing. Also the measure lookup the scan's TARGET rule uses.
 */
import { canonicalJson } from '../../../domain/hash-chain';
import { monthsEnding, type MonthKey } from '../../../domain/benchmarking/period';
import { ACTIVE_STATUSES, nextStatus } from '../../../domain/problems/problem-status';
import { DEFAULT_VERIFY_PERIODS } from '../../../domain/problems/verification';
import { isControlChart, monthOf } from '../../../domain/warnings/rules';
import { summarizeAnomaly } from '../../../domain/energy/anomaly-summary';
import { isEnergyRule } from '../energy/anomalies.schemas';
import type { Db, Deps, RequestContext, Tx } from '../../context';
import { audit } from '../audit/audit.service';
import type { MeasureLookup } from '../warnings/warnings.service';
import { verifyByData } from './problem-closure';

/** Rules whose firing warnings raise problems (data-quality rules do not, EN_QUALITY included; energy anomalies do). */
export function raisesProblem(rule: string): boolean {
  return rule === 'TARGET' || rule === 'GAP_WIDENING' || isControlChart(rule) || (isEnergyRule(rule) && rule !== 'EN_QUALITY');
}

/** The cause of a warning's problem: indicator and rule, and for an energy anomaly its meter. */
export function causeKeyOf(w: { indicator_id: string; rule: string; facts: unknown }): string {
  const meter = isEnergyRule(w.rule) ? (w.facts as { meter?: unknown }).meter : undefined;
  return typeof meter === 'string' ? `${w.indicator_id}:${w.rule}:${meter}` : `${w.indicator_id}:${w.rule}`;
}

const previousMonth = (m: MonthKey) => monthsEnding(m, 2)[0]!;
const FOREVER = '9999-12';

/**
 * "Has this red value a measure?" for the TARGET rule: an open measure on an active problem of the
 * unit naming the indicator covers every month; a measure that is done, or whose problem was closed,
 * covers the months up to the one before it was finished (what was known then). Cancelled measures
 * and cancelled problems cover nothing.
 */
export async function loadMeasureLookup(db: Db | Tx): Promise<MeasureLookup> {
  const rows = await db
    .selectFrom('measures as m')
    .innerJoin('problems as p', 'p.id', 'm.problem_id')
    .select(['p.unit_id', 'p.indicator_ids', 'p.status as problem_status', 'p.closed_at', 'm.status', 'm.updated_at'])
    .where('m.status', '<>', 'cancelled')
    .where('p.status', '<>', 'cancelled')
    .execute();
  const until = new Map<string, MonthKey>();
  for (const r of rows) {
    const active = (ACTIVE_STATUSES as readonly string[]).includes(r.problem_status);
    const end = active && r.status === 'open' ? FOREVER : previousMonth(monthOf((r.closed_at ?? r.updated_at).getTime()));
    for (const ind of r.indicator_ids ?? []) {
      const key = `${r.unit_id}/${ind}`;
      const before = until.get(key);
      if (before === undefined || end > before) until.set(key, end);
    }
  }
  return (unitId, indicatorId, period) => {
    const end = until.get(`${unitId}/${indicatorId}`);
    return end !== undefined && period <= end;
  };
}

/** A figure as the indicator shows it (its precision), or as given when it has none. */
const figure = (precision: number | null) => (v: unknown) =>
  typeof v === 'number' ? (precision === null ? String(Math.round(v * 10000) / 10000) : v.toFixed(precision)) : v === null || v === undefined ? '—' : String(v);
const fmt = figure(null);

/** The title and description of a raised problem, in Chinese, from the warning's facts. */
export function describeWarning(w: { rule: string; unitName: string; indicatorName: string; uom: string; precision: number | null; period: string | null; facts: Record<string, unknown> }): { title: string; description: string; severity: 'high' | 'medium' | 'low' } {
  const f = w.facts;
  const num = figure(w.precision);
  const at = w.period ?? '';
  const u = w.uom ? ` ${w.uom}` : '';
  if (w.rule === 'TARGET') {
    return {
      title: `${w.unitName}${w.indicatorName}${at}亮红灯`,
      description: `${at} ${w.indicatorName}实际值 ${num(f.value)}${u}，目标值 ${num(f.target)}${u}${f.floor !== null && f.floor !== undefined ? `，底线值 ${num(f.floor)}${u}` : ''}，状态为红灯且尚无整改措施（预警规则 TARGET）。`,
      severity: f.light === 'red' ? 'high' : 'medium',
    };
  }
  if (w.rule === 'GAP_WIDENING') {
    const periods = Array.isArray(f.periods) ? (f.periods as string[]) : [];
    const gaps = Array.isArray(f.gaps) ? (f.gaps as unknown[]).map(num) : [];
    return {
      title: `${w.unitName}${w.indicatorName}与标杆差距连续扩大`,
      description: `${w.indicatorName}与标杆 ${fmt(f.benchmark)} 的差距连续 ${fmt(f.required)} 个月扩大（${periods.join('、')}；差距 ${gaps.join(' → ')}，正数为优于标杆）（预警规则 GAP_WIDENING）。`,
      severity: 'medium',
    };
  }
  if (isEnergyRule(w.rule)) {
    const unitOf = typeof f.uom === 'string' ? f.uom : '';
    const threshold = typeof f.threshold === 'number' ? `，判定阈值 ${fmt(f.threshold)} ${unitOf}` : '';
    return {
      title: `${w.unitName}${typeof f.meterName === 'string' ? f.meterName : ''}能耗异常（${w.rule}）`,
      description: `${summarizeAnomaly(w.rule, 'firing', f)}${threshold}。请排查原因（如泄漏、设备异常、计量问题）并制定整改措施（预警规则 ${w.rule}，对应指标 ${w.indicatorName}）。`,
      severity: 'high',
    };
  }
  const favourable = f.favourable === true;
  return {
    title: `${w.unitName}${w.indicatorName}${at}过程异常（${w.rule}）`,
    description: `${at} ${w.indicatorName}数值 ${num(f.value)}${u}触发控制图判异规则 ${w.rule}：中心线 ${num(f.mean)}，上控制限 ${num(f.ucl)}，下控制限 ${num(f.lcl)}（基准期 ${fmt(f.baseline)}）${favourable ? '。偏移方向对指标有利，请分析原因并固化经验' : '。请分析原因'}。`,
    severity: favourable ? 'low' : 'medium',
  };
}

export interface RaiseResult {
  raised: number;
  promoted: number;
  rechecked: number;
}

/**
 * Raises problems from firing warnings and re-checks closed-unverified problems, in one
 * transaction. A warning raises no problem when an active problem has its cause, or when a problem
 * of that cause (of any status) already covers its last period: re-scans and closed problems whose
 * data have not moved on raise nothing.
 */
export async function raiseProblemsFromWarnings(deps: Pick<Deps, 'database' | 'log'>, at: Date, ctx: RequestContext): Promise<RaiseResult> {
  const { db } = deps.database;
  const clock = { clock: { now: () => at } };
  return db.transaction().execute(async (trx) => {
    const result: RaiseResult = { raised: 0, promoted: 0, rechecked: 0 };
    const firing = (
      await trx
        .selectFrom('warnings as w')
        .innerJoin('warning_rules as r', 'r.id', 'w.rule_id')
        .innerJoin('units as u', 'u.id', 'w.unit_id')
        .innerJoin('indicators as i', 'i.id', 'w.indicator_id')
        .select(['w.id', 'w.unit_id', 'w.indicator_id', 'w.last_period', 'w.facts', 'r.code as rule', 'u.code as unit', 'u.name_zh as unit_name', 'i.code as indicator', 'i.name_zh as indicator_name', 'i.uom', 'i.precision'])
        .where('w.state', '=', 'firing')
        .orderBy('u.sort_order')
        .orderBy('u.code')
        .orderBy('i.code')
        .orderBy('r.code')
        .execute()
    ).filter((w) => raisesProblem(w.rule));
    if (firing.length) {
      const existing = await trx
        .selectFrom('problems')
        .select(['unit_id', 'cause_key', 'status', 'gap_period'])
        .where('cause_key', 'is not', null)
        .execute();
      for (const w of firing) {
        const causeKey = causeKeyOf(w);
        const same = existing.filter((p) => p.unit_id === w.unit_id && p.cause_key === causeKey);
        if (same.some((p) => (ACTIVE_STATUSES as readonly string[]).includes(p.status))) continue;
        if (w.last_period && same.some((p) => p.gap_period !== null && p.gap_period >= w.last_period!)) continue;
        const text = describeWarning({ rule: w.rule, unitName: w.unit_name, indicatorName: w.indicator_name, uom: w.uom, precision: w.precision, period: w.last_period, facts: w.facts as Record<string, unknown> });
        const row = await trx
          .insertInto('problems')
          .values({
            source: 'warning',
            unit_id: w.unit_id,
            indicator_ids: [w.indicator_id],
            warning_id: w.id,
            cause_key: causeKey,
            title: text.title,
            description: text.description,
            severity: text.severity,
            status: 'open',
            gap_period: w.last_period,
            verify_periods: DEFAULT_VERIFY_PERIODS,
            raised_at: at,
            created_at: at,
            updated_at: at,
          })
          .returning(['id', 'number'])
          .executeTakeFirstOrThrow();
        existing.push({ unit_id: w.unit_id, cause_key: causeKey, status: 'open', gap_period: w.last_period });
        result.raised++;
        await audit(trx, clock, ctx, {
          action: 'problem.raise',
          objectType: 'problem',
          objectId: row.id,
          details: { number: Number(row.number), source: 'warning', warningId: w.id, unit: w.unit, indicator: w.indicator, rule: w.rule, gapPeriod: w.last_period, severity: text.severity },
        });
      }
    }

    // Closed but not verified: the data may have confirmed it since.
    const waiting = await trx.selectFrom('problems').selectAll().where('status', '=', 'closed-unverified').where('warning_id', 'is not', null).where('gap_period', 'is not', null).execute();
    for (const p of waiting) {
      const v = await verifyByData(trx, p, at, 'scan');
      if (!v) continue;
      result.rechecked++;
      const strip = (x: Record<string, unknown>) => canonicalJson({ ...x, checkedAt: null, by: null });
      if (v.verified) {
        const t = nextStatus('closed-unverified', { type: 'data-confirmed' });
        if (!t.ok) continue;
        await trx.updateTable('problems').set({ status: t.status, verification: JSON.stringify(v), updated_at: at, version: p.version + 1 }).where('id', '=', p.id).where('version', '=', p.version).execute();
        result.promoted++;
        await audit(trx, clock, ctx, {
          action: 'problem.verify',
          objectType: 'problem',
          objectId: p.id,
          changes: { status: { old: 'closed-unverified', new: 'verified' } },
          details: { number: Number(p.number), verification: v },
        });
      } else if (strip(p.verification) !== strip(v as unknown as Record<string, unknown>)) {
        // Still not verified, but the data moved: record what was checked.
        await trx.updateTable('problems').set({ verification: JSON.stringify(v), updated_at: at, version: p.version + 1 }).where('id', '=', p.id).where('version', '=', p.version).execute();
        await audit(trx, clock, ctx, { action: 'problem.recheck', objectType: 'problem', objectId: p.id, details: { number: Number(p.number), verification: v } });
      }
    }
    return result;
  });
}
