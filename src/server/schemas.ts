import { z } from 'zod';

// Dates the database can store on both engines whatever the offset; far outside any business use.
const minDate = '1900-01-01';
const maxDate = '2999-12-31';

/** A calendar date `YYYY-MM-DD` between 1900 and 2999. */
export const isoDate = z.iso.date().refine((d) => d >= minDate && d <= maxDate, `must be between ${minDate} and ${maxDate}`);

/** An ISO-8601 instant with an offset, between 1900 and 2999. */
export const isoDateTime = z.iso
  .datetime({ offset: true })
  .refine((d) => {
    const t = new Date(d).getTime();
    return t >= Date.parse(`${minDate}T00:00:00Z`) && t <= Date.parse(`${maxDate}T23:59:59Z`);
  }, `must be between ${minDate} and ${maxDate}`);

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path of the first string (or key) in a request value that the database cannot store:
 * a NUL character or a broken UTF-16 surrogate. Null when all text is clean.
 */
export function findUnstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') || loneSurrogate.test(value) ? path || '/' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const p = `${path}/${k}`;
    if (k.includes('\u0000') || loneSurrogate.test(k)) return p;
    const found = findUnstorableText(v, p);
    if (found) return found;
  }
  return null;
}
