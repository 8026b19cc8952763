import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Notification, NotificationList } from '../../../server/modules/notifications/notifications.schemas';
import { api } from '../../app/api-client';

export type { Notification, NotificationList };

export const notificationsQueryKey = ['notifications'] as const;

/** The user's latest notifications and the unread count; polled every minute while the app is open. */
export function useNotifications() {
  return useQuery({
    queryKey: notificationsQueryKey,
    queryFn: ({ signal }) => api.get<NotificationList>('/api/notifications', { limit: 20 }, signal),
    refetchInterval: 60_000,
    refetchIntervalInBackground: false,
  });
}

export function useReadNotification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Notification>(`/api/notifications/${encodeURIComponent(id)}/read`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsQueryKey }),
  });
}

export function useReadAllNotifications() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ updated: number; unread: number }>('/api/notifications/read-all', {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsQueryKey }),
  });
}
