import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { DeclarationBody, DeclarationList, DeclarationResult, DeclarationRow, MyDeclarations, PersonTrend, RemindBody, RemindResult } from '../../../../server/modules/health-declarations/declarations.schemas';
import type { CreateIncidentBody, IncidentView, PatchIncidentBody, PurgeReport } from '../../../../server/modules/health-incidents/incidents.schemas';
import type {
  ContestView,
  CreateRuleBody,
  DecideBody,
  DecideResult,
  RuleTestBody,
  RuleView,
  StatusView,
  UpdateRuleBody,
  recomputeResult,
  ruleWriteResult,
  statusResultSchema,
} from '../../../../server/modules/health-status/status.schemas';
import type { CreateRiskAreaBody, RiskAreaView, UpdateRiskAreaBody, importRiskAreasResult } from '../../../../server/modules/health-travel/risk-areas.schemas';
import type { DecideScreeningBody, ScreeningStatus, ScreeningView, decideScreeningResult, screeningList } from '../../../../server/modules/health-travel/screenings.schemas';
import type { StayBody, SubmitTravelResult, TravelHistory, TravelRecordView, Transport } from '../../../../server/modules/health-travel/travel.schemas';
import { api, type QueryParams } from '../../../app/api-client';

export type {
  ContestView,
  CreateIncidentBody,
  CreateRiskAreaBody,
  CreateRuleBody,
  DeclarationBody,
  DeclarationList,
  DeclarationResult,
  DeclarationRow,
  DecideBody,
  IncidentView,
  MyDeclarations,
  PatchIncidentBody,
  PersonTrend,
  PurgeReport,
  RiskAreaView,
  RuleTestBody,
  RuleView,
  ScreeningStatus,
  ScreeningView,
  StatusView,
  StayBody,
  TravelHistory,
  TravelRecordView,
  Transport,
};
export type HealthColour = StatusView['status'];
export type RiskLevel = RiskAreaView['level'];
export type RuleTestResult = z.infer<typeof statusResultSchema>;
export type RuleWriteResult = z.infer<typeof ruleWriteResult>;
export type RecomputeResult = z.infer<typeof recomputeResult>;
export type ScreeningList = z.infer<typeof screeningList>;
export type ScreeningDecision = z.infer<typeof decideScreeningResult>;
export type ScreeningItem = ScreeningView['items'][number];
export type ImportRiskAreasResult = z.infer<typeof importRiskAreasResult>;
export type DeclarationState = 'missing' | 'declared' | 'all';

const key = ['healthCare'] as const;
const enc = encodeURIComponent;

/** After any health write: everything of these pages may show it (statuses follow declarations, rules, contests). */
function useInvalidateCare() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ predicate: (q) => q.queryKey[0] === key[0] || q.queryKey[0] === 'healthCases' });
}

// ---- incidents ----------------------------------------------------------------------------------

/** The active incident (emergency mode on), or null when it is off. */
export function useActiveIncident() {
  return useQuery({ queryKey: [...key, 'incident-active'], queryFn: ({ signal }) => api.get<IncidentView | null>('/api/health/incidents/active', undefined, signal), staleTime: 60_000 });
}

export function useIncidents() {
  return useQuery({ queryKey: [...key, 'incidents'], queryFn: ({ signal }) => api.get<{ rows: IncidentView[] }>('/api/health/incidents', undefined, signal) });
}

export function usePurgeReports(id: string | undefined) {
  return useQuery({
    queryKey: [...key, 'purges', id],
    queryFn: ({ signal }) => api.get<{ rows: PurgeReport[] }>(`/api/health/incidents/${enc(id!)}/purges`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useCreateIncident() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: (body: CreateIncidentBody) => api.post<IncidentView>('/api/health/incidents', body), onSuccess: invalidate });
}

export function usePatchIncident() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: PatchIncidentBody }) => api.patch<IncidentView>(`/api/health/incidents/${enc(id)}`, body), onSuccess: invalidate });
}

export function useCloseIncident() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: ({ id, name }: { id: string; name: string }) => api.post<IncidentView>(`/api/health/incidents/${enc(id)}/close`, { name }), onSuccess: invalidate });
}

export function usePurgeIncident() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: ({ id, dryRun }: { id: string; dryRun: boolean }) => api.post<PurgeReport>(`/api/health/incidents/${enc(id)}/purge`, { dryRun }), onSuccess: invalidate });
}

// ---- my health card -----------------------------------------------------------------------------

export function useMyDeclarations() {
  return useQuery({ queryKey: [...key, 'mine'], queryFn: ({ signal }) => api.get<MyDeclarations>('/api/health/declarations/mine', undefined, signal) });
}

/** My status explained (only for an account linked to a person: the server answers 404 NO_PERSON otherwise). */
export function useMyStatus() {
  return useQuery({ queryKey: [...key, 'status-mine'], queryFn: ({ signal }) => api.get<StatusView>('/api/health/status/mine', undefined, signal) });
}

/** A person's status explained (health.read). */
export function usePersonStatus(code: string | undefined) {
  return useQuery({ queryKey: [...key, 'status', code], queryFn: ({ signal }) => api.get<StatusView>(`/api/health/status/${enc(code!)}`, undefined, signal), enabled: Boolean(code) });
}

export function useDeclare() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: (body: DeclarationBody) => api.post<DeclarationResult>('/api/health/declarations', body), onSuccess: invalidate });
}

export function useMyTravel(enabled: boolean) {
  return useQuery({ queryKey: [...key, 'travel-mine'], queryFn: ({ signal }) => api.get<TravelHistory>('/api/health/travel/mine', undefined, signal), enabled });
}

