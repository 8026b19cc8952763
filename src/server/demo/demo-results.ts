import type { Deps, RequestContext, Tx } from '../context';
import { audit } from '../modules/audit/audit.service';
import { assetStatus } from '../../domain/results/idle-assets';

/**
 * Result-orientation demo data (结果导向): the calcination area's "321" indicator competition (三强化、
 * 两监督、一考核, pay-linked) run among the three alumina plants in 2020 with a few add/deduct events;
 * piece rates and quality prices for 电解一厂一工区 with a month of output and member points; ten
 * improvement ideas across units; and five idle assets of the equipment department's ledger with
 * their disposal timetables. Every block is added once: running it again changes nothing.
 */
export const demoCompetition = {
  code: '2020-321',
  nameZh: '焙烧“321”指标竞赛',
  nameEn: 'The "321" indicator competition (calcination)',
  description: '三强化（强化指标管控、强化对标、强化过程控制）、两监督（现场监督、数据监督）、一考核（与绩效工资挂钩）。',
  periodFrom: '2020-01-01',
  periodTo: '2020-12-31',
  units: ['YH1', 'YH2', 'YH3'],
  prizes: [
    { rank: 1, nameZh: '一等奖', nameEn: 'First prize', amountYuan: '5000.00' },
    { rank: 2, nameZh: '二等奖', nameEn: 'Second prize', amountYuan: '3000.00' },
    { rank: 3, nameZh: '三等奖', nameEn: 'Third prize', amountYuan: '1000.00' },
  ],
  items: [
    // Power per tonne: 满意值 the best plant, 不允许值 the worst (weights are the points an item is worth).
    { indicator: 'YH_POWER_KWH_T', method: 'efficacy', weight: 40, params: { satisfactory: { kind: 'peer-best' }, impermissible: { kind: 'peer-worst' } } },
    { indicator: 'YH_WATER_T', method: 'five-tier', weight: 30, params: { tiers: [2.3, 2.4, 2.5, 2.6, 2.8] } },
    { indicator: 'YH_DIGEST_YIELD', method: 'pass-fail', weight: 30, params: { threshold: 86 } },
  ],
  events: [
    { unit: 'YH1', date: '2020-01-20', points: 3, category: 'strengthen', reason: '强化指标管控：焙烧炉热耗连续两周低于目标' },
    { unit: 'YH2', date: '2020-02-12', points: -2, category: 'supervise', reason: '现场监督：交接班记录不全，扣 2 分' },
    { unit: 'YH3', date: '2020-02-18', points: 1.5, category: 'assess', reason: '一考核：指标完成情况按月兑现绩效' },
    { unit: 'YH2', date: '2020-03-05', points: 2, category: 'strengthen', reason: '强化对标：焙烧能耗对标中州，差距缩小' },
    { unit: 'YH1', date: '2020-03-10', points: -1, category: 'supervise', reason: '数据监督：报表迟报一天' },
  ],
} as const;

export const demoTeam = {
  unit: 'DJ1-DJ-A1',
  product: '原铝液',
  uom: 't',
  rate: '12.30',
  prices: [
    { grade: 'Al99.85', price: '8.00' },
    { grade: 'Al99.70', price: '0' },
    { grade: 'Al99.60', price: '-5.00' },
  ],
  period: '2020-02',
  outputs: [
    { grade: 'Al99.85', quantity: '1000' },
    { grade: 'Al99.70', quantity: '234.5' },
  ],
  members: [
    { code: 'W0001', name: '一工区班长', points: '12' },
    { code: 'W0002', name: '一工区电解工甲', points: '10' },
    { code: 'W0003', name: '一工区电解工乙', points: '10' },
    { code: 'W0004', name: '一工区多功能天车工', points: '8' },
  ],
} as const;

const demoIdeas = [
  { unit: 'YH1', person: 'E0101', title: '焙烧炉燃烧器改造降低煤气单耗', category: 'small-improvement', status: 'implemented', benefit: '360000.00', at: '2020-01-08' },
  { unit: 'YH1', person: 'E0101', title: '焙烧工区指标日清日结看板', category: 'idea', status: 'adopted', benefit: '50000.00', at: '2020-01-15' },
  { unit: 'YH2', person: 'E0102', title: '溶出换热器清洗周期优化', category: 'idea', status: 'adopted', benefit: '120000.00', at: '2020-02-03' },
  { unit: 'YH2', person: 'E0102', title: '成品仓除尘风机变频改造', category: 'small-improvement', status: 'reviewing', benefit: null, at: '2020-02-20' },
  { unit: 'YH3', person: 'E0103', title: '赤泥压滤机滤布更换工装', category: 'small-improvement', status: 'implemented', benefit: '45000.50', at: '2020-01-22' },
  { unit: 'YH3', person: 'E0103', title: '新水回用到冲渣系统', category: 'idea', status: 'rejected', benefit: null, at: '2020-02-11' },
  { unit: 'DJ1', person: 'E0001', title: '电解槽阳极效应预报模型', category: 'idea', status: 'adopted', benefit: '280000.00', at: '2020-01-30' },
  { unit: 'DJ1', person: 'E0002', title: '数据填报模板合并减少重复录入', category: 'idea', status: 'submitted', benefit: null, at: '2020-03-02' },
  { unit: 'DJ1-DJ-A1', person: 'W0001', title: '出铝抬包保温盖', category: 'small-improvement', status: 'implemented', benefit: '18000.00', at: '2020-02-14' },
  { unit: 'GRP', person: 'E0003', title: '集团集中采购比价平台', category: 'idea', status: 'submitted', benefit: null, at: '2020-03-09' },
] as const;

