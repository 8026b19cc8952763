import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { confirmResult, consumptionResult, feedList, qualityResult, queueStatus } from '../../../server/modules/energy/consumption.schemas';
import type { ingestResult, meterDetail, meterList, readingList } from '../../../server/modules/energy/energy.schemas';
import type { AnomalyRow } from '../../../server/modules/energy/anomalies.schemas';
import type { Overview } from '../../../server/modules/energy/overview.schemas';
import { api } from '../../app/api-client';

export type Meter = z.infer<typeof meterList>['rows'][number];
export type MeterDetail = z.infer<typeof meterDetail>;
export type ReadingList = z.infer<typeof readingList>;
export type IngestResult = z.infer<typeof ingestResult>;
export type Consumption = z.infer<typeof consumptionResult>;
export type Grain = Consumption['interval'];
export type Quality = z.infer<typeof qualityResult>;
export type QualityDay = Quality['meters'][number]['days'][number];
export type ConfirmResult = z.infer<typeof confirmResult>;
export type Feed = z.infer<typeof feedList>['rows'][number];
export type QueueStatus = z.infer<typeof queueStatus>;
export type { Overview };
export type Carrier = Meter['carrier'];

/** An anomaly of the energy detection (EN_DRIFT: regression baseline + CUSUM; EN_CHART: control chart on per-tonne) with its evidence. */
export type Anomaly = AnomalyRow;

const key = ['energy'] as const;

export function useMeters(unit?: string) {
  return useQuery({ queryKey: [...key, 'meters', unit ?? ''], queryFn: ({ signal }) => api.get<{ rows: Meter[] }>('/api/energy/meters', { unit }, signal) });
}

export function useMeter(code: string | undefined) {
  return useQuery({
    queryKey: [...key, 'meter', code],
    queryFn: ({ signal }) => api.get<MeterDetail>(`/api/energy/meters/${encodeURIComponent(code!)}`, undefined, signal),
    enabled: Boolean(code),
  });
}

export function useReadings(meter: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: [...key, 'readings', meter, from, to],
    queryFn: ({ signal }) => api.get<ReadingList>('/api/energy/readings', { meter, from, to, limit: 10_000 }, signal),
    enabled: Boolean(meter),
    placeholderData: keepPreviousData,
  });
}

export function useConsumption(meter: string | undefined, from: string, to: string, interval: Grain) {
  return useQuery({
    queryKey: [...key, 'consumption', meter, from, to, interval],
    queryFn: ({ signal }) => api.get<Consumption>('/api/energy/consumption', { meter, from, to, interval }, signal),
    enabled: Boolean(meter),
    placeholderData: keepPreviousData,
  });
}

export function useQuality(unit: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: [...key, 'quality', unit, from, to],
    queryFn: ({ signal }) => api.get<Quality>('/api/energy/quality', { unit, from, to }, signal),
    enabled: Boolean(unit),
    placeholderData: keepPreviousData,
  });
}

export function useOverview(unit: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: [...key, 'overview', unit ?? '', from, to],
    queryFn: ({ signal }) => api.get<Overview>('/api/energy/overview', { unit, from, to }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useFeeds() {
  return useQuery({ queryKey: [...key, 'feeds'], queryFn: ({ signal }) => api.get<{ rows: Feed[] }>('/api/energy/feeds', undefined, signal) });
}

export function useAnomalies(unit?: string, state?: string) {
  return useQuery({
    queryKey: [...key, 'anomalies', unit ?? '', state ?? ''],
    queryFn: ({ signal }) => api.get<{ rows: Anomaly[] }>('/api/energy/anomalies', { unit, state }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useAnomaly(id: string | undefined) {
  return useQuery({
    queryKey: [...key, 'anomaly', id],
    queryFn: ({ signal }) => api.get<Anomaly>(`/api/energy/anomalies/${encodeURIComponent(id!)}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/**
 * Days still waiting to be recomputed after an upload (the server works through them in the
 * background). Polls every 2 s while some are left; when the last is done the energy figures on
 * screen are fetched again.
 */
export function useQueue(enabled = true) {
  const client = useQueryClient();
  const queueKey = [...key, 'queue'];
  return useQuery({
    queryKey: queueKey,
    queryFn: async ({ signal }) => {
      const before = client.getQueryData<QueueStatus>(queueKey);
      const status = await api.get<QueueStatus>('/api/energy/queue', undefined, signal);
      if (before && before.pendingDays > 0 && status.pendingDays === 0) {
        void client.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'energy' && q.queryKey[1] !== 'queue' });
      }
      return status;
    },
    enabled,
    refetchInterval: (query) => ((query.state.data?.pendingDays ?? 0) > 0 ? 2000 : false),
  });
}

export function useUploadReadings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api.upload<IngestResult>('/api/energy/readings/csv', form);
    },
    onSuccess: (result) => {
      if (result.pendingDays > 0) client.setQueryData<QueueStatus>([...key, 'queue'], { pendingDays: result.pendingDays });
      return client.invalidateQueries({ queryKey: key });
    },
  });
}

export function useConfirmDay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (p: { meter: string; day: string; reason: string }) =>
      api.post<ConfirmResult>(`/api/energy/daily/${encodeURIComponent(p.meter)}/${p.day}/confirm`, { reason: p.reason }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}
