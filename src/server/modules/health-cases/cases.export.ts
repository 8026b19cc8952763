import { maskName, maskPhone } from '../../../domain/access/mask';
import type { Actor, Deps, RequestContext } from '../../context';
import { personalDataOf } from '../../crypto/personal-data';
import { businessRule, forbidden } from '../../errors';
import { writeWorkbook, type ExportCell } from '../../imports/export-table';
import { scopeOf } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import { toCaseRow } from './case-card';
import type { CaseExportQuery } from './cases.schemas';
import { dailyCounts, ledgerRows, maxExportRows, resolveFilters } from './cases.service';

const zhLabels: Record<string, string> = {
  gate: '卡口', declaration: '健康卡', status: '健康状态', screening: '返岗审核', exposure: '密切接触', manual: '手工登记',
  FEVER: '发热', HEALTH_RED: '红码', SYMPTOMS: '有症状', RISK_TRAVEL: '风险地区旅居', CONTACT: '密切接触者', OTHER: '其他',
  unclassified: '未分类', suspected: '疑似', confirmed: '确诊', excluded: '排除',
  open: '跟踪中', closed: '已关闭',
  recovered: '康复', hospitalised: '住院', transferred: '转出', died: '死亡', other: '其他',
  employee: '员工', resident: '居民', family: '家属', contractor: '外包', visitor: '外来人员',
};

/** An instant as 'YYYY-MM-DD HH:mm' in Asia/Shanghai. */
function shanghaiTime(iso: string | null): string | null {
  return iso === null ? null : new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * The abnormal-case ledger (异常情况台账) as xlsx: the filtered cases and the daily counts. Names and
 * phones are masked; with `unmask=true`, a reason and personal.unmask they are shown in full and
 * the export is audited as health.case.export.unmasked with the reason (never a value).
 */
export function caseExport(deps: Deps) {
  const { db } = deps.database;
  const pd = personalDataOf(deps.config);

  return {
    async xlsx(ctx: RequestContext, actor: Actor, q: CaseExportQuery): Promise<{ body: Buffer; fileName: string }> {
      const { unmask: unmaskFlag, unmaskReason: rawReason, ...filters } = q;
      const unmask = unmaskFlag === 'true';
      const reason = (rawReason ?? '').trim();
      if (unmask) {
        if (!actor.permissions.has('personal.unmask')) throw forbidden('Full names and phones need the permission personal.unmask');
        if ([...reason].length < 4) throw businessRule('REASON_REQUIRED', 'Say why the full names are needed (at least 4 characters); the reason is written to the audit log', { field: 'unmaskReason' });
      }
      const { rows, daily } = await db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const f = await resolveFilters(trx, deps, scope, filters);
        const found = await ledgerRows(trx, f.all).select(['p.phone_enc']).limit(maxExportRows).execute();
        await audit(trx, deps, ctx, {
          action: unmask ? 'health.case.export.unmasked' : 'health.case.export',
          objectType: 'abnormal_case',
          details: { filters, rows: found.length, ...(unmask ? { reason } : {}) },
        });
        return { rows: found, daily: await dailyCounts(trx, f.base, f.period) };
      });
      const zh = actor.locale === 'zh-CN';
      const label = (v: string | null) => (v === null ? null : zh ? (zhLabels[v] ?? v) : v);
      const body = await writeWorkbook([
        {
          name: zh ? '异常情况台账' : 'Abnormal cases',
          headers: zh
            ? ['编号', '人员编码', '姓名', '类别', '手机号', '小区/厂区', '来源', '原因', '分类', '体温(°C)', '发现时间', '状态', '处置结果', '关闭时间', '最近随访', '隔离中']
            : ['number', 'person_code', 'name', 'category', 'phone', 'site', 'source', 'reason', 'classification', 'temperature_c', 'opened_at', 'status', 'outcome', 'closed_at', 'last_follow_up_at', 'in_quarantine'],
          columnWidths: [8, 14, 10, 10, 14, 16, 10, 12, 8, 10, 18, 8, 10, 18, 18, 8],
          rows: rows.map((r): ExportCell[] => {
            const c = toCaseRow(r);
            const phone = r.phone_enc === null ? null : pd.decryptText('people.phone', r.phone_enc);
            return [
              c.number, c.person.code, unmask ? r.person_name : maskName(r.person_name), label(c.person.category), phone === null ? null : unmask ? phone : maskPhone(phone),
              c.site?.code ?? null, label(c.source), label(c.reason), label(c.classification), c.temperatureC, shanghaiTime(c.openedAt), label(c.status), label(c.outcome),
              shanghaiTime(c.closedAt), shanghaiTime(c.lastFollowUpAt), c.inQuarantine ? (zh ? '是' : 'yes') : zh ? '否' : 'no',
            ];
          }),
        },
        {
          name: zh ? '每日统计' : 'Daily',
          headers: zh ? ['日期', '新增', '关闭', '在管'] : ['date', 'opened', 'closed', 'open'],
          columnWidths: [12, 8, 8, 8],
          rows: daily.map((d) => [d.date, d.opened, d.closed, d.open]),
        },
      ]);
      return { body, fileName: unmask ? 'pacesetter-cases-unmasked.xlsx' : 'pacesetter-cases.xlsx' };
    },
  };
}
export type CaseExport = ReturnType<typeof caseExport>;
