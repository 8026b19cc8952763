import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../server/modules/auth/auth.schemas';
import type { HealthMessages } from '../i18n/health-zh-CN';
import type { CoreMessages, Messages } from '../i18n/zh-CN';

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
  if (isLocale(language) && i18n.hasResourceBundle(language, 'translation')) applyLocale(language);
});

// The texts are loaded, not bundled: a browser downloads only the language it shows (each is a chunk
// of its own), and the health pages' texts only when it opens one of them.
void i18n.use(initReactI18next).init({
  resources: {},
  lng: readStoredLocale(),
  fallbackLng: defaultLocale,
  supportedLngs: ['zh-CN', 'en-US'],
  initAsync: false,
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  returnNull: false,
});

type MessagePart = 'core' | 'health';

const messageLoaders: Record<MessagePart, Record<Locale, () => Promise<CoreMessages | HealthMessages>>> = {
  core: {
    'zh-CN': async () => (await import('../i18n/zh-CN')).zhCN,
    'en-US': async () => (await import('../i18n/en-US')).enUS,
  },
  health: {
    'zh-CN': async () => (await import('../i18n/health-zh-CN')).healthZhCN,
    'en-US': async () => (await import('../i18n/health-en-US')).healthEnUS,
  },
};

const loadedParts = new Map<string, Promise<void>>();
/** Whether a health page was opened: a language switch then loads that language's health texts too. */
let healthTextsWanted = false;

/** Adds a part of a language's texts to i18next, once; a failed download is tried again next time. */
function loadPart(locale: Locale, part: MessagePart): Promise<void> {
  const key = `${locale}/${part}`;
  let loading = loadedParts.get(key);
  if (!loading) {
    loading = messageLoaders[part][locale]().then((messages) => {
      i18n.addResourceBundle(locale, 'translation', messages, true, true);
    });
    loading.catch(() => loadedParts.delete(key));
    loadedParts.set(key, loading);
  }
  return loading;
}

/** Loads the language picked on this browser (or the default); main.tsx renders nothing before it. */
export async function startI18n(): Promise<void> {
  const locale = currentLocale();
  await loadPart(locale, 'core');
  applyLocale(locale);
}

/** Switches the UI language once its texts (and the health texts, when in use) are loaded. */
export async function changeLocale(locale: Locale): Promise<void> {
  await Promise.all([loadPart(locale, 'core'), healthTextsWanted ? loadPart(locale, 'health') : null]);
  // A health page opened while the texts were loading.
  if (healthTextsWanted) await loadPart(locale, 'health');
  await i18n.changeLanguage(locale);
}

/** The health pages' texts in the current language: the router waits for them before showing such a page. */
export function loadHealthTexts(): Promise<void> {
  healthTextsWanted = true;
  return loadPart(currentLocale(), 'health');
}

/** Whether the loaded texts have a string at `key` (for example for an error code the server sent). */
export function hasMessage(key: string): boolean {
  return typeof i18n.getResource(currentLocale(), 'translation', key) === 'string';
}

export { i18n };
