import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CaseCard, CaseLedger, CaseRow, ClassifyBody, CloseBody, FollowUpBody as CaseFollowUpBody, OpenCaseBody, TimelineEntry, followUpResult, openCaseResult } from '../../../../server/modules/health-cases/cases.schemas';
import type { ChainGraph, CreateExposureBody, Exposure, Suggestion, createExposureResult, suggestionList } from '../../../../server/modules/health-cases/exposures.schemas';
import type { IncidentView } from '../../../../server/modules/health-incidents/incidents.schemas';
import type {
  FollowUp,
  FollowUpBody as CheckBody,
  LostList,
  Note,
  Quarantine,
  QuarantinePage,
  QuarantineRow,
  ReleaseBody,
  Support,
  recordedFollowUp,
} from '../../../../server/modules/health-quarantines/quarantines.schemas';
import type { CreateTransferBody, Transfer, TransferList } from '../../../../server/modules/health-quarantines/transfers.schemas';
import { api, downloadFile, type QueryParams } from '../../../app/api-client';

export type {
  CaseCard,
  CaseLedger,
  CaseRow,
  ChainGraph,
  CheckBody,
  CreateExposureBody,
  CreateTransferBody,
  Exposure,
  FollowUp,
  IncidentView,
  LostList,
  Note,
  Quarantine,
  QuarantinePage,
  QuarantineRow,
  Suggestion,
  Support,
  TimelineEntry,
  Transfer,
  TransferList,
};
export type CaseStatus = CaseRow['status'];
export type CaseReason = CaseRow['reason'];
export type CaseSource = CaseRow['source'];
export type Classification = CaseRow['classification'];
export type Outcome = NonNullable<CaseRow['outcome']>;
export type ExposureType = Exposure['type'];
export type Certainty = Exposure['certainty'];
export type FollowUpState = FollowUp['status'];
export type QuarantineStatus = Quarantine['status'];
export type QuarantinePlace = Quarantine['place'];
export type SupportKind = Support['kind'];
export type ChainClassification = ChainGraph['nodes'][number]['classification'];
export type CreatedExposure = z.infer<typeof createExposureResult>;
export type RecordedCheck = z.infer<typeof recordedFollowUp>;

const key = ['healthCases'] as const;
const enc = encodeURIComponent;

// ---- incidents (read only here: the incidents page is another's) ------------------------------

/** The active incident (emergency mode on), or null. */
export function useActiveIncident() {
  return useQuery({ queryKey: [...key, 'incident-active'], queryFn: ({ signal }) => api.get<IncidentView | null>('/api/health/incidents/active', undefined, signal), staleTime: 60_000 });
}

export function useIncidents() {
  return useQuery({ queryKey: [...key, 'incidents'], queryFn: ({ signal }) => api.get<{ rows: IncidentView[] }>('/api/health/incidents', undefined, signal), staleTime: 60_000 });
}

// ---- cases ------------------------------------------------------------------------------------

export interface LedgerFilter {
  status?: CaseStatus;
  reason?: CaseReason;
  classification?: Classification;
  site?: string;
  from?: string;
  to?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export function useLedger(filter: LedgerFilter) {
  const query: QueryParams = { ...filter };
  return useQuery({ queryKey: [...key, 'cases', filter], queryFn: ({ signal }) => api.get<CaseLedger>('/api/health/cases', query, signal), placeholderData: keepPreviousData });
}

/** The ledger as xlsx: masked, or with full names (personal.unmask and a reason, audited). */
export function downloadLedger(filter: Omit<LedgerFilter, 'page' | 'pageSize'>, unmaskReason?: string): Promise<void> {
  const query: QueryParams = unmaskReason === undefined ? { ...filter } : { ...filter, unmask: 'true', unmaskReason };
  return downloadFile('/api/health/cases/export.xlsx', query, unmaskReason === undefined ? 'pacesetter-cases.xlsx' : 'pacesetter-cases-unmasked.xlsx');
}

export function useCaseCard(id: string | undefined) {
  return useQuery({ queryKey: [...key, 'case', id], queryFn: ({ signal }) => api.get<CaseCard>(`/api/health/cases/${enc(id!)}`, undefined, signal), enabled: Boolean(id) });
}

/** The newest cases of people whose code starts with `code` (the chain's node → its card). */
export function usePersonCases(code: string | undefined, incident?: string) {
  return useQuery({
    queryKey: [...key, 'cases', 'of', code, incident],
    queryFn: ({ signal }) => api.get<CaseLedger>('/api/health/cases', { q: code, incident, page: 1, pageSize: 20 }, signal),
    enabled: Boolean(code),
  });
}

/** After a change to a case, an exposure or a quarantine: everything of this page family. */
function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: key });
}

export function useOpenCase() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: OpenCaseBody) => api.post<z.infer<typeof openCaseResult>>('/api/health/cases', body), onSuccess: invalidate });
}

export function useCaseFollowUp(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: CaseFollowUpBody) => api.post<z.infer<typeof followUpResult>>(`/api/health/cases/${enc(id)}/follow-ups`, body), onSuccess: invalidate });
}

