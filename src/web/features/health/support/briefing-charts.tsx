import { Empty, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../app/charts';
import { nameIn } from './support-parts';
import type { Briefing, BriefingHistory } from './support-queries';

// Fixed colours: the same on screen and on paper (the printed sheet is black and white otherwise).
const colors = { done: '#1456a0', due: '#bfbfbf', fever: '#cf1322', open: '#d48806', quarantine: '#531dab' };
const ink = '#000';

/** The last 14 days: declarations done (bars, left axis), fevers, open cases and people in quarantine (lines, right axis). */
export function TrendChart({ series }: { series: Briefing['series'] }) {
  const { t } = useTranslation();
  if (series.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('healthSupport.briefing.noSeries')} />;
  const line = (name: string, color: string, data: number[]) => ({
    type: 'line' as const,
    name,
    yAxisIndex: 1,
    data,
    symbolSize: 5,
    lineStyle: { width: 2, color },
    itemStyle: { color },
  });
  const option: ChartOption = {
    animation: false,
    grid: { left: 4, right: 4, top: 30, bottom: 4, containLabel: true },
    legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 10, color: ink } },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: series.map((p) => p.date.slice(5)), axisLabel: { fontSize: 9, color: ink } },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel: { fontSize: 9, color: ink }, splitLine: { lineStyle: { color: '#eee' } } },
      { type: 'value', minInterval: 1, axisLabel: { fontSize: 9, color: ink }, splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: t('healthSupport.briefing.series.declarationsDone'), data: series.map((p) => p.declarationsDone), itemStyle: { color: colors.done, opacity: 0.45 }, barMaxWidth: 14 },
      line(t('healthSupport.briefing.series.fevers'), colors.fever, series.map((p) => p.fevers)),
      line(t('healthSupport.briefing.series.abnormalOpen'), colors.open, series.map((p) => p.abnormalOpen)),
      line(t('healthSupport.briefing.series.inQuarantine'), colors.quarantine, series.map((p) => p.inQuarantine)),
    ],
  };
  return <Chart option={option} height={220} label={t('healthSupport.briefing.trendLabel')} />;
}

/** By community: declarations due and done (left axis), open cases and people in quarantine (right axis). */
export function SiteChart({ sites }: { sites: Briefing['bySite'] }) {
  const { t, i18n } = useTranslation();
  if (sites.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('healthSupport.briefing.noSites')} />;
  const bar = (name: string, color: string, data: number[], axis: 0 | 1) => ({ type: 'bar' as const, name, data, yAxisIndex: axis, itemStyle: { color }, barMaxWidth: 12 });
  const option: ChartOption = {
    animation: false,
    grid: { left: 4, right: 4, top: 30, bottom: 4, containLabel: true },
    legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 10, color: ink } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: sites.map((s) => nameIn(i18n.language, s.nameZh, s.nameEn)),
      axisLabel: { fontSize: 9, color: ink, interval: 0, rotate: sites.length > 5 ? 30 : 0, width: 70, overflow: 'truncate' },
    },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel: { fontSize: 9, color: ink }, splitLine: { lineStyle: { color: '#eee' } } },
      { type: 'value', minInterval: 1, axisLabel: { fontSize: 9, color: ink }, splitLine: { show: false } },
    ],
    series: [
      bar(t('healthSupport.briefing.series.declarationsDue'), colors.due, sites.map((s) => s.declarationsDue), 0),
      bar(t('healthSupport.briefing.series.declarationsDone'), colors.done, sites.map((s) => s.declarationsDone), 0),
      bar(t('healthSupport.briefing.series.abnormalOpen'), colors.open, sites.map((s) => s.abnormalOpen), 1),
      bar(t('healthSupport.briefing.series.inQuarantine'), colors.quarantine, sites.map((s) => s.inQuarantine), 1),
    ],
  };
  return <Chart option={option} height={220} label={t('healthSupport.briefing.sitesLabel')} />;
}

/** The stored briefings, a bar a day (people in quarantine) and a line (open cases); a click opens that day. */
export function HistoryChart({ rows, selected, onPick }: { rows: BriefingHistory['rows']; selected: string | undefined; onPick: (date: string) => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const option: ChartOption = {
    animation: false,
    grid: { left: 4, right: 4, top: 24, bottom: 4, containLabel: true },
    legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 10 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: rows.map((r) => r.date), axisLabel: { fontSize: 9, formatter: (v: string) => v.slice(5) } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 9 } },
    series: [
      {
        type: 'bar',
        name: t('healthSupport.briefing.series.inQuarantine'),
        barMaxWidth: 10,
        data: rows.map((r) => ({ value: r.inQuarantine, itemStyle: { color: r.date === selected ? token.colorPrimary : '#b7a3e0' } })),
        cursor: 'pointer',
        // The day on screen, even when its bar is 0.
        markLine: selected && rows.some((r) => r.date === selected) ? { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: token.colorPrimary, type: 'solid', width: 2 }, data: [{ xAxis: selected }] } : undefined,
      },
      { type: 'line', name: t('healthSupport.briefing.series.abnormalOpen'), data: rows.map((r) => r.abnormalOpen), symbolSize: 4, itemStyle: { color: colors.open }, lineStyle: { color: colors.open }, cursor: 'pointer' },
    ],
  };
  return (
    <Chart
      option={option}
      height={120}
      label={t('healthSupport.briefing.historyLabel', { count: rows.length })}
      onEvents={{
        click: (params: unknown) => {
          const index = (params as { dataIndex?: number }).dataIndex;
          const row = index === undefined ? undefined : rows[index];
          if (row) onPick(row.date);
        },
      }}
    />
  );
}
