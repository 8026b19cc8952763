import type { Deps, RequestContext, Tx } from '../context';
import { audit } from '../modules/audit/audit.service';

interface DemoProblem {
  source: 'instruction' | 'audit' | 'customer';
  unit: string;
  indicators: string[];
  title: string;
  description: string;
  causeAnalysis: string;
  severity: 'low' | 'medium' | 'high';
  measures: { description: string; owner: string; coUnits: string[]; dueDate: string; progress: number; note?: string }[];
}

/** Problems raised by hand, as a plant would have them on its board (问题看板). */
const demoProblems: DemoProblem[] = [
  {
    source: 'instruction',
    unit: 'DJ1',
    indicators: ['DJ_AE_COEF'],
    title: '落实集团领导批示：降低电解一厂阳极效应系数',
    description: '集团月度经营分析会上，领导批示：电解一厂阳极效应系数连续偏高，要求对标先进、限期压降。',
    causeAnalysis: '初步分析：部分槽况波动，下料控制参数未随新阳极调整；效应熄灭作业不规范。',
    severity: 'high',
    measures: [
      { description: '优化下料控制参数，逐槽核查设定值', owner: 'E0001', coUnits: ['TS'], dueDate: '2026-04-30', progress: 40, note: '已完成一工区 60 台槽参数核查。' },
      { description: '组织效应熄灭作业培训并纳入班组考核', owner: 'E0002', coUnits: [], dueDate: '2026-02-20', progress: 20 },
    ],
  },
  {
    source: 'audit',
    unit: 'YH1',
    indicators: [],
    title: '内部审计发现：能耗统计口径与集团要求不一致',
    description: '2025 年度内部审计抽查发现，蒸汽消耗的计量点与集团统计口径不一致，影响对标可比性。',
    causeAnalysis: '计量点改造后统计台账未同步更新。',
    severity: 'medium',
    measures: [{ description: '修订能耗统计台账，按集团口径重新核定计量点', owner: 'E0101', coUnits: [], dueDate: '2026-03-31', progress: 60 }],
  },
  {
    source: 'customer',
    unit: 'DJ1',
    indicators: [],
    title: '客户走访反馈：铝锭表面质量偶有波动',
    description: '重点客户走访时反映，近两批铝锭表面偶有夹渣，希望加强出铝、铸造环节质量控制。',
    causeAnalysis: '',
    severity: 'low',
    measures: [],
  },
];

/**
 * Two or three problems raised by hand with their measures (owned by E0001, E0002, E0101), added
 * when missing. Running it again adds nothing.
 */
export async function seedDemoProblems(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext): Promise<number> {
  const now = deps.clock.now();
  const units = new Map((await trx.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
  const indicators = new Map((await trx.selectFrom('indicators').select(['id', 'code']).execute()).map((i) => [i.code, i.id]));
  const people = new Map((await trx.selectFrom('people').select(['id', 'code']).execute()).map((p) => [p.code, p.id]));
  let added = 0;
  for (const d of demoProblems) {
    const unitId = units.get(d.unit);
    if (!unitId || d.indicators.some((c) => !indicators.has(c)) || d.measures.some((m) => !people.has(m.owner))) continue;
    const existing = await trx.selectFrom('problems').select('id').where('unit_id', '=', unitId).where('title', '=', d.title).executeTakeFirst();
    if (existing) continue;
    const status = d.measures.length ? 'in-progress' : 'open';
    const row = await trx
      .insertInto('problems')
      .values({ source: d.source, unit_id: unitId, indicator_ids: d.indicators.map((c) => indicators.get(c)!), title: d.title, description: d.description, cause_analysis: d.causeAnalysis, severity: d.severity, status, raised_at: now, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const m of d.measures) {
      const measure = await trx
        .insertInto('measures')
        .values({ problem_id: row.id, description: m.description, owner_person_id: people.get(m.owner)!, co_unit_ids: m.coUnits.filter((c) => units.has(c)).map((c) => units.get(c)!), due_date: m.dueDate, progress: m.progress, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (m.note) await trx.insertInto('measure_updates').values({ measure_id: measure.id, note: m.note, progress: m.progress, created_at: now }).execute();
    }
    added++;
  }
  if (added) await audit(trx, deps, ctx, { action: 'system.seed_demo_problems', details: { problems: added } });
  return added;
}
