import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { isControlChart, isDataQuality } from '../../../domain/warnings/rules';
import type { ScanResult, Warning, confirmBody, warningList, warningStates } from '../../../server/modules/warnings/warnings.schemas';
import type { WarningRule as WarningRuleRow, createRuleBody, putRuleBody, ruleList } from '../../../server/modules/warnings/warnings.schemas';
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

// ---- warning rules (预警规则) -----------------------------------------------------------------

export type { WarningRule } from '../../../server/modules/warnings/warnings.schemas';
export type CreateRuleInput = z.input<typeof createRuleBody>;
export type PutRuleInput = z.input<typeof putRuleBody>;

const warningRulesQueryKey = ['warning-rules'] as const;

/** The rules of one indicator, in the order they apply (sortOrder). */
export function useWarningRules(indicator: string | undefined) {
  return useQuery({
    queryKey: [...warningRulesQueryKey, indicator ?? ''],
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof ruleList>>('/api/warning-rules', { indicator }, signal)).items,
    enabled: Boolean(indicator),
    placeholderData: keepPreviousData,
  });
}

/** Adds a rule: a code with its own parameters, debounce, notices and mute windows. */
export function useCreateWarningRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRuleInput) => api.post<WarningRuleRow>('/api/warning-rules', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: warningRulesQueryKey }),
  });
}

/** Replaces a rule's parameters, debounce, notices, mutes, switch and order (its code stays). */
export function useUpdateWarningRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: PutRuleInput & { id: string }) => api.put<WarningRuleRow>(`/api/warning-rules/${encodeURIComponent(id)}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: warningRulesQueryKey }),
  });
}
