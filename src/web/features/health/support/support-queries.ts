import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Briefing, BriefingHistory } from '../../../../server/modules/health-briefing/briefing.schemas';
import type { CreateDonationBody, Donation, DonationList } from '../../../../server/modules/health-supplies/donations.schemas';
import type { CreatePointBody, PublicPoints, PutPointBody, SupplyPoint } from '../../../../server/modules/health-supplies/supply-points.schemas';
import type {
  AdjustmentBody,
  CreateSupplyBody,
  DistributionBody,
  DistributionSummary,
  Movement,
  Purchase,
  PurchaseBody,
  PurchaseCreated,
  Supply,
} from '../../../../server/modules/health-supplies/supplies.schemas';
import type { CreateVolunteerBody, PutVolunteerBody, Volunteer } from '../../../../server/modules/health-supplies/volunteers.schemas';
import type { IncidentView } from '../../../../server/modules/health-incidents/incidents.schemas';
import type { Checkpoint, Site } from '../../../../server/modules/sites/sites.schemas';
import type { Unit } from '../../../../server/modules/units/units.schemas';
import { api } from '../../../app/api-client';

export type {
  AdjustmentBody,
  Briefing,
  BriefingHistory,
  Checkpoint,
  CreateDonationBody,
  CreatePointBody,
  CreateSupplyBody,
  CreateVolunteerBody,
  DistributionBody,
  DistributionSummary,
  Donation,
  DonationList,
  IncidentView,
  Movement,
  PublicPoints,
  Purchase,
  PurchaseBody,
  PurchaseCreated,
  PutPointBody,
  PutVolunteerBody,
  Site,
  Supply,
  SupplyPoint,
  Unit,
  Volunteer,
};
export type OpeningWindow = SupplyPoint['openingHours'][number];

const key = ['healthSupport'] as const;
const enc = encodeURIComponent;

function useInvalidate(...parts: string[]) {
  const client = useQueryClient();
  return () => Promise.all(parts.map((part) => client.invalidateQueries({ queryKey: [...key, part] })));
}

// ---- the daily briefing (碰头会日报) ------------------------------------------------------------

