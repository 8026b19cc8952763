import { writeWorkbook, type ExportCell, type SheetData } from '../../imports/export-table';
import type { Briefing } from './briefing.schemas';

const siteKind: Record<string, string> = { community: '小区 community', plant: '厂区 plant' };

/** The headline figures: Chinese and English label, the day's value, the running total (blank where none). */
function headlineRows(b: Briefing): ExportCell[][] {
  const t = b.totals;
  return [
    ['应报健康卡人数', 'Declarations due', b.declarationsDue, null],
    ['已报健康卡', 'Declarations done', b.declarationsDone, t.declarationsDone],
    ['发热人数', 'People with a fever', b.fevers, t.fevers],
    ['新增异常情况', 'Abnormal cases opened', b.abnormalOpened, t.abnormalOpened],
    ['在管异常情况', 'Abnormal cases open', b.abnormalOpen, null],
    ['销号异常情况', 'Abnormal cases closed', b.abnormalClosed, t.abnormalClosed],
    ['隔离观察人数', 'People in quarantine', b.inQuarantine, t.quarantined],
    ['密切接触者随访中', 'Contacts under follow-up', b.contactsUnderFollowUp, t.contacts],
    ['应随访次数', 'Follow-ups due', b.followUpsDue, t.followUpsDue],
    ['已随访次数', 'Follow-ups done', b.followUpsDone, t.followUpsDone],
    ['转运车次', 'Transfer trips', b.transfers.trips, b.transfers.tripsTotal],
    ['转运人次', 'Transfer person-trips', b.transfers.personTrips, b.transfers.personTripsTotal],
    ['卡口进入', 'Gate entries', b.gate.entries, t.gate.entries],
    ['卡口外出', 'Gate exits', b.gate.exits, t.gate.exits],
    ['卡口劝返', 'Gate denials', b.gate.denied, t.gate.denied],
    ['捐款笔数', 'Donations', b.donations.count, b.donations.countTotal],
    // Exact decimals stay text: a float would lose the cents of large sums.
    ['捐款金额（元）', 'Donated amount (yuan)', b.donations.amount, b.donations.amountTotal],
  ];
}

/**
 * The daily briefing as an xlsx workbook: the headline (figure, day, running total), by community
 * and plant site, by unit, supplies in stock and the chart series. Aggregates only.
 */
export function briefingWorkbook(b: Briefing): Promise<Buffer> {
  const sheets: SheetData[] = [
    {
      name: '日报 Briefing',
      headers: ['指标', 'Figure', `当日 ${b.date}`, '累计 Running total'],
      columnWidths: [22, 28, 16, 18],
      rows: [['事件', 'Incident', b.incident.name, `${b.incident.startDate} 起 since`], ...headlineRows(b)],
    },
    {
      name: '按小区 By site',
      headers: ['代码 Code', '名称', 'Name', '类型 Kind', '应报 Due', '已报 Done', '发热 Fevers', '新增异常 Opened', '在管异常 Open', '隔离 Quarantine', '进入 Entries', '外出 Exits', '劝返 Denied'],
      columnWidths: [14, 20, 20, 14, 10, 10, 10, 12, 12, 12, 10, 10, 10],
      rows: b.bySite.map((s) => [s.site, s.nameZh, s.nameEn, siteKind[s.kind] ?? s.kind, s.declarationsDue, s.declarationsDone, s.fevers, s.abnormalOpened, s.abnormalOpen, s.inQuarantine, s.gate.entries, s.gate.exits, s.gate.denied]),
    },
    {
      name: '按单位 By unit',
      headers: ['代码 Code', '单位', 'Unit', '应报 Due', '已报 Done', '发热 Fevers', '在管异常 Open', '隔离 Quarantine'],
      columnWidths: [14, 22, 26, 10, 10, 10, 12, 12],
      rows: b.byUnit.map((u) => [u.unit, u.nameZh, u.nameEn, u.declarationsDue, u.declarationsDone, u.fevers, u.abnormalOpen, u.inQuarantine]),
    },
    {
      name: '物资 Supplies',
      headers: ['代码 Code', '物资', 'Supply', '单位 Unit', '库存 Stock'],
      columnWidths: [14, 20, 24, 10, 14],
      rows: b.supplies.map((s) => [s.code, s.nameZh, s.nameEn, s.unitLabel, s.stock]),
    },
    {
      name: '趋势 Series',
      headers: ['日期 Date', '已报 Declarations', '发热 Fevers', '在管异常 Open cases', '隔离 Quarantine'],
      columnWidths: [12, 16, 12, 18, 14],
      rows: b.series.map((p) => [p.date, p.declarationsDone, p.fevers, p.abnormalOpen, p.inQuarantine]),
    },
  ];
  return writeWorkbook(sheets);
}
