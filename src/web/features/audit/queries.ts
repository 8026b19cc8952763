import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { VerifyResult, auditExportQuery, auditPage } from '../../../server/modules/audit/audit.schemas';
import { api, downloadFile, type QueryParams } from '../../app/api-client';

/** The filters of the audit page, as the API takes them (all optional). */
export type AuditFilters = z.input<typeof auditExportQuery>;
export type AuditPage = z.infer<typeof auditPage>;

function toParams(filters: AuditFilters): QueryParams {
  return { ...filters };
}

export function useAuditEntries(filters: AuditFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['audit', filters, page, pageSize],
    queryFn: ({ signal }) => api.get<AuditPage>('/api/audit', { ...toParams(filters), page, pageSize }, signal),
    // Keep the rows while the next page loads, so the table does not jump.
    placeholderData: keepPreviousData,
  });
}

export function useVerifyAuditChain() {
  return useMutation({ mutationFn: () => api.post<VerifyResult>('/api/audit/verify') });
}

export function useExportAudit() {
  return useMutation({
    mutationFn: (filters: AuditFilters) => downloadFile('/api/audit/export', toParams(filters), 'audit.csv'),
  });
}
