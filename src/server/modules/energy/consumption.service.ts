/**
 * Consumption per meter and unit (hour, day, month), the quality grid, confirming suspect days and
 * daily production. Hours are computed from the readings on demand; days come from energy_daily;
 * months sum days (decision 0007, point 3).
 */
import { sql } from 'kysely';
import { bucketConsumption, DAY_MS, shanghaiDate, shanghaiDayStart } from '../../../domain/energy/buckets';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { businessRule, notFound } from '../../errors';
import { audit } from '../audit/audit.service';
import { dateText, daysBetween, enqueueDays, loadMeters, loadReadings, loadReplacements, meterIntervals, type MeterInfo } from './daily.service';
import { unitParents } from './meters.service';
import type { Carrier } from './energy.schemas';
import type { EnergyQueue } from './recompute-queue';

export type Grain = 'hour' | 'day' | 'month';
export interface ConsumptionRow {
  start: string;
  consumption: number | null;
  quality: number | null;
}

/** An instant as ISO-8601 in Asia/Shanghai ('2026-02-01T00:00:00+08:00'). */
export const shanghaiIso = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
const maxDays: Record<Grain, number> = { hour: 62, day: 1100, month: 3700 };

function checkRange(from: string, to: string, grain: Grain): void {
  if (to < from) throw businessRule('INVALID_RANGE', 'to is before from', { field: 'to' });
  const days = (shanghaiDayStart(to) - shanghaiDayStart(from)) / DAY_MS + 1;
  if (days > maxDays[grain]) throw businessRule('RANGE_TOO_LONG', `At most ${maxDays[grain]} days at interval=${grain}`, { field: 'to' });
}

/** Month rows from day rows: consumption sums the days that have one (null when none has); quality is the worst day's score. */
function monthsOf(days: { day: string; consumption: number | null; quality: number | null }[]): ConsumptionRow[] {
  const by = new Map<string, { c: number | null; q: number | null }>();
  for (const d of days) {
    const m = d.day.slice(0, 7);
    const acc = by.get(m) ?? { c: null, q: null };
    if (d.consumption !== null) acc.c = (acc.c ?? 0) + d.consumption;
    if (d.quality !== null) acc.q = acc.q === null ? d.quality : Math.min(acc.q, d.quality);
    by.set(m, acc);
  }
  return [...by.keys()].sort().map((m) => ({ start: shanghaiIso(shanghaiDayStart(`${m}-01`)), consumption: by.get(m)!.c, quality: by.get(m)!.q }));
}

