import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { PROBLEM_STATUSES } from '../../../domain/problems/problem-status';
import type {
  Attachment,
  CreateMeasureBody,
  CreateProblemBody,
  Measure,
  MeasureUpdateBody,
  Problem,
  ProblemDetail,
  PutMeasureBody,
  PutProblemBody,
  manualSources,
  problemList,
  problemSources,
  severities,
} from '../../../server/modules/problems/problems.schemas';
import { api } from '../../app/api-client';
export { acceptedFiles, attachmentUrl, uploadAttachment } from '../attachments/attachments';

export type { Attachment, Measure, Problem, ProblemDetail };
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
export type ProblemSource = (typeof problemSources)[number];
export type ManualSource = (typeof manualSources)[number];
export type Severity = (typeof severities)[number];

export const statusOrder: ProblemStatus[] = ['open', 'in-progress', 'closing', 'closed-unverified', 'verified', 'cancelled'];
export const sourceList: ProblemSource[] = ['warning', 'audit', 'meeting', 'instruction', 'customer', 'other'];
export const manualSourceList: ManualSource[] = ['audit', 'meeting', 'instruction', 'customer', 'other'];
export const severityList: Severity[] = ['low', 'medium', 'high', 'critical'];
export const isActiveStatus = (s: string) => s === 'open' || s === 'in-progress' || s === 'closing';

const key = ['problems'] as const;

/** Problems of the units in the user's scope (unit exact, source optional; status is filtered on the page). */
export function useProblems(filter: { unit?: string; source?: ProblemSource }) {
  return useQuery({
    queryKey: [...key, 'list', filter.unit ?? '', filter.source ?? ''],
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof problemList>>('/api/problems', { unit: filter.unit, source: filter.source }, signal)).rows,
    placeholderData: keepPreviousData,
  });
}

export function useProblem(id: string | null) {
  return useQuery({
    queryKey: [...key, 'detail', id ?? ''],
    queryFn: ({ signal }) => api.get<ProblemDetail>(`/api/problems/${encodeURIComponent(id!)}`, undefined, signal),
    enabled: id !== null,
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: key });
    void queryClient.invalidateQueries({ queryKey: ['supervision'] });
  };
}

export function useRaiseProblem() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (body: CreateProblemBody) => api.post<ProblemDetail>('/api/problems', body), onSuccess: done });
}
export function useUpdateProblem() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ id, ...body }: PutProblemBody & { id: string }) => api.put<ProblemDetail>(`/api/problems/${encodeURIComponent(id)}`, body), onSuccess: done });
}
export function useCancelProblem() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ id, ...body }: { id: string; reason: string; version: number }) => api.post<ProblemDetail>(`/api/problems/${encodeURIComponent(id)}/cancel`, body), onSuccess: done });
}
export function useCloseProblem() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; note: string; attachments: string[]; version: number }) => api.post<ProblemDetail>(`/api/problems/${encodeURIComponent(id)}/close`, body),
    onSuccess: done,
  });
}
export function useAddMeasure() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ problemId, ...body }: CreateMeasureBody & { problemId: string }) => api.post<Measure>(`/api/problems/${encodeURIComponent(problemId)}/measures`, body), onSuccess: done });
}
export function useUpdateMeasure() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ id, ...body }: PutMeasureBody & { id: string }) => api.put<Measure>(`/api/measures/${encodeURIComponent(id)}`, body), onSuccess: done });
}
export function useAddMeasureUpdate() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ id, ...body }: MeasureUpdateBody & { id: string }) => api.post<Measure>(`/api/measures/${encodeURIComponent(id)}/updates`, body), onSuccess: done });
}

/** People to suggest as owners (GET /api/people; empty when the user may not list people). */
export function useOwnerOptions() {
  return useQuery({
    queryKey: ['people'],
    queryFn: async ({ signal }) => (await api.get<{ items: { code: string; name: string }[] }>('/api/people', undefined, signal)).items,
    retry: false,
    staleTime: 5 * 60_000,
  });
}

