import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { healthResponse } from '../../../server/modules/system/system.schemas';
import { api } from '../../app/api-client';

export type Health = z.infer<typeof healthResponse>;

/** The server's health and version (shown in the footer). */
export function useHealth() {
  return useQuery({
    queryKey: ['system', 'health'],
    queryFn: ({ signal }) => api.get<Health>('/api/health', undefined, signal),
    staleTime: Infinity,
    retry: false,
  });
}
