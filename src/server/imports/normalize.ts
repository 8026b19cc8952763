export type ParseNumberFailure = 'EMPTY' | 'NOT_A_NUMBER' | 'MISPLACED_SEPARATOR' | 'OUT_OF_RANGE';

export type ParseNumberResult = { ok: true; value: number } | { ok: false; reason: ParseNumberFailure; message: string };

// Full-width forms typed with a Chinese IME, and the typographic minus sign.
const fullWidthMap = new Map<string, string>([
  ['．', '.'],
  ['，', ','],
  ['－', '-'],
  ['＋', '+'],
  ['\u2212', '-'],
  ['ｅ', 'e'],
  ['Ｅ', 'E'],
]);
const fullWidthChars = /[\uFF10-\uFF19．，－＋\u2212ｅＥ]/g;

const toHalfWidth = (ch: string) => {
  const code = ch.charCodeAt(0);
  return code >= 0xff10 && code <= 0xff19 ? String.fromCharCode(code - 0xff10 + 48) : (fullWidthMap.get(ch) ?? ch);
};

// Thousands groups use one separator throughout: comma, space, NBSP, thin space or narrow NBSP.
const numberPattern =
  /^(?<sign>[+-]?)(?:(?<grouped>\d{1,3}(?<sep>[, \u00A0\u2009\u202F])\d{3}(?:\k<sep>\d{3})*)|(?<plain>\d*))(?:\.(?<fraction>\d*))?(?:[eE](?<exponent>[+-]?\d+))?$/;
const separatorsAnywhere = /^[+-]?[\d, \u00A0\u2009\u202F]*\d[\d, \u00A0\u2009\u202F]*(?:\.\d*)?(?:[eE][+-]?\d+)?$/;

/**
 * Reads a number as people type it into a spreadsheet: full-width digits and signs, thousands
 * separators in the right places, surrounding spaces, an exponent. Anything ambiguous (`12,34`,
 * `1.2.3`, `12%`) is refused rather than guessed.
 */
export function parseNumber(text: string): ParseNumberResult {
  const input = text.replace(fullWidthChars, toHalfWidth).trim();
  if (input === '') return { ok: false, reason: 'EMPTY', message: 'The value is empty; enter a number.' };
  const match = numberPattern.exec(input);
  const groups = match?.groups;
  if (!groups) {
    if (separatorsAnywhere.test(input)) {
      return {
        ok: false,
        reason: 'MISPLACED_SEPARATOR',
        message: `"${text}" has a misplaced thousands separator; write it as 1234.5 or 1,234.5.`,
      };
    }
    if (input.endsWith('%')) {
      return { ok: false, reason: 'NOT_A_NUMBER', message: `"${text}" has a percent sign; enter the number without it.` };
    }
    return { ok: false, reason: 'NOT_A_NUMBER', message: `"${text}" is not a number.` };
  }
  const integer = groups.grouped !== undefined ? groups.grouped.replace(/[^\d]/g, '') : (groups.plain ?? '');
  const fraction = groups.fraction ?? '';
  if (integer === '' && fraction === '') return { ok: false, reason: 'NOT_A_NUMBER', message: `"${text}" is not a number.` };
  const canonical = `${groups.sign ?? ''}${integer || '0'}.${fraction || '0'}${groups.exponent === undefined ? '' : `e${groups.exponent}`}`;
  const value = Number(canonical);
  if (!Number.isFinite(value)) return { ok: false, reason: 'OUT_OF_RANGE', message: `"${text}" is too large.` };
  return { ok: true, value: value === 0 ? 0 : value };
}

// eslint-disable-next-line no-control-regex -- these control characters are exactly what is removed
const invisibleChars = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Cleans free text from a cell: trimmed, runs of spaces (full-width and tabs included) made one
 * space, control and zero-width characters removed; line breaks are kept (CR LF becomes LF).
 * No NFKC folding: codes keep the characters the user typed.
 */
export function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(invisibleChars, '')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
}
