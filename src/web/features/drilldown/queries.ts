import { useQueries, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { z } from 'zod';
import type { measurementDetail } from '../../../server/modules/measurements/measurements.schemas';
import { api } from '../../app/api-client';

/** Where one month's number comes from: value, status, source, who, formula inputs and history. */
export type MeasurementDetail = z.infer<typeof measurementDetail>;

const detailQuery = (unit: string, indicator: string, period: string) => ({
  queryKey: ['drilldown', unit, indicator, period] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => api.get<MeasurementDetail>('/api/entry/detail', { unit, indicator, period }, signal),
});

/** One month of a unit's indicator, explained. */
export function useMeasurementDetail(unit: string, indicator: string, period: string) {
  return useQuery(detailQuery(unit, indicator, period));
}

export interface WindowDetails {
  /** Every month's detail, in the months' order, once all have arrived. */
  data: MeasurementDetail[] | undefined;
  isError: boolean;
  error: unknown;
  refetch: () => void;
}

function combineDetails(results: UseQueryResult<MeasurementDetail>[]): WindowDetails {
  const failed = results.find((result) => result.isError);
  return {
    data: results.every((result) => result.data) ? results.map((result) => result.data!) : undefined,
    isError: Boolean(failed),
    error: failed?.error ?? null,
    refetch: () => {
      for (const result of results) if (result.isError) void result.refetch();
    },
  };
}

/**
 * The months of a quarter or a year to date, each explained. The API explains one month at a
 * time; a window has at most twelve.
 */
export function useWindowDetails(unit: string, indicator: string, months: readonly string[]): WindowDetails {
  return useQueries({ queries: months.map((month) => detailQuery(unit, indicator, month)), combine: combineDetails });
}
