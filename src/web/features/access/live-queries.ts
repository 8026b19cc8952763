import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { denialsResult, liveResult, rollCallResult, trafficResult, vehiclePassagesResult } from '../../../server/modules/access-live/access-live.schemas';
import type { BlockEntry, CreateBlockBody } from '../../../server/modules/block-list/block-list.schemas';
import type { CreateShiftBody, CreateHandoverBody, GenerateRosterBody, Handover, Shift, dutyNow, generateRosterResult, rosterDay } from '../../../server/modules/duty/duty.schemas';
import type { myPasses } from '../../../server/modules/passes/passes.schemas';
import type { PersonList } from '../../../server/modules/people/people.schemas';
import type { Checkpoint, Site } from '../../../server/modules/sites/sites.schemas';
import type { CreateVehicleBody, PatchVehicleBody, Vehicle } from '../../../server/modules/vehicles/vehicles.schemas';
import type { CreateVisitBody, Visit, VisitStatus } from '../../../server/modules/visitors/visitors.schemas';
import { api } from '../../app/api-client';

export type Live = z.infer<typeof liveResult>;
export type LiveSite = Live['sites'][number];
export type Traffic = z.infer<typeof trafficResult>;
export type Denials = z.infer<typeof denialsResult>;
export type Denial = Denials['rows'][number];
export type VehiclePassages = z.infer<typeof vehiclePassagesResult>;
export type VehiclePassage = VehiclePassages['rows'][number];
export type RollCall = z.infer<typeof rollCallResult>;
export type RollCallRow = RollCall['rows'][number];
export type RosterDay = z.infer<typeof rosterDay>;
export type DutyNow = z.infer<typeof dutyNow>;
export type GenerateRosterResult = z.infer<typeof generateRosterResult>;
export type MyPasses = z.infer<typeof myPasses>;
export type { BlockEntry, Checkpoint, CreateBlockBody, CreateHandoverBody, CreateShiftBody, CreateVehicleBody, CreateVisitBody, GenerateRosterBody, Handover, PatchVehicleBody, Shift, Site, Vehicle, Visit, VisitStatus };

/** How often the live views fetch again (the dashboard and the roll-call). */
export const liveRefreshMs = 30_000;

const key = ['accessLive'] as const;
const enc = encodeURIComponent;

// Sites and checkpoints (E1's registry owns editing them; these pages only pick from them).
export function useSites(enabled = true) {
  return useQuery({ queryKey: [...key, 'sites'], queryFn: ({ signal }) => api.get<{ rows: Site[] }>('/api/sites', undefined, signal), enabled, staleTime: 60_000 });
}

export function useCheckpoints(site: string | undefined) {
  return useQuery({
    queryKey: [...key, 'checkpoints', site],
    queryFn: ({ signal }) => api.get<{ rows: Checkpoint[] }>('/api/checkpoints', { site }, signal),
    enabled: Boolean(site),
    staleTime: 60_000,
  });
}

