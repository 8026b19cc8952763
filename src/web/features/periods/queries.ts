import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { periodList, periodSchema } from '../../../server/modules/measurements/measurements.schemas';
import { api } from '../../app/api-client';

export type PeriodState = z.infer<typeof periodSchema>;

export const periodsQueryKey = ['periods'] as const;

/** The months that were ever closed or reopened; every other month is open. */
export function usePeriods() {
  return useQuery({
    queryKey: periodsQueryKey,
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof periodList>>('/api/periods', undefined, signal)).items,
  });
}

export function useSetPeriodLocked() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ period, locked, reason }: { period: string; locked: boolean; reason: string }) =>
      api.post<PeriodState>(`/api/periods/${period}/${locked ? 'lock' : 'unlock'}`, { reason }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: periodsQueryKey });
      // The entry grid says whether its month is closed.
      void queryClient.invalidateQueries({ queryKey: ['entry'] });
    },
  });
}
