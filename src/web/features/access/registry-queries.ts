import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreatedDevice, DeviceRow } from '../../../server/modules/gate/gate.schemas';
import type { CreatePassBody, MyPasses, Pass, PassPage, PassStatus } from '../../../server/modules/passes/passes.schemas';
import type { CreatePersonBody, Person, PersonCategory, PersonList, UpdatePersonBody } from '../../../server/modules/people/people.schemas';
import type {
  Building,
  Checkpoint,
  CreateCheckpointBody,
  CreateGridCellBody,
  CreateSiteBody,
  GridCell,
  Household,
  PatchCheckpointBody,
  PatchGridCellBody,
  PatchSiteBody,
  Site,
} from '../../../server/modules/sites/sites.schemas';
import { api, type QueryParams } from '../../app/api-client';

export type { Building, Checkpoint, CreatedDevice, DeviceRow, GridCell, Household, MyPasses, Pass, PassStatus, Person, PersonCategory, Site };

const key = ['accessRegistry'] as const;
const enc = encodeURIComponent;

// ---- sites, their parts, checkpoints and devices -------------------------------------------

export function useSites() {
  return useQuery({ queryKey: [...key, 'sites'], queryFn: ({ signal }) => api.get<{ rows: Site[] }>('/api/sites', undefined, signal) });
}

export function useSite(code: string | undefined) {
  return useQuery({ queryKey: [...key, 'site', code], queryFn: ({ signal }) => api.get<Site>(`/api/sites/${enc(code!)}`, undefined, signal), enabled: Boolean(code) });
}

export function useGridCells(site: string) {
  return useQuery({ queryKey: [...key, 'site', site, 'grid-cells'], queryFn: ({ signal }) => api.get<{ rows: GridCell[] }>(`/api/sites/${enc(site)}/grid-cells`, undefined, signal) });
}

export function useBuildings(site: string) {
  return useQuery({ queryKey: [...key, 'site', site, 'buildings'], queryFn: ({ signal }) => api.get<{ rows: Building[] }>(`/api/sites/${enc(site)}/buildings`, undefined, signal) });
}

export function useHouseholds(site: string, building?: string) {
  return useQuery({
    queryKey: [...key, 'site', site, 'households', building ?? ''],
    queryFn: ({ signal }) => api.get<{ rows: Household[] }>(`/api/sites/${enc(site)}/households`, { building }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCheckpoints(site: string) {
  return useQuery({ queryKey: [...key, 'site', site, 'checkpoints'], queryFn: ({ signal }) => api.get<{ rows: Checkpoint[] }>('/api/checkpoints', { site }, signal) });
}

export function useDevices(checkpoint: string) {
  return useQuery({ queryKey: [...key, 'devices', checkpoint], queryFn: ({ signal }) => api.get<{ rows: DeviceRow[] }>(`/api/checkpoints/${enc(checkpoint)}/devices`, undefined, signal) });
}

/** After a change to a site or its parts: the sites list and everything of that site. */
function useInvalidateSites() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ predicate: (q) => q.queryKey[0] === key[0] && (q.queryKey[1] === 'sites' || q.queryKey[1] === 'site' || q.queryKey[1] === 'devices') });
}

export function useCreateSite() {
  const invalidate = useInvalidateSites();
  return useMutation({ mutationFn: (body: CreateSiteBody) => api.post<Site>('/api/sites', body), onSuccess: invalidate });
}

export function usePatchSite() {
  const invalidate = useInvalidateSites();
  return useMutation({ mutationFn: ({ code, body }: { code: string; body: PatchSiteBody }) => api.patch<Site>(`/api/sites/${enc(code)}`, body), onSuccess: invalidate });
}

export function useCreateGridCell(site: string) {
  const invalidate = useInvalidateSites();
  return useMutation({ mutationFn: (body: CreateGridCellBody) => api.post<GridCell>(`/api/sites/${enc(site)}/grid-cells`, body), onSuccess: invalidate });
}

export function usePatchGridCell(site: string) {
  const invalidate = useInvalidateSites();
  return useMutation({ mutationFn: ({ cell, body }: { cell: string; body: PatchGridCellBody }) => api.patch<GridCell>(`/api/sites/${enc(site)}/grid-cells/${enc(cell)}`, body), onSuccess: invalidate });
}

export function useCreateBuilding(site: string) {
  const invalidate = useInvalidateSites();
  return useMutation({ mutationFn: (body: { code: string; name: string; gridCell: string | null }) => api.post<Building>(`/api/sites/${enc(site)}/buildings`, body), onSuccess: invalidate });
}

export function useCreateHousehold(site: string) {
  const invalidate = useInvalidateSites();
  return useMutation({ mutationFn: (body: { code: string; building: string | null }) => api.post<Household>(`/api/sites/${enc(site)}/households`, body), onSuccess: invalidate });
}

export function useCreateCheckpoint() {
  const invalidate = useInvalidateSites();
  return useMutation({ mutationFn: (body: CreateCheckpointBody) => api.post<Checkpoint>('/api/checkpoints', body), onSuccess: invalidate });
}

export function usePatchCheckpoint() {
  const invalidate = useInvalidateSites();
  return useMutation({ mutationFn: ({ code, body }: { code: string; body: PatchCheckpointBody }) => api.patch<Checkpoint>(`/api/checkpoints/${enc(code)}`, body), onSuccess: invalidate });
}

export function useCreateDevice() {
  const invalidate = useInvalidateSites();
  return useMutation({ mutationFn: ({ checkpoint, name }: { checkpoint: string; name: string }) => api.post<CreatedDevice>(`/api/checkpoints/${enc(checkpoint)}/devices`, { name }), onSuccess: invalidate });
}

export function useRevokeDevice() {
  const invalidate = useInvalidateSites();
  return useMutation({ mutationFn: (id: string) => api.post<DeviceRow>(`/api/devices/${enc(id)}/revoke`), onSuccess: invalidate });
}

// ---- people ---------------------------------------------------------------------------------

export interface PeopleFilter {
  q?: string;
  idNumber?: string;
  phone?: string;
  site?: string;
  household?: string;
  category?: PersonCategory;
  page: number;
  pageSize: number;
}

export function usePeople(filter: PeopleFilter, enabled = true) {
  const query: QueryParams = { ...filter };
  return useQuery({
    queryKey: [...key, 'people', filter],
    queryFn: ({ signal }) => api.get<PersonList>('/api/people', query, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function usePerson(id: string | undefined) {
  return useQuery({ queryKey: [...key, 'person', id], queryFn: ({ signal }) => api.get<Person>(`/api/people/${enc(id!)}`, undefined, signal), enabled: Boolean(id) });
}

/** People whose name or code starts with `q` (the proxy and grid-worker pickers). */
export function usePeopleLookup(q: string) {
  return useQuery({
    queryKey: [...key, 'people-lookup', q],
    queryFn: ({ signal }) => api.get<PersonList>('/api/people', { q, page: 1, pageSize: 20 }, signal),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}

function useInvalidatePeople() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ predicate: (q) => q.queryKey[0] === key[0] && (q.queryKey[1] === 'people' || q.queryKey[1] === 'person' || q.queryKey[1] === 'sites' || q.queryKey[1] === 'site') });
}

export function useCreatePerson() {
  const invalidate = useInvalidatePeople();
  return useMutation({ mutationFn: (body: CreatePersonBody) => api.post<Person>('/api/people', body), onSuccess: invalidate });
}

export function useUpdatePerson() {
  const invalidate = useInvalidatePeople();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: UpdatePersonBody }) => api.patch<Person>(`/api/people/${enc(id)}`, body), onSuccess: invalidate });
}

