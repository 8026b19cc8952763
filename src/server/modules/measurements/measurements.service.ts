import { aggregateValue, isAttained, type IndicatorDef } from '../../../domain/benchmarking/indicator-math';
import { targetForWindow, type TargetLevels } from '../../../domain/benchmarking/targets';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { AppError, businessRule, conflict, notFound } from '../../errors';
import { audit } from '../audit/audit.service';
import { listIndicators } from '../indicators/indicators.repository';
import type { Indicator } from '../indicators/indicators.schemas';
import { findUnitByCode, listUnits, type UnitRow } from '../units/units.repository';
import { isPeriodLocked, loadMeasurements, loadTargets, type MeasurementRow } from './measurements.repository';
import type { EntryGrid, EntryRow, SaveEntryBody } from './measurements.schemas';

export function toDef(i: Indicator): IndicatorDef {
  return { code: i.code, direction: i.direction, bandCentre: i.bandCentre, bandTolerance: i.bandTolerance, aggregation: i.aggregation, formula: i.formula, precision: i.precision };
}

/** Monthly values keyed by indicator code, then month. */
export function monthlyValues(rows: readonly { code: string; period: string; value: number }[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    let m = out.get(r.code);
    if (!m) out.set(r.code, (m = new Map()));
    m.set(r.period, r.value);
  }
  return out;
}

/** Splits target rows into monthly and annual levels per indicator code. */
export function targetIndex(rows: readonly { code: string; period: string; floor: number | null; target: number; stretch: number | null }[]) {
  const monthly = new Map<string, Map<string, TargetLevels>>();
  const annual = new Map<string, Map<number, TargetLevels>>();
  for (const r of rows) {
    const levels = { floor: r.floor, target: r.target, stretch: r.stretch };
    if (r.period.length === 4) {
      const a = annual.get(r.code) ?? new Map<number, TargetLevels>();
      a.set(Number(r.period), levels);
      annual.set(r.code, a);
    } else {
      const m = monthly.get(r.code) ?? new Map<string, TargetLevels>();
      m.set(r.period, levels);
      monthly.set(r.code, m);
    }
  }
  return {
    forWindow(ind: Indicator, months: string[]): TargetLevels | null {
      const year = Number(months[0]!.slice(0, 4));
      return targetForWindow(ind.aggregation, months, monthly.get(ind.code) ?? new Map(), annual.get(ind.code)?.get(year) ?? null);
    },
  };
}

const periodLocked = (period: string) => new AppError(409, 'PERIOD_LOCKED', `The period ${period} is closed; ask for it to be reopened`);

/** Work to run once an approval has committed (the warnings scan); it must not throw. */
export interface MeasurementHooks {
  afterApproval?: () => Promise<void>;
}

