import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../context';
import type { WarningsTable } from '../../db/schema';

export type RuleRow = {
  id: string;
  indicator_id: string;
  indicator: string;
  unit_id: string | null;
  unit: string | null;
  code: string;
  params: Record<string, unknown>;
  hold_periods: number;
  notify: string;
  mute: unknown[];
  enabled: boolean;
  sort_order: number;
  updated_at: Date;
  version: number;
};

/** Warning rules with their indicator and unit codes, in the order they apply. */
export async function listRuleRows(db: Db | Tx, filter: { indicatorId?: string; id?: string } = {}): Promise<RuleRow[]> {
  let q = db
    .selectFrom('warning_rules as r')
    .innerJoin('indicators as i', 'i.id', 'r.indicator_id')
    .leftJoin('units as u', 'u.id', 'r.unit_id')
    .select(['r.id', 'r.indicator_id', 'i.code as indicator', 'r.unit_id', 'u.code as unit', 'r.code', 'r.params', 'r.hold_periods', 'r.notify', 'r.mute', 'r.enabled', 'r.sort_order', 'r.updated_at', 'r.version']);
  if (filter.indicatorId) q = q.where('r.indicator_id', '=', filter.indicatorId);
  if (filter.id) q = q.where('r.id', '=', filter.id);
  return q.orderBy('i.code').orderBy('r.sort_order').orderBy('r.created_at').orderBy('r.id').execute();
}

export type WarningRow = Selectable<WarningsTable>;

export type WarningListRow = WarningRow & { unit: string; indicator: string; rule: string; confirmed_by_username: string | null };

/** Warnings with codes, filtered (unitIds null = every unit). */
export async function listWarningRows(db: Db | Tx, filter: { unitIds: string[] | null; unitId?: string; indicatorId?: string; state?: string; id?: string }): Promise<WarningListRow[]> {
  if (filter.unitIds && filter.unitIds.length === 0) return [];
  let q = db
    .selectFrom('warnings as w')
    .innerJoin('warning_rules as r', 'r.id', 'w.rule_id')
    .innerJoin('units as u', 'u.id', 'w.unit_id')
    .innerJoin('indicators as i', 'i.id', 'w.indicator_id')
    .leftJoin('users as c', 'c.id', 'w.confirmed_by')
    .selectAll('w')
    .select(['u.code as unit', 'i.code as indicator', 'r.code as rule', 'c.username as confirmed_by_username']);
  if (filter.unitIds) q = q.where('w.unit_id', 'in', filter.unitIds);
  if (filter.unitId) q = q.where('w.unit_id', '=', filter.unitId);
  if (filter.indicatorId) q = q.where('w.indicator_id', '=', filter.indicatorId);
  if (filter.state) q = q.where('w.state', '=', filter.state);
  else if (!filter.id) q = q.where('w.state', '<>', 'inactive');
  if (filter.id) q = q.where('w.id', '=', filter.id);
  return q.orderBy('u.sort_order').orderBy('u.code').orderBy('i.code').orderBy('r.sort_order').orderBy('r.code').orderBy('w.id').execute();
}

export type ScanMeasurementRow = { id: string; unit_id: string; indicator_id: string; code: string; period: string; value: number; suspect: boolean };

/** Every submitted or approved value up to a month (what the scan evaluates), read once. */
export async function loadReportedValues(db: Db | Tx, upTo: string): Promise<ScanMeasurementRow[]> {
  const rows = await db
    .selectFrom('measurements as m')
    .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
    .select(['m.id', 'm.unit_id', 'm.indicator_id', 'i.code', 'm.period', 'm.value', 'm.suspect'])
    .where('m.status', 'in', ['submitted', 'approved'])
    .where('m.period', '<=', upTo)
    .execute();
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}
