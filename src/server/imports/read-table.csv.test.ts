import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ImportFileError, readTable, type ImportFileErrorCode } from './read-table';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

async function expectCode(data: Buffer, code: ImportFileErrorCode, options?: Parameters<typeof readTable>[1]) {
  const error = await readTable(data, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ImportFileError);
  expect((error as ImportFileError).code).toBe(code);
  return error as ImportFileError;
}

describe('readTable: CSV encodings', () => {
  it('reads GBK (Excel "CSV" on a Chinese Windows) as gb18030', async () => {
    const data = iconv.encode('单位编码,指标编码,期间,实际值\r\nDJ1,X,2020-02,"1,234.5"\r\n', 'gbk');
    const table = await readTable(data);
    expect(table).toEqual({
      format: 'csv',
      encoding: 'gb18030',
      headers: ['单位编码', '指标编码', '期间', '实际值'],
      headerRow: 1,
      rows: [{ row: 2, cells: ['DJ1', 'X', '2020-02', '1,234.5'] }],
    });
  });

  it('strips a UTF-8 BOM and reports utf-8-bom', async () => {
    const table = await readTable(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('单位编码,实际值\n单位一,12\n')]));
    expect(table.encoding).toBe('utf-8-bom');
    expect(table.headers).toEqual(['单位编码', '实际值']);
    expect(table.rows).toEqual([{ row: 2, cells: ['单位一', '12'] }]);
  });

  it('reads plain UTF-8 with Chinese text', async () => {
    const table = await readTable(utf8('单位,备注\nDJ1,“炼铁厂”二车间\n'));
    expect(table.encoding).toBe('utf-8');
    expect(table.rows[0]?.cells).toEqual(['DJ1', '“炼铁厂”二车间']);
  });

  it('refuses UTF-8 marked files with broken bytes instead of guessing', async () => {
    await expectCode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('a,b\n'), Buffer.from([0xc3, 0x28])]), 'MALFORMED_FILE');
  });

  it('refuses bytes that are neither UTF-8 nor GB18030', async () => {
    await expectCode(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xff, 0x0a]), 'MALFORMED_FILE');
  });

  it('refuses UTF-16 "Unicode text" with advice', async () => {
    const error = await expectCode(Buffer.from('\ufeffa\tb\n', 'utf16le'), 'UNSUPPORTED_FILE_TYPE');
    expect(error.message).toMatch(/CSV UTF-8/);
  });

  it('refuses HTML exported under an .xls name', async () => {
    const error = await expectCode(utf8('<html><body><table><tr><td>a</td></tr></table></body></html>'), 'UNSUPPORTED_FILE_TYPE', {
      filename: '报表.xls',
    });
    expect(error.message).toContain('报表.xls');
  });
});

describe('readTable: CSV layout', () => {
  it('detects tab-separated text', async () => {
    const table = await readTable(utf8('单位编码\t实际值\t备注\nDJ1\t1,234.5\ta,b\n'));
    expect(table.headers).toEqual(['单位编码', '实际值', '备注']);
    expect(table.rows[0]?.cells).toEqual(['DJ1', '1,234.5', 'a,b']);
  });

  it('detects semicolons when the header has more of them than commas', async () => {
    const table = await readTable(utf8('unit;value\nDJ1;1,5\n'));
    expect(table.rows[0]?.cells).toEqual(['DJ1', '1,5']);
  });

  it('ignores delimiters inside quoted header cells when detecting', async () => {
    const table = await readTable(utf8('"a\tb\tc",d\n1,2\n'));
    expect(table.headers).toEqual(['a b c', 'd']);
  });

  it('numbers rows by record: a quoted multi-line cell is one row, and later rows follow it', async () => {
    const table = await readTable(utf8('code,note\r\nA,"line one\r\nline two\r\nline three"\r\nB,plain\r\nC,"x"\r\n'));
    expect(table.rows).toEqual([
      { row: 2, cells: ['A', 'line one\r\nline two\r\nline three'] },
      { row: 3, cells: ['B', 'plain'] },
      { row: 4, cells: ['C', 'x'] },
    ]);
  });

  it('skips blank lines but counts them, before and after the header', async () => {
    const table = await readTable(utf8('\n , \nunit,value\n\nDJ1,1\n,,,\n\u3000\nDJ2,2\n'));
    expect(table.headerRow).toBe(3);
    expect(table.rows).toEqual([
      { row: 5, cells: ['DJ1', '1'] },
      { row: 8, cells: ['DJ2', '2'] },
    ]);
  });

  it('normalises headers and trims trailing blank cells, leaving data cells as typed', async () => {
    const table = await readTable(utf8('\ufeff\u3000单位 编码 , 实际值\u3000(万元)\n ,  x ,,\n'));
    expect(table.headers).toEqual(['单位 编码', '实际值 (万元)']);
    expect(table.rows).toEqual([{ row: 2, cells: [' ', '  x '] }]);
  });

  it('accepts rows longer or shorter than the header', async () => {
    const table = await readTable(utf8('a,b\n1\n1,2,3\n'));
    expect(table.rows.map((r) => r.cells)).toEqual([['1'], ['1', '2', '3']]);
  });

  it('keeps a stray quote inside an unquoted cell, as Excel does', async () => {
    const table = await readTable(utf8('size,note\n12" pipe,ok\n'));
    expect(table.rows[0]?.cells).toEqual(['12" pipe', 'ok']);
  });

  it('reports an unclosed quote as MALFORMED_FILE', async () => {
    await expectCode(utf8('a,b\n1,"never closed\n2,3\n'), 'MALFORMED_FILE');
  });

  it('returns a header with no rows when only the header is there', async () => {
    const table = await readTable(utf8('a,b\r\n'));
    expect(table).toMatchObject({ headers: ['a', 'b'], headerRow: 1, rows: [] });
  });

  it('refuses empty and all-blank files with EMPTY_FILE', async () => {
    await expectCode(Buffer.alloc(0), 'EMPTY_FILE');
    await expectCode(utf8('\r\n  \r\n,,\r\n'), 'EMPTY_FILE');
  });

  it('refuses a row with data beyond maxColumns', async () => {
    await expectCode(utf8(`a,b\n${'x,'.repeat(1000)}x\n`), 'TOO_MANY_COLUMNS');
    const table = await readTable(utf8(`a,b\n1,2${','.repeat(5000)}\n`));
    expect(table.rows[0]?.cells).toEqual(['1', '2']);
  });
});

describe('readTable: streaming to a sink', () => {
  it('hands every data row over once, in file order and in batches, with the header; the limits still hold', async () => {
    const lines = ['code,value', ...Array.from({ length: 12_001 }, (_, i) => (i === 7 ? '' : `R${i},${i}`))];
    const batches: { first: number; size: number; header: string }[] = [];
    const seen: number[] = [];
    const table = await readTable(utf8(lines.join('\n')), {
      onRows: (rows, header) => {
        batches.push({ first: rows[0]!.row, size: rows.length, header: `${header.headerRow}:${header.headers.join('|')}` });
        seen.push(...rows.map((r) => r.row));
      },
    });
    expect(table.rows).toEqual([]);
    expect(batches.map((b) => b.size)).toEqual([5_000, 5_000, 2_000]);
    expect(new Set(batches.map((b) => b.header))).toEqual(new Set(['1:code|value']));
    // Row 9 is blank: skipped, and its number stays used.
    expect(seen).toEqual(Array.from({ length: 12_001 }, (_, i) => i + 2).filter((n) => n !== 9));
    await expectCode(utf8(lines.join('\n')), 'TOO_MANY_ROWS', { maxRows: 11_999, onRows: () => {} });
  });
});
