import { lazy, Suspense } from 'react';
import type { ChartProps, SparklineProps } from './echarts-view';

export type { ChartOption, ChartParts } from './echarts-view';

/**
 * Text for a tooltip `formatter`, which ECharts inserts as HTML: every name, note or code that
 * people typed goes through this (test/browser/hostile-text.test.ts hovers the charts to check).
 */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// ECharts is most of a chart page's weight: it loads as a chunk of its own, while the page's table
// and its data are already on screen. The placeholders keep the layout from jumping.
const LazyChart = lazy(async () => ({ default: (await import('./echarts-view')).Chart }));
const LazySparkline = lazy(async () => ({ default: (await import('./echarts-view')).Sparkline }));

/** An ECharts chart that follows its container's width; `label` is what screen readers hear. */
export function Chart(props: ChartProps) {
  return (
    <Suspense fallback={<div role="img" aria-label={props.label} aria-busy style={{ width: props.width ?? '100%', height: props.height }} />}>
      <LazyChart {...props} />
    </Suspense>
  );
}

/** A tiny line without axes (a table cell's trend); gaps where a month has no value. */
export function Sparkline(props: SparklineProps) {
  return (
    <Suspense fallback={<div role="img" aria-label={props.label} aria-busy style={{ width: props.width ?? 120, height: props.height ?? 32 }} />}>
      <LazySparkline {...props} />
    </Suspense>
  );
}
