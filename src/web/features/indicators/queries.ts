import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { z } from 'zod';
import type {
  CreateIndicatorBody,
  Indicator,
  UpdateIndicatorBody,
  assignmentList,
  indicatorList,
  putAssignmentsBody,
} from '../../../server/modules/indicators/indicators.schemas';
import { api } from '../../app/api-client';

export const indicatorsQueryKey = ['indicators'] as const;
export const indicatorSetQueryKey = (unit: string) => ['indicator-sets', unit] as const;

export type IndicatorSet = z.infer<typeof assignmentList>;
export type IndicatorSetInput = z.input<typeof putAssignmentsBody>;

/** The whole indicator library (a few hundred rows at most: filtered in the browser). */
export function useIndicators(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: indicatorsQueryKey,
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof indicatorList>>('/api/indicators', undefined, signal)).items,
    enabled: options.enabled ?? true,
    staleTime: 5 * 60_000,
  });
}

/** The indicators by code, for pages that show rows of other answers. */
export function useIndicatorMap(): Map<string, Indicator> {
  const { data } = useIndicators();
  return useMemo(() => new Map((data ?? []).map((indicator) => [indicator.code, indicator])), [data]);
}

export function useCreateIndicator() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateIndicatorBody) => api.post<Indicator>('/api/indicators', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: indicatorsQueryKey }),
  });
}

export function useUpdateIndicator() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, ...body }: { code: string } & UpdateIndicatorBody) =>
      api.patch<Indicator>(`/api/indicators/${encodeURIComponent(code)}`, body),
    // Names, targets' meaning and formulas show on the scorecard and the entry grid too.
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

/** A unit's indicator set with weights; `unit` is a unit code. */
export function useIndicatorSet(unit: string | null | undefined) {
  return useQuery({
    queryKey: indicatorSetQueryKey(unit ?? ''),
    queryFn: ({ signal }) => api.get<IndicatorSet>(`/api/indicator-sets/${encodeURIComponent(unit ?? '')}`, undefined, signal),
    enabled: Boolean(unit),
  });
}

export function usePutIndicatorSet() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ unit, ...body }: { unit: string } & IndicatorSetInput) =>
      api.put<IndicatorSet>(`/api/indicator-sets/${encodeURIComponent(unit)}`, body),
    onSuccess: (set) => {
      queryClient.setQueryData(indicatorSetQueryKey(set.unit), set);
      // The unit's scorecard and entry grid list its set.
      void queryClient.invalidateQueries({ queryKey: ['scorecard'] });
      void queryClient.invalidateQueries({ queryKey: ['entry'] });
    },
  });
}