/** People by a prefix of their name or code (pickers of hosts, owners, guards). */
export function usePeopleSearch(q: string, enabled = true) {
  const text = q.trim();
  return useQuery({
    queryKey: [...key, 'people', text],
    queryFn: ({ signal }) => api.get<PersonList>('/api/people', { q: text, page: 1, pageSize: 20 }, signal),
    enabled: enabled && text.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** The person linked to my account (the default host of a visit I register). */
export function useMyPerson() {
  return useQuery({ queryKey: [...key, 'my-person'], queryFn: ({ signal }) => api.get<MyPasses>('/api/my/passes', undefined, signal), staleTime: 5 * 60_000 });
}

// Live views: refetched every 30 s while the page is open.
export function useLive() {
  return useQuery({ queryKey: [...key, 'live'], queryFn: ({ signal }) => api.get<Live>('/api/access/live', undefined, signal), refetchInterval: liveRefreshMs, placeholderData: keepPreviousData });
}

export function useTraffic(site: string | undefined, date: string | undefined) {
  return useQuery({
    queryKey: [...key, 'traffic', site, date ?? ''],
    queryFn: ({ signal }) => api.get<Traffic>('/api/access/traffic', { site, date }, signal),
    enabled: Boolean(site),
    refetchInterval: liveRefreshMs,
    placeholderData: keepPreviousData,
  });
}

export function useDenials(site: string | undefined, date: string | undefined) {
  return useQuery({
    queryKey: [...key, 'denials', site ?? '', date ?? ''],
    queryFn: ({ signal }) => api.get<Denials>('/api/access/denials', { site, from: date, to: date }, signal),
    refetchInterval: liveRefreshMs,
    placeholderData: keepPreviousData,
  });
}

export function useVehiclePassages(site: string | undefined, date: string | undefined) {
  return useQuery({
    queryKey: [...key, 'vehicle-passages', site, date ?? ''],
    queryFn: ({ signal }) => api.get<VehiclePassages>('/api/access/vehicles', { site, date }, signal),
    enabled: Boolean(site),
    refetchInterval: liveRefreshMs,
    placeholderData: keepPreviousData,
  });
}

export function useRollCall(site: string | undefined) {
  return useQuery({
    queryKey: [...key, 'roll-call', site],
    queryFn: ({ signal }) => api.get<RollCall>('/api/access/roll-call', { site }, signal),
    enabled: Boolean(site),
    refetchInterval: liveRefreshMs,
  });
}

// Visits (访客预约).
export interface VisitFilter {
  site?: string;
  status?: VisitStatus;
  date?: string;
  mine?: boolean;
}

export function useVisits(filter: VisitFilter) {
  return useQuery({
    queryKey: [...key, 'visits', filter.site ?? '', filter.status ?? '', filter.date ?? '', filter.mine ? 'mine' : ''],
    queryFn: ({ signal }) => api.get<{ rows: Visit[] }>('/api/visits', { site: filter.site, status: filter.status, date: filter.date, mine: filter.mine ? 'true' : undefined }, signal),
    placeholderData: keepPreviousData,
  });
}

function useInvalidate(part: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: [...key, part] });
}

export function useCreateVisit() {
  const invalidate = useInvalidate('visits');
  return useMutation({ mutationFn: (body: CreateVisitBody) => api.post<Visit>('/api/visits', body), onSuccess: invalidate });
}

export function useDecideVisit() {
  const invalidate = useInvalidate('visits');
  return useMutation({
    mutationFn: (p: { id: string; decision: 'approve' | 'reject'; note?: string }) => api.post<Visit>(`/api/visits/${enc(p.id)}/${p.decision}`, p.note ? { note: p.note } : {}),
    onSuccess: invalidate,
  });
}

/** The address of a pass's QR image. */
export const passQrUrl = (passId: string) => `/api/passes/${enc(passId)}/qr.png`;

// Block list (禁止通行名单).
export function useBlockList(site: string | undefined, removed: boolean) {
  return useQuery({
    queryKey: [...key, 'block-list', site ?? '', removed],
    queryFn: ({ signal }) => api.get<{ rows: BlockEntry[] }>('/api/block-list', { site, removed: removed ? 'true' : undefined }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useAddBlock() {
  const invalidate = useInvalidate('block-list');
  return useMutation({ mutationFn: (body: CreateBlockBody) => api.post<BlockEntry>('/api/block-list', body), onSuccess: invalidate });
}

export function useRemoveBlock() {
  const invalidate = useInvalidate('block-list');
  return useMutation({ mutationFn: (p: { id: string; reason: string }) => api.post<BlockEntry>(`/api/block-list/${enc(p.id)}/remove`, { reason: p.reason }), onSuccess: invalidate });
}

// Vehicles (车辆).
export function useVehicles(site: string | undefined) {
  return useQuery({
    queryKey: [...key, 'vehicles', site ?? ''],
    queryFn: ({ signal }) => api.get<{ rows: Vehicle[] }>('/api/vehicles', { site }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useSaveVehicle() {
  const invalidate = useInvalidate('vehicles');
  return useMutation({
    mutationFn: (p: { create: CreateVehicleBody } | { plate: string; patch: PatchVehicleBody }) =>
      'create' in p ? api.post<Vehicle>('/api/vehicles', p.create) : api.patch<Vehicle>(`/api/vehicles/${enc(p.plate)}`, p.patch),
    onSuccess: invalidate,
  });
}

// Duty (值班): shifts, the roster, who is on duty now, handover notes.
export function useShifts(site: string | undefined) {
  return useQuery({
    queryKey: [...key, 'duty', 'shifts', site],
    queryFn: ({ signal }) => api.get<{ rows: Shift[] }>(`/api/sites/${enc(site!)}/shifts`, undefined, signal),
    enabled: Boolean(site),
  });
}

export function useCreateShift() {
  const invalidate = useInvalidate('duty');
  return useMutation({ mutationFn: (p: { site: string; body: CreateShiftBody }) => api.post<Shift>(`/api/sites/${enc(p.site)}/shifts`, p.body), onSuccess: invalidate });
}

export function useRoster(site: string | undefined, date: string | undefined) {
  return useQuery({
    queryKey: [...key, 'duty', 'roster', site, date ?? ''],
    queryFn: ({ signal }) => api.get<RosterDay>('/api/duty/roster', { site, date }, signal),
    enabled: Boolean(site),
    placeholderData: keepPreviousData,
  });
}

export function useDutyNow(site: string | undefined) {
  return useQuery({
    queryKey: [...key, 'duty', 'now', site],
    queryFn: ({ signal }) => api.get<DutyNow>('/api/duty/now', { site }, signal),
    enabled: Boolean(site),
    refetchInterval: 60_000,
  });
}

export function useGenerateRoster() {
  const invalidate = useInvalidate('duty');
  return useMutation({ mutationFn: (body: GenerateRosterBody) => api.post<GenerateRosterResult>('/api/duty/roster/generate', body), onSuccess: invalidate });
}

export function useHandovers(site: string | undefined) {
  return useQuery({
    queryKey: [...key, 'duty', 'handovers', site],
    queryFn: ({ signal }) => api.get<{ rows: Handover[] }>('/api/duty/handovers', { site }, signal),
    enabled: Boolean(site),
  });
}

export function useAddHandover() {
  const invalidate = useInvalidate('duty');
  return useMutation({ mutationFn: (body: CreateHandoverBody) => api.post<Handover>('/api/duty/handovers', body), onSuccess: invalidate });
}
