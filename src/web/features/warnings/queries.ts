import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { isControlChart, isDataQuality } from '../../../domain/warnings/rules';
import type { ScanResult, Warning, confirmBody, warningList, warningStates } from '../../../server/modules/warnings/warnings.schemas';
import { api } from '../../app/api-client';

export type { ScanResult, Warning };
export type WarningState = (typeof warningStates)[number];
export type ConfirmInput = z.infer<typeof confirmBody>;

/** The four kinds of rules the page groups warnings by. */
export const ruleFamilies = ['target', 'benchmark', 'controlChart', 'dataQuality'] as const;
export type RuleFamily = (typeof ruleFamilies)[number];

/** Which family a rule code belongs to (TARGET, GAP_WIDENING, WE/N run rules, DQ_*). */
export function ruleFamily(code: string): RuleFamily {
  if (code === 'TARGET') return 'target';
  if (code === 'GAP_WIDENING') return 'benchmark';
  if (isControlChart(code)) return 'controlChart';
  if (isDataQuality(code)) return 'dataQuality';
  return 'dataQuality';
}

/** Data-quality warnings whose held-back values a unit may confirm (a missing value has nothing to confirm). */
export function isConfirmable(warning: Warning): boolean {
  return warning.state === 'firing' && (warning.rule === 'DQ_RANGE' || warning.rule === 'DQ_STUCK' || warning.rule === 'DQ_JUMP');
}

const warningsQueryKey = ['warnings'] as const;

/** Warnings of the units in the user's scope; without a state every warning that is not inactive. */
export function useWarnings(filter: { unit?: string; state?: WarningState }) {
  return useQuery({
    queryKey: [...warningsQueryKey, filter.unit ?? '', filter.state ?? ''],
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof warningList>>('/api/warnings', { unit: filter.unit, state: filter.state }, signal)).rows,
    placeholderData: keepPreviousData,
  });
}

/** Evaluates every warning rule now and answers with the counts. */
export function useScanWarnings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<ScanResult>('/api/warnings/scan', {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: warningsQueryKey }),
  });
}

/** Confirms the values a data-quality warning holds back: they count again and the warning resolves. */
export function useConfirmWarning() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ConfirmInput & { id: string }) => api.post<Warning>(`/api/warnings/${encodeURIComponent(id)}/confirm`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: warningsQueryKey });
      // Confirmed values count again on the scorecard and in the evaluations.
      void queryClient.invalidateQueries({ queryKey: ['scorecard'] });
      void queryClient.invalidateQueries({ queryKey: ['evaluations'] });
    },
  });
}