const demoAssets = [
  { code: 'IA-2020-01', name: '第二氧化铝厂老蒸发生产线', kind: 'line', unit: 'YH2', original: '38600000.00', book: '4200000.00', idleSince: '2018-06-30', route: 'transfer', owner: 'E0102', plan: [['资产评估', '2020-03-31', true], ['集团内调剂对接', '2020-05-31', false], ['拆除移交', '2020-08-31', false]] },
  { code: 'IA-2020-02', name: '原炭素事业部单身宿舍楼', kind: 'building', unit: 'TS', original: '5200000.00', book: '1850000.00', idleSince: '2019-03-01', route: 'lease', owner: 'E0003', plan: [['房屋安全鉴定', '2020-04-15', false], ['招租公告', '2020-05-15', false]] },
  { code: 'IA-2020-03', name: '400kA 电解多功能天车（备用）', kind: 'equipment', unit: 'DJ1', original: '6800000.00', book: '2100000.00', idleSince: '2019-09-01', route: 'reuse', owner: 'E0001', plan: [['检修恢复', '2020-02-28', true], ['调拨至二系列', '2020-03-20', true]] },
  { code: 'IA-2020-04', name: '热电分厂退役给水泵组', kind: 'equipment', unit: 'RD', original: '980000.00', book: '120000.00', idleSince: '2017-12-31', route: 'sale', owner: 'E0003', plan: [] },
  { code: 'IA-2020-05', name: '物流运输事业部旧内燃机车 DF7-0012', kind: 'vehicle', unit: 'WL', original: '3500000.00', book: '260000.00', idleSince: '2019-06-30', route: 'scrap', owner: 'E0003', plan: [['报废鉴定', '2020-01-31', true], ['公开处置', '2020-02-29', true]], disposed: { on: '2020-03-06', proceeds: '312000.00' } },
] as const;