/** One day's briefing; without a date the server picks yesterday (within the incident's days). */
export function useBriefing(date: string | undefined, incident: string | undefined) {
  return useQuery({
    queryKey: [...key, 'briefing', date ?? '', incident ?? ''],
    queryFn: ({ signal }) => api.get<Briefing>('/api/health/briefings/daily', { date, incident }, signal),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** The stored briefings of the incident (one row a day), for the history chart. */
export function useBriefingHistory(incident: string | undefined) {
  return useQuery({
    queryKey: [...key, 'briefing-history', incident ?? ''],
    queryFn: ({ signal }) => api.get<BriefingHistory>('/api/health/briefings', { incident }, signal),
    retry: false,
    staleTime: 60_000,
  });
}

export const briefingXlsxPath = '/api/health/briefings/daily.xlsx';

/** Every incident (to read an earlier one's briefings). */
export function useIncidents() {
  return useQuery({ queryKey: [...key, 'incidents'], queryFn: ({ signal }) => api.get<{ rows: IncidentView[] }>('/api/health/incidents', undefined, signal), staleTime: 60_000 });
}

// ---- supplies (防疫物资) ------------------------------------------------------------------------

export function useSupplies() {
  return useQuery({ queryKey: [...key, 'supplies'], queryFn: ({ signal }) => api.get<{ rows: Supply[] }>('/api/health/supplies', undefined, signal) });
}

export function useCreateSupply() {
  const invalidate = useInvalidate('supplies');
  return useMutation({ mutationFn: (body: CreateSupplyBody) => api.post<Supply>('/api/health/supplies', body), onSuccess: invalidate });
}

export function usePurchases(supply: string | undefined) {
  return useQuery({
    queryKey: [...key, 'purchases', supply ?? ''],
    queryFn: ({ signal }) => api.get<{ rows: Purchase[] }>('/api/health/supplies/purchases', { supply }, signal),
    placeholderData: keepPreviousData,
  });
}

/** A purchase, a distribution or an adjustment changes the stock, the movements and the summaries. */
const stockParts = ['supplies', 'purchases', 'movements', 'distribution-summary', 'briefing'];

export function useCreatePurchase() {
  const invalidate = useInvalidate(...stockParts);
  return useMutation({ mutationFn: (body: PurchaseBody) => api.post<PurchaseCreated>('/api/health/supplies/purchases', body), onSuccess: invalidate });
}

export function useDistribute() {
  const invalidate = useInvalidate(...stockParts);
  return useMutation({ mutationFn: (body: DistributionBody) => api.post<Movement>('/api/health/supplies/distributions', body), onSuccess: invalidate });
}

export function useAdjust() {
  const invalidate = useInvalidate(...stockParts);
  return useMutation({ mutationFn: (body: AdjustmentBody) => api.post<Movement>('/api/health/supplies/adjustments', body), onSuccess: invalidate });
}

/** The movements of one supply with its running balance; of every supply when none is named. */
export function useMovements(supply: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...key, 'movements', supply ?? ''],
    queryFn: ({ signal }) => api.get<{ rows: Movement[] }>('/api/health/supplies/movements', { supply }, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useDistributionSummary(from: string | undefined, to: string | undefined) {
  return useQuery({
    queryKey: [...key, 'distribution-summary', from ?? '', to ?? ''],
    queryFn: ({ signal }) => api.get<DistributionSummary>('/api/health/supplies/distribution-summary', { from, to }, signal),
    placeholderData: keepPreviousData,
  });
}

// ---- supply points (供应点) -------------------------------------------------------------------

export function useSupplyPoints(site: string | undefined, withInactive: boolean) {
  return useQuery({
    queryKey: [...key, 'supply-points', site ?? '', withInactive],
    queryFn: ({ signal }) => api.get<{ rows: SupplyPoint[] }>('/api/health/supply-points', { site, active: withInactive ? undefined : 'true' }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useSavePoint() {
  const invalidate = useInvalidate('supply-points', 'public-points');
  return useMutation({
    mutationFn: (p: { create: CreatePointBody } | { id: string; put: PutPointBody }) =>
      'create' in p ? api.post<SupplyPoint>('/api/health/supply-points', p.create) : api.put<SupplyPoint>(`/api/health/supply-points/${enc(p.id)}`, p.put),
    onSuccess: invalidate,
  });
}

export function useDeactivatePoint() {
  const invalidate = useInvalidate('supply-points', 'public-points');
  return useMutation({
    mutationFn: (p: { id: string; version: number }) => api.post<SupplyPoint>(`/api/health/supply-points/${enc(p.id)}/deactivate`, { version: p.version }),
    onSuccess: invalidate,
  });
}

/** The public list (no sign-in); fetched again every minute so that "open now" stays true. */
export function usePublicPoints() {
  return useQuery({
    queryKey: [...key, 'public-points'],
    queryFn: ({ signal }) => api.get<PublicPoints>('/api/public/supply-points', undefined, signal),
    refetchInterval: 60_000,
    placeholderData: keepPreviousData,
  });
}

// ---- donations (捐款) and volunteers (志愿者) ----------------------------------------------------

export function useDonations(from: string | undefined, to: string | undefined) {
  return useQuery({
    queryKey: [...key, 'donations', from ?? '', to ?? ''],
    queryFn: ({ signal }) => api.get<DonationList>('/api/health/donations', { from, to }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCreateDonation() {
  const invalidate = useInvalidate('donations', 'briefing');
  return useMutation({ mutationFn: (body: CreateDonationBody) => api.post<Donation>('/api/health/donations', body), onSuccess: invalidate });
}

export function useVolunteers(site: string | undefined, withInactive: boolean) {
  return useQuery({
    queryKey: [...key, 'volunteers', site ?? '', withInactive],
    queryFn: ({ signal }) => api.get<{ rows: Volunteer[] }>('/api/health/volunteers', { site, active: withInactive ? undefined : 'true' }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useSaveVolunteer() {
  const invalidate = useInvalidate('volunteers');
  return useMutation({
    mutationFn: (p: { create: CreateVolunteerBody } | { id: string; put: PutVolunteerBody }) =>
      'create' in p ? api.post<Volunteer>('/api/health/volunteers', p.create) : api.put<Volunteer>(`/api/health/volunteers/${enc(p.id)}`, p.put),
    onSuccess: invalidate,
  });
}

// ---- what the forms pick from (other features own editing them) ----------------------------

export function useSites() {
  return useQuery({ queryKey: [...key, 'sites'], queryFn: ({ signal }) => api.get<{ rows: Site[] }>('/api/sites', undefined, signal), staleTime: 5 * 60_000 });
}

export function useUnits() {
  return useQuery({ queryKey: [...key, 'units'], queryFn: ({ signal }) => api.get<{ items: Unit[] }>('/api/units', undefined, signal), staleTime: 5 * 60_000 });
}

export function useCheckpoints() {
  return useQuery({ queryKey: [...key, 'checkpoints'], queryFn: ({ signal }) => api.get<{ rows: Checkpoint[] }>('/api/checkpoints', undefined, signal), staleTime: 5 * 60_000 });
}
