import { MutationCache, QueryClient } from '@tanstack/react-query';
import { ApiError, isPasswordChangeRequired, isSessionEnded, setAuthErrorListener } from './api-client';
import { hasErrorCode } from './errors';
import { markPasswordChangeRequired, storeSession } from './session';

function shouldRetry(failureCount: number, error: unknown): boolean {
  // Only transient failures (network, 5xx) are worth another try; a 4xx answer stays the same.
  const transient = error instanceof ApiError ? error.status === 0 || error.status >= 500 : false;
  return transient && failureCount < 2;
}

/** One client per page load; it also reacts to "signed out" and "password change required" answers. */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    mutationCache: new MutationCache({
      onError: (error) => {
        // Someone else changed the record: reload what is on screen so the next try starts from fresh data.
        if (hasErrorCode(error, 'STALE_VERSION')) void queryClient.invalidateQueries();
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });

  setAuthErrorListener((error) => {
    if (isSessionEnded(error)) storeSession(queryClient, null);
    else if (isPasswordChangeRequired(error)) markPasswordChangeRequired(queryClient);
  });
  return queryClient;
}
