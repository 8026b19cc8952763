import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useLocaleFromSession } from './locale';

function FollowSessionLocale({ children }: { children: ReactNode }) {
  useLocaleFromSession();
  return children;
}

/** What every page needs; antd's providers come with the pages that use antd (antd-providers.tsx). */
export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <FollowSessionLocale>{children}</FollowSessionLocale>
    </QueryClientProvider>
  );
}
