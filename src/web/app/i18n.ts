import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../server/modules/auth/auth.schemas';
import type { Messages } from '../i18n/zh-CN';

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
// of its own), and a section's texts only when it opens one of its pages (messageLoaders below).
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

type Loader = () => Promise<object>;

/**
 * The texts come in parts, each a chunk per language: `core` (loaded at start: the layout, the menu,
 * what every section shares) and one part per section (or group of small sections), loaded with the
 * pages that declare it in router.tsx. scripts/web-budget.mjs reads this table to know which chunk
 * is which part's Chinese texts: keep each loader a single `import('…')`.
 */
const messageLoaders = {
  core: {
    'zh-CN': async () => (await import('../i18n/zh-CN')).zhCN,
    'en-US': async () => (await import('../i18n/en-US')).enUS,
  },
  scorecard: {
    'zh-CN': async () => (await import('../i18n/scorecard')).scorecardZh,
    'en-US': async () => (await import('../i18n/scorecard-en')).scorecardEn,
  },
  indicators: {
    'zh-CN': async () => (await import('../i18n/indicators')).indicatorsZh,
    'en-US': async () => (await import('../i18n/indicators-en')).indicatorsEn,
  },
  warnings: {
    'zh-CN': async () => (await import('../i18n/warnings')).warningsZh,
    'en-US': async () => (await import('../i18n/warnings-en')).warningsEn,
  },
  evaluations: {
    'zh-CN': async () => (await import('../i18n/evaluations')).evaluationsZh,
    'en-US': async () => (await import('../i18n/evaluations-en')).evaluationsEn,
  },
  supervision: {
    'zh-CN': async () => (await import('../i18n/supervision')).supervisionZh,
    'en-US': async () => (await import('../i18n/supervision-en')).supervisionEn,
  },
  results: {
    'zh-CN': async () => (await import('../i18n/results')).resultsZh,
    'en-US': async () => (await import('../i18n/results-en')).resultsEn,
  },
  energy: {
    'zh-CN': async () => (await import('../i18n/energy')).energyZh,
    'en-US': async () => (await import('../i18n/energy-en')).energyEn,
  },
  accessRegistry: {
    'zh-CN': async () => (await import('../i18n/access-registry')).accessRegistryZh,
    'en-US': async () => (await import('../i18n/access-registry-en')).accessRegistryEn,
  },
  accessLive: {
    'zh-CN': async () => (await import('../i18n/access-live')).accessLiveZh,
    'en-US': async () => (await import('../i18n/access-live-en')).accessLiveEn,
  },
  gate: {
    'zh-CN': async () => (await import('../i18n/gate')).gateZh,
    'en-US': async () => (await import('../i18n/gate-en')).gateEn,
  },
  admin: {
    'zh-CN': async () => (await import('../i18n/admin')).adminZh,
    'en-US': async () => (await import('../i18n/admin-en')).adminEn,
  },
  healthCare: {
    'zh-CN': async () => ({ healthCare: (await import('../i18n/health-care')).healthCareZh }),
    'en-US': async () => ({ healthCare: (await import('../i18n/health-care-en')).healthCareEn }),
  },
  healthCases: {
    'zh-CN': async () => ({ healthCases: (await import('../i18n/health-cases')).healthCasesZh }),
    'en-US': async () => ({ healthCases: (await import('../i18n/health-cases-en')).healthCasesEn }),
  },
  healthSupport: {
    'zh-CN': async () => ({ healthSupport: (await import('../i18n/health-support')).healthSupportZh }),
    'en-US': async () => ({ healthSupport: (await import('../i18n/health-support-en')).healthSupportEn }),
  },
} satisfies Record<string, Record<Locale, Loader>>;

/** A part of the texts that a page may declare (router.tsx); the core texts are always loaded. */
export type TextPart = Exclude<keyof typeof messageLoaders, 'core'>;
type MessagePart = keyof typeof messageLoaders;

const loadedParts = new Map<string, Promise<void>>();
/** The parts some page opened so far needed: a language switch loads them in the new language too. */
const partsInUse = new Set<MessagePart>(['core']);

/** Adds a part of a language's texts to i18next, once; a failed download is tried again next time. */
function loadPart(locale: Locale, part: MessagePart): Promise<void> {
  const key = `${locale}/${part}`;
  let loading = loadedParts.get(key);
  if (!loading) {
    const load: Loader = messageLoaders[part][locale];
    loading = load().then((messages) => {
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

/** Switches the UI language once its core texts and the parts in use are loaded. */
export async function changeLocale(locale: Locale): Promise<void> {
  let inUse: number;
  // Again while a page opened meanwhile asked for another part (the set only grows).
  do {
    inUse = partsInUse.size;
    await Promise.all([...partsInUse].map((part) => loadPart(locale, part)));
  } while (partsInUse.size !== inUse);
  await i18n.changeLanguage(locale);
}

/** The parts of the texts a page needs, in the current language: the router waits for them before showing it. */
export async function loadTexts(parts: readonly TextPart[]): Promise<void> {
  for (const part of parts) partsInUse.add(part);
  await Promise.all(parts.map((part) => loadPart(currentLocale(), part)));
}

/** Whether the loaded texts have a string at `key` (for example for an error code the server sent). */
export function hasMessage(key: string): boolean {
  return typeof i18n.getResource(currentLocale(), 'translation', key) === 'string';
}

export { i18n };
