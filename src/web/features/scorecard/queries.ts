import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Scorecard, scorecardQuery } from '../../../server/modules/scorecard/scorecard.schemas';
import { api } from '../../app/api-client';

export type ScorecardScope = z.infer<typeof scorecardQuery>['scope'];

export function useScorecard(unit: string | undefined, period: string | undefined, scope: ScorecardScope) {
  return useQuery({
    queryKey: ['scorecard', unit, period, scope],
    queryFn: ({ signal }) => api.get<Scorecard>('/api/scorecard', { unit, period, scope }, signal),
    enabled: Boolean(unit && period),
    // Keep the last table on screen while another unit or period loads.
    placeholderData: keepPreviousData,
  });
}
