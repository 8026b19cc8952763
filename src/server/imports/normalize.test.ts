import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseText, parseNumber } from './normalize';

describe('parseNumber: hand-checked cases', () => {
  it.each([
    ['0', 0],
    ['-0', 0],
    ['1234.5', 1234.5],
    ['  1234.5\t', 1234.5],
    ['\u30001234.5\u3000', 1234.5],
    ['1,234,567.8', 1234567.8],
    ['1,234', 1234],
    [' 1,234 ', 1234],
    ['1 234.5', 1234.5],
    ['1\u2009234\u2009567', 1234567],
    ['1\u00a0234', 1234],
    ['１２３４．５', 1234.5],
    ['１，２３４．５', 1234.5],
    ['－１２', -12],
    ['＋１２', 12],
    ['+12', 12],
    ['\u221212.5', -12.5],
    ['.5', 0.5],
    ['5.', 5],
    ['-.5', -0.5],
    ['1e3', 1000],
    ['1.5E-3', 0.0015],
    ['-2.5e+2', -250],
    ['１ｅ３', 1000],
    ['007', 7],
    ['123456789012345678901234567890', 1.2345678901234568e29],
  ])('%j → %d', (text, value) => {
    expect(parseNumber(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'EMPTY'],
    ['   ', 'EMPTY'],
    ['\u3000', 'EMPTY'],
    ['abc', 'NOT_A_NUMBER'],
    ['1.2.3', 'NOT_A_NUMBER'],
    ['12,34', 'MISPLACED_SEPARATOR'],
    ['1,2345', 'MISPLACED_SEPARATOR'],
    ['1234,567', 'MISPLACED_SEPARATOR'],
    ['1,234,56', 'MISPLACED_SEPARATOR'],
    ['1 2', 'MISPLACED_SEPARATOR'],
    ['1,234 567', 'MISPLACED_SEPARATOR'],
    [',123', 'MISPLACED_SEPARATOR'],
    ['NaN', 'NOT_A_NUMBER'],
    ['Infinity', 'NOT_A_NUMBER'],
    ['-Infinity', 'NOT_A_NUMBER'],
    ['1e999', 'OUT_OF_RANGE'],
    ['12%', 'NOT_A_NUMBER'],
    ['¥12', 'NOT_A_NUMBER'],
    ['(12)', 'NOT_A_NUMBER'],
    ['0x10', 'NOT_A_NUMBER'],
    ['1_000', 'NOT_A_NUMBER'],
    ['+', 'NOT_A_NUMBER'],
    ['.', 'NOT_A_NUMBER'],
    ['-', 'NOT_A_NUMBER'],
    ['e5', 'NOT_A_NUMBER'],
    ['1e', 'NOT_A_NUMBER'],
    ['--1', 'NOT_A_NUMBER'],
    ['1.234,5', 'NOT_A_NUMBER'],
  ])('%j is refused as %s', (text, reason) => {
    const result = parseNumber(text);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
  });

  it('explains a percent sign', () => {
    expect(parseNumber('12.5%')).toMatchObject({ ok: false, message: expect.stringContaining('percent') as unknown });
  });
});

// Formats a number the ways people and spreadsheets write it, keeping every digit of String(n).
function group(text: string, separator: string): string {
  const match = /^(-?)(\d+)(.*)$/.exec(text);
  if (!match) return text;
  const [, sign = '', digits = '', rest = ''] = match;
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator) + rest;
}
const toFullWidth = (text: string) =>
  text.replace(/[0-9.,+\-e]/g, (ch) =>
    ch === 'e' ? 'ｅ' : String.fromCharCode(ch === '-' ? 0xff0d : ch === '+' ? 0xff0b : ch === '.' ? 0xff0e : ch === ',' ? 0xff0c : ch.charCodeAt(0) - 48 + 0xff10),
  );

const formats: [string, (n: number) => string][] = [
  ['plain', (n) => String(n)],
  ['thousands commas', (n) => group(String(n), ',')],
  ['thousands spaces', (n) => group(String(n), ' ')],
  ['thin-space groups', (n) => group(String(n), '\u2009')],
  ['full-width digits', (n) => toFullWidth(String(n))],
  ['full-width with full-width commas', (n) => toFullWidth(group(String(n), ','))],
  ['surrounding spaces', (n) => ` \u3000${String(n)}\t `],
  ['explicit plus, typographic minus', (n) => (n < 0 || Object.is(n, -0) ? `\u2212${String(-n)}` : `+${String(n)}`)],
];

const numbers = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1e15, max: 1e15 }),
  fc.integer({ min: -1e12, max: 1e12 }).map((n) => n / 100),
);

describe('parseNumber: properties', () => {
  it.each(formats)('round-trips every finite number written with %s', (_name, format) => {
    fc.assert(
      fc.property(numbers, (n) => {
        const result = parseNumber(format(n));
        expect(result.ok).toBe(true);
        if (result.ok) expect(Object.is(result.value, n === 0 ? 0 : n)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws and only returns finite numbers, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const result = parseNumber(text);
        if (result.ok) expect(Number.isFinite(result.value)).toBe(true);
        else expect(result.message).not.toBe('');
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any grouping whose groups are not three digits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999 }),
        fc.array(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
        (head, groups) => {
          fc.pre(groups.some((g) => g.length !== 3));
          expect(parseNumber([String(head), ...groups].join(','))).toMatchObject({ ok: false, reason: 'MISPLACED_SEPARATOR' });
        },
      ),
    );
  });
});

describe('normaliseText', () => {
  it.each([
    ['  DJ1  ', 'DJ1'],
    ['\u3000炼铁厂\u3000二车间\u3000', '炼铁厂 二车间'],
    ['a \t  b', 'a b'],
    ['a\u00a0b', 'a b'],
    ['DJ\u200b1', 'DJ1'],
    ['\ufeffDJ1', 'DJ1'],
    ['a\u0000b\u0007c\u007f', 'abc'],
    ['\u202eevil', 'evil'],
    ['line one \r\n  line two\rline three', 'line one\nline two\nline three'],
    ['\n\nkept\n\n', 'kept'],
    ['ＡＢＣ１２３', 'ＡＢＣ１２３'],
  ])('%j → %j', (text, expected) => {
    expect(normaliseText(text)).toBe(expected);
  });

  it('is idempotent and leaves no control characters but newlines', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const once = normaliseText(text);
        expect(normaliseText(once)).toBe(once);
        // eslint-disable-next-line no-control-regex -- asserting these characters are gone
        expect(/[\u0000-\u0009\u000B-\u001F\u007F\u200B]/.test(once)).toBe(false);
        expect(once).toBe(once.trim());
      }),
      { numRuns: 2000 },
    );
  });
});
