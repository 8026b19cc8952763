import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../server/modules/auth/auth.schemas';
import { enUS } from '../i18n/en-US';
import { zhCN, type Messages } from '../i18n/zh-CN';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

/** How each language names itself on the switch. */
export const localeLabels: Record<Locale, string> = { 'zh-CN': '中文', 'en-US': 'English' };
const dayjsLocales: Record<Locale, string> = { 'zh-CN': 'zh-cn', 'en-US': 'en' };
export const defaultLocale: Locale = 'zh-CN';

// Before sign-in the choice is kept in the browser; afterwards the server keeps it per user.
const storageKey = 'ps.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(localeLabels, value);
}

function readStoredLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(storageKey);
    return isLocale(stored) ? stored : defaultLocale;
  } catch {
    return defaultLocale;
  }
}

/** The language picked on this browser before signing in, if one was picked. */
export function storedLocaleChoice(): Locale | null {
  try {
    const stored = window.localStorage.getItem(storageKey);
    return isLocale(stored) ? stored : null;
  } catch {
    return null;
  }
}

export function storeLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(storageKey, locale);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : defaultLocale;
}

function applyLocale(locale: Locale): void {
  document.documentElement.lang = locale;
  dayjs.locale(dayjsLocales[locale]);
  document.title = i18n.t('app.documentTitle');
}

i18n.on('languageChanged', (language) => {
  if (isLocale(language)) applyLocale(language);
});

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
  lng: readStoredLocale(),
  fallbackLng: defaultLocale,
  supportedLngs: ['zh-CN', 'en-US'],
  initAsync: false,
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export { i18n };
