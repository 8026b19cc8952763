import { Empty, Grid, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { GroupView } from '../../../server/modules/analysis/analysis.schemas';
import { Chart, type ChartOption, type ChartParts, escapeHtml } from '../../app/charts';
import { formatNumber, formatPercent } from '../benchmarking/format';
import { nameIn, type GroupCell } from './queries';

/** The heat map's and the radar's ECharts parts, each loaded with its chart. */
const heatmapParts: ChartParts = () => import('../../app/echarts-parts/heatmap');
const radarParts: ChartParts = () => import('../../app/echarts-parts/radar');

const heatLimit = 20;
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Units × indicators, coloured by the gap to target in % (green ahead, red behind, grey without a target). */
export function GapHeatmap({ view, onOpen }: { view: GroupView; onOpen: (cell: GroupCell) => void }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const locale = i18n.language;
  const xIndex = new Map(view.indicators.map((indicator, i) => [indicator.indicator, i]));
  // The first unit on top: the y axis runs upwards.
  const units = [...view.units].reverse();
  const yIndex = new Map(units.map((unit, i) => [unit.unit, i]));
  const withGap: GroupCell[] = [];
  const without: GroupCell[] = [];
  for (const cell of view.cells) {
    if (!xIndex.has(cell.indicator) || !yIndex.has(cell.unit)) continue;
    (cell.gapPercent === null ? without : withGap).push(cell);
  }
  if (withGap.length + without.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analysis.empty')} />;

  const indicatorOf = new Map(view.indicators.map((indicator) => [indicator.indicator, indicator]));
  const unitOf = new Map(view.units.map((unit) => [unit.unit, unit]));
  const point = (cell: GroupCell, value: number) => [xIndex.get(cell.indicator)!, yIndex.get(cell.unit)!, value];
  const series = [withGap, without];
  const tooltip = (params: unknown) => {
    const { seriesIndex, dataIndex } = params as { seriesIndex: number; dataIndex: number };
    const cell = series[seriesIndex]?.[dataIndex];
    if (!cell) return '';
    const indicator = indicatorOf.get(cell.indicator);
    const unit = unitOf.get(cell.unit);
    const uom = indicator?.uom ? ` ${escapeHtml(indicator.uom)}` : '';
    const lines = [
      `<b>${escapeHtml(unit ? nameIn(locale, unit.name, unit.nameEn) : cell.unit)}</b> · ${escapeHtml(indicator ? nameIn(locale, indicator.name, indicator.nameEn) : cell.indicator)}`,
      `${t('analysis.actual')}: ${formatNumber(cell.actual, locale)}${uom}`,
      `${t('analysis.target')}: ${cell.target === null ? t('analysis.noTarget') : `${formatNumber(cell.target, locale)}${uom}`}`,
    ];
    if (cell.gapToTarget !== null) {
      lines.push(`${t('analysis.gap')}: ${formatNumber(cell.gapToTarget, locale)}${uom} (${formatPercent(cell.gapPercent, locale, true)})`);
    }
    return lines.join('<br/>');
  };
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', formatter: tooltip },
    xAxis: {
      type: 'category',
      data: view.indicators.map((indicator) => nameIn(locale, indicator.name, indicator.nameEn)),
      axisLabel: { rotate: 50, width: screens.md ? 110 : 70, overflow: 'truncate', interval: 0, fontSize: 11, color: token.colorText },
      axisTick: { show: false },
      splitLine: { show: true, lineStyle: { color: token.colorBorderSecondary } },
    },
    yAxis: {
      type: 'category',
      data: units.map((unit) => nameIn(locale, unit.name, unit.nameEn)),
      axisLabel: { width: screens.md ? 140 : 80, overflow: 'truncate', color: token.colorText },
      axisTick: { show: false },
      splitLine: { show: true, lineStyle: { color: token.colorBorderSecondary } },
    },
    visualMap: {
      type: 'continuous',
      seriesIndex: 0,
      min: -heatLimit,
      max: heatLimit,
      calculable: false,
      show: false,
      inRange: { color: ['#cf1322', '#ff7875', '#ffe7e7', '#e8f7e0', '#95de64', '#389e0d'] },
    },
    series: [
      {
        type: 'heatmap',
        data: withGap.map((cell) => point(cell, clamp(cell.gapPercent ?? 0, -heatLimit, heatLimit))),
        itemStyle: { borderColor: token.colorBgContainer, borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: token.colorText, borderWidth: 1 } },
        cursor: 'pointer',
      },
      {
        type: 'heatmap',
        data: without.map((cell) => point(cell, 0)),
        itemStyle: { color: '#d9d9d9', borderColor: token.colorBgContainer, borderWidth: 1 },
        cursor: 'pointer',
      },
    ],
  };
  const height = Math.max(220, units.length * 28 + (screens.md ? 140 : 110));
  return (
    <Chart
      option={option}
      parts={heatmapParts}
      height={height}
      label={t('analysis.heatmapLabel')}
      onEvents={{
        click: (params) => {
          const { seriesIndex, dataIndex } = params as { seriesIndex: number; dataIndex: number };
          const cell = series[seriesIndex]?.[dataIndex];
          if (cell) onOpen(cell);
        },
      }}
    />
  );
}