export function consumptionService(deps: Deps, queue: Pick<EnergyQueue, 'settle' | 'pending'>) {
  const { db } = deps.database;

  /** Read-your-writes: the queued days of a meter are recomputed before it is read. */
  async function settleMeter(code: string): Promise<void> {
    const m = await db.selectFrom('meters').select('id').where('code', '=', code).executeTakeFirst();
    if (m) await queue.settle([m.id]);
  }

  /** The same for the meters of a unit and the units below it. */
  async function settleUnit(code: string): Promise<void> {
    const ids = await db.transaction().execute(async (trx) => {
      const { parents, byCode } = await unitParents(trx);
      const unit = byCode.get(code);
      if (!unit) return [];
      const under = (id: string) => {
        for (let u: string | null | undefined = id; u; u = parents.get(u)) if (u === unit.id) return true;
        return false;
      };
      return (await trx.selectFrom('meters').select(['id', 'unit_id']).execute()).filter((m) => under(m.unit_id)).map((m) => m.id);
    });
    if (ids.length) await queue.settle(ids);
  }

  async function dayRows(trx: Tx, meterIds: string[], from: string, to: string) {
    if (meterIds.length === 0) return [];
    const rows = await trx
      .selectFrom('energy_daily')
      .select(['meter_id', 'day', 'consumption', 'quality_score', 'suspect', 'findings', 'confirmed_at', 'intervals_expected', 'intervals_received'])
      .where('meter_id', 'in', meterIds)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .orderBy('day')
      .execute();
    return rows.map((r) => ({ ...r, day: dateText(r.day), consumption: r.consumption === null ? null : Number(r.consumption) }));
  }

  /** Hourly consumption of a meter (a virtual one: the signed sum of its components' hours). */
  async function hours(trx: Tx, all: MeterInfo[], m: MeterInfo, from: string, to: string, depth = 0): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (depth > 20) return out;
    const lo = shanghaiDayStart(from);
    const hi = shanghaiDayStart(to) + DAY_MS;
    if (m.kind === 'virtual') {
      const byCode = new Map(all.map((x) => [x.code, x]));
      for (const t of m.formula) {
        const c = byCode.get(t.meter);
        if (!c) continue;
        for (const [h, v] of await hours(trx, all, c, from, to, depth + 1)) out.set(h, (out.get(h) ?? 0) + t.sign * v);
      }
      return out;
    }
    const readings = (await loadReadings(trx, [m.key], lo, hi)).get(m.key)!;
    const reps = (await loadReplacements(trx, [m.id])).get(m.id) ?? [];
    for (const b of bucketConsumption(meterIntervals(m, readings, reps), 'hour')) if (b.start >= lo && b.start < hi) out.set(b.start, b.consumption);
    return out;
  }

  async function visibleMeter(trx: Tx, actor: Actor, code: string) {
    const all = await loadMeters(trx);
    const m = all.find((x) => x.code === code);
    if (!m || !inScope(await visibleUnitIds(trx, actor), m.unitId)) throw notFound('METER_NOT_FOUND', `No meter ${code}`);
    return { all, m };
  }

  async function visibleUnit(trx: Tx, actor: Actor, code: string) {
    const { parents, byCode } = await unitParents(trx);
    const unit = byCode.get(code);
    const scope = await visibleUnitIds(trx, actor);
    if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${code}`);
    return { unit, parents, scope };
  }

  async function meterSeries(trx: Tx, all: MeterInfo[], m: MeterInfo, from: string, to: string, grain: Grain): Promise<ConsumptionRow[]> {
    const days = await dayRows(trx, [m.id], from, to);
    if (grain === 'hour') {
      const h = await hours(trx, all, m, from, to);
      const quality = new Map(days.map((d) => [d.day, d.quality_score]));
      return [...h.keys()].sort((a, b) => a - b).map((start) => ({ start: shanghaiIso(start), consumption: h.get(start)!, quality: quality.get(shanghaiDate(start)) ?? null }));
    }
    const list = days.map((d) => ({ day: d.day, consumption: d.consumption, quality: d.quality_score }));
    if (grain === 'day') return list.map((d) => ({ start: shanghaiIso(shanghaiDayStart(d.day)), consumption: d.consumption, quality: d.quality }));
    return monthsOf(list);
  }

  return {
    /** Days of the meters in the actor's scope still queued for recomputation. */
    async pending(actor: Actor) {
      const scope = await visibleUnitIds(db, actor);
      return { pendingDays: await queue.pending(scope === null ? null : [...scope]) };
    },

    async meter(actor: Actor, q: { meter: string; from: string; to: string; interval: Grain }) {
      checkRange(q.from, q.to, q.interval);
      await settleMeter(q.meter);
      return db.transaction().execute(async (trx) => {
        const { all, m } = await visibleMeter(trx, actor, q.meter);
        return { meter: m.code, unit: m.uom, carrier: m.carrier, interval: q.interval, rows: await meterSeries(trx, all, m, q.from, q.to, q.interval) };
      });
    },

    /**
     * A unit's consumption of one carrier: its own meters (unit_id = the unit) of that carrier
     * that have no parent meter of the same carrier in the unit (the roots of its tree). When
     * some roots are virtual meters (e.g. incoming − outgoing), only those count; otherwise the
     * physical roots are summed. Units below are not added (they have their own totals).
     * Day quality: the worst of the counted meters' scores; a day where a counted meter has no
     * row has consumption null.
     */
    async unit(actor: Actor, code: string, q: { carrier: Carrier; from: string; to: string; interval: 'day' | 'month' }) {
      checkRange(q.from, q.to, q.interval);
      await settleUnit(code);
      return db.transaction().execute(async (trx) => {
        const { unit } = await visibleUnit(trx, actor, code);
        const all = await loadMeters(trx);
        const own = all.filter((m) => m.unitId === unit.id && m.carrier === q.carrier);
        const ownIds = new Set(own.map((m) => m.id));
        const roots = own.filter((m) => m.parentId === null || !ownIds.has(m.parentId));
        const counted = roots.some((m) => m.kind === 'virtual') ? roots.filter((m) => m.kind === 'virtual') : roots;
        counted.sort((a, b) => a.sortOrder - b.sortOrder || (a.code < b.code ? -1 : 1));
        const rows = await dayRows(trx, counted.map((m) => m.id), q.from, q.to);
        const byDay = new Map<string, typeof rows>();
        for (const r of rows) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
        const days = [...byDay.keys()].sort().map((day) => {
          const rs = byDay.get(day)!;
          const complete = rs.length === counted.length && rs.every((r) => r.consumption !== null);
          return { day, consumption: complete ? rs.reduce((s, r) => s + r.consumption!, 0) : null, quality: complete ? Math.min(...rs.map((r) => r.quality_score ?? 0)) : 0 };
        });
        const uoms = [...new Set(counted.map((m) => m.uom))];
        return {
          unit: unit.code,
          carrier: q.carrier,
          uom: uoms[0] ?? null,
          meters: counted.map((m) => m.code),
          interval: q.interval,
          rows: q.interval === 'day' ? days.map((d) => ({ start: shanghaiIso(shanghaiDayStart(d.day)), consumption: d.consumption, quality: d.quality })) : monthsOf(days),
        };
      });
    },

    /** Meters × days of a unit and the units below it (in scope): score, suspect, confirmed, findings. */
    async quality(actor: Actor, q: { unit: string; from: string; to: string }) {
      checkRange(q.from, q.to, 'hour');
      await settleUnit(q.unit);
      return db.transaction().execute(async (trx) => {
        const { unit, parents, scope } = await visibleUnit(trx, actor, q.unit);
        const under = (id: string) => {
          for (let u: string | null | undefined = id; u; u = parents.get(u)) if (u === unit.id) return true;
          return false;
        };
        const meters = (await loadMeters(trx)).filter((m) => under(m.unitId) && inScope(scope, m.unitId)).sort((a, b) => a.sortOrder - b.sortOrder || (a.code < b.code ? -1 : 1));
        const rows = await dayRows(trx, meters.map((m) => m.id), q.from, q.to);
        const byMeter = new Map<string, typeof rows>();
        for (const r of rows) byMeter.set(r.meter_id, [...(byMeter.get(r.meter_id) ?? []), r]);
        return {
          unit: unit.code,
          days: daysBetween(q.from, q.to),
          meters: meters.map((m) => ({
            meter: m.code,
            carrier: m.carrier,
            kind: m.kind,
            days: (byMeter.get(m.id) ?? []).map((r) => ({
              day: r.day,
              score: r.quality_score,
              suspect: r.suspect,
              confirmed: r.confirmed_at !== null,
              consumption: r.consumption,
              expected: r.intervals_expected,
              received: r.intervals_received,
              findings: r.findings as { code: string; facts: Record<string, unknown> }[],
            })),
          })),
        };
      });
    },

    /** Marks a suspect day confirmed (it counts again); audited. */
    async confirm(ctx: RequestContext, actor: Actor, code: string, day: string, reason: string) {
      await settleMeter(code);
      const out = await db.transaction().execute(async (trx) => {
        const { m } = await visibleMeter(trx, actor, code);
        const row = await trx.selectFrom('energy_daily').select(['suspect', 'findings', 'consumption']).where('meter_id', '=', m.id).where('day', '=', day).executeTakeFirst();
        if (!row) throw notFound('ENERGY_DAY_NOT_FOUND', `${code} has no data for ${day}`);
        if (!row.suspect) throw businessRule('ENERGY_DAY_NOT_SUSPECT', `${code} ${day} is not suspect`);
        const now = deps.clock.now();
        await trx.updateTable('energy_daily').set({ suspect: false, confirmed_by: actor.userId, confirmed_at: now, confirmed_reason: reason }).where('meter_id', '=', m.id).where('day', '=', day).execute();
        // The virtual meters above take the day again (their suspect flag follows their components').
        await enqueueDays(trx, new Map([[m.id, new Set([day])]]), now);
        await audit(trx, deps, ctx, {
          action: 'energy.day.confirm',
          objectType: 'energy_day',
          objectId: `${code}/${day}`,
          changes: { suspect: { old: true, new: false } },
          details: { reason, consumption: row.consumption === null ? null : Number(row.consumption), findings: (row.findings as { code: string }[]).map((f) => f.code) },
        });
        return { meterId: m.id, result: { meter: code, day, suspect: false, confirmed: true, confirmedBy: actor.username, confirmedAt: now.toISOString(), reason } };
      });
      // The month may now be complete without suspect days: the feeds write it.
      await queue.settle([out.meterId], new Map([[out.meterId, new Set([day.slice(0, 7)])]]));
      return out.result;
    },

    async putProduction(ctx: RequestContext, actor: Actor, body: { unit: string; day: string; product: string; quantity: number; uom: string }) {
      return db.transaction().execute(async (trx) => {
        const { unit } = await visibleUnit(trx, actor, body.unit);
        const old = await trx.selectFrom('production_daily').select(['quantity', 'uom']).where('unit_id', '=', unit.id).where('day', '=', body.day).where('product', '=', body.product).executeTakeFirst();
        const now = deps.clock.now();
        await sql`INSERT INTO production_daily (unit_id, day, product, quantity, uom, source, updated_by, updated_at)
          VALUES (${unit.id}::uuid, ${body.day}::date, ${body.product}, ${body.quantity}, ${body.uom}, 'entry', ${actor.userId}::uuid, ${now.toISOString()}::timestamptz)
          ON CONFLICT (unit_id, day, product) DO UPDATE SET quantity = excluded.quantity, uom = excluded.uom, source = 'entry', updated_by = excluded.updated_by, updated_at = excluded.updated_at`.execute(trx);
        await audit(trx, deps, ctx, {
          action: 'energy.production.put',
          objectType: 'production_day',
          objectId: `${unit.code}/${body.day}/${body.product}`,
          changes: { quantity: { old: old ? Number(old.quantity) : null, new: body.quantity }, uom: { old: old?.uom ?? null, new: body.uom } },
        });
        return { unit: unit.code, day: body.day, product: body.product, quantity: body.quantity, uom: body.uom, source: 'entry' };
      });
    },

    async production(actor: Actor, q: { unit: string; from: string; to: string }) {
      return db.transaction().execute(async (trx) => {
        const { unit } = await visibleUnit(trx, actor, q.unit);
        const rows = await trx
          .selectFrom('production_daily')
          .select(['day', 'product', 'quantity', 'uom', 'source'])
          .where('unit_id', '=', unit.id)
          .where('day', '>=', q.from)
          .where('day', '<=', q.to)
          .orderBy('day')
          .orderBy('product')
          .execute();
        return { unit: unit.code, rows: rows.map((r) => ({ unit: unit.code, day: dateText(r.day), product: r.product, quantity: Number(r.quantity), uom: r.uom, source: r.source })) };
      });
    },
  };
}
export type ConsumptionService = ReturnType<typeof consumptionService>;
