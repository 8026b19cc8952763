import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ControlChart } from '../../../server/modules/warnings/control-chart.schemas';
import { api } from '../../app/api-client';

export type { ControlChart };
export type ControlChartSignal = ControlChart['signals'][number];
export type ControlChartPoint = ControlChart['points'][number];

export const controlChartRules = ['WE1', 'WE2', 'WE3', 'WE4', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8'] as const;

export interface ControlChartParams {
  unit: string | undefined;
  indicator: string | undefined;
  /** Empty: the indicator's configured control-chart rules, else WE1–WE4. */
  rules: string[];
  from?: string | undefined;
  to?: string | undefined;
}

/** A unit's indicator as an XmR control chart with the chosen rules' signals. */
export function useControlChart(p: ControlChartParams) {
  return useQuery({
    queryKey: ['warnings', 'control-chart', p.unit ?? '', p.indicator ?? '', p.rules.join(','), p.from ?? '', p.to ?? ''],
    queryFn: ({ signal }) =>
      api.get<ControlChart>('/api/warnings/control-chart', { unit: p.unit, indicator: p.indicator, rules: p.rules.length ? p.rules.join(',') : undefined, from: p.from || undefined, to: p.to || undefined }, signal),
    enabled: Boolean(p.unit && p.indicator),
    placeholderData: keepPreviousData,
  });
}
