// The transmission chain's graph: ECharts' graph series, registered here because only this page
// draws one (the app's shared registration in app/echarts-view.tsx keeps to the other charts).
// Loaded lazily by the contacts page, as a chunk of its own.
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { GraphChart, type GraphSeriesOption } from 'echarts/charts';
import { LegendComponent, TooltipComponent, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([GraphChart, LegendComponent, TooltipComponent, CanvasRenderer]);

export type GraphOption = echarts.ComposeOption<GraphSeriesOption | LegendComponentOption | TooltipComponentOption>;

export interface ChainGraphProps {
  option: GraphOption;
  height: number;
  /** What screen readers hear instead of the canvas. */
  label: string;
  /** A node was clicked: its id (the person's code). */
  onNode?: (id: string) => void;
}

/** A force-directed graph that follows its container's width. */
export function ChainGraphView({ option, height, label, onNode }: ChainGraphProps) {
  const onEvents = onNode
    ? {
        click: (params: unknown) => {
          const p = params as { dataType?: string; data?: { id?: string } };
          if (p.dataType === 'node' && typeof p.data?.id === 'string') onNode(p.data.id);
        },
      }
    : undefined;
  return (
    <div role="img" aria-label={label} style={{ width: '100%', height }}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge lazyUpdate opts={{ renderer: 'canvas' }} onEvents={onEvents} style={{ width: '100%', height: '100%' }} />
    </div>
  );
}
