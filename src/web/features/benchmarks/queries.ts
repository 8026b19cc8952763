import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Benchmark,
  benchmarkList,
  comparableBody,
  comparableList,
  createBenchmarkBody,
  putBenchmarkValuesBody,
  putSelectionBody,
  selectionList,
  selectionSchema,
} from '../../../server/modules/benchmarks/benchmarks.schemas';
import { api } from '../../app/api-client';

export type { Benchmark };
export type BenchmarkKind = Benchmark['kind'];
export type BenchmarkValue = Benchmark['values'][number];
export type CreateBenchmarkInput = z.input<typeof createBenchmarkBody>;
export type BenchmarkValueInput = z.input<typeof putBenchmarkValuesBody>['values'][number];
export type Selection = z.infer<typeof selectionSchema>;
export type SelectionInput = z.infer<typeof putSelectionBody>;
export type ComparablePair = z.infer<typeof comparableList>['items'][number];

export const benchmarksQueryKey = ['benchmarks'] as const;
export const comparableScopesQueryKey = ['comparable-scopes'] as const;
export const selectionsQueryKey = (unit: string) => ['benchmark-selections', unit] as const;
// The scorecard shows the selected benchmark, its value, its stage and whether its 口径 is comparable;
// the target-setting assistant offers the selected benchmark's and the industry's values as bases.
const scorecardQueryKey = ['scorecard'] as const;
const targetAssistantQueryKey = ['targets', 'assistant'] as const;

/** The benchmark library with every value (a few hundred rows: filtered in the browser). */
export function useBenchmarks() {
  return useQuery({
    queryKey: benchmarksQueryKey,
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof benchmarkList>>('/api/benchmarks', undefined, signal)).items,
  });
}

export function useCreateBenchmark() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateBenchmarkInput) => api.post<Benchmark>('/api/benchmarks', body),
    onSuccess: (created) => {
      // At once, so that its values can be entered next without waiting for the list.
      queryClient.setQueryData<Benchmark[]>(benchmarksQueryKey, (list) => list && [...list, created].sort((a, b) => a.code.localeCompare(b.code)));
      void queryClient.invalidateQueries({ queryKey: benchmarksQueryKey });
    },
  });
}

/** Adds or replaces values of a benchmark: the same indicator and period replaces the earlier value. */
export function usePutBenchmarkValues() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, values }: { code: string; values: BenchmarkValueInput[] }) =>
      api.put<Benchmark>(`/api/benchmarks/${encodeURIComponent(code)}/values`, { values }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: benchmarksQueryKey });
      void queryClient.invalidateQueries({ queryKey: scorecardQueryKey });
      void queryClient.invalidateQueries({ queryKey: targetAssistantQueryKey });
    },
  });
}

/** The 口径 pairs declared comparable. */
export function useComparableScopes() {
  return useQuery({
    queryKey: comparableScopesQueryKey,
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof comparableList>>('/api/comparable-scopes', undefined, signal)).items,
  });
}

export function useAddComparableScopes() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: z.infer<typeof comparableBody>) => (await api.post<z.infer<typeof comparableList>>('/api/comparable-scopes', body)).items,
    onSuccess: (items) => {
      queryClient.setQueryData(comparableScopesQueryKey, items);
      void queryClient.invalidateQueries({ queryKey: scorecardQueryKey });
    },
  });
}

/** A unit's selected benchmarks with their stages and history; `unit` is a unit code. */
export function useSelections(unit: string | undefined) {
  return useQuery({
    queryKey: selectionsQueryKey(unit ?? ''),
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof selectionList>>('/api/benchmark-selections', { unit }, signal)).items,
    enabled: Boolean(unit),
  });
}

/** Selects a benchmark or moves the stage (benchmark null = the unit's own historical best). */
export function usePutSelection() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SelectionInput) => api.put<Selection>('/api/benchmark-selections', body),
    onSuccess: (selection) => {
      void queryClient.invalidateQueries({ queryKey: selectionsQueryKey(selection.unit) });
      void queryClient.invalidateQueries({ queryKey: scorecardQueryKey });
      void queryClient.invalidateQueries({ queryKey: targetAssistantQueryKey });
    },
  });
}
