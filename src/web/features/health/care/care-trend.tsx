import { useTranslation } from 'react-i18next';
import { addDays } from '../../../../domain/notices/week';
import { isFever } from '../../../../domain/health/status-rules';
import { Chart, type ChartOption } from '../../../app/charts';

// A file of its own: the pages that import care-parts.tsx without drawing this chart do not count
// (or load) ECharts.

/** The last days' temperatures as a line with the fever threshold; gaps where nothing was declared. */
export function TemperatureTrend({ rows, from, to, threshold, height = 220 }: { rows: readonly { date: string; temperatureC: number | null }[]; from: string; to: string; threshold: number; height?: number }) {
  const { t } = useTranslation();
  const days: string[] = [];
  for (let d = from; d <= to && days.length < 400; d = addDays(d, 1)) days.push(d);
  const byDay = new Map(rows.map((r) => [r.date, r.temperatureC]));
  const values = days.map((d) => byDay.get(d) ?? null);
  const readings = values.filter((v): v is number => v !== null);
  const low = Math.min(35.5, ...readings);
  const high = Math.max(threshold + 0.7, ...readings);
  const option: ChartOption = {
    animation: false,
    grid: { left: 40, right: 16, top: 24, bottom: 28 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? `${v.toFixed(1)} °C` : '—') },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)), boundaryGap: false, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', min: Math.floor(low * 2) / 2, max: Math.ceil(high * 2) / 2, axisLabel: { formatter: (v: number) => v.toFixed(1) } },
    series: [
      {
        type: 'line',
        name: t('healthCare.card.trendSeries'),
        data: values.map((v) => (v === null ? null : { value: v, itemStyle: { color: isFever(v, threshold) ? '#cf1322' : '#1677ff' } })),
        connectNulls: false,
        symbolSize: 6,
        lineStyle: { color: '#1677ff' },
        markLine: {
          silent: true,
          symbol: 'none',
          data: [{ yAxis: threshold, lineStyle: { color: '#cf1322', type: 'dashed' }, label: { formatter: `${threshold.toFixed(1)} °C`, position: 'insideEndTop', color: '#cf1322' } }],
        },
      },
    ],
  };
  return <Chart option={option} height={height} label={t('healthCare.card.trendLabel', { from, to, count: readings.length })} />;
}
