import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { Me, SessionResponse } from '../../server/modules/auth/auth.schemas';
import { ApiError, api, setCsrfToken } from './api-client';

export const sessionQueryKey = ['session'] as const;

async function fetchSession(): Promise<SessionResponse | null> {
  try {
    const session = await api.get<SessionResponse>('/api/auth/me');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    // Not signed in is an answer, not a failure.
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/** The signed-in session: `null` when signed out, `undefined` while loading. */
export function useSession() {
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: fetchSession,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** The signed-in user; only for components rendered behind the sign-in guard. */
export function useMe(): Me {
  const { data } = useSession();
  if (!data) throw new Error('useMe() outside a signed-in route');
  return data.user;
}

/** Whether the signed-in user holds a permission (for showing menus and buttons; the server decides). */
export function usePermission(): (permission: string) => boolean {
  const { data } = useSession();
  const permissions = data?.user.permissions;
  return (permission) => permissions?.includes(permission) ?? false;
}

export function needsPasswordChange(user: Me): boolean {
  return user.mustChangePassword || user.passwordExpired;
}

/** A role requires two-step verification and it is not set up: the server refuses all but the set-up. */
export function needsMfaEnrolment(user: Me): boolean {
  return user.mfa.required && !user.mfa.enrolled;
}

/** Where a signed-in user must go before anything else: the password change, then the two-step set-up. */
export function forcedStep(user: Me): '/change-password' | '/mfa-setup' | null {
  if (needsPasswordChange(user)) return '/change-password';
  if (needsMfaEnrolment(user)) return '/mfa-setup';
  return null;
}

// After a deliberate sign-out the next sign-in starts at home; after a lost session (401) it goes
// back to the page the user was on.
let signedOutDeliberately = false;

/** Whether the login page should send the user back to where the session ended. */
export function shouldReturnAfterSignIn(): boolean {
  return !signedOutDeliberately;
}

/** Puts a fresh session into the cache (after login) or forgets everything (after logout or a 401). */
export function storeSession(
  queryClient: QueryClient,
  session: SessionResponse | null,
  options: { deliberate?: boolean } = {},
): void {
  signedOutDeliberately = session === null && options.deliberate === true;
  setCsrfToken(session?.csrfToken ?? null);
  if (session === null) {
    // Nothing cached for the previous user may leak to the next one.
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
  }
  queryClient.setQueryData(sessionQueryKey, session);
}

/** The server refuses everything but the password change: reflect that until /me says otherwise. */
export function markPasswordChangeRequired(queryClient: QueryClient): void {
  queryClient.setQueryData<SessionResponse | null>(sessionQueryKey, (session) =>
    session && !needsPasswordChange(session.user)
      ? { ...session, user: { ...session.user, mustChangePassword: true } }
      : session,
  );
}
