import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { readTable } from './read-table';
import { declaredLastRow } from './xlsx-archive';
import { inlineCell, minimalXlsx, numberCell, stylesXml } from './test-fixtures';

async function zipText(data: Buffer, name: string): Promise<string> {
  const zip = await yauzl.fromBufferPromise(data);
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName !== name) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  }
  throw new Error(`${name} not in zip`);
}

async function excelWorkbook(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('readTable: workbooks written by exceljs', () => {
  it('reads Chinese headers, text that looks like numbers, numbers, dates, formulas, rich text and shared strings', async () => {
    const data = await excelWorkbook((workbook) => {
      const sheet = workbook.addWorksheet('实际值');
      sheet.addRow(['单位编码', '指标编码', '期间', '实际值', '备注']);
      sheet.addRow(['DJ1', 'X1', '2020-02', '１２３４．５', ' 1,234 ']);
      sheet.addRow(['DJ1', 'X2', new Date(Date.UTC(2020, 1, 1)), 1234.5, -0.25]);
      sheet.addRow(['DJ2', 'X1', new Date(Date.UTC(2020, 1, 1)), { formula: 'D3*2', result: 2469 }, { formula: 'A2&"-"&B2', result: 'DJ1-X1' }]);
      sheet.addRow(['DJ2', 'X2', { richText: [{ text: '二〇二〇' }, { text: '年', font: { bold: true } }] }, true, { error: '#N/A' }]);
      sheet.addRow([]);
      sheet.addRow(['DJ3', 'X1', new Date(Date.UTC(2020, 1, 1, 8, 30, 0)), 1e21, 0.1 + 0.2]);
      sheet.getCell('C3').numFmt = 'yyyy-mm-dd';
      sheet.getCell('C4').numFmt = 'yyyy"年"m"月"';
      sheet.getCell('C7').numFmt = 'yyyy-mm-dd hh:mm';
    });
    // exceljs writes text through the shared-string table, as Excel does
    expect(await zipText(data, 'xl/worksheets/sheet1.xml')).toContain('t="s"');
    expect(await zipText(data, 'xl/sharedStrings.xml')).toContain('１２３４．５');

    const table = await readTable(data);
    expect(table).toEqual({
      format: 'xlsx',
      sheet: '实际值',
      headers: ['单位编码', '指标编码', '期间', '实际值', '备注'],
      headerRow: 1,
      rows: [
        { row: 2, cells: ['DJ1', 'X1', '2020-02', '１２３４．５', ' 1,234 '] },
        { row: 3, cells: ['DJ1', 'X2', '2020-02-01', '1234.5', '-0.25'] },
        { row: 4, cells: ['DJ2', 'X1', '2020-02', '2469', 'DJ1-X1'] },
        { row: 5, cells: ['DJ2', 'X2', '二〇二〇年', 'TRUE'] },
        { row: 7, cells: ['DJ3', 'X1', '2020-02-01 08:30:00', '1e+21', '0.30000000000000004'] },
      ],
    });
  });

  it('reads only the first sheet, by workbook order', async () => {
    const data = await excelWorkbook((workbook) => {
      workbook.addWorksheet('First').addRows([['a'], ['1']]);
      workbook.addWorksheet('Second').addRows([['b'], ['2']]);
    });
    const table = await readTable(data);
    expect(table.sheet).toBe('First');
    expect(table.headers).toEqual(['a']);
    expect(table.rows).toEqual([{ row: 2, cells: ['1'] }]);
  });

  it('reads a header placed below title rows and trims trailing empty cells', async () => {
    const data = await excelWorkbook((workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.getCell('A3').value = ' 单位\u3000编码 ';
      sheet.getCell('B3').value = '实际值\n(万元)';
      sheet.getCell('A4').value = 'DJ1';
      sheet.getCell('F4').value = '';
      sheet.getCell('F4').numFmt = '0.00';
    });
    const table = await readTable(data);
    expect(table.headerRow).toBe(3);
    expect(table.headers).toEqual(['单位 编码', '实际值 (万元)']);
    expect(table.rows).toEqual([{ row: 4, cells: ['DJ1'] }]);
  });

  it('turns a formula-computed date into a date, using the cached result', async () => {
    const data = await excelWorkbook((workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.addRow(['d']);
      sheet.getCell('A2').value = { formula: 'DATE(2020,2,1)', result: 43862 };
      sheet.getCell('A2').numFmt = 'yyyy-mm-dd';
    });
    expect((await readTable(data)).rows[0]?.cells).toEqual(['2020-02-01']);
  });
});

describe('readTable: streaming an .xlsx to a sink', () => {
  it('waits for the promise a sink returns before reading on, and hands every row over once', async () => {
    const data = await excelWorkbook((workbook) => {
      const sheet = workbook.addWorksheet('实际值');
      sheet.addRow(['code', 'value']);
      for (let i = 0; i < 11_000; i++) sheet.addRow([`R${i}`, i]);
    });
    const events: string[] = [];
    let seen = 0;
    const table = await readTable(data, {
      onRows: (rows, header) => {
        // The worksheet's dimension (A1:B11001), for the progress bar.
        expect(header).toMatchObject({ headerRow: 1, declaredLastRow: 11_001 });
        seen += rows.length;
        events.push(`batch ${rows.length}`);
        // A slow consumer: the reader must not hand over the next batch before this resolves.
        return new Promise((resolve) =>
          setTimeout(() => {
            events.push('written');
            resolve();
          }, 20),
        );
      },
    });
    expect(table.rows).toEqual([]);
    expect(seen).toBe(11_000);
    expect(events).toEqual(['batch 5000', 'written', 'batch 5000', 'written', 'batch 1000']);
  });

  it("reads the last row a worksheet declares from its <dimension>, before the data only, within Excel's range", () => {
    const sheet = (dimension: string) => `<?xml version="1.0"?><worksheet xmlns="x">${dimension}<sheetViews/><sheetData><row r="1"/></sheetData></worksheet>`;
    expect(declaredLastRow(sheet('<dimension ref="A1:E100001"/>'))).toBe(100_001);
    expect(declaredLastRow(sheet("<x:dimension ref='B3'/>"))).toBe(3);
    expect(declaredLastRow(sheet('<dimension ref="$A$1:$D$9"/>'))).toBe(9);
    expect(declaredLastRow(sheet(''))).toBeNull();
    expect(declaredLastRow(sheet('<dimension ref="A1:XFD1048577"/>'))).toBeNull();
    expect(declaredLastRow(sheet('<dimension ref="A1:B0"/>'))).toBeNull();
    expect(declaredLastRow(sheet('<dimension ref="nonsense"/>'))).toBeNull();
    // A tag inside the data is not the sheet's dimension.
    expect(declaredLastRow('<worksheet><sheetData><dimension ref="A1:A5"/></sheetData></worksheet>')).toBeNull();
  });
});

describe('readTable: hand-written workbooks (Excel and WPS habits)', () => {
  it('treats the locale-dependent built-in date formats of Chinese Excel/WPS (31, 57, 58) as dates', async () => {
    const data = minimalXlsx({
      sheets: [
        {
          name: 'S',
          sheetData:
            `<row r="1">${inlineCell('A1', 'ym')}${inlineCell('B1', 'ymd')}${inlineCell('C1', 'md')}${inlineCell('D1', 'plain')}${inlineCell('E1', 'custom')}</row>` +
            `<row r="2">${numberCell('A2', 43862, 1)}${numberCell('B2', 43862, 2)}${numberCell('C2', 43862, 3)}${numberCell('D2', 43862, 4)}${numberCell('E2', 43862, 5)}</row>`,
        },
      ],
      stylesXml: stylesXml([57, 31, 58, 14, 176], { 176: 'yyyy"年"m"月";@' }),
    });
    expect((await readTable(data)).rows[0]?.cells).toEqual(['2020-02', '2020-02-01', '2020-02-01', '2020-02-01', '2020-02']);
  });

  it('honours the 1904 date system', async () => {
    const data = minimalXlsx({
      date1904: true,
      sheets: [{ name: 'S', sheetData: `<row r="1">${inlineCell('A1', 'd')}</row><row r="2">${numberCell('A2', 42400, 1)}</row>` }],
      stylesXml: stylesXml([14]),
    });
    expect((await readTable(data)).rows[0]?.cells).toEqual(['2020-02-01']);
  });

  it('reads shared strings, decodes Excel _xHHHH_ escapes and keeps numbers as stored', async () => {
    const data = minimalXlsx({
      sheets: [
        {
          name: 'S',
          sheetData:
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
            '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1234.5</v></c></row>' +
            '<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3" t="b"><v>0</v></c><c r="C3" t="e"><v>#DIV/0!</v></c></row>',
        },
      ],
      sharedStrings: ['单位编码', '实际值', 'line_x000D_\nbreak', 'literal _x005F_x0041_'],
    });
    const table = await readTable(data);
    expect(table.headers).toEqual(['单位编码', '实际值']);
    expect(table.rows).toEqual([
      { row: 2, cells: ['line\r\nbreak', '1234.5'] },
      { row: 3, cells: ['literal _x0041_', 'FALSE'] },
    ]);
  });

  it('skips hidden sheets and follows relationships to the first visible worksheet', async () => {
    const data = minimalXlsx({
      sheets: [
        { name: 'Lists', hidden: true, sheetData: `<row r="1">${inlineCell('A1', 'lookup')}</row>` },
        { name: '数据', path: 'xl/worksheets/data.xml', sheetData: `<row r="1">${inlineCell('A1', 'code')}</row><row r="2">${inlineCell('A2', 'DJ1')}</row>` },
      ],
    });
    const table = await readTable(data);
    expect(table.sheet).toBe('数据');
    expect(table.rows).toEqual([{ row: 2, cells: ['DJ1'] }]);
  });

  it('refuses rows without an r attribute (exceljs cannot place their cells)', async () => {
    const data = minimalXlsx({ sheets: [{ name: 'S', sheetData: `<row r="3">${inlineCell('A3', 'h')}</row><row>${inlineCell('A4', 'x')}</row>` }] });
    await expect(readTable(data)).rejects.toMatchObject({ code: 'MALFORMED_FILE' });
  });

  it('refuses rows listed out of order', async () => {
    const data = minimalXlsx({
      sheets: [{ name: 'S', sheetData: `<row r="5">${inlineCell('A5', 'h')}</row><row r="2">${inlineCell('A2', 'x')}</row>` }],
    });
    await expect(readTable(data)).rejects.toMatchObject({ code: 'MALFORMED_FILE' });
  });

  it('ignores empty styled cells far to the right but refuses data there', async () => {
    const blank = minimalXlsx({ sheets: [{ name: 'S', sheetData: `<row r="1">${inlineCell('A1', 'h')}<c r="XFD1" s="0"/></row>` }] });
    expect((await readTable(blank)).headers).toEqual(['h']);
    const stray = minimalXlsx({ sheets: [{ name: 'S', sheetData: `<row r="1">${inlineCell('A1', 'h')}${numberCell('XFD1', 1)}</row>` }] });
    await expect(readTable(stray)).rejects.toMatchObject({ code: 'TOO_MANY_COLUMNS' });
  });

  it('refuses a workbook whose sheet has no data with EMPTY_FILE', async () => {
    await expect(readTable(minimalXlsx({ sheets: [{ name: 'S', sheetData: '<row r="1"/><row r="2"><c r="A2"/></row>' }] }))).rejects.toMatchObject({
      code: 'EMPTY_FILE',
    });
  });
});
