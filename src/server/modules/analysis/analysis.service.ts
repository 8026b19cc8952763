import { roundTo } from '../../../domain/benchmarking/indicator-math';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext } from '../../context';
import { writeWorkbook } from '../../imports/export-table';
import { audit } from '../audit/audit.service';
import { listUnits } from '../units/units.repository';
import type { ScorecardService } from '../scorecard/scorecard.service';
import type { GroupView } from './analysis.schemas';

/**
 * The group's view of one period: every unit in scope with indicators, their scorecards folded
 * into a units × indicators matrix, attainment rates, records and the weak spots (largest gaps as
 * a share of the target).
 */
export function analysisService(deps: Deps, scorecards: ScorecardService) {
  const { db } = deps.database;

  async function group(actor: Actor, period: string, scope: 'period' | 'ytd'): Promise<GroupView> {
    const visible = await visibleUnitIds(db, actor);
    const withSets = new Set((await db.selectFrom('indicator_assignments').select('unit_id').distinct().execute()).map((r) => r.unit_id));
    const units = (await listUnits(db)).filter((u) => u.active && withSets.has(u.id) && inScope(visible, u.id));
    const cards = await scorecards.scorecards(units, period, scope);
    const indicators = new Map<string, GroupView['indicators'][number]>();
    const cells: GroupView['cells'] = [];
    const unitRows: GroupView['units'] = [];
    const weak: GroupView['weakSpots'] = [];
    const records: GroupView['records'] = [];
    for (const card of cards) {
      let attained = 0;
      let withTarget = 0;
      let recordCount = 0;
      for (const r of card.rows) {
        indicators.set(r.indicator, { indicator: r.indicator, name: r.name, nameEn: r.nameEn, uom: r.uom, direction: r.direction, category: r.category });
        const gapPercent = r.gapToTarget !== null && r.target ? roundTo((r.gapToTarget / Math.abs(r.target)) * 100, 1) : null;
        const c = { unit: card.unit, indicator: r.indicator, actual: r.actual, target: r.target, attained: r.attained, gapToTarget: r.gapToTarget, gapPercent, isRecord: r.isRecord, rank: r.rank, rankOf: r.rankOf, status: r.status };
        cells.push(c);
        if (r.attained !== null && r.target !== null) {
          withTarget++;
          if (r.attained) attained++;
        }
        const named = { ...c, name: r.name, nameEn: r.nameEn, unitName: card.unitName, unitNameEn: card.unitNameEn };
        if (r.isRecord) {
          recordCount++;
          records.push({ ...named, uom: r.uom });
        }
        if (gapPercent !== null && gapPercent < 0) weak.push(named);
      }
      unitRows.push({ unit: card.unit, name: card.unitName, nameEn: card.unitNameEn, attained, withTarget, attainmentRate: withTarget ? roundTo((attained / withTarget) * 100, 1) : null, records: recordCount });
    }
    const attained = unitRows.reduce((a, u) => a + u.attained, 0);
    const withTarget = unitRows.reduce((a, u) => a + u.withTarget, 0);
    return {
      period: cards[0]?.period ?? period,
      scope,
      units: unitRows,
      indicators: [...indicators.values()],
      cells,
      weakSpots: weak.sort((a, b) => a.gapPercent! - b.gapPercent!).slice(0, 15),
      records,
      totals: { attained, withTarget, attainmentRate: withTarget ? roundTo((attained / withTarget) * 100, 1) : null, records: records.length, units: unitRows.length },
    };
  }

  return {
    group,

    /** 对标月报 as a workbook: a summary sheet, records, weak spots, and a sheet per unit; audited as an export. */
    async monthlyWorkbook(ctx: RequestContext, actor: Actor, period: string, lang: 'zh' | 'en'): Promise<Buffer> {
      const view = await group(actor, period, 'period');
      const ytd = await group(actor, period, 'ytd');
      const zh = lang === 'zh';
      const yes = zh ? '是' : 'yes';
      const no = zh ? '否' : 'no';
      const sheets = [
        {
          name: zh ? '汇总' : 'Summary',
          headers: zh ? ['单位编码', '单位', '达标指标数', '有目标指标数', '达标率%', '累计达标率%', '创纪录'] : ['Unit code', 'Unit', 'Attained', 'With target', 'Attainment %', 'YTD attainment %', 'Records'],
          rows: view.units.map((u) => [u.unit, zh ? u.name : u.nameEn, u.attained, u.withTarget, u.attainmentRate, ytd.units.find((y) => y.unit === u.unit)?.attainmentRate ?? null, u.records]),
        },
        {
          name: zh ? '创纪录' : 'Records',
          headers: zh ? ['单位', '指标', '实际值', '计量单位'] : ['Unit', 'Indicator', 'Actual', 'UoM'],
          rows: view.records.map((r) => [zh ? r.unitName : r.unitNameEn, zh ? r.name : r.nameEn, r.actual, r.uom]),
        },
        {
          name: zh ? '短板' : 'Weak spots',
          headers: zh ? ['单位', '指标', '实际值', '目标值', '差距', '差距%'] : ['Unit', 'Indicator', 'Actual', 'Target', 'Gap', 'Gap %'],
          rows: view.weakSpots.map((r) => [zh ? r.unitName : r.unitNameEn, zh ? r.name : r.nameEn, r.actual, r.target, r.gapToTarget, r.gapPercent]),
        },
        ...view.units.map((u) => ({
          name: u.unit,
          headers: zh ? ['指标编码', '指标', '实际值', '目标值', '差距', '达标', '创纪录', '排名'] : ['Code', 'Indicator', 'Actual', 'Target', 'Gap', 'Attained', 'Record', 'Rank'],
          rows: view.cells
            .filter((c) => c.unit === u.unit)
            .map((c) => {
              const ind = view.indicators.find((i) => i.indicator === c.indicator)!;
              return [c.indicator, zh ? ind.name : ind.nameEn, c.actual, c.target, c.gapToTarget, c.attained === null ? null : c.attained ? yes : no, c.isRecord ? yes : '', c.rank === null ? null : `${c.rank}/${c.rankOf}`];
            }),
        })),
      ];
      const body = await writeWorkbook(sheets);
      await db.transaction().execute((trx) => audit(trx, deps, ctx, { action: 'report.monthly_export', objectType: 'report', objectId: period, details: { units: view.units.length, lang } }));
      return body;
    },
  };
}
export type AnalysisService = ReturnType<typeof analysisService>;