/** Seeds the result-orientation demo; missing units or indicators skip the part that needs them. */
export async function seedDemoResults(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext): Promise<void> {
  const now = deps.clock.now();
  const unitIds = new Map((await trx.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
  const manager = await trx.selectFrom('users').select('id').where('username', '=', 'manager').executeTakeFirst();

  // Team members of 一工区 (people only, no accounts).
  const teamId = unitIds.get(demoTeam.unit);
  if (teamId) {
    for (const m of demoTeam.members) {
      if (await trx.selectFrom('people').select('id').where('code', '=', m.code).executeTakeFirst()) continue;
      const row = await trx.insertInto('people').values({ code: m.code, name: m.name, unit_id: teamId, user_id: null, cadre: false, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
      await audit(trx, deps, ctx, { action: 'person.create', objectType: 'person', objectId: row.id, changes: { code: { new: m.code }, unit: { new: demoTeam.unit }, cadre: { new: false } } });
    }
  }
  const personIds = new Map((await trx.selectFrom('people').select(['id', 'code']).execute()).map((p) => [p.code, p.id]));

  // The "321" competition.
  const c = demoCompetition;
  const indicators = new Map((await trx.selectFrom('indicators').select(['id', 'code']).where('code', 'in', c.items.map((i) => i.indicator)).execute()).map((i) => [i.code, i.id]));
  if (!(await trx.selectFrom('competitions').select('id').where('code', '=', c.code).executeTakeFirst()) && c.units.every((u) => unitIds.has(u)) && indicators.size === c.items.length) {
    const row = await trx
      .insertInto('competitions')
      .values({ code: c.code, name_zh: c.nameZh, name_en: c.nameEn, description: c.description, period_from: c.periodFrom, period_to: c.periodTo, status: 'running', aggregation: 'points', prizes: JSON.stringify(c.prizes), created_by: manager?.id ?? null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('competition_participants').values(c.units.map((u) => ({ competition_id: row.id, unit_id: unitIds.get(u)! }))).execute();
    await trx.insertInto('competition_items').values(c.items.map((i, n) => ({ competition_id: row.id, indicator_id: indicators.get(i.indicator)!, method: i.method, params: JSON.stringify(i.params), weight: i.weight, sort_order: n * 10 }))).execute();
    await trx
      .insertInto('competition_events')
      .values(c.events.map((e) => ({ competition_id: row.id, unit_id: unitIds.get(e.unit)!, event_date: e.date, points: e.points, category: e.category, reason: e.reason, created_by: manager?.id ?? null, created_at: now })))
      .execute();
    await audit(trx, deps, ctx, { action: 'system.seed_demo_competition', objectType: 'competition', objectId: c.code, details: { units: c.units, items: c.items.length, events: c.events.length } });
  }

  // Piece rate, quality prices, a month of output and points.
  const t = demoTeam;
  if (teamId && !(await trx.selectFrom('piece_rates').select('id').where('team_unit_id', '=', teamId).where('product', '=', t.product).executeTakeFirst())) {
    await trx.insertInto('piece_rates').values({ team_unit_id: teamId, product: t.product, uom: t.uom, rate: t.rate, valid_from: '2020-01-01', valid_to: null, created_at: now, updated_at: now }).execute();
    for (const p of t.prices) {
      if (await trx.selectFrom('quality_prices').select('id').where('product', '=', t.product).where('grade', '=', p.grade).executeTakeFirst()) continue;
      await trx.insertInto('quality_prices').values({ product: t.product, grade: p.grade, price: p.price, valid_from: '2020-01-01', valid_to: null, created_at: now, updated_at: now }).execute();
    }
    await trx.insertInto('team_outputs').values(t.outputs.map((o) => ({ team_unit_id: teamId, period: t.period, product: t.product, grade: o.grade, quantity: o.quantity, entered_by: null, created_at: now, updated_at: now }))).execute();
    await trx.insertInto('team_member_points').values(t.members.map((m) => ({ team_unit_id: teamId, period: t.period, person_id: personIds.get(m.code)!, points: m.points, entered_by: null, created_at: now, updated_at: now }))).execute();
    await audit(trx, deps, ctx, { action: 'system.seed_demo_piece_rates', objectType: 'unit', objectId: t.unit, details: { product: t.product, rate: t.rate, period: t.period, members: t.members.length } });
  }

  // Ten ideas.
  if ((await trx.selectFrom('ideas').select('id').limit(1).execute()).length === 0) {
    const rows = demoIdeas.filter((i) => unitIds.has(i.unit) && personIds.has(i.person));
    for (const i of rows) {
      const at = new Date(`${i.at}T09:00:00+08:00`);
      const reviewed = i.status !== 'submitted';
      const adopted = i.status === 'adopted' || i.status === 'implemented';
      await trx
        .insertInto('ideas')
        .values({
          unit_id: unitIds.get(i.unit)!,
          submitter_person_id: personIds.get(i.person)!,
          submitter_user_id: null,
          title: i.title,
          description: '',
          category: i.category,
          status: i.status,
          reviewer_user_id: reviewed ? (manager?.id ?? null) : null,
          review_note: i.status === 'rejected' ? '冲渣系统对水质要求高，暂不采纳' : '',
          benefit_yuan: i.benefit,
          submitted_at: at,
          adopted_at: adopted ? new Date(at.getTime() + 7 * 86_400_000) : null,
          implemented_at: i.status === 'implemented' ? new Date(at.getTime() + 30 * 86_400_000) : null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    if (rows.length) await audit(trx, deps, ctx, { action: 'system.seed_demo_ideas', details: { ideas: rows.length } });
  }

  // The idle-asset ledger.
  let assets = 0;
  for (const a of demoAssets) {
    if (!unitIds.has(a.unit) || (await trx.selectFrom('idle_assets').select('id').where('code', '=', a.code).executeTakeFirst())) continue;
    const plan = a.plan.map(([step, due, done]) => ({ step, due, done }));
    const disposed = 'disposed' in a ? a.disposed : null;
    await trx
      .insertInto('idle_assets')
      .values({
        code: a.code, name: a.name, kind: a.kind, unit_id: unitIds.get(a.unit)!, original_value: a.original, book_value: a.book, idle_since: a.idleSince, disposal_route: a.route,
        plan: JSON.stringify(plan), owner_person_id: personIds.get(a.owner) ?? null, status: assetStatus(plan, disposed !== null), proceeds: disposed?.proceeds ?? null, disposed_on: disposed?.on ?? null, created_at: now, updated_at: now,
      })
      .execute();
    assets++;
  }
  if (assets) await audit(trx, deps, ctx, { action: 'system.seed_demo_idle_assets', details: { assets } });
}
