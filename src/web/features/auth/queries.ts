import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  DemoAccounts,
  Me,
  MfaEnrolment,
  SessionResponse,
  changePasswordBody,
  loginBody,
} from '../../../server/modules/auth/auth.schemas';
import { apiRequest, api, setCsrfToken } from '../../app/api-client';
import { currentLocale, storedLocaleChoice } from '../../app/i18n';
import { sessionQueryKey, storeSession } from '../../app/session';

export type LoginInput = z.input<typeof loginBody>;
export type ChangePasswordInput = z.input<typeof changePasswordBody>;

/** The demo accounts listed on the login page; `demo` is false on a real installation. */
export function useDemoAccounts() {
  return useQuery({
    queryKey: ['auth', 'demo-accounts'],
    queryFn: ({ signal }) => api.get<DemoAccounts>('/api/auth/demo-accounts', undefined, signal),
    staleTime: Infinity,
    retry: false,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    // A 401 here means wrong credentials, not a lost session.
    mutationFn: (input: LoginInput) =>
      apiRequest<SessionResponse>('/api/auth/login', { method: 'POST', body: input, authRedirect: false }),
    onSuccess: async (session) => {
      // The language chosen on the login page carries into the session and is saved for the user.
      const chosen = storedLocaleChoice();
      if (chosen && chosen === currentLocale() && chosen !== session.user.locale) {
        try {
          setCsrfToken(session.csrfToken);
          await api.put('/api/auth/locale', { locale: chosen });
          session = { ...session, user: { ...session.user, locale: chosen } };
        } catch {
          // Keeping the saved language is fine; the switch in the header still works.
        }
      }
      storeSession(queryClient, session);
    },
  });
}

/** Signs out; the guards then show the login page, and the next user starts at home. */
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post('/api/auth/logout'),
    // Signed out either way: a failed logout must not leave the user looking signed in here.
    onSettled: () => storeSession(queryClient, null, { deliberate: true }),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ChangePasswordInput) => api.put('/api/auth/password', input),
    // Other sessions are ended and the flags may have cleared: ask the server who we are now.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionQueryKey }),
  });
}

/** Starts setting up two-step verification: a new secret, shown once. */
export function useStartMfaEnrolment() {
  return useMutation({ mutationFn: () => api.post<MfaEnrolment>('/api/auth/mfa/enrolment', {}) });
}

/** Turns two-step verification on or off with a code; the session then says so. */
function useMfaChange(path: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api.post<Me>(path, { code }),
    // Other sessions are ended and the flags changed: ask the server who we are now.
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: sessionQueryKey }), queryClient.invalidateQueries({ queryKey: ['auth', 'sessions'] })]),
  });
}

export const useConfirmMfa = () => useMfaChange('/api/auth/mfa/enrolment/confirm');
export const useDisableMfa = () => useMfaChange('/api/auth/mfa/disable');
