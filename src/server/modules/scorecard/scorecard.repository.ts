import type { Db, Tx } from '../../context';

/** What a scorecard reads of a measurement: the value, its month, and whether ranks and bests may count it. */
export type ScoreRow = { unit_id: string; code: string; period: string; value: number; status: string; suspect: boolean };

/**
 * Measurements of some units (up to a month, or in some months) with indicator codes, only the
 * columns a scorecard reads: the group view reads every unit's history, and the note, comment and
 * version columns were half of what it fetched.
 */
export async function loadScoreRows(db: Db | Tx, filter: { unitIds: string[]; periods?: string[]; upTo?: string }): Promise<ScoreRow[]> {
  if (filter.unitIds.length === 0 || (filter.periods && filter.periods.length === 0)) return [];
  let q = db
    .selectFrom('measurements as m')
    .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
    .select(['m.unit_id', 'i.code', 'm.period', 'm.value', 'm.status', 'm.suspect'])
    .where('m.unit_id', 'in', filter.unitIds);
  if (filter.periods) q = q.where('m.period', 'in', filter.periods);
  if (filter.upTo) q = q.where('m.period', '<=', filter.upTo);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}
