import { GlobalOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, SessionResponse } from '../../server/modules/auth/auth.schemas';
import { api } from './api-client';
import { useErrorMessage } from './errors';
import { i18n, localeLabels, storeLocale } from './i18n';
import { sessionQueryKey, useSession } from './session';

/** Follows the signed-in user's saved language. */
export function useLocaleFromSession(): void {
  const locale = useSession().data?.user.locale;
  useEffect(() => {
    if (locale && locale !== i18n.language) void i18n.changeLanguage(locale);
  }, [locale]);
}

/** Switches the UI language; remembers it on the server when signed in, in the browser otherwise. */
export function useSwitchLocale(): { switchLocale: (locale: Locale) => void; pending: boolean } {
  const queryClient = useQueryClient();
  const signedIn = Boolean(useSession().data);
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const mutation = useMutation({
    mutationFn: (locale: Locale) => api.put('/api/auth/locale', { locale }),
    onSuccess: (_result, locale) => {
      queryClient.setQueryData<SessionResponse | null>(sessionQueryKey, (session) =>
        session ? { ...session, user: { ...session.user, locale } } : session,
      );
    },
    onError: (error) => {
      void message.error(describeError(error));
      // Back to the language the server still has.
      const saved = queryClient.getQueryData<SessionResponse | null>(sessionQueryKey)?.user.locale;
      if (saved) void i18n.changeLanguage(saved);
    },
  });
  return {
    pending: mutation.isPending,
    switchLocale: (locale) => {
      void i18n.changeLanguage(locale);
      if (signedIn) mutation.mutate(locale);
      else storeLocale(locale);
    },
  };
}

/** A button naming the other language (中文 / English); one click switches to it. */
export function LanguageSwitch() {
  const { t, i18n: i18next } = useTranslation();
  const { switchLocale, pending } = useSwitchLocale();
  const target: Locale = i18next.language === 'en-US' ? 'zh-CN' : 'en-US';
  return (
    <Button
      type="text"
      icon={<GlobalOutlined aria-hidden  />}
      lang={target}
      title={t('app.switchLanguage')}
      loading={pending}
      onClick={() => switchLocale(target)}
    >
      {localeLabels[target]}
    </Button>
  );
}
