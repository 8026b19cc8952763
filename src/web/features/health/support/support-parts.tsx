import { useTranslation } from 'react-i18next';
import { shanghaiDay } from '../../../../domain/notices/week';
import { cmp, mul, roundedText } from '../../../../domain/evaluation/decimal';
import { decimalOf, isDecimalText } from '../../../../domain/results/money';
import { ApiError } from '../../../app/api-client';
import { useErrorMessage } from '../../../app/errors';
import { hasMessage } from '../../../app/i18n';
import type { Messages } from '../../../i18n/zh-CN';
import type { OpeningWindow } from './support-queries';

/** Today at the sites (Asia/Shanghai), YYYY-MM-DD. */
export function shanghaiToday(now: Date = new Date()): string {
  return shanghaiDay(now);
}

/** A name in the user's language: the English one when there is one and English is on. */
export function nameIn(language: string, zh: string, en: string | null | undefined): string {
  return language === 'en-US' && en ? en : zh;
}

/** A calendar day written out: 2020年3月16日 / 16 March 2020. */
export function longDate(day: string, language: string): string {
  const [y = 2000, m = 1, d = 1] = day.split('-').map(Number);
  if (language !== 'en-US') return `${y}年${m}月${d}日`;
  return new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Thousands separators on the whole part of a decimal text, the fraction kept as it is ("12000.50" → "12,000.50"). */
export function groupDigits(text: string): string {
  const negative = text.startsWith('-');
  const [whole = '0', frac] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/** A quantity (numeric(14, 2) text) without a fraction of zeros: "1300.00" → "1,300", "12.50" → "12.50". */
export function formatQuantity(text: string): string {
  return groupDigits(/\.0+$/.test(text) ? text.replace(/\.0+$/, '') : text);
}

/** Yuan with two decimals and grouping: "2000" → "¥2,000.00". */
export function formatYuan(text: string): string {
  return `¥${groupDigits(isDecimalText(text) ? roundedText(decimalOf(text), 2) : text)}`;
}

/** A unit price as stored ("2.5000") with 2 to 4 decimals ("2.50", "0.0125"). */
export function formatPrice(text: string): string {
  const [whole = '0', frac = ''] = text.split('.');
  const kept = frac.replace(/0+$/, '').padEnd(2, '0');
  return groupDigits(`${whole}.${kept}`);
}

/** Whether a form's text is a decimal (what InputNumber in string mode hands over). */
export function isDecimal(text: unknown): text is string {
  return typeof text === 'string' && text.trim() !== '' && isDecimalText(text);
}

/** a < b (−1), a = b (0) or a > b (1), exactly. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  return cmp(decimalOf(a), decimalOf(b));
}

/** The first of the prices that is the lowest (the rule the server applies); −1 while none is filled in. */
export function lowestIndex(prices: readonly (string | null | undefined)[]): number {
  let best = -1;
  prices.forEach((price, i) => {
    if (!isDecimal(price)) return;
    const current = best >= 0 ? prices[best] : undefined;
    if (best < 0 || (isDecimal(current) && compareDecimal(price, current) < 0)) best = i;
  });
  return best;
}

/** quantity × unit price to the fen, as the server computes a purchase's total. */
export function lineTotal(quantity: string, unitPrice: string): string {
  return roundedText(mul(decimalOf(quantity), decimalOf(unitPrice)), 2);
}

/** A share of two counts as a percentage with one decimal ("97.5%"); "—" when nothing was due. */
export function percentOf(done: number, due: number): string {
  if (due <= 0) return '—';
  const tenths = Math.round((done * 1000) / due);
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

type WeekdayKey = '1' | '2' | '3' | '4' | '5' | '6' | '7';

/** The weekdays of a window in words: 每天, 周一至周五, 周六、周日 / Every day, Mon–Fri, Sat, Sun. */
export function useDaysText(): (days: readonly number[]) => string {
  const { t } = useTranslation();
  return (days) => {
    const sorted = [...new Set(days)].sort((a, b) => a - b);
    if (sorted.length === 7) return t('healthSupport.hours.everyDay');
    const name = (d: number) => t(`healthSupport.weekdays.${String(d) as WeekdayKey}`);
    // Runs of consecutive days: three or more read as "from – to".
    const parts: string[] = [];
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
      if (j - i >= 2) parts.push(t('healthSupport.hours.range', { from: name(sorted[i]!), to: name(sorted[j]!) }));
      else for (let k = i; k <= j; k++) parts.push(name(sorted[k]!));
      i = j + 1;
    }
    return parts.join(t('healthSupport.hours.separator'));
  };
}

/** Opening hours as lines: "周一至周五 08:00–18:00"; a window past midnight says so. */
export function OpeningHours({ windows, compact }: { windows: readonly OpeningWindow[]; compact?: boolean }) {
  const { t } = useTranslation();
  const daysText = useDaysText();
  if (windows.length === 0) return <span>{t('healthSupport.hours.none')}</span>;
  return (
    <span style={{ display: 'inline-flex', flexDirection: compact ? 'row' : 'column', flexWrap: 'wrap', gap: compact ? '0 12px' : 0 }}>
      {windows.map((w, i) => (
        <span key={i} className="num">
          {daysText(w.days)} {w.from}–{w.to}
          {w.to <= w.from ? ` ${t('healthSupport.hours.nextDay')}` : ''}
        </span>
      ))}
    </span>
  );
}

type SupportErrorCode = keyof Messages['healthSupport']['errors'];

function isSupportErrorCode(code: string): code is SupportErrorCode {
  return hasMessage(`healthSupport.errors.${code}`);
}

/**
 * A sentence about an error: the health-support pages' own words for the codes their API answers
 * (with the figures from the details, e.g. the stock still available), else the app's.
 */
export function useSupportError(): (error: unknown) => string {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  return (error) => {
    if (error instanceof ApiError && isSupportErrorCode(error.code)) {
      const details = typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : {};
      const text = (k: string) => (typeof details[k] === 'string' || typeof details[k] === 'number' ? String(details[k]) : '');
      const values = {
        available: typeof details.available === 'string' ? formatQuantity(details.available) : text('available'),
        date: text('date'),
        from: text('from'),
        to: text('to'),
        given: text('given'),
        required: text('required'),
        supplier: text('supplier'),
      };
      return t(`healthSupport.errors.${error.code}`, values);
    }
    return describe(error);
  };
}
