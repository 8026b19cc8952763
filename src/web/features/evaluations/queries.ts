import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CreateSchemeBody,
  History,
  HistoryRow,
  PutSchemeBody,
  ResultRow,
  Results,
  Scheme,
  publishBody,
  publishResponse,
  schemeList,
  vetoBody,
  vetoResponse,
} from '../../../server/modules/evaluations/evaluations.schemas';
import type { scorePreviewBody, scorePreviewResponse } from '../../../server/modules/scoring/scoring.schemas';
import type { IdeaSummary } from '../../../server/modules/ideas/ideas.schemas';
import { api } from '../../app/api-client';

export type { CreateSchemeBody, History, HistoryRow, PutSchemeBody, ResultRow, Results, Scheme };
export type Cadre = ResultRow['cadres'][number];
export type ResultChange = NonNullable<Results['changes']>[number];
export type PreviewInput = z.infer<typeof scorePreviewBody>;
export type Preview = z.infer<typeof scorePreviewResponse>;
/** One problem of a scheme the server refused (422 SCHEME_INVALID, details.issues). */
export type SchemeIssue = { path: string; code: string; message: string };
export type ResultItem = ResultRow['items'][number];
export type Grade = NonNullable<ResultRow['grade']>;
export type PublishInput = z.infer<typeof publishBody>;
export type Publication = z.infer<typeof publishResponse>;
export type VetoInput = z.infer<typeof vetoBody>;
export type Veto = z.infer<typeof vetoResponse>;

const evaluationsQueryKey = ['evaluations'] as const;
const resultsQueryKey = (scheme: string, period: string) => [...evaluationsQueryKey, 'results', scheme, period] as const;

/** The evaluation schemes with their items and units. */
export function useEvaluationSchemes() {
  return useQuery({
    queryKey: [...evaluationsQueryKey, 'schemes'],
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof schemeList>>('/api/evaluation-schemes', undefined, signal)).items,
  });
}

/** A scheme's results for a period: frozen when published, computed live (draft) otherwise. */
export function useEvaluationResults(scheme: string | undefined, period: string | undefined) {
  return useQuery({
    queryKey: resultsQueryKey(scheme ?? '', period ?? ''),
    queryFn: ({ signal }) => api.get<Results>('/api/evaluations/results', { scheme, period }, signal),
    enabled: Boolean(scheme && period),
    placeholderData: keepPreviousData,
  });
}

/** Freezes the period's results as a new version. */
export function usePublishEvaluation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PublishInput) => api.post<Publication>('/api/evaluations/publish', body),
    onSuccess: (published) => queryClient.invalidateQueries({ queryKey: resultsQueryKey(published.scheme, published.period) }),
  });
}

/** One-vote veto (一票否决): zeroes a unit's score for the period. */
export function useVetoUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: VetoInput) => api.post<Veto>('/api/evaluations/vetoes', body),
    onSuccess: (veto) => queryClient.invalidateQueries({ queryKey: resultsQueryKey(veto.scheme, veto.period) }),
  });
}

/** Creates a scheme; the list of schemes is read again. */
export function useCreateScheme() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSchemeBody) => api.post<Scheme>('/api/evaluation-schemes', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: evaluationsQueryKey }),
  });
}

/** Replaces a scheme whole (with its version); results are read again (drafts change, publications do not). */
export function usePutScheme() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, body }: { code: string; body: PutSchemeBody }) => api.put<Scheme>(`/api/evaluation-schemes/${encodeURIComponent(code)}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: evaluationsQueryKey }),
  });
}

/** A unit's evaluation history: published versions and live drafts. */
export function useEvaluationHistory(scheme: string | undefined, unit: string | undefined) {
  return useQuery({
    queryKey: [...evaluationsQueryKey, 'history', scheme ?? '', unit ?? ''],
    queryFn: ({ signal }) => api.get<History>('/api/evaluations/history', { scheme, unit }, signal),
    enabled: Boolean(scheme && unit),
  });
}

/** The score of one value by one rule (the calculator behind the scheme editor's preview). */
export function useScorePreview(input: PreviewInput | null) {
  return useQuery({
    queryKey: ['scoring', 'preview', input],
    queryFn: () => api.post<Preview>('/api/scoring/preview', input),
    enabled: input !== null,
    retry: false,
    staleTime: Infinity,
  });
}

/** 金点子 by unit for a year (GET /api/ideas/summary), for the results table; off without `enabled`. */
export function useIdeasByUnit(year: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['ideas', 'summary', year],
    queryFn: ({ signal }) => api.get<IdeaSummary>('/api/ideas/summary', { year }, signal),
    enabled: enabled && year !== undefined,
    retry: false,
  });
}
export type IdeaSummaryRow = IdeaSummary['rows'][number];
