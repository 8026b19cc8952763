import { App, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LocaleErrorContext } from './locale';

/**
 * Animations follow the system setting: with "reduce motion" on (people prone to motion sickness,
 * and the browser tests, which ask for it), dialogs and dropdowns open without animating.
 */
const reducedMotion = typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
const theme = {
  token: { colorPrimary: '#1456a0', borderRadius: 6, motion: !reducedMotion },
};

/** Failed language switches show as antd messages inside these providers. */
function LocaleErrorsAsMessages({ children }: { children: ReactNode }) {
  const { message } = App.useApp();
  return <LocaleErrorContext value={(text) => void message.error(text)}>{children}</LocaleErrorContext>;
}

/**
 * antd's theme, language and App context (message, modal, notification). Not in the entry: the
 * sign-in page is drawn without antd (issue 9), so the signed-in frame (app-layout.tsx) and the other
 * pages that use antd outside it wrap themselves in these.
 */
export function AntdProviders({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en-US' ? enUS : zhCN}
      theme={theme}
      // No space between two Chinese characters on buttons: "登录" must stay "登录" for people and tests.
      button={{ autoInsertSpace: false }}
    >
      <App>
        <LocaleErrorsAsMessages>{children}</LocaleErrorsAsMessages>
      </App>
    </ConfigProvider>
  );
}
