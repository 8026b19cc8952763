import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ResultRow, Results, Scheme, publishBody, publishResponse, schemeList, vetoBody, vetoResponse } from '../../../server/modules/evaluations/evaluations.schemas';
import { api } from '../../app/api-client';

export type { ResultRow, Results, Scheme };
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