export function useClassifyCase(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: ClassifyBody) => api.post<CaseCard>(`/api/health/cases/${enc(id)}/classify`, body), onSuccess: invalidate });
}

export function useCloseCase(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: CloseBody) => api.post<CaseCard>(`/api/health/cases/${enc(id)}/close`, body), onSuccess: invalidate });
}

// ---- exposures and the chain --------------------------------------------------------------------

export function useSuggestions(caseCode: string | undefined, windowMinutes: number) {
  return useQuery({
    queryKey: [...key, 'suggestions', caseCode, windowMinutes],
    queryFn: ({ signal }) => api.get<z.infer<typeof suggestionList>>('/api/health/exposures/suggestions', { case: caseCode, windowMinutes }, signal),
    enabled: Boolean(caseCode),
    placeholderData: keepPreviousData,
  });
}

export function useCreateExposure() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: CreateExposureBody) => api.post<CreatedExposure>('/api/health/exposures', body), onSuccess: invalidate });
}

export function useWithdrawExposure() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: ({ id, reason }: { id: string; reason: string }) => api.post<Exposure>(`/api/health/exposures/${enc(id)}/withdraw`, { reason }), onSuccess: invalidate });
}

export function useChain(incident: string | undefined) {
  return useQuery({ queryKey: [...key, 'chain', incident], queryFn: ({ signal }) => api.get<ChainGraph>('/api/health/chains', { incident }, signal), retry: false });
}

// ---- quarantines --------------------------------------------------------------------------------

export interface QuarantineFilter {
  status: 'active' | 'released' | 'lost' | 'all';
  place?: QuarantinePlace;
  site?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export function useQuarantines(filter: QuarantineFilter, enabled = true) {
  const query: QueryParams = { ...filter };
  return useQuery({ queryKey: [...key, 'quarantines', filter], queryFn: ({ signal }) => api.get<QuarantinePage>('/api/health/quarantines', query, signal), placeholderData: keepPreviousData, enabled });
}

export function useLostQuarantines(missedDays: number, enabled = true) {
  return useQuery({ queryKey: [...key, 'quarantines-lost', missedDays], queryFn: ({ signal }) => api.get<LostList>('/api/health/quarantines/lost', { missedDays }, signal), enabled });
}

/**
 * The quarantine of a person (by code): the active one, else the newest; null when there is none.
 * Fetched on demand (a link on the card or the chain), cached like the list.
 */
export function useFindQuarantine() {
  const client = useQueryClient();
  return async (code: string): Promise<QuarantineRow | null> => {
    const filter: QuarantineFilter = { status: 'all', q: code, page: 1, pageSize: 20 };
    const found = await client.fetchQuery({ queryKey: [...key, 'quarantines', filter], queryFn: ({ signal }) => api.get<QuarantinePage>('/api/health/quarantines', { ...filter }, signal), staleTime: 10_000 });
    const own = found.rows.filter((r) => r.person.code === code);
    return own.find((r) => r.status === 'active') ?? own[0] ?? null;
  };
}

export function useQuarantine(id: string | undefined) {
  return useQuery({ queryKey: [...key, 'quarantine', id], queryFn: ({ signal }) => api.get<Quarantine>(`/api/health/quarantines/${enc(id!)}`, undefined, signal), enabled: Boolean(id) });
}

export function useRecordCheck(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: CheckBody) => api.post<RecordedCheck>(`/api/health/quarantines/${enc(id)}/follow-ups`, body), onSuccess: invalidate });
}

export function useAddSupport(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: { kind: SupportKind; request: string }) => api.post<Support>(`/api/health/quarantines/${enc(id)}/supports`, body), onSuccess: invalidate });
}

export function useDeliverSupport(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ supportId, note }: { supportId: string; note?: string }) => api.post<Support>(`/api/health/quarantines/${enc(id)}/supports/${enc(supportId)}/deliver`, note ? { note } : {}),
    onSuccess: invalidate,
  });
}

export function useAddNote(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: { kind: Note['kind']; text: string }) => api.post<Note>(`/api/health/quarantines/${enc(id)}/notes`, body), onSuccess: invalidate });
}

export function useRelease(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: ReleaseBody) => api.post<Quarantine>(`/api/health/quarantines/${enc(id)}/release`, body), onSuccess: invalidate });
}

export function useMarkLost(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: { note: string; version?: number }) => api.post<Quarantine>(`/api/health/quarantines/${enc(id)}/lost`, body), onSuccess: invalidate });
}

// ---- transfers ----------------------------------------------------------------------------------

export function useTransfers(filter: { from?: string; to?: string }) {
  const query: QueryParams = { ...filter };
  return useQuery({ queryKey: [...key, 'transfers', filter], queryFn: ({ signal }) => api.get<TransferList>('/api/health/transfers', query, signal), placeholderData: keepPreviousData });
}

export function useCreateTransfer() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: CreateTransferBody) => api.post<Transfer>('/api/health/transfers', body), onSuccess: invalidate });
}

export function useDisinfect() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.post<Transfer>(`/api/health/transfers/${enc(id)}/disinfect`), onSuccess: invalidate });
}
