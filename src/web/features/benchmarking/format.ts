/** Number formats of the benchmarking pages: grouped digits, fixed decimals, an em dash for "cannot be computed". */

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, precision: number | undefined, signed: boolean): Intl.NumberFormat {
  const key = `${locale}|${precision ?? '*'}|${signed}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: precision ?? 0,
      // Without a known precision show what the server sent (it already rounded to the indicator's).
      maximumFractionDigits: precision ?? 6,
      signDisplay: signed ? 'exceptZero' : 'auto',
    });
    formatters.set(key, format);
  }
  return format;
}

export const noValue = '—';

export function formatNumber(value: number | null | undefined, locale: string, precision?: number): string {
  return value === null || value === undefined ? noValue : formatter(locale, precision, false).format(value);
}

/** A signed difference: `+1,234`, `-5.6`, `0`. */
export function formatSigned(value: number | null | undefined, locale: string, precision?: number): string {
  return value === null || value === undefined ? noValue : formatter(locale, precision, true).format(value);
}

/** A percentage the server gives with one decimal. */
export function formatPercent(value: number | null | undefined, locale: string, signed = false): string {
  return value === null || value === undefined ? noValue : `${formatter(locale, 1, signed).format(value)}%`;
}
