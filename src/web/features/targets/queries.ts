import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { assistantResponse, putTargetsBody, targetList } from '../../../server/modules/benchmarks/benchmarks.schemas';
import { api } from '../../app/api-client';

export type TargetList = z.infer<typeof targetList>;
export type Target = TargetList['items'][number];
export type TargetAssistant = z.infer<typeof assistantResponse>;
export type PutTargetsInput = z.input<typeof putTargetsBody>;

export const targetsQueryKey = (unit: string, year: number) => ['targets', unit, year] as const;

/** A unit's targets for a year: annual rows (`YYYY`) and monthly rows (`YYYY-MM`). */
export function useTargets(unit: string | undefined, year: number | undefined) {
  return useQuery({
    queryKey: targetsQueryKey(unit ?? '', year ?? 0),
    queryFn: async ({ signal }) => (await api.get<TargetList>('/api/targets', { unit, year }, signal)).items,
    enabled: Boolean(unit && year),
  });
}

/**
 * The target-setting assistant's bases for one indicator. The proposal (base ± amplitude) is worked
 * out in the browser as the user types (`target-levels.ts`), with the server's rule.
 */
export function useTargetAssistant(unit: string, indicator: string, year: number) {
  return useQuery({
    queryKey: ['targets', 'assistant', unit, indicator, year],
    queryFn: ({ signal }) => api.get<TargetAssistant>('/api/targets/assistant', { unit, indicator, year }, signal),
  });
}

export function usePutTargets() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PutTargetsInput) => api.put<TargetList>('/api/targets', body),
    onSuccess: () => {
      // This page's rows and the assistant's "current plan"; the scorecard and the group analysis
      // measure against the targets.
      void queryClient.invalidateQueries({ queryKey: ['targets'] });
      void queryClient.invalidateQueries({ queryKey: ['scorecard'] });
      void queryClient.invalidateQueries({ queryKey: ['analysis'] });
    },
  });
}
