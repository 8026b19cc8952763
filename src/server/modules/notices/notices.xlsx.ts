import { writeWorkbook, type ExportCell, type SheetData } from '../../imports/export-table';
import type { DailyContent, ItemLine, NoticeDetail, WeeklyContent } from './notices.schemas';

const problemStatus: Record<string, string> = { open: '待整改', 'in-progress': '整改中', closing: '待验证', verified: '验证闭环', 'closed-unverified': '关闭（未验证）', cancelled: '已撤销' };
const itemState: Record<string, string> = { assigned: '已下达', accepted: '已签收', acting: '整改中', reported: '已报结', closed: '已销号', cancelled: '已撤销' };
const severity: Record<string, string> = { low: '低', medium: '中', high: '高', critical: '严重' };
const source: Record<string, string> = { warning: '预警', audit: '检查', meeting: '会议', instruction: '领导交办', customer: '客户', other: '其他' };
const light: Record<string, string> = { green: '绿灯', yellow: '黄灯', red: '红灯', done: '已完成' };

/** An instant as 'YYYY-MM-DD HH:mm' in Asia/Shanghai. */
function shanghaiTime(iso: string | null): string | null {
  if (iso === null) return null;
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}
const label = (map: Record<string, string>, key: string) => map[key] ?? key;

function itemSheet(name: string, rows: ItemLine[], closed: boolean): SheetData {
  return {
    name,
    headers: ['单位代码', '单位', '编号', '督办事项', '责任人', '完成时限', '状态', closed ? '销号时间' : '下达时间', '逾期天数', '关联问题'],
    columnWidths: [12, 20, 8, 40, 14, 12, 10, 18, 10, 10],
    rows: rows.map((r): ExportCell[] => [r.unit, r.unitZh, r.number, r.title, r.owner, r.dueDate, label(itemState, r.state), shanghaiTime(closed ? r.closedAt : r.assignedAt), r.overdueDays, r.problemNumber]),
  };
}

function weeklySheets(c: WeeklyContent): SheetData[] {
  return [
    {
      name: '汇总',
      headers: ['单位代码', '单位', '新增问题', '关闭问题', '其中验证闭环', '新增督办', '销号督办', '本周逾期', '当前红灯', '预警', '创纪录'],
      columnWidths: [12, 20, 10, 10, 12, 10, 10, 10, 10, 8, 8],
      rows: [
        ...c.units.map((u): ExportCell[] => [u.unit, u.unitZh, u.newProblems, u.closedProblems, u.verifiedProblems, u.newItems, u.closedItems, u.overdueItems, u.redItems, u.warnings, u.records]),
        ['合计', `${c.totals.units} 个单位`, c.totals.newProblems, c.totals.closedProblems, c.totals.verifiedProblems, c.totals.newItems, c.totals.closedItems, c.totals.overdueItems, c.totals.redItems, c.totals.warnings, c.totals.records],
      ],
    },
    {
      name: '新增问题',
      headers: ['单位代码', '单位', '编号', '问题', '来源', '严重程度', '状态', '登记时间'],
      columnWidths: [12, 20, 8, 40, 10, 10, 12, 18],
      rows: c.newProblems.map((p) => [p.unit, p.unitZh, p.number, p.title, label(source, p.source), label(severity, p.severity), label(problemStatus, p.status), shanghaiTime(p.raisedAt)]),
    },
    {
      name: '关闭问题',
      headers: ['单位代码', '单位', '编号', '问题', '结果', '登记时间', '关闭时间'],
      columnWidths: [12, 20, 8, 40, 14, 18, 18],
      rows: c.closedProblems.map((p) => [p.unit, p.unitZh, p.number, p.title, label(problemStatus, p.status), shanghaiTime(p.raisedAt), shanghaiTime(p.closedAt)]),
    },
    itemSheet('新增督办', c.newItems, false),
    itemSheet('销号督办', c.closedItems, true),
    itemSheet('本周逾期', c.overdueItems, false),
    itemSheet('当前红灯', c.redItems, false),
    {
      name: '预警',
      headers: ['单位代码', '单位', '指标代码', '指标', '规则', '期间', '状态', '触发时间'],
      columnWidths: [12, 20, 18, 24, 14, 10, 10, 18],
      rows: c.warnings.map((w) => [w.unit, w.unitZh, w.indicator, w.indicatorZh, w.rule, w.period, w.state, shanghaiTime(w.firedAt)]),
    },
    {
      name: '创纪录',
      headers: ['单位代码', '单位', '指标代码', '指标', '期间', '实绩', '计量单位', '原最好水平', '原最好期间', '审核时间'],
      columnWidths: [12, 20, 18, 24, 10, 14, 10, 14, 12, 18],
      rows: c.records.map((r) => [r.unit, r.unitZh, r.indicator, r.indicatorZh, r.period, r.value, r.uom, r.previousBest, r.previousBestPeriod, shanghaiTime(r.approvedAt)]),
    },
  ];
}

function dailySheets(c: DailyContent): SheetData[] {
  const items = (name: string, rows: DailyContent['items']): SheetData => ({
    name,
    headers: ['单位代码', '编号', '督办事项', '责任人', '完成时限', '剩余天数', '状态', '灯'],
    columnWidths: [12, 8, 40, 14, 12, 10, 10, 8],
    rows: rows.map((i) => [i.unit, i.number, i.title, i.owner, i.dueDate, i.daysLeft, label(itemState, i.state), label(light, i.light)]),
  });
  return [
    {
      name: '我的措施',
      headers: ['单位代码', '问题编号', '问题', '措施', '完成时限', '剩余天数', '进度 %'],
      columnWidths: [12, 10, 30, 40, 12, 10, 8],
      rows: c.measures.map((m) => [m.unit, m.problemNumber, m.problemTitle, m.description, m.dueDate, m.daysLeft, m.progress]),
    },
    items('我的督办', c.items),
    {
      name: '三日内到期',
      headers: ['类别', '事项', '完成时限', '剩余天数'],
      columnWidths: [10, 50, 12, 10],
      rows: c.dueSoon.map((s) => [s.type === 'measure' ? '措施' : '督办', s.title, s.dueDate, s.daysLeft]),
    },
    items('红灯督办', c.redItems),
    {
      name: '新预警',
      headers: ['单位代码', '指标代码', '指标', '规则', '期间', '触发时间'],
      columnWidths: [12, 18, 24, 14, 10, 18],
      rows: c.warnings.map((w) => [w.unit, w.indicator, w.indicatorZh, w.rule, w.period, shanghaiTime(w.firedAt)]),
    },
  ];
}

/** The notice as a workbook: one sheet per section, Chinese headers, bold frozen header row. */
export function noticeWorkbook(content: NoticeDetail['content']): Promise<Buffer> {
  return writeWorkbook(content.kind === 'weekly' ? weeklySheets(content) : dailySheets(content));
}
