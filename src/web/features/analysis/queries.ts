import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { GroupView } from '../../../server/modules/analysis/analysis.schemas';
import { api } from '../../app/api-client';

export type GroupScope = GroupView['scope'];
export type GroupCell = GroupView['cells'][number];

/** The group's units × indicators for a period: attainment, gaps, records, weak spots. */
export function useGroupView(period: string | undefined, scope: GroupScope) {
  return useQuery({
    queryKey: ['analysis', 'group', period, scope],
    queryFn: ({ signal }) => api.get<GroupView>('/api/analysis/group', { period, scope }, signal),
    enabled: Boolean(period),
    placeholderData: keepPreviousData,
  });
}

/** A unit's or indicator's name in the UI's language. */
export function nameIn(locale: string, name: string, nameEn: string | null | undefined): string {
  return locale === 'en-US' && nameEn ? nameEn : name;
}

/** Where a click on a unit's figure leads: its scorecard for the same period and scope. */
export function scorecardLink(unit: string, period: string, scope: GroupScope): string {
  return `/scorecard?${new URLSearchParams({ unit, period, scope }).toString()}`;
}
