import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  EntryGrid,
  SaveEntryBody,
  missingReport,
  reopenBody,
  returnBody,
  unitPeriodBody,
  workflowResult,
} from '../../../server/modules/measurements/measurements.schemas';
import { api } from '../../app/api-client';
import { hasErrorCode } from '../../app/errors';

const staleGridCodes = ['PERIOD_LOCKED', 'MEASUREMENT_APPROVED', 'MEASUREMENT_SUBMITTED'];

export const entryQueryKey = (unit: string, period: string) => ['entry', unit, period] as const;

export type MissingReport = z.infer<typeof missingReport>;
export type WorkflowResult = z.infer<typeof workflowResult>;
type UnitPeriod = z.infer<typeof unitPeriodBody>;

export function useEntryGrid(unit: string | undefined, period: string | undefined) {
  return useQuery({
    queryKey: entryQueryKey(unit ?? '', period ?? ''),
    queryFn: ({ signal }) => api.get<EntryGrid>('/api/entry', { unit, period }, signal),
    enabled: Boolean(unit && period),
    // What is on screen is what the user edits: no silent refetch under their hands.
    staleTime: Infinity,
  });
}

/** Everything that shows the values of a unit and month: its grid, scorecards, the missing report. */
function useRefreshAfterChange() {
  const queryClient = useQueryClient();
  return (unit: string, period: string) => {
    void queryClient.invalidateQueries({ queryKey: entryQueryKey(unit, period) });
    void queryClient.invalidateQueries({ queryKey: ['scorecard'] });
    void queryClient.invalidateQueries({ queryKey: ['entry-missing'] });
  };
}

export function useSaveEntry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SaveEntryBody) => api.put<EntryGrid>('/api/entry', body),
    onSuccess: (grid) => {
      queryClient.setQueryData(entryQueryKey(grid.unit, grid.period), grid);
      void queryClient.invalidateQueries({ queryKey: ['scorecard'] });
      void queryClient.invalidateQueries({ queryKey: ['entry-missing'] });
    },
    onError: (error, body) => {
      // The grid on screen is out of date (someone closed the month or moved the values on): reload
      // it; the user's edits are kept apart and stay.
      if (staleGridCodes.some((code) => hasErrorCode(error, code))) {
        void queryClient.invalidateQueries({ queryKey: entryQueryKey(body.unit, body.period) });
      }
    },
  });
}

export type WorkflowAction =
  | ({ action: 'submit' | 'approve' } & UnitPeriod)
  | ({ action: 'return' } & z.infer<typeof returnBody>)
  | ({ action: 'reopen' } & z.infer<typeof reopenBody>);

/** Submit, approve, return or reopen a unit's values for a month. */
export function useEntryWorkflow() {
  const refresh = useRefreshAfterChange();
  return useMutation({
    mutationFn: ({ action, ...body }: WorkflowAction) => api.post<WorkflowResult>(`/api/entry/${action}`, body),
    onSettled: (_result, _error, input) => refresh(input.unit, input.period),
  });
}

export function useMissingReport(period: string | undefined, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['entry-missing', period],
    queryFn: ({ signal }) => api.get<MissingReport>('/api/entry/missing', { period }, signal),
    enabled: Boolean(period) && (options.enabled ?? true),
  });
}
