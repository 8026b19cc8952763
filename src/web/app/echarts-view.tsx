// The ES-module build of echarts-for-react's core component (the same as `lib/core`): `lib/` is
// CommonJS, whose default export a bundler following Node's rules for a "type": "module" package
// hands over as the whole `exports` object, not the component.
import ReactEChartsCore from 'echarts-for-react/esm/core';
import {
  BarChart,
  LineChart,
  type BarSeriesOption,
  type HeatmapSeriesOption,
  type LineSeriesOption,
  type RadarSeriesOption,
  type SankeySeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type MarkPointComponentOption,
  type RadarComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { use, type CSSProperties } from 'react';

// The parts most charts of the app draw (lines and bars on a grid), with the canvas renderer only:
// the rest of ECharts stays out of the bundle. Loaded through charts.tsx, as a chunk of its own; the
// heat map, radar and Sankey parts (echarts-parts/) load only with the charts that draw them.
echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, MarkPointComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | HeatmapSeriesOption
  | RadarSeriesOption
  | SankeySeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | MarkLineComponentOption
  | MarkPointComponentOption
  | VisualMapComponentOption
  | RadarComponentOption
>;

export interface ChartProps {
  option: ChartOption;
  height: number;
  width?: number;
  /** What screen readers hear instead of the canvas. */
  label: string;
  style?: CSSProperties;
  /** ECharts events by name (for example `click`). */
  onEvents?: Record<string, (params: unknown) => void>;
  /**
   * Loads the ECharts parts the option needs beyond lines and bars (`() => import('…/echarts-parts/heatmap')`):
   * the import sits in the page that draws such a chart, so that only that page downloads them.
   */
  parts?: ChartParts;
}

export type ChartParts = () => Promise<unknown>;

const partsLoading = new Map<ChartParts, Promise<unknown>>();

/** Suspends until a chart's extra parts are registered (once per loader); setOption needs them. */
function useChartParts(parts: ChartParts | undefined): void {
  if (!parts) return;
  let loading = partsLoading.get(parts);
  if (!loading) {
    loading = parts();
    partsLoading.set(parts, loading);
  }
  use(loading);
}

export interface SparklineProps {
  values: readonly (number | null)[];
  label: string;
  color: string;
  width?: number;
  height?: number;
}

/** An ECharts chart that follows its container's width. */
export function Chart({ option, height, width, label, style, onEvents, parts }: ChartProps) {
  useChartParts(parts);
  return (
    <div role="img" aria-label={label} style={{ width: width ?? '100%', height, ...style }}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        lazyUpdate
        opts={{ renderer: 'canvas' }}
        onEvents={onEvents}
        style={{ width: '100%', height: '100%' }}
      />
    </div>
  );
}

/** A tiny line without axes (a table cell's trend); gaps where a month has no value. */
export function Sparkline({ values, label, color, width = 120, height = 32 }: SparklineProps) {
  const option: ChartOption = {
    animation: false,
    grid: { left: 2, right: 2, top: 3, bottom: 3 },
    xAxis: { type: 'category', show: false, boundaryGap: false, data: values.map((_v, i) => i) },
    yAxis: { type: 'value', show: false, scale: true },
    series: [
      {
        type: 'line',
        data: [...values],
        symbol: 'circle',
        symbolSize: (_value: unknown, params: { dataIndex: number }) => (params.dataIndex === values.length - 1 ? 4 : 0),
        showSymbol: true,
        lineStyle: { width: 1.5, color },
        itemStyle: { color },
        silent: true,
      },
    ],
  };
  return <Chart option={option} width={width} height={height} label={label} />;
}