export function useSubmitTravel() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: (body: { person: string; stays: StayBody[] }) => api.post<SubmitTravelResult>('/api/health/travel', body), onSuccess: invalidate });
}

export function useDeleteStay() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/health/travel/${enc(id)}`), onSuccess: invalidate });
}

export function useSubmitContest() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: (body: { person: string; reason: string }) => api.post<ContestView>('/api/health/contests', body), onSuccess: invalidate });
}

// ---- the grid worker's declarations list ---------------------------------------------------------

export interface DeclarationFilter {
  date?: string;
  site?: string;
  grid?: string;
  state: DeclarationState;
  q?: string;
  page: number;
  pageSize: number;
}

export function useDeclarationList(filter: DeclarationFilter) {
  const query: QueryParams = { ...filter };
  return useQuery({
    queryKey: [...key, 'declarations', filter],
    queryFn: ({ signal }) => api.get<DeclarationList>('/api/health/declarations', query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRemind() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: (body: RemindBody) => api.post<RemindResult>('/api/health/declarations/remind', body), onSuccess: invalidate });
}

export function usePersonTrend(code: string | undefined) {
  return useQuery({
    queryKey: [...key, 'trend', code],
    queryFn: ({ signal }) => api.get<PersonTrend>(`/api/health/people/${enc(code!)}/declarations`, { days: 30 }, signal),
    enabled: Boolean(code),
  });
}

/** Grid cells of a site (for the declarations filter). */
export function useGridCells(site: string | undefined) {
  return useQuery({
    queryKey: [...key, 'grid-cells', site],
    queryFn: ({ signal }) => api.get<{ rows: { code: string; name: string }[] }>(`/api/sites/${enc(site!)}/grid-cells`, undefined, signal),
    enabled: Boolean(site),
    staleTime: 5 * 60_000,
  });
}

// ---- returning-staff screening ---------------------------------------------------------------------

export function useScreenings(filter: { status: ScreeningStatus | 'all'; site?: string; q?: string }) {
  const query: QueryParams = { ...filter };
  return useQuery({
    queryKey: [...key, 'screenings', filter],
    queryFn: ({ signal }) => api.get<ScreeningList>('/api/health/screenings', query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCreateScreening() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: (body: { person: string; returnDate: string }) => api.post<ScreeningView>('/api/health/screenings', body), onSuccess: invalidate });
}

export function useCheckItem() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, travelRecordId, checked, note }: { id: string; travelRecordId: string; checked: boolean; note?: string }) =>
      api.post<ScreeningView>(`/api/health/screenings/${enc(id)}/items/${enc(travelRecordId)}`, note ? { checked, note } : { checked }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, 'screenings'] }),
  });
}

export function useDecideScreening() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: DecideScreeningBody }) => api.post<ScreeningDecision>(`/api/health/screenings/${enc(id)}/decide`, body), onSuccess: invalidate });
}

// ---- risk areas ---------------------------------------------------------------------------------

export function useRiskAreas(active: 'true' | 'false' | undefined) {
  return useQuery({
    queryKey: [...key, 'risk-areas', active ?? 'all'],
    queryFn: ({ signal }) => api.get<{ rows: RiskAreaView[] }>('/api/health/risk-areas', { active }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useSaveRiskArea() {
  const invalidate = useInvalidateCare();
  return useMutation({
    mutationFn: (input: { id: null; body: CreateRiskAreaBody } | { id: string; body: UpdateRiskAreaBody }) =>
      input.id === null ? api.post<RiskAreaView>('/api/health/risk-areas', input.body) : api.put<RiskAreaView>(`/api/health/risk-areas/${enc(input.id)}`, input.body),
    onSuccess: invalidate,
  });
}

export function useEndRiskArea() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: ({ id, validTo }: { id: string; validTo: string }) => api.post<RiskAreaView>(`/api/health/risk-areas/${enc(id)}/end`, { validTo }), onSuccess: invalidate });
}

export function useImportRiskAreas() {
  const invalidate = useInvalidateCare();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api.upload<ImportRiskAreasResult>('/api/health/risk-areas/import', form);
    },
    onSuccess: invalidate,
  });
}

// ---- status rules ---------------------------------------------------------------------------------

export function useRules() {
  return useQuery({ queryKey: [...key, 'rules'], queryFn: ({ signal }) => api.get<{ rows: RuleView[] }>('/api/health/rules', undefined, signal) });
}

export function useSaveRule() {
  const invalidate = useInvalidateCare();
  return useMutation({
    mutationFn: (input: { code: null; body: CreateRuleBody } | { code: string; body: UpdateRuleBody }) =>
      input.code === null ? api.post<RuleWriteResult>('/api/health/rules', input.body) : api.put<RuleWriteResult>(`/api/health/rules/${enc(input.code)}`, input.body),
    onSuccess: invalidate,
  });
}

export function useRecompute() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: () => api.post<RecomputeResult>('/api/health/rules/recompute'), onSuccess: invalidate });
}

/** The test bench: what the facts give under the stored (or draft) rules; nothing is stored, so it is a query. */
export function useRuleTest(body: RuleTestBody | null) {
  return useQuery({
    queryKey: [...key, 'rule-test', body],
    queryFn: () => api.post<RuleTestResult>('/api/health/rules/test', body),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
    retry: false,
  });
}

// ---- contests -------------------------------------------------------------------------------------

export function useContests(state: 'open' | 'decided') {
  return useQuery({ queryKey: [...key, 'contests', state], queryFn: ({ signal }) => api.get<{ rows: ContestView[] }>('/api/health/contests', { state }, signal) });
}

export function useDecideContest() {
  const invalidate = useInvalidateCare();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: DecideBody }) => api.post<DecideResult>(`/api/health/contests/${enc(id)}/decide`, body), onSuccess: invalidate });
}
