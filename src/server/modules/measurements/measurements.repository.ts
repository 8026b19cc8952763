import type { Db, Tx } from '../../context';

export type MeasurementRow = {
  id: string;
  unit_id: string;
  indicator_id: string;
  code: string;
  period: string;
  value: number;
  note: string;
  status: string;
  source: string;
  suspect: boolean;
  return_comment: string | null;
  version: number;
};

/** Measurements of some units up to a month (inclusive), with indicator codes; numbers as numbers. */
export async function loadMeasurements(db: Db | Tx, filter: { unitIds: string[]; periods?: string[]; upTo?: string; indicatorIds?: string[] }): Promise<MeasurementRow[]> {
  if (filter.unitIds.length === 0 || (filter.periods && filter.periods.length === 0)) return [];
  let q = db
    .selectFrom('measurements as m')
    .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
    .select(['m.id', 'm.unit_id', 'm.indicator_id', 'i.code', 'm.period', 'm.value', 'm.note', 'm.status', 'm.source', 'm.suspect', 'm.return_comment', 'm.version'])
    .where('m.unit_id', 'in', filter.unitIds);
  if (filter.periods) q = q.where('m.period', 'in', filter.periods);
  if (filter.upTo) q = q.where('m.period', '<=', filter.upTo);
  if (filter.indicatorIds) q = q.where('m.indicator_id', 'in', filter.indicatorIds);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

export type TargetRow = { unit_id: string; indicator_id: string; code: string; period: string; floor: number | null; target: number; stretch: number | null; basis: string };

/** Targets of some units for some years: the annual rows ('YYYY') and the monthly rows ('YYYY-MM'). */
export async function loadTargetsOf(db: Db | Tx, unitIds: string[], years: number[]): Promise<TargetRow[]> {
  if (years.length === 0 || unitIds.length === 0) return [];
  const rows = await db
    .selectFrom('targets as t')
    .innerJoin('indicators as i', 'i.id', 't.indicator_id')
    .select(['t.unit_id', 't.indicator_id', 'i.code', 't.period', 't.floor', 't.target', 't.stretch', 't.basis'])
    .where('t.unit_id', 'in', unitIds)
    .where((eb) => eb.or(years.flatMap((y) => [eb('t.period', '=', String(y)), eb('t.period', 'like', `${y}-%`)])))
    .execute();
  return rows.map((r) => ({ ...r, floor: r.floor === null ? null : Number(r.floor), target: Number(r.target), stretch: r.stretch === null ? null : Number(r.stretch) }));
}

/** Targets of one unit for some years. */
export const loadTargets = (db: Db | Tx, unitId: string, years: number[]) => loadTargetsOf(db, [unitId], years);

export async function isPeriodLocked(db: Db | Tx, period: string): Promise<boolean> {
  const row = await db.selectFrom('periods').select('locked').where('period', '=', period).executeTakeFirst();
  return row?.locked ?? false;
}
