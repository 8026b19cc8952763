import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Role,
  createRoleBody,
  permissionList,
  roleList,
  updateRoleBody,
} from '../../../server/modules/roles/roles.schemas';
import type {
  User,
  createUserBody,
  resetPasswordBody,
  setRolesBody,
  updateUserBody,
  userList,
} from '../../../server/modules/users/users.schemas';
import { api } from '../../app/api-client';

export const usersQueryKey = ['users'] as const;
export const rolesQueryKey = ['roles'] as const;
export const permissionsQueryKey = ['permissions'] as const;

export type Permission = z.infer<typeof permissionList>['items'][number];
export type CreateUserInput = z.input<typeof createUserBody>;
export type CreateRoleInput = z.input<typeof createRoleBody>;

export function useUsers() {
  return useQuery({
    queryKey: usersQueryKey,
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof userList>>('/api/users', undefined, signal)).items,
  });
}

export function useRoles(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: rolesQueryKey,
    queryFn: async ({ signal }) => (await api.get<z.infer<typeof roleList>>('/api/roles', undefined, signal)).items,
    enabled: options.enabled ?? true,
  });
}

export function usePermissions(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: permissionsQueryKey,
    queryFn: async ({ signal }) =>
      (await api.get<z.infer<typeof permissionList>>('/api/permissions', undefined, signal)).items,
    enabled: options.enabled ?? true,
    staleTime: Infinity,
  });
}

function useUserMutation<TInput, TResult>(send: (input: TInput) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
}

type WithId<T> = { id: string } & T;

export function useCreateUser() {
  return useUserMutation((body: CreateUserInput) => api.post<User>('/api/users', body));
}

export function useUpdateUser() {
  return useUserMutation(({ id, ...body }: WithId<z.input<typeof updateUserBody>>) =>
    api.patch<User>(`/api/users/${id}`, body),
  );
}

export function useSetUserRoles() {
  return useUserMutation(({ id, ...body }: WithId<z.input<typeof setRolesBody>>) =>
    api.put<User>(`/api/users/${id}/roles`, body),
  );
}

/** disable, enable and unlock take only the version. */
export function useUserAction() {
  return useUserMutation(({ id, action, version }: { id: string; action: 'disable' | 'enable' | 'unlock'; version: number }) =>
    api.post<User>(`/api/users/${id}/${action}`, { version }),
  );
}

export function useResetPassword() {
  return useUserMutation(({ id, ...body }: WithId<z.input<typeof resetPasswordBody>>) =>
    api.post<User>(`/api/users/${id}/reset-password`, body),
  );
}

export function useEndUserSessions() {
  return useUserMutation((id: string) => api.delete(`/api/users/${id}/sessions`));
}

/** Removes an account's second factor (a lost phone); the account enrols again where its roles require it. */
export function useResetUserMfa() {
  return useUserMutation((id: string) => api.delete(`/api/users/${id}/mfa`));
}

function useRoleMutation<TInput, TResult>(send: (input: TInput) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rolesQueryKey }),
  });
}

export function useCreateRole() {
  return useRoleMutation((body: CreateRoleInput) => api.post<Role>('/api/roles', body));
}

export function useUpdateRole() {
  return useRoleMutation(({ code, ...body }: { code: string } & z.input<typeof updateRoleBody>) =>
    api.patch<Role>(`/api/roles/${code}`, body),
  );
}
