import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DailyContent,
  ItemLine,
  NoticeDetail,
  NoticeKind,
  NoticeReads,
  NoticeSummary,
  ProblemLine,
  PublishResult,
  RecordLine,
  WarningLine,
  WeeklyContent,
} from '../../../server/modules/notices/notices.schemas';
import { api, buildUrl } from '../../app/api-client';
import { notificationsQueryKey } from '../notifications/queries';

export type { DailyContent, ItemLine, NoticeDetail, NoticeKind, NoticeReads, NoticeSummary, ProblemLine, PublishResult, RecordLine, WarningLine, WeeklyContent };

const noticesQueryKey = ['notices'] as const;

/** The notice board: weekly notices, or the user's own daily digests, newest first. */
export function useNotices(kind: NoticeKind) {
  return useQuery({
    queryKey: [...noticesQueryKey, 'list', kind],
    queryFn: async ({ signal }) => (await api.get<{ rows: NoticeSummary[] }>('/api/notices', { kind }, signal)).rows,
    placeholderData: keepPreviousData,
  });
}

/** One notice; a weekly notice comes cut to the user's data scope. */
export function useNotice(id: string | undefined) {
  return useQuery({
    queryKey: [...noticesQueryKey, 'one', id ?? ''],
    queryFn: ({ signal }) => api.get<NoticeDetail>(`/api/notices/${encodeURIComponent(id!)}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** Who has read a notice and who has not (supervisors only). */
export function useNoticeReads(id: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: [...noticesQueryKey, 'reads', id ?? ''],
    queryFn: ({ signal }) => api.get<NoticeReads>(`/api/notices/${encodeURIComponent(id!)}/reads`, undefined, signal),
    enabled: Boolean(id) && enabled,
  });
}

/** The read receipt, sent when a notice is opened (the server keeps the first read). */
export function useMarkNoticeRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<{ id: string; read: true; readAt: string }>(`/api/notices/${encodeURIComponent(id)}/read`, {}),
    onSuccess: async () => {
      void queryClient.invalidateQueries({ queryKey: [...noticesQueryKey, 'list'] });
      // The page asks for the receipts as it sends this one. A first fetch still under way is never
      // cancelled by an invalidation, which would only wait for it and show the reader as unread
      // (seen in a browser test): cancel it, then fetch again.
      await queryClient.cancelQueries({ queryKey: [...noticesQueryKey, 'reads'] });
      void queryClient.invalidateQueries({ queryKey: [...noticesQueryKey, 'reads'] });
      // The notification that announced the notice is read with it.
      void queryClient.invalidateQueries({ queryKey: notificationsQueryKey });
    },
  });
}

/** Publishes the weekly notice now (the previous week unless a week is given); idempotent. */
export function usePublishWeekly() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (week?: string) => api.post<PublishResult>('/api/notices/publish', week ? { kind: 'weekly', week } : { kind: 'weekly' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: noticesQueryKey });
      void queryClient.invalidateQueries({ queryKey: notificationsQueryKey });
    },
  });
}

/** The URL of a notice's xlsx workbook (a plain GET with the session cookie). */
export function noticeExportUrl(id: string): string {
  return buildUrl(`/api/notices/${encodeURIComponent(id)}/export.xlsx`);
}