export function measurementService(deps: Deps, hooks: MeasurementHooks = {}) {
  const { db } = deps.database;
  const { clock } = deps;

  async function visibleUnit(trx: Tx, actor: Actor, code: string): Promise<UnitRow> {
    const unit = await findUnitByCode(trx, code);
    if (!unit || !inScope(await visibleUnitIds(trx, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${code}`);
    return unit;
  }

  /** May this actor approve this unit's data? (Its scope was already checked.) */
  const mayApprove = (actor: Actor) => actor.permissions.has('measurement.approve');

  async function assigned(trx: Tx, unitId: string): Promise<{ library: Indicator[]; set: Indicator[] }> {
    const library = await listIndicators(trx);
    const rows = await trx.selectFrom('indicator_assignments').select(['indicator_id', 'sort_order']).where('unit_id', '=', unitId).orderBy('sort_order').execute();
    const set = rows.map((r) => library.find((i) => i.id === r.indicator_id)!).filter(Boolean);
    return { library, set };
  }

  async function grid(trx: Tx, actor: Actor, unit: UnitRow, period: string): Promise<EntryGrid> {
    const { library, set } = await assigned(trx, unit.id);
    const rows = await loadMeasurements(trx, { unitIds: [unit.id], periods: [period] });
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const defs = new Map(library.map((i) => [i.code, toDef(i)]));
    const data = monthlyValues(rows);
    const targets = targetIndex(await loadTargets(trx, unit.id, [Number(period.slice(0, 4))]));
    const out: EntryRow[] = set.map((ind) => {
      const m = byCode.get(ind.code);
      const derived = ind.aggregation === 'formula';
      const value = derived ? aggregateValue(ind.code, [period], defs, data) : (m?.value ?? null);
      const target = targets.forWindow(ind, [period])?.target ?? null;
      const attained = isAttained(toDef(ind), value, target);
      return {
        indicator: ind.code,
        nameZh: ind.nameZh,
        nameEn: ind.nameEn,
        uom: ind.uom,
        precision: ind.precision,
        direction: ind.direction,
        derived,
        formula: ind.formula,
        value,
        note: m?.note ?? '',
        status: derived ? null : ((m?.status as EntryRow['status']) ?? null),
        source: derived ? (value === null ? null : 'formula') : ((m?.source as EntryRow['source']) ?? null),
        suspect: m?.suspect ?? false,
        returnComment: m?.return_comment ?? null,
        target,
        rangeMin: ind.rangeMin,
        rangeMax: ind.rangeMax,
        needsNote: !derived && attained === false && !(m?.note ?? ''),
        version: m?.version ?? null,
      };
    });
    return { unit: unit.code, period, locked: await isPeriodLocked(trx, period), canEnter: actor.permissions.has('measurement.enter'), canApprove: mayApprove(actor), rows: out };
  }

  /** Moves every row of a unit and period in `from` to `to`; audited once with the indicators moved. */
  async function transition(ctx: RequestContext, actor: Actor, unitCode: string, period: string, from: string[], to: 'submitted' | 'approved' | 'returned', action: string, extra: { comment?: string; check?: (trx: Tx, unit: UnitRow, rows: MeasurementRow[]) => Promise<void> } = {}) {
    return db.transaction().execute(async (trx) => {
      const unit = await visibleUnit(trx, actor, unitCode);
      if (await isPeriodLocked(trx, period)) throw periodLocked(period);
      const rows = (await loadMeasurements(trx, { unitIds: [unit.id], periods: [period] })).filter((r) => from.includes(r.status));
      if (rows.length === 0) throw businessRule('NOTHING_TO_DO', `No ${from.join(' or ')} values for ${unitCode} in ${period}`);
      await extra.check?.(trx, unit, rows);
      const now = clock.now();
      await trx
        .updateTable('measurements')
        .set((eb) => ({
          status: to,
          updated_at: now,
          version: eb('version', '+', 1),
          ...(to === 'approved' ? { approved_by: actor.userId, approved_at: now, return_comment: null } : {}),
          ...(to === 'returned' ? { return_comment: extra.comment ?? null } : {}),
        }))
        .where('id', 'in', rows.map((r) => r.id))
        .execute();
      await audit(trx, deps, ctx, {
        action,
        objectType: 'measurement_set',
        objectId: `${unit.code}/${period}`,
        changes: Object.fromEntries(rows.map((r) => [r.code, { old: r.status, new: to }])),
        ...(extra.comment ? { details: { comment: extra.comment } } : {}),
      });
      return { unit: unit.code, period, changed: rows.length, status: to };
    });
  }

  /** Every value that misses its target must carry a note before it leaves the clerk. */
  async function requireNotes(trx: Tx, unit: UnitRow, rows: MeasurementRow[]) {
    const { library } = await assigned(trx, unit.id);
    const period = rows[0]!.period;
    const targets = targetIndex(await loadTargets(trx, unit.id, [Number(period.slice(0, 4))]));
    const lacking = rows.filter((r) => {
      const ind = library.find((i) => i.code === r.code)!;
      return !r.note && isAttained(toDef(ind), r.value, targets.forWindow(ind, [period])?.target ?? null) === false;
    });
    if (lacking.length) throw businessRule('NOTE_REQUIRED', 'Values that miss their target need an explanation note', { indicators: lacking.map((r) => r.code) });
  }

  return {
    async grid(actor: Actor, unitCode: string, period: string): Promise<EntryGrid> {
      return db.transaction().execute(async (trx) => grid(trx, actor, await visibleUnit(trx, actor, unitCode), period));
    },

    /**
     * Saves typed values. A clerk's values are drafts; a user who may approve them approves at
     * once (and the warnings scan follows the commit). Values outside the reasonable range need a
     * note and are marked suspect.
     */
    async save(ctx: RequestContext, actor: Actor, body: SaveEntryBody): Promise<EntryGrid> {
      let approvedNow = false;
      const saved = await db.transaction().execute(async (trx) => {
        const unit = await visibleUnit(trx, actor, body.unit);
        if (await isPeriodLocked(trx, body.period)) throw periodLocked(body.period);
        const { set } = await assigned(trx, unit.id);
        const existing = new Map((await loadMeasurements(trx, { unitIds: [unit.id], periods: [body.period] })).map((r) => [r.code, r]));
        const approver = mayApprove(actor);
        const now = clock.now();
        const problems: { indicator: string; code: string; message: string }[] = [];
        const changes: Record<string, { old?: unknown; new?: unknown }> = {};
        for (const v of body.values) {
          const ind = set.find((i) => i.code === v.indicator);
          if (!ind) {
            problems.push({ indicator: v.indicator, code: 'INDICATOR_NOT_ASSIGNED', message: `${v.indicator} is not in this unit's indicator set` });
            continue;
          }
          if (ind.aggregation === 'formula') {
            problems.push({ indicator: v.indicator, code: 'INDICATOR_DERIVED', message: `${v.indicator} is computed from its inputs and cannot be typed` });
            continue;
          }
          const old = existing.get(v.indicator);
          if (old?.status === 'approved') {
            problems.push({ indicator: v.indicator, code: 'MEASUREMENT_APPROVED', message: `${v.indicator} is approved; reopen it first` });
            continue;
          }
          if (old?.status === 'submitted' && !approver) {
            problems.push({ indicator: v.indicator, code: 'MEASUREMENT_SUBMITTED', message: `${v.indicator} is waiting for approval` });
            continue;
          }
          if (v.value === null) {
            if (old) {
              await trx.deleteFrom('measurements').where('id', '=', old.id).execute();
              changes[v.indicator] = { old: old.value, new: null };
            }
            continue;
          }
          const outside = (ind.rangeMin !== null && v.value < ind.rangeMin) || (ind.rangeMax !== null && v.value > ind.rangeMax);
          if (outside && !v.note) {
            problems.push({ indicator: v.indicator, code: 'NOTE_REQUIRED', message: `${v.value} is outside the reasonable range of ${v.indicator} (${ind.rangeMin ?? '−∞'} … ${ind.rangeMax ?? '∞'}); add a note` });
            continue;
          }
          const status = approver ? 'approved' : 'draft';
          const fields = {
            value: v.value,
            note: v.note,
            status,
            source: 'entry',
            suspect: outside,
            entered_by: actor.userId,
            updated_at: now,
            return_comment: null,
            ...(approver ? { approved_by: actor.userId, approved_at: now } : { approved_by: null, approved_at: null }),
          };
          if (old) {
            if (old.value === v.value && old.note === v.note && old.status === status) continue;
            await trx.updateTable('measurements').set({ ...fields, version: old.version + 1 }).where('id', '=', old.id).execute();
          } else {
            await trx.insertInto('measurements').values({ unit_id: unit.id, indicator_id: ind.id, period: body.period, created_at: now, ...fields }).execute();
          }
          changes[v.indicator] = { old: old?.value ?? null, new: v.value };
        }
        if (problems.length) throw businessRule(problems[0]!.code, problems.map((p) => p.message).join('; '), { problems });
        if (Object.keys(changes).length) {
          await audit(trx, deps, ctx, { action: approver ? 'measurement.save_approved' : 'measurement.save', objectType: 'measurement_set', objectId: `${unit.code}/${body.period}`, changes });
          approvedNow = approver;
        }
        return grid(trx, actor, unit, body.period);
      });
      // An approver's values are approved as they are saved: the warnings scan sees them at once.
      if (approvedNow) await hooks.afterApproval?.();
      return saved;
    },

    async submit(ctx: RequestContext, actor: Actor, unit: string, period: string) {
      const to = mayApprove(actor) ? 'approved' : 'submitted';
      const result = await transition(ctx, actor, unit, period, ['draft', 'returned'], to, 'measurement.submit', { check: requireNotes });
      if (to === 'approved') await hooks.afterApproval?.();
      return result;
    },
    /** Approves, then (committed) lets the warnings scan see the new values. */
    async approve(ctx: RequestContext, actor: Actor, unit: string, period: string) {
      const result = await transition(ctx, actor, unit, period, ['submitted'], 'approved', 'measurement.approve');
      await hooks.afterApproval?.();
      return result;
    },
    return: (ctx: RequestContext, actor: Actor, unit: string, period: string, comment: string) => transition(ctx, actor, unit, period, ['submitted'], 'returned', 'measurement.return', { comment }),
    reopen: (ctx: RequestContext, actor: Actor, unit: string, period: string, reason: string) => transition(ctx, actor, unit, period, ['approved'], 'returned', 'measurement.reopen', { comment: reason }),

    /** Per unit in scope: the typed indicators of its set that have no value for the month. */
    async missing(actor: Actor, period: string) {
      const scope = await visibleUnitIds(db, actor);
      const units = (await listUnits(db)).filter((u) => u.active && inScope(scope, u.id));
      const library = await listIndicators(db);
      const assignments = await db.selectFrom('indicator_assignments').select(['unit_id', 'indicator_id']).execute();
      const present = new Set((await db.selectFrom('measurements').select(['unit_id', 'indicator_id']).where('period', '=', period).execute()).map((r) => `${r.unit_id}/${r.indicator_id}`));
      const out = [];
      for (const u of units) {
        const expected = assignments.filter((a) => a.unit_id === u.id).map((a) => library.find((i) => i.id === a.indicator_id)!).filter((i) => i && i.aggregation !== 'formula');
        if (expected.length === 0) continue;
        const missing = expected.filter((i) => !present.has(`${u.id}/${i.id}`)).map((i) => i.code);
        if (missing.length) out.push({ unit: u.code, nameZh: u.name_zh, nameEn: u.name_en, expected: expected.length, missing });
      }
      return { period, units: out };
    },

    /**
     * Where a number comes from: its value, status and source (entry, import, demo, or a formula
     * of inputs, each with its own), who entered and approved it, and its change history.
     */
    async detail(actor: Actor, unitCode: string, indicatorCode: string, period: string) {
      return db.transaction().execute(async (trx) => {
        const unit = await visibleUnit(trx, actor, unitCode);
        const library = await listIndicators(trx);
        const ind = library.find((i) => i.code === indicatorCode);
        if (!ind) throw notFound('INDICATOR_NOT_FOUND', `No indicator ${indicatorCode}`);
        const rows = await loadMeasurements(trx, { unitIds: [unit.id], periods: [period] });
        const byCode = new Map(rows.map((r) => [r.code, r]));
        const own = byCode.get(ind.code);
        const full = own ? await trx.selectFrom('measurements').select(['entered_by', 'approved_by', 'approved_at', 'updated_at', 'return_comment']).where('id', '=', own.id).executeTakeFirst() : undefined;
        const names = new Map((await trx.selectFrom('users').select(['id', 'username']).execute()).map((u) => [u.id, u.username]));
        const inputs = ind.formula ? [...new Set([...ind.formula.matchAll(/[A-Za-z_][A-Za-z0-9_.]*/g)].map((m) => m[0].replace(/\.+$/, '')))] : [];
        const codes = [ind.code, ...inputs];
        const audits = await trx
          .selectFrom('audit_log')
          .select(['at', 'actor_username', 'action', 'changes', 'details'])
          .where('object_type', '=', 'measurement_set')
          .where('object_id', '=', `${unit.code}/${period}`)
          .orderBy('seq')
          .execute();
        const history = audits.flatMap((a) =>
          codes
            .filter((c) => a.changes && c in a.changes)
            .map((c) => {
              const change = (a.changes as Record<string, { old?: unknown; new?: unknown }>)[c]!;
              const comment = typeof a.details?.comment === 'string' ? a.details.comment : null;
              return { at: a.at.toISOString(), actor: a.actor_username, action: c === ind.code ? a.action : `${a.action} (${c})`, old: change.old, new: change.new, comment };
            }),
        );
        const defs = new Map(library.map((i) => [i.code, toDef(i)]));
        const monthly = monthlyValues(rows);
        const value = ind.formula ? aggregateValue(ind.code, [period], defs, monthly) : (own?.value ?? null);
        // An input may itself be a formula: its value is computed the same way.
        const inputOf = (c: string) =>
          defs.get(c)?.aggregation === 'formula'
            ? { indicator: c, value: aggregateValue(c, [period], defs, monthly), status: null, source: 'formula' }
            : { indicator: c, value: byCode.get(c)?.value ?? null, status: (byCode.get(c)?.status as 'draft') ?? null, source: byCode.get(c)?.source ?? null };
        return {
          unit: unit.code,
          indicator: ind.code,
          period,
          value,
          status: ind.formula ? null : ((own?.status as 'draft') ?? null),
          source: ind.formula ? (value === null ? null : ('formula' as const)) : ((own?.source as 'entry') ?? null),
          note: own?.note ?? '',
          suspect: own?.suspect ?? false,
          enteredBy: full?.entered_by ? (names.get(full.entered_by) ?? null) : null,
          approvedBy: full?.approved_by ? (names.get(full.approved_by) ?? null) : null,
          approvedAt: full?.approved_at?.toISOString() ?? null,
          updatedAt: full?.updated_at.toISOString() ?? null,
          returnComment: full?.return_comment ?? null,
          formula: ind.formula,
          inputs: inputs.map(inputOf),
          history,
        };
      });
    },

    async periods() {
      const rows = await db.selectFrom('periods').selectAll().orderBy('period', 'desc').execute();
      return rows.map((r) => ({ period: r.period, locked: r.locked, changedAt: r.changed_at.toISOString(), reason: r.reason, version: r.version }));
    },

    /** Closes or reopens a month; reopening needs a reason. Both audited. */
    async setLocked(ctx: RequestContext, actor: Actor, period: string, locked: boolean, reason: string) {
      return db.transaction().execute(async (trx) => {
        const current = await trx.selectFrom('periods').selectAll().where('period', '=', period).executeTakeFirst();
        if ((current?.locked ?? false) === locked) throw conflict(locked ? 'PERIOD_LOCKED' : 'PERIOD_OPEN', locked ? `${period} is already closed` : `${period} is already open`);
        const now = clock.now();
        const row = await trx
          .insertInto('periods')
          .values({ period, locked, changed_at: now, changed_by: actor.userId, reason: reason || null })
          .onConflict((oc) => oc.column('period').doUpdateSet((eb) => ({ locked, changed_at: now, changed_by: actor.userId, reason: reason || null, version: eb('periods.version', '+', 1) })))
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: locked ? 'period.lock' : 'period.unlock', objectType: 'period', objectId: period, changes: { locked: { old: current?.locked ?? false, new: locked } }, ...(reason ? { details: { reason } } : {}) });
        return { period: row.period, locked: row.locked, changedAt: row.changed_at.toISOString(), reason: row.reason, version: row.version };
      });
    },
  };
}
export type MeasurementService = ReturnType<typeof measurementService>;
