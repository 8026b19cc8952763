import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { sessionList } from '../../../server/modules/auth/auth.schemas';
import { api } from '../../app/api-client';

export const mySessionsQueryKey = ['auth', 'sessions'] as const;

/** The signed-in user's own sessions (devices and browsers). */
export function useMySessions() {
  return useQuery({
    queryKey: mySessionsQueryKey,
    queryFn: async ({ signal }) =>
      (await api.get<z.infer<typeof sessionList>>('/api/auth/sessions', undefined, signal)).items,
  });
}

export function useEndMySession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/auth/sessions/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mySessionsQueryKey }),
  });
}
