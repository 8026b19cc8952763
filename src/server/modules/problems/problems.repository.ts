import { sql } from 'kysely';
import type { Db, Tx } from '../../context';

export type ProblemListRow = {
  id: string;
  number: number;
  source: string;
  unit_id: string;
  unit: string;
  unit_name: string;
  indicator_ids: string[];
  warning_id: string | null;
  rule: string | null;
  cause_key: string | null;
  title: string;
  description: string;
  cause_analysis: string;
  severity: string;
  status: string;
  gap_period: string | null;
  verify_periods: number;
  verification: Record<string, unknown>;
  raised_at: Date;
  raised_by: string | null;
  closed_at: Date | null;
  close_reason: string | null;
  version: number;
};

/** Problems with codes, newest first (unitIds null = every unit). */
export async function listProblemRows(
  db: Db | Tx,
  filter: { unitIds: string[] | null; unitId?: string; status?: string; source?: string; indicatorId?: string; id?: string },
): Promise<ProblemListRow[]> {
  if (filter.unitIds && filter.unitIds.length === 0) return [];
  let q = db
    .selectFrom('problems as p')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .leftJoin('warnings as w', 'w.id', 'p.warning_id')
    .leftJoin('warning_rules as r', 'r.id', 'w.rule_id')
    .leftJoin('users as rb', 'rb.id', 'p.raised_by')
    .select([
      'p.id',
      'p.number',
      'p.source',
      'p.unit_id',
      'u.code as unit',
      'u.name_zh as unit_name',
      'p.indicator_ids',
      'p.warning_id',
      'r.code as rule',
      'p.cause_key',
      'p.title',
      'p.description',
      'p.cause_analysis',
      'p.severity',
      'p.status',
      'p.gap_period',
      'p.verify_periods',
      'p.verification',
      'p.raised_at',
      'rb.username as raised_by',
      'p.closed_at',
      'p.close_reason',
      'p.version',
    ]);
  if (filter.unitIds) q = q.where('p.unit_id', 'in', filter.unitIds);
  if (filter.unitId) q = q.where('p.unit_id', '=', filter.unitId);
  if (filter.status) q = q.where('p.status', '=', filter.status);
  if (filter.source) q = q.where('p.source', '=', filter.source);
  if (filter.indicatorId) q = q.where(sql<boolean>`${filter.indicatorId}::uuid = ANY(p.indicator_ids)`);
  if (filter.id) q = q.where('p.id', '=', filter.id);
  return (await q.orderBy('p.raised_at', 'desc').orderBy('p.number', 'desc').execute()) as ProblemListRow[];
}

export type MeasureRow = {
  id: string;
  problem_id: string;
  description: string;
  owner_person_id: string;
  owner_code: string;
  owner_name: string;
  co_unit_ids: string[];
  due_date: string;
  progress: number;
  status: string;
  created_at: Date;
  version: number;
};

export async function listMeasureRows(db: Db | Tx, filter: { problemIds?: string[]; id?: string }): Promise<MeasureRow[]> {
  if (filter.problemIds && filter.problemIds.length === 0) return [];
  let q = db
    .selectFrom('measures as m')
    .innerJoin('people as o', 'o.id', 'm.owner_person_id')
    .select(['m.id', 'm.problem_id', 'm.description', 'm.owner_person_id', 'o.code as owner_code', 'o.name as owner_name', 'm.co_unit_ids', 'm.due_date', 'm.progress', 'm.status', 'm.created_at', 'm.version']);
  if (filter.problemIds) q = q.where('m.problem_id', 'in', filter.problemIds);
  if (filter.id) q = q.where('m.id', '=', filter.id);
  return q.orderBy('m.created_at').orderBy('m.id').execute();
}

export async function listUpdateRows(db: Db | Tx, measureIds: string[]) {
  if (measureIds.length === 0) return [];
  return db
    .selectFrom('measure_updates as mu')
    .leftJoin('users as c', 'c.id', 'mu.created_by')
    .select(['mu.id', 'mu.measure_id', 'mu.note', 'mu.progress', 'mu.attachment_ids', 'c.username as created_by', 'mu.created_at'])
    .where('mu.measure_id', 'in', measureIds)
    .orderBy('mu.created_at')
    .orderBy('mu.id')
    .execute();
}

export async function attachmentsByIds(db: Db | Tx, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('attachments').select(['id', 'file_name', 'mime_type', 'size_bytes', 'created_by']).where('id', 'in', ids).execute();
}
