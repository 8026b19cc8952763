import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Person } from '../../../server/modules/people/people.schemas';
import type { ProblemDetail, problemList } from '../../../server/modules/problems/problems.schemas';
import type {
  SupervisionDetail,
  SupervisionEvent,
  SupervisionItem,
  attachmentRef,
  createSupervisionBody,
  supervisionList,
  supervisionLights,
  supervisionStates,
  TransitionBody,
  transitionBody,
} from '../../../server/modules/supervision/supervision.schemas';
import { api } from '../../app/api-client';
export { attachmentUrl, uploadAttachment } from '../attachments/attachments';

export type { SupervisionDetail, SupervisionEvent, SupervisionItem };
export type SupervisionState = (typeof supervisionStates)[number];
export type SupervisionLight = (typeof supervisionLights)[number];
export type Attachment = z.infer<typeof attachmentRef>;
export type Problem = z.infer<typeof problemList>['rows'][number];
export type CreateInput = z.input<typeof createSupervisionBody>;
export type TransitionInput = Omit<z.input<typeof transitionBody>, 'version'>;

export interface SupervisionFilter {
  unit?: string;
  state?: SupervisionState | 'open';
  light?: SupervisionLight;
  problem?: string;
}

const supervisionKey = ['supervision'] as const;

/** The sheet: items of the units in the user's scope and the user's own, lights as of now. */
export function useSupervisionItems(filter: SupervisionFilter) {
  return useQuery({
    queryKey: [...supervisionKey, 'list', filter.unit ?? '', filter.state ?? '', filter.light ?? '', filter.problem ?? ''],
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof supervisionList>>('/api/supervision', { ...filter }, signal)).rows,
    placeholderData: keepPreviousData,
  });
}

/** One item with its steps. */
export function useSupervisionItem(id: string | null) {
  return useQuery({
    queryKey: [...supervisionKey, 'item', id ?? ''],
    queryFn: ({ signal }) => api.get<SupervisionDetail>(`/api/supervision/${encodeURIComponent(id!)}`, undefined, signal),
    enabled: id !== null,
  });
}

/** Assigns a new item (下达督办). */
export function useAssignItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInput) => api.post<SupervisionDetail>('/api/supervision', body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: supervisionKey });
      void queryClient.invalidateQueries({ queryKey: ['problems'] });
    },
  });
}

/** One step of an item: accept, start, report, approve (销号), reject, cancel. */
export function useTransition() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, ...body }: TransitionInput & { id: string; version: number }) =>
      api.post<SupervisionDetail>(`/api/supervision/${encodeURIComponent(id)}/transition`, { ...body, version } satisfies Partial<TransitionBody>),
    onSuccess: (item) => {
      queryClient.setQueryData([...supervisionKey, 'item', item.id], item);
      void queryClient.invalidateQueries({ queryKey: [...supervisionKey, 'list'] });
      // 销号 of the last item closes its problem.
      if (item.problemId) void queryClient.invalidateQueries({ queryKey: ['problems'] });
    },
  });
}

/** People the user may name as owner (责任人): GET /api/people, cut to the user's scope. */
export function usePeople(enabled: boolean) {
  return useQuery({
    queryKey: ['people'],
    queryFn: async ({ signal }) => (await api.get<{ items: Person[] }>('/api/people', undefined, signal)).items,
    enabled,
  });
}

/** Active problems an item may come from. */
export function useActiveProblems(enabled: boolean) {
  return useQuery({
    queryKey: ['problems', 'active-for-supervision'],
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof problemList>>('/api/problems', undefined, signal)).rows.filter((p) => ['open', 'in-progress', 'closing'].includes(p.status)),
    enabled,
  });
}

/** A problem with its measures (for picking the measure an item supervises). */
export function useProblemDetail(id: string | null) {
  return useQuery({
    queryKey: ['problems', 'detail', id ?? ''],
    queryFn: ({ signal }) => api.get<ProblemDetail>(`/api/problems/${encodeURIComponent(id!)}`, undefined, signal),
    enabled: id !== null,
  });
}

