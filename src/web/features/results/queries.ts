import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Competition, Leaderboard, eventBody } from '../../../server/modules/competitions/competitions.schemas';
import type { Idea, IdeaSummary, reviewIdeaBody, submitIdeaBody } from '../../../server/modules/ideas/ideas.schemas';
import type { IdleAsset, assetSummary, createAssetBody, disposeBody, putAssetBody } from '../../../server/modules/idle-assets/idle-assets.schemas';
import type { Earnings, Price, Rate, outputBody, pointsBody, priceBody, rateBody, sheetSchema } from '../../../server/modules/piece-rates/piece-rates.schemas';
import { api } from '../../app/api-client';

export type { Competition, Earnings, Idea, IdeaSummary, IdleAsset, Leaderboard, Price, Rate };
export type LeaderboardRow = Leaderboard['rows'][number];
export type EventInput = z.input<typeof eventBody>;
export type Sheet = z.infer<typeof sheetSchema>;
export type AssetSummary = z.infer<typeof assetSummary>;
export type CreateAssetInput = z.input<typeof createAssetBody>;

// ---- competitions ----------------------------------------------------------------------------

export function useCompetitions() {
  return useQuery({ queryKey: ['competitions'], queryFn: async ({ signal }) => (await api.get<{ items: Competition[] }>('/api/competitions', undefined, signal)).items });
}

export function useLeaderboard(code: string | undefined, period: string | undefined) {
  return useQuery({
    queryKey: ['competitions', code, 'leaderboard', period ?? ''],
    queryFn: ({ signal }) => api.get<Leaderboard>(`/api/competitions/${encodeURIComponent(code!)}/leaderboard`, { period }, signal),
    enabled: !!code,
    placeholderData: keepPreviousData,
  });
}

export function useAddEvent(code: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: EventInput) => api.post(`/api/competitions/${encodeURIComponent(code!)}/events`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['competitions', code] }),
  });
}

// ---- piece rates -----------------------------------------------------------------------------

export function useRates() {
  return useQuery({ queryKey: ['piece-rates', 'rates'], queryFn: async ({ signal }) => (await api.get<{ items: Rate[] }>('/api/piece-rates/rates', undefined, signal)).items });
}
export function usePrices() {
  return useQuery({ queryKey: ['piece-rates', 'prices'], queryFn: async ({ signal }) => (await api.get<{ items: Price[] }>('/api/piece-rates/quality-prices', undefined, signal)).items });
}
export function useSheet(team: string | undefined, period: string | undefined) {
  return useQuery({ queryKey: ['piece-rates', 'sheet', team, period], queryFn: ({ signal }) => api.get<Sheet>('/api/piece-rates/sheet', { team, period }, signal), enabled: !!team && !!period });
}
export function useEarnings(team: string | undefined, period: string | undefined) {
  return useQuery({ queryKey: ['piece-rates', 'earnings', team, period], queryFn: ({ signal }) => api.get<Earnings>('/api/piece-rates/earnings', { team, period }, signal), enabled: !!team && !!period });
}

function usePieceRateMutation<T>(fn: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['piece-rates'] }) });
}
export const useCreateRate = () => usePieceRateMutation((input: z.input<typeof rateBody>) => api.post('/api/piece-rates/rates', input));
export const useCreatePrice = () => usePieceRateMutation((input: z.input<typeof priceBody>) => api.post('/api/piece-rates/quality-prices', input));
export const usePutOutput = () => usePieceRateMutation((input: z.input<typeof outputBody>) => api.put('/api/piece-rates/outputs', input));
export const usePutPoints = () => usePieceRateMutation((input: z.input<typeof pointsBody>) => api.put('/api/piece-rates/points', input));

// ---- ideas -----------------------------------------------------------------------------------

export function useIdeas(filter: { year?: number; status?: string; unit?: string }) {
  return useQuery({
    queryKey: ['ideas', 'list', filter.year ?? '', filter.status ?? '', filter.unit ?? ''],
    queryFn: async ({ signal }) => (await api.get<{ items: Idea[] }>('/api/ideas', { year: filter.year, status: filter.status, unit: filter.unit }, signal)).items,
    placeholderData: keepPreviousData,
  });
}
export function useIdeaSummary(year: number) {
  return useQuery({ queryKey: ['ideas', 'summary', year], queryFn: ({ signal }) => api.get<IdeaSummary>('/api/ideas/summary', { year }, signal), placeholderData: keepPreviousData });
}
export function useSubmitIdea() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (input: z.input<typeof submitIdeaBody>) => api.post<Idea>('/api/ideas', input), onSuccess: () => queryClient.invalidateQueries({ queryKey: ['ideas'] }) });
}
export function useReviewIdea() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: z.input<typeof reviewIdeaBody> & { id: string }) => api.post<Idea>(`/api/ideas/${id}/review`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['ideas'] }),
  });
}

// ---- idle assets -----------------------------------------------------------------------------

export function useIdleAssets() {
  return useQuery({ queryKey: ['idle-assets', 'list'], queryFn: async ({ signal }) => (await api.get<{ items: IdleAsset[] }>('/api/idle-assets', undefined, signal)).items });
}
export function useIdleAssetSummary() {
  return useQuery({ queryKey: ['idle-assets', 'summary'], queryFn: ({ signal }) => api.get<AssetSummary>('/api/idle-assets/summary', undefined, signal) });
}
function useAssetMutation<T>(fn: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  // Also after a failure: a stale version or a disposed asset shows the ledger as it is now.
  return useMutation({ mutationFn: fn, onSettled: () => queryClient.invalidateQueries({ queryKey: ['idle-assets'] }) });
}
export const useCreateAsset = () => useAssetMutation((input: z.input<typeof createAssetBody>) => api.post<IdleAsset>('/api/idle-assets', input));
export const useUpdateAsset = () => useAssetMutation(({ id, ...input }: z.input<typeof putAssetBody> & { id: string }) => api.put<IdleAsset>(`/api/idle-assets/${id}`, input));
export const useSetStep = () => useAssetMutation(({ id, index, done, version }: { id: string; index: number; done: boolean; version: number }) => api.post(`/api/idle-assets/${id}/steps/${index}`, { done, version }));
export const useDispose = () => useAssetMutation(({ id, ...input }: z.input<typeof disposeBody> & { id: string }) => api.post(`/api/idle-assets/${id}/dispose`, input));
