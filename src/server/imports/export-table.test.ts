import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORMULA_TRIGGERS, toSafeCell, writeCsv, writeXlsx, type ExportCell } from './export-table';
import { readTable } from './read-table';

const startsWithTrigger = (text: string) => FORMULA_TRIGGERS.includes(text.charAt(0));

// Strings biased towards the dangerous first characters.
const cellStrings = fc.oneof(
  fc.string(),
  fc.tuple(fc.constantFrom(...FORMULA_TRIGGERS, "'", ' ', '＝'), fc.string()).map(([head, rest]) => head + rest),
  fc.constantFrom('=HYPERLINK("http://evil.example","点击")', '=cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '-2+3', '+1', '\t=1', '\r\n=1'),
);

describe('toSafeCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+86 138', "'+86 138"],
    ['-', "'-"],
    ['@user', "'@user"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['\n=1', "'\n=1"],
    ['plain', 'plain'],
    ["'quoted", "'quoted"],
    [' =1', ' =1'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(toSafeCell(input)).toBe(expected);
  });

  it('keeps numbers as numbers, negative ones included, and empties as null', () => {
    expect(toSafeCell(-12.5)).toBe(-12.5);
    expect(toSafeCell(0)).toBe(0);
    expect(toSafeCell(null)).toBeNull();
    expect(toSafeCell(undefined)).toBeNull();
    expect(toSafeCell(Number.NaN)).toBeNull();
    expect(toSafeCell(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('never yields a string starting with a trigger, and removing the added quote gives the input back', () => {
    fc.assert(
      fc.property(cellStrings, (text) => {
        const safe = toSafeCell(text);
        expect(typeof safe).toBe('string');
        expect(startsWithTrigger(safe as string)).toBe(false);
        expect(safe).toBe(startsWithTrigger(text) ? `'${text}` : text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('writeCsv', () => {
  it('writes UTF-8 with BOM and CRLF, quoting what needs quoting', () => {
    const csv = writeCsv(['行号', '信息'], [
      [2, '单位编码 "DJ9" 不存在, 请检查'],
      [3, null],
      [-4.5, '=1+1'],
    ]);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.subarray(3).toString('utf8')).toBe('行号,信息\r\n2,"单位编码 ""DJ9"" 不存在, 请检查"\r\n3,\r\n-4.5,\'=1+1\r\n');
  });

  it('round-trips through a CSV parser: no cell starts with a trigger, and the content survives', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cellStrings, fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null))), { maxLength: 20 }), (rows) => {
        const data: ExportCell[][] = rows.map(([text, number]) => [text, number]);
        const csv = writeCsv(['text', 'number'], data).subarray(3).toString('utf8');
        const records = parse(csv, { relax_column_count: true }) as string[][];
        expect(records.length).toBe(rows.length + 1);
        rows.forEach(([text, number], i) => {
          const [cellText = '', cellNumber = ''] = records[i + 1] ?? [];
          expect(startsWithTrigger(cellText)).toBe(false);
          expect(cellText).toBe(startsWithTrigger(text) ? `'${text}` : text);
          expect(cellNumber).toBe(number === null ? '' : String(number));
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('writeXlsx', () => {
  it('writes a bold, frozen header, widths, numbers as numbers and neutralised text', async () => {
    const data = await writeXlsx('错误报告: 2020/02', ['行号', '信息', '值'], [
      [2, '=HYPERLINK("http://evil.example")', -12.5],
      [3, null, 1234.5],
      [4, '@SUM(A1)', null],
    ], { columnWidths: [8, 40, 12] });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(sheet.name).toBe('错误报告_ 2020_02');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getColumn(2).width).toBe(40);
    expect(sheet.getCell('B2').value).toBe('\'=HYPERLINK("http://evil.example")');
    expect(sheet.getCell('C2').value).toBe(-12.5);
    expect(sheet.getCell('B3').value).toBeNull();
    expect(sheet.getCell('B4').value).toBe("'@SUM(A1)");
    // nothing was written as a formula
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('reads back through readTable with the row numbers the report shows', async () => {
    const rows: ExportCell[][] = Array.from({ length: 1000 }, (_, i) => [`DJ${i}`, i * 1.5, i % 2 ? null : '-']);
    const table = await readTable(await writeXlsx('S', ['unit', 'value', 'note'], rows));
    expect(table.headers).toEqual(['unit', 'value', 'note']);
    expect(table.rows).toHaveLength(1000);
    expect(table.rows[0]).toEqual({ row: 2, cells: ['DJ0', '0', "'-"] });
    expect(table.rows[999]).toEqual({ row: 1001, cells: ['DJ999', '1498.5'] });
  });
});
