import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Me } from '../../server/modules/auth/auth.schemas';
import { sectionPermissions } from './section-permissions';
import { forcedStep, needsMfaEnrolment, needsPasswordChange, shouldReturnAfterSignIn, usePermission, useSession } from './session';
import { ForbiddenPage, FullPageSpin, LoadError } from './status-pages';

/**
 * Where to go back to after signing in: a path inside this app that the user who signed in may
 * open (it may be someone else than the one whose session ended there).
 */
function returnPath(state: unknown, user: Me): string {
  const from = typeof state === 'object' && state !== null ? (state as { from?: unknown }).from : undefined;
  if (typeof from !== 'string' || !from.startsWith('/') || from.startsWith('//')) return '/';
  const section = `/${from.split(/[/?#]/)[1] ?? ''}`;
  const permission = sectionPermissions[section];
  return permission && !user.permissions.includes(permission) ? '/' : from;
}

/** The app itself: signed in, with a password that need not be changed first and the second factor its roles require. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { data, error, refetch } = useSession();
  const location = useLocation();
  if (data === undefined) {
    return error ? <LoadError error={error} onRetry={() => void refetch()} /> : <FullPageSpin />;
  }
  if (data === null) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/login" replace state={shouldReturnAfterSignIn() ? { from } : null} />;
  }
  const step = forcedStep(data.user);
  if (step) return <Navigate to={step} replace />;
  return children;
}

/** The login page: whoever is signed in already goes on. */
export function SignedOutOnly({ children }: { children: ReactNode }) {
  const { data, error, refetch } = useSession();
  const location = useLocation();
  if (data === undefined) {
    return error ? <LoadError error={error} onRetry={() => void refetch()} /> : <FullPageSpin />;
  }
  if (data) {
    return <Navigate to={forcedStep(data.user) ?? returnPath(location.state, data.user)} replace />;
  }
  return children;
}

/** The forced password change: the only page a user with an initial or expired password may see. */
export function PasswordChangeOnly({ children }: { children: ReactNode }) {
  const { data, error, refetch } = useSession();
  if (data === undefined) {
    return error ? <LoadError error={error} onRetry={() => void refetch()} /> : <FullPageSpin />;
  }
  if (data === null) return <Navigate to="/login" replace />;
  if (!needsPasswordChange(data.user)) return <Navigate to="/" replace />;
  return children;
}

/** The forced set-up of two-step verification (after any forced password change). */
export function MfaEnrolmentOnly({ children }: { children: ReactNode }) {
  const { data, error, refetch } = useSession();
  if (data === undefined) {
    return error ? <LoadError error={error} onRetry={() => void refetch()} /> : <FullPageSpin />;
  }
  if (data === null) return <Navigate to="/login" replace />;
  if (!needsMfaEnrolment(data.user) || needsPasswordChange(data.user)) return <Navigate to="/" replace />;
  return children;
}

export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const can = usePermission();
  return can(permission) ? children : <ForbiddenPage />;
}
