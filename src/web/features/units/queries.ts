import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CreateUnitBody,
  Unit,
  UpdateUnitBody,
  deactivateUnitBody,
  moveUnitBody,
  unitList,
  versionBody,
} from '../../../server/modules/units/units.schemas';
import { api } from '../../app/api-client';

export const unitsQueryKey = ['units'] as const;

/** All units, flat; the tree is built in the browser (see unit-tree.ts). */
export function useUnits(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: unitsQueryKey,
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof unitList>>('/api/units', undefined, signal)).items,
    enabled: options.enabled ?? true,
  });
}

type MoveUnitInput = { id: string } & z.input<typeof moveUnitBody>;
type DeactivateUnitInput = { id: string } & z.input<typeof deactivateUnitBody>;
type ActivateUnitInput = { id: string } & z.input<typeof versionBody>;
type UpdateUnitInput = { id: string } & UpdateUnitBody;

function useUnitMutation<TInput>(send: (input: TInput) => Promise<Unit>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: unitsQueryKey }),
  });
}

export function useCreateUnit() {
  return useUnitMutation((body: CreateUnitBody) => api.post<Unit>('/api/units', body));
}

export function useUpdateUnit() {
  return useUnitMutation(({ id, ...body }: UpdateUnitInput) => api.patch<Unit>(`/api/units/${id}`, body));
}

export function useMoveUnit() {
  return useUnitMutation(({ id, ...body }: MoveUnitInput) => api.post<Unit>(`/api/units/${id}/move`, body));
}

export function useDeactivateUnit() {
  return useUnitMutation(({ id, ...body }: DeactivateUnitInput) => api.post<Unit>(`/api/units/${id}/deactivate`, body));
}

export function useActivateUnit() {
  return useUnitMutation(({ id, ...body }: ActivateUnitInput) => api.post<Unit>(`/api/units/${id}/activate`, body));
}
