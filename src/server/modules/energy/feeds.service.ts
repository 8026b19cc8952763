/**
 * Feeds from meters into benchmarking (decision 0007, point 4): an energy_feeds row says which
 * meter's monthly total is the measurement of which quantity indicator of which unit.
 *
 * Rules of the write (per feed and month):
 * - The month must have ended (its last day is before today, Asia/Shanghai) and be complete:
 *   every day of the month has a day row with a consumption, and no day is suspect unless it was
 *   confirmed. Otherwise nothing is written (reported as `pending` with the reason); a value
 *   written earlier stays as it is.
 * - The value is the sum of the month's days. It is written approved, source 'meter', source_ref
 *   'meter:<code>', approved_by null, audited ('measurement.meter').
 * - A value that was typed or imported (source other than 'meter') is never overwritten: the clash
 *   is reported and the value left. A closed month (periods.locked) is not written either.
 * - A meter value whose days changed later (late or corrected readings) is updated (audited).
 */
import { sql } from 'kysely';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { businessRule, notFound } from '../../errors';
import { audit } from '../audit/audit.service';
import { shanghaiDate } from '../../../domain/energy/buckets';
import { dateText } from './daily.service';
import { unitParents } from './meters.service';

export interface FeedClash {
  indicator: string;
  unit: string;
  period: string;
  meter: string;
  value: number;
  existing: number;
  existingSource: string;
}
export interface FeedPending {
  indicator: string;
  unit: string;
  period: string;
  meter: string;
  reason: 'month_not_over' | 'days_missing' | 'days_suspect' | 'period_closed';
  days?: string[];
}
export interface FeedRunResult {
  feeds: number;
  written: number;
  updated: number;
  unchanged: number;
  clashes: FeedClash[];
  pending: FeedPending[];
}

function daysInMonth(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** The month before 'YYYY-MM' by n. */
export function monthMinus(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * Writes the monthly totals of the feeds (all, or those of `meterIds`) for `months` (default: the
 * current month and the three before it, Asia/Shanghai). Idempotent.
 */
export async function runEnergyFeeds(deps: Pick<Deps, 'database' | 'clock'>, at: Date, opts: { ctx: RequestContext; meterIds?: readonly string[]; months?: readonly string[] }): Promise<FeedRunResult> {
  const today = shanghaiDate(at.getTime());
  const current = today.slice(0, 7);
  const months = [...new Set(opts.months ?? [0, 1, 2, 3].map((n) => monthMinus(current, n)))].sort();
  const result: FeedRunResult = { feeds: 0, written: 0, updated: 0, unchanged: 0, clashes: [], pending: [] };
  if (months.length === 0 || (opts.meterIds && opts.meterIds.length === 0)) return result;
  return deps.database.db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('energy_feeds as f')
      .innerJoin('indicators as i', 'i.id', 'f.indicator_id')
      .innerJoin('units as u', 'u.id', 'f.unit_id')
      .innerJoin('meters as m', 'm.id', 'f.meter_id')
      .select(['f.indicator_id', 'f.unit_id', 'f.meter_id', 'i.code as indicator', 'u.code as unit', 'm.code as meter']);
    if (opts.meterIds) q = q.where('f.meter_id', 'in', [...opts.meterIds]);
    const feeds = await q.execute();
    result.feeds = feeds.length;
    if (feeds.length === 0) return result;
    const locked = new Set((await trx.selectFrom('periods').select('period').where('locked', '=', true).execute()).map((p) => p.period));
    const first = `${months[0]}-01`;
    const last = daysInMonth(months[months.length - 1]!).pop()!;
    const dayRows = await trx
      .selectFrom('energy_daily')
      .select(['meter_id', 'day', 'consumption', 'suspect'])
      .where('meter_id', 'in', [...new Set(feeds.map((f) => f.meter_id))])
      .where('day', '>=', first)
      .where('day', '<=', last)
      .execute();
    const byMeterDay = new Map(dayRows.map((r) => [`${r.meter_id}|${dateText(r.day)}`, r]));
    const now = deps.clock.now();
    for (const f of feeds) {
      for (const month of months) {
        const base = { indicator: f.indicator, unit: f.unit, period: month, meter: f.meter };
        const days = daysInMonth(month);
        if (days[days.length - 1]! >= today) {
          if (opts.months) result.pending.push({ ...base, reason: 'month_not_over' });
          continue;
        }
        if (locked.has(month)) {
          result.pending.push({ ...base, reason: 'period_closed' });
          continue;
        }
        const rows = days.map((d) => ({ d, r: byMeterDay.get(`${f.meter_id}|${d}`) }));
        const missing = rows.filter((x) => !x.r || x.r.consumption === null).map((x) => x.d);
        if (missing.length) {
          result.pending.push({ ...base, reason: 'days_missing', days: missing });
          continue;
        }
        const suspect = rows.filter((x) => x.r!.suspect).map((x) => x.d);
        if (suspect.length) {
          result.pending.push({ ...base, reason: 'days_suspect', days: suspect });
          continue;
        }
        const value = rows.reduce((s, x) => s + Number(x.r!.consumption), 0);
        const old = await trx.selectFrom('measurements').select(['id', 'value', 'source', 'version']).where('unit_id', '=', f.unit_id).where('indicator_id', '=', f.indicator_id).where('period', '=', month).executeTakeFirst();
        const objectId = `${f.unit}/${f.indicator}/${month}`;
        const details = { meter: f.meter, days: days.length, from: days[0], to: days[days.length - 1] };
        if (old && old.source !== 'meter') {
          result.clashes.push({ ...base, value, existing: Number(old.value), existingSource: old.source });
          continue;
        }
        const fields = { value, status: 'approved', source: 'meter', source_ref: `meter:${f.meter}`, suspect: false, note: '', entered_by: null, approved_by: null, approved_at: now, return_comment: null, updated_at: now };
        if (old) {
          if (Math.abs(Number(old.value) - value) <= 1e-9 * Math.max(1, Math.abs(value))) {
            result.unchanged++;
            continue;
          }
          await trx.updateTable('measurements').set({ ...fields, version: old.version + 1 }).where('id', '=', old.id).execute();
          await audit(trx, deps, opts.ctx, { action: 'measurement.meter', objectType: 'measurement', objectId, changes: { value: { old: Number(old.value), new: value } }, details });
          result.updated++;
        } else {
          await trx.insertInto('measurements').values({ unit_id: f.unit_id, indicator_id: f.indicator_id, period: month, created_at: now, ...fields }).execute();
          await audit(trx, deps, opts.ctx, { action: 'measurement.meter', objectType: 'measurement', objectId, changes: { value: { new: value } }, details });
          result.written++;
        }
      }
    }
    return result;
  });
}

