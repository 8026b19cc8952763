import GlobalOutlined from '@ant-design/icons-svg/es/asn/GlobalOutlined';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, SessionResponse } from '../../server/modules/auth/auth.schemas';
import { api } from './api-client';
import { useErrorMessage } from './errors';
import { changeLocale, i18n, localeLabels, storeLocale } from './i18n';
import { sessionQueryKey, useSession } from './session';
import { SvgIcon } from './svg-icon';

/** Follows the signed-in user's saved language. */
export function useLocaleFromSession(): void {
  const locale = useSession().data?.user.locale;
  useEffect(() => {
    // Texts that fail to download leave the current language: the switch can try again.
    if (locale && locale !== i18n.language) changeLocale(locale).catch(() => undefined);
  }, [locale]);
}

/**
 * How a failed language switch is told to the user: antd's message where antd is loaded
 * (antd-providers.tsx); the sign-in page, which has no antd, passes its own `onError`.
 */
export const LocaleErrorContext = createContext<(text: string) => void>(() => undefined);

/** Switches the UI language; remembers it on the server when signed in, in the browser otherwise. */
export function useSwitchLocale(onError?: (text: string) => void): { switchLocale: (locale: Locale) => void; pending: boolean } {
  const reportFromContext = useContext(LocaleErrorContext);
  const report = onError ?? reportFromContext;
  const queryClient = useQueryClient();
  const signedIn = Boolean(useSession().data);
  const describeError = useErrorMessage();
  const mutation = useMutation({
    mutationFn: (locale: Locale) => api.put('/api/auth/locale', { locale }),
    onSuccess: (_result, locale) => {
      queryClient.setQueryData<SessionResponse | null>(sessionQueryKey, (session) =>
        session ? { ...session, user: { ...session.user, locale } } : session,
      );
    },
    onError: (error) => {
      report(describeError(error));
      // Back to the language the server still has.
      const saved = queryClient.getQueryData<SessionResponse | null>(sessionQueryKey)?.user.locale;
      if (saved) changeLocale(saved).catch(() => undefined);
    },
  });
  return {
    pending: mutation.isPending,
    switchLocale: (locale) => {
      changeLocale(locale).catch((error: unknown) => report(describeError(error)));
      if (signedIn) mutation.mutate(locale);
      else storeLocale(locale);
    },
  };
}

/**
 * A button naming the other language (中文 / English); one click switches to it. Plain elements
 * styled like antd's text button (plain.css): the sign-in page shows it before antd loads.
 */
export function LanguageSwitch({ onError }: { onError?: (text: string) => void }) {
  const { t, i18n: i18next } = useTranslation();
  const { switchLocale, pending } = useSwitchLocale(onError);
  const target: Locale = i18next.language === 'en-US' ? 'zh-CN' : 'en-US';
  return (
    <button
      type="button"
      className={`plain-button plain-button-text${pending ? ' plain-button-loading' : ''}`}
      lang={target}
      title={t('app.switchLanguage')}
      disabled={pending}
      onClick={() => switchLocale(target)}
    >
      {pending ? null : <SvgIcon icon={GlobalOutlined} />}
      {localeLabels[target]}
    </button>
  );
}
