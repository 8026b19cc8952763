import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { App, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocaleFromSession } from './locale';

/**
 * Animations follow the system setting: with "reduce motion" on (people prone to motion sickness,
 * and the browser tests, which ask for it), dialogs and dropdowns open without animating.
 */
const reducedMotion = typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
const theme = {
  token: { colorPrimary: '#1456a0', borderRadius: 6, motion: !reducedMotion },
};

function LocalizedAntd({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  useLocaleFromSession();
  return (
    <ConfigProvider
      locale={i18n.language === 'en-US' ? enUS : zhCN}
      theme={theme}
      // No space between two Chinese characters on buttons: "登录" must stay "登录" for people and tests.
      button={{ autoInsertSpace: false }}
    >
      <App>{children}</App>
    </ConfigProvider>
  );
}

export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <LocalizedAntd>{children}</LocalizedAntd>
    </QueryClientProvider>
  );
}