/** The full ID number or phone, with a reason (audited on the server); never cached. */
export function useUnmask() {
  return useMutation({ mutationFn: ({ id, field, reason }: { id: string; field: 'idNumber' | 'phone'; reason: string }) => api.post<{ value: string }>(`/api/people/${enc(id)}/unmask`, { field, reason }) });
}

// ---- passes ---------------------------------------------------------------------------------

export interface PassFilter {
  person?: string;
  site?: string;
  status?: PassStatus;
  page?: number;
  pageSize?: number;
}

export function usePasses(filter: PassFilter, enabled = true) {
  const query: QueryParams = { ...filter };
  return useQuery({
    queryKey: [...key, 'passes', filter],
    queryFn: ({ signal }) => api.get<PassPage>('/api/passes', query, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Passes by id (the print sheet's `?ids=`), fetched one by one. */
export function usePassesByIds(ids: string[]) {
  return useQuery({
    queryKey: [...key, 'passes-by-id', ids],
    queryFn: ({ signal }) => Promise.all(ids.map((id) => api.get<Pass>(`/api/passes/${enc(id)}`, undefined, signal))),
    enabled: ids.length > 0,
  });
}

export function useMyPasses() {
  return useQuery({ queryKey: [...key, 'my-passes'], queryFn: ({ signal }) => api.get<MyPasses>('/api/my/passes', undefined, signal) });
}

function useInvalidatePasses() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ predicate: (q) => q.queryKey[0] === key[0] && typeof q.queryKey[1] === 'string' && q.queryKey[1].startsWith('passes') });
}

export function useCreatePass() {
  const invalidate = useInvalidatePasses();
  return useMutation({ mutationFn: (body: CreatePassBody) => api.post<Pass>('/api/passes', body), onSuccess: invalidate });
}

export type PassAction = 'revoke' | 'suspend' | 'reactivate';

export function usePassAction() {
  const invalidate = useInvalidatePasses();
  return useMutation({
    mutationFn: ({ pass, action, reason }: { pass: Pass; action: PassAction; reason?: string }) =>
      api.post<Pass>(`/api/passes/${enc(pass.id)}/${action}`, action === 'reactivate' ? { version: pass.version } : { reason: reason ?? '', version: pass.version }),
    onSuccess: invalidate,
  });
}

/** The QR image of a pass (served by the API with the session cookie). */
export const passQrUrl = (id: string) => `/api/passes/${enc(id)}/qr.png`;
