/**
 * The energy dashboard (issue 5, part 6): per unit and carrier the consumption of the roots of the
 * unit's own meter tree (the rule of /api/energy/units/:code/consumption), totals per carrier over
 * the top units, and the flows down the meter tree between units for the Sankey. Days come from
 * energy_daily (suspect days included: the raw view; their count is reported).
 */
import { sql } from 'kysely';
import { DAY_MS, shanghaiDayStart } from '../../../domain/energy/buckets';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps } from '../../context';
import { businessRule, notFound } from '../../errors';
import { listUnits } from '../units/units.repository';
import { loadMeters, type MeterInfo } from './daily.service';
import type { Carrier } from './energy.schemas';
import type { EnergyQueue } from './recompute-queue';
import type { Overview, OverviewQuery } from './overview.schemas';

/** At most this many days in one overview. */
export const maxOverviewDays = 400;

/** A quantity in its carrier's common unit of measure (MWh and GWh as kWh, m3 as m³). */
export function canonicalQuantity(uom: string, value: number): { uom: string; value: number } {
  if (uom === 'MWh') return { uom: 'kWh', value: value * 1000 };
  if (uom === 'GWh') return { uom: 'kWh', value: value * 1_000_000 };
  if (uom === 'm3') return { uom: 'm³', value };
  return { uom, value };
}

export function overviewService(deps: Deps, queue: Pick<EnergyQueue, 'settle'>) {
  const { db } = deps.database;
  return {
    async overview(actor: Actor, q: OverviewQuery): Promise<Overview> {
      if (q.to < q.from) throw businessRule('INVALID_RANGE', 'to is before from', { field: 'to' });
      if ((shanghaiDayStart(q.to) - shanghaiDayStart(q.from)) / DAY_MS + 1 > maxOverviewDays) throw businessRule('RANGE_TOO_LONG', `At most ${maxOverviewDays} days`, { field: 'to' });
      // Read-your-writes: the queued days of the meters shown are recomputed first (as the consumption reads do).
      const shown = await db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        return (await loadMeters(trx)).filter((m) => inScope(scope, m.unitId)).map((m) => m.id);
      });
      if (shown.length) await queue.settle(shown);
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const units = await listUnits(trx);
        const byId = new Map(units.map((u) => [u.id, u]));
        let top: string | null = null;
        if (q.unit) {
          const u = units.find((x) => x.code === q.unit);
          if (!u || !inScope(scope, u.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${q.unit}`);
          top = u.id;
        }
        const under = (id: string) => {
          if (top === null) return true;
          for (let u: string | null | undefined = id; u; u = byId.get(u)?.parent_id) if (u === top) return true;
          return false;
        };
        const meters = (await loadMeters(trx)).filter((m) => inScope(scope, m.unitId) && under(m.unitId));
        const sums = new Map<string, { consumption: number; suspect: number }>();
        if (meters.length) {
          const rows = await trx
            .selectFrom('energy_daily')
            .select(['meter_id', sql<number>`coalesce(sum(consumption), 0)::float8`.as('consumption'), sql<number>`count(*) filter (where suspect)::int`.as('suspect')])
            .where('meter_id', 'in', meters.map((m) => m.id))
            .where('day', '>=', q.from)
            .where('day', '<=', q.to)
            .groupBy('meter_id')
            .execute();
          for (const r of rows) sums.set(r.meter_id, { consumption: Number(r.consumption), suspect: Number(r.suspect) });
        }
        const consumptionOf = (m: MeterInfo) => canonicalQuantity(m.uom, sums.get(m.id)?.consumption ?? 0);
        const meterById = new Map(meters.map((m) => [m.id, m]));

        // Per unit and carrier: the roots of the unit's own tree (virtual roots when there are any).
        const groups = new Map<string, MeterInfo[]>();
        for (const m of meters) {
          const key = `${m.unitId}|${m.carrier}`;
          groups.set(key, [...(groups.get(key) ?? []), m]);
        }
        const unitRows: Overview['units'] = [];
        for (const [key, own] of groups) {
          const [unitId, carrier] = key.split('|') as [string, Carrier];
          const ownIds = new Set(own.map((m) => m.id));
          const roots = own.filter((m) => m.parentId === null || !ownIds.has(m.parentId));
          const counted = (roots.some((m) => m.kind === 'virtual') ? roots.filter((m) => m.kind === 'virtual') : roots).sort((a, b) => a.sortOrder - b.sortOrder || (a.code < b.code ? -1 : 1));
          const unit = byId.get(unitId)!;
          const uom = canonicalQuantity(counted[0]!.uom, 0).uom;
          unitRows.push({
            unit: unit.code,
            unitName: unit.name_zh,
            unitNameEn: unit.name_en,
            parent: unit.parent_id ? (byId.get(unit.parent_id)?.code ?? null) : null,
            carrier,
            uom,
            consumption: counted.reduce((s, m) => s + consumptionOf(m).value, 0),
            suspectDays: counted.reduce((s, m) => s + (sums.get(m.id)?.suspect ?? 0), 0),
            meters: counted.map((m) => m.code),
          });
        }
        const order = new Map(units.map((u, i) => [u.code, i]));
        unitRows.sort((a, b) => order.get(a.unit)! - order.get(b.unit)! || a.carrier.localeCompare(b.carrier));

        // Per carrier: the units none of whose ancestors has meters of that carrier here.
        const withCarrier = new Set(unitRows.map((r) => `${r.unit}|${r.carrier}`));
        const codeOf = (id: string) => byId.get(id)?.code ?? '';
        const carriers = new Map<string, Overview['carriers'][number]>();
        for (const r of unitRows) {
          const unitId = units.find((u) => u.code === r.unit)!.id;
          let covered = false;
          for (let p = byId.get(unitId)?.parent_id; p; p = byId.get(p)?.parent_id) if (withCarrier.has(`${codeOf(p)}|${r.carrier}`)) covered = true;
          if (covered) continue;
          const key = `${r.carrier}|${r.uom}`;
          const acc = carriers.get(key) ?? { carrier: r.carrier, uom: r.uom, consumption: 0, units: [] };
          acc.consumption += r.consumption;
          acc.units.push(r.unit);
          carriers.set(key, acc);
        }

        // Flows: a meter whose parent meter belongs to another unit carries its consumption from that unit to its own.
        const flows = new Map<string, Overview['flows'][number]>();
        for (const m of meters) {
          const parent = m.parentId ? meterById.get(m.parentId) : undefined;
          if (!parent || parent.unitId === m.unitId || m.kind === 'virtual') continue;
          const { uom, value } = consumptionOf(m);
          const key = `${m.carrier}|${uom}|${parent.unitId}|${m.unitId}`;
          const acc = flows.get(key) ?? { carrier: m.carrier, uom, source: codeOf(parent.unitId), target: codeOf(m.unitId), value: 0, meters: [] };
          acc.value += value;
          acc.meters.push(m.code);
          flows.set(key, acc);
        }
        return { from: q.from, to: q.to, units: unitRows, carriers: [...carriers.values()], flows: [...flows.values()] };
      });
    },
  };
}
export type OverviewService = ReturnType<typeof overviewService>;