/** The units by attainment rate, best on top. */
export function RankingBars({ units, label, height, printable = false }: { units: GroupView['units']; label: string; height?: number; printable?: boolean }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const locale = i18n.language;
  const rated = units.filter((unit) => unit.attainmentRate !== null).sort((a, b) => (b.attainmentRate ?? 0) - (a.attainmentRate ?? 0));
  if (rated.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analysis.noTargets')} />;
  const ordered = [...rated].reverse();
  const option: ChartOption = {
    animation: !printable,
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    tooltip: printable ? undefined : { trigger: 'item' },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', color: printable ? '#000' : token.colorTextSecondary } },
    yAxis: {
      type: 'category',
      data: ordered.map((unit) => nameIn(locale, unit.name, unit.nameEn)),
      axisTick: { show: false },
      axisLabel: { width: 140, overflow: 'truncate', color: printable ? '#000' : token.colorText },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 16,
        data: ordered.map((unit) => ({
          value: unit.attainmentRate ?? 0,
          itemStyle: { color: (unit.attainmentRate ?? 0) >= 80 ? token.colorSuccess : (unit.attainmentRate ?? 0) >= 50 ? token.colorWarning : token.colorError },
        })),
        label: {
          show: true,
          position: 'right',
          formatter: (params: unknown) => formatPercent((params as { value: number }).value, locale),
          color: printable ? '#000' : token.colorTextSecondary,
          fontSize: 11,
        },
      },
    ],
  };
  return <Chart option={option} height={height ?? Math.max(140, ordered.length * 26 + 40)} label={label} />;
}

/** One unit's indicators with a target, normalised: 100 = on target, 100 + gap % clipped to 0–200. */
export function UnitRadar({ view, unit }: { view: GroupView; unit: string }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const locale = i18n.language;
  const indicatorOf = new Map(view.indicators.map((indicator) => [indicator.indicator, indicator]));
  const cells = view.cells.filter((cell) => cell.unit === unit && cell.gapPercent !== null);
  if (cells.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analysis.radarEmpty')} />;
  const names = cells.map((cell) => {
    const indicator = indicatorOf.get(cell.indicator);
    return indicator ? nameIn(locale, indicator.name, indicator.nameEn) : cell.indicator;
  });
  const unitRow = view.units.find((row) => row.unit === unit);
  const unitName = unitRow ? nameIn(locale, unitRow.name, unitRow.nameEn) : unit;
  const option: ChartOption = {
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: () =>
        cells.map((cell, i) => `${escapeHtml(names[i] ?? '')}: ${formatPercent(cell.gapPercent, locale, true)}`).join('<br/>'),
    },
    radar: {
      indicator: names.map((name) => ({ name, min: 0, max: 200 })),
      radius: '65%',
      splitNumber: 4,
      axisName: { color: token.colorTextSecondary, fontSize: 11, formatter: (name?: string) => (name && name.length > 10 ? `${name.slice(0, 10)}…` : (name ?? '')) },
    },
    series: [
      {
        type: 'radar',
        data: [
          { value: cells.map(() => 100), name: t('analysis.target'), lineStyle: { type: 'dashed', color: token.colorTextTertiary }, itemStyle: { color: token.colorTextTertiary }, symbol: 'none' },
          { value: cells.map((cell) => clamp(100 + (cell.gapPercent ?? 0), 0, 200)), name: unitName, areaStyle: { opacity: 0.2 }, itemStyle: { color: token.colorPrimary } },
        ],
      },
    ],
  };
  return <Chart option={option} parts={radarParts} height={360} label={t('analysis.radarLabel', { unit: unitName })} />;
}