/** Equal units of measure, ignoring case, spaces and the m3/m³ spelling. */
export const sameUom = (a: string, b: string) => {
  const n = (s: string) => s.trim().toLowerCase().replace(/\s+/g, '').replace(/m\^?3/g, 'm³');
  return n(a) === n(b);
};

export function feedService(deps: Deps) {
  const { db } = deps.database;
  const list = async (trx: Tx, scope: Set<string> | null) => {
    const rows = await trx
      .selectFrom('energy_feeds as f')
      .innerJoin('indicators as i', 'i.id', 'f.indicator_id')
      .innerJoin('units as u', 'u.id', 'f.unit_id')
      .innerJoin('meters as m', 'm.id', 'f.meter_id')
      .select(['f.unit_id', 'i.code as indicator', 'i.name_zh as indicator_name', 'u.code as unit', 'm.code as meter', 'm.uom', 'f.created_at'])
      .orderBy('u.code')
      .orderBy('i.code')
      .execute();
    return rows.filter((r) => inScope(scope, r.unit_id)).map((r) => ({ indicator: r.indicator, indicatorName: r.indicator_name, unit: r.unit, meter: r.meter, uom: r.uom, createdAt: new Date(r.created_at).toISOString() }));
  };
  return {
    async list(actor: Actor) {
      return db.transaction().execute(async (trx) => ({ rows: await list(trx, await visibleUnitIds(trx, actor)) }));
    },

    /**
     * Sets the meter that feeds an indicator of a unit. Checked: the unit and the meter are in the
     * caller's scope; the meter belongs to the unit or a unit below it; the indicator is typed
     * (aggregation 'sum', no formula), in the unit's indicator set, and has the meter's unit of
     * measure.
     */
    async put(ctx: RequestContext, actor: Actor, body: { indicator: string; unit: string; meter: string }) {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const { parents, byCode } = await unitParents(trx);
        const unit = byCode.get(body.unit);
        if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${body.unit}`);
        const meter = await trx.selectFrom('meters').select(['id', 'code', 'unit_id', 'uom']).where('code', '=', body.meter).executeTakeFirst();
        if (!meter || !inScope(scope, meter.unit_id)) throw notFound('METER_NOT_FOUND', `No meter ${body.meter}`);
        let below = false;
        for (let u: string | null | undefined = meter.unit_id; u; u = parents.get(u)) if (u === unit.id) below = true;
        if (!below) throw businessRule('FEED_METER_UNIT', `${meter.code} does not belong to ${unit.code} or a unit below it`, { field: 'meter' });
        const ind = await trx.selectFrom('indicators').select(['id', 'code', 'aggregation', 'formula', 'uom']).where('code', '=', body.indicator).executeTakeFirst();
        if (!ind) throw notFound('INDICATOR_NOT_FOUND', `No indicator ${body.indicator}`);
        if (ind.aggregation !== 'sum' || ind.formula) throw businessRule('FEED_INDICATOR_NOT_SUM', `${ind.code} is not a typed quantity (aggregation sum); a meter feeds quantities, per-tonne indicators follow from their formulas`, { field: 'indicator' });
        const assigned = await trx.selectFrom('indicator_assignments').select('unit_id').where('unit_id', '=', unit.id).where('indicator_id', '=', ind.id).executeTakeFirst();
        if (!assigned) throw businessRule('INDICATOR_NOT_ASSIGNED', `${ind.code} is not in the indicator set of ${unit.code}`, { field: 'indicator' });
        if (!sameUom(ind.uom, meter.uom)) throw businessRule('FEED_UOM_MISMATCH', `${ind.code} is in ${ind.uom}, ${meter.code} measures ${meter.uom}`, { field: 'meter' });
        const old = await trx.selectFrom('energy_feeds as f').innerJoin('meters as m', 'm.id', 'f.meter_id').select('m.code').where('f.indicator_id', '=', ind.id).where('f.unit_id', '=', unit.id).executeTakeFirst();
        await sql`INSERT INTO energy_feeds (indicator_id, unit_id, meter_id, created_at) VALUES (${ind.id}::uuid, ${unit.id}::uuid, ${meter.id}::uuid, ${deps.clock.now().toISOString()}::timestamptz)
          ON CONFLICT (indicator_id, unit_id) DO UPDATE SET meter_id = excluded.meter_id`.execute(trx);
        await audit(trx, deps, ctx, { action: 'energy.feed.set', objectType: 'energy_feed', objectId: `${unit.code}/${ind.code}`, changes: { meter: { old: old?.code ?? null, new: meter.code } } });
        return (await list(trx, scope)).find((r) => r.unit === unit.code && r.indicator === ind.code)!;
      });
    },
  };
}
export type FeedService = ReturnType<typeof feedService>;
