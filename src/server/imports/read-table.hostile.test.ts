import { beforeAll, describe, expect, it } from 'vitest';
import { mapColumns } from './columns';
import { ImportFileError, readTable, type ImportFileErrorCode } from './read-table';
import {
  MiB,
  contentTypesXml,
  deflatedEntry,
  deflatedZeros,
  inlineCell,
  minimalXlsx,
  storedEntry,
  worksheetXml,
  writeZip,
  xlsmMainContentType,
} from './test-fixtures';
import { growthMiB, readInChild } from './perf/read-in-child';
import { xlsxArchiveLimits } from './xlsx-archive';
import type { ZipEntryInput } from './zip-writer';

async function codeOf(data: Buffer, options?: Parameters<typeof readTable>[1]): Promise<ImportFileErrorCode> {
  const error = await readTable(data, options).then(
    () => new Error('readTable accepted the file'),
    (e: unknown) => e,
  );
  if (!(error instanceof ImportFileError)) throw error;
  return error.code;
}

const headerRow = `<row r="1">${inlineCell('A1', 'code')}</row>`;

/** A workbook whose first worksheet is `sheet` (an entry named xl/worksheets/sheet1.xml). */
function workbookWith(sheet: ZipEntryInput, extra: ZipEntryInput[] = []): Buffer {
  return writeZip([
    deflatedEntry('[Content_Types].xml', contentTypesXml()),
    deflatedEntry(
      'xl/workbook.xml',
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    deflatedEntry(
      'xl/_rels/workbook.xml.rels',
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    sheet,
    ...extra,
  ]);
}

/** Rewrites fields of an entry's central directory header (flags at +8, method at +10). */
function patchCentralHeader(zip: Buffer, name: string, patch: (header: Buffer) => void): Buffer {
  const copy = Buffer.from(zip);
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = copy.indexOf(signature); at !== -1; at = copy.indexOf(signature, at + 4)) {
    const nameLength = copy.readUInt16LE(at + 28);
    if (copy.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      patch(copy.subarray(at, at + 46));
      return copy;
    }
  }
  throw new Error(`${name} not found`);
}

describe('readTable: zip bombs', () => {
  let zeros: { data: Buffer; crc: number };
  const zeroBytes = 300 * MiB;
  const bomb = (declaredSize: number) =>
    workbookWith({ name: 'xl/worksheets/sheet1.xml', method: 8, data: zeros.data, crc32: zeros.crc, uncompressedSize: declaredSize });

  beforeAll(async () => {
    zeros = await deflatedZeros(zeroBytes);
  });

  it('refuses a sheet that declares 300 MB of zeros, quickly and without inflating it', async () => {
    const read = await readInChild('readTable', bomb(zeroBytes));
    expect(read.code).toBe('UNSAFE_FILE');
    expect(growthMiB(read)).toBeLessThan(100);
  });

  it('refuses a compression ratio above 100 even when the total is under the cap', async () => {
    expect(await codeOf(bomb(150 * MiB))).toBe('UNSAFE_FILE');
  });

  it('refuses a sheet that lies about its size (declares 1 KB, inflates to 300 MB) within the memory budget', async () => {
    const read = await readInChild('readTable', bomb(1024));
    expect(read.code).toBe('UNSAFE_FILE');
    expect(growthMiB(read)).toBeLessThan(100);
  });

  it('keeps a running count of inflated bytes across parts, whatever the headers declare', async () => {
    const data = minimalXlsx({ sheets: [{ name: 'S', sheetData: headerRow + `<row r="2">${inlineCell('A2', 'x'.repeat(20_000))}</row>` }] });
    const saved = xlsxArchiveLimits.maxInflatedBytes;
    xlsxArchiveLimits.maxInflatedBytes = 10_000;
    try {
      const error = await readTable(data).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNSAFE_FILE', message: expect.stringMatching(/unpacks to more than/) as unknown });
    } finally {
      xlsxArchiveLimits.maxInflatedBytes = saved;
    }
    expect((await readTable(data)).rows).toHaveLength(1);
  });

  it('refuses when the declared sizes of all parts add up to more than 200 MB', async () => {
    const parts = Array.from({ length: 3 }, (_, i) => ({
      ...storedEntry(`xl/media/image${i}.bin`, 'x'),
      uncompressedSize: 70 * MiB,
      // stored entries must declare equal sizes; these are "deflated" 70 MB blobs of 1 MB each
      method: 8 as const,
      data: Buffer.alloc(MiB, 1),
    }));
    expect(await codeOf(workbookWith(deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(headerRow)), parts))).toBe('UNSAFE_FILE');
  });
});

describe('readTable: zip structure tricks', () => {
  it('refuses more than 1000 entries', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => storedEntry(`xl/media/f${i}.txt`, ''));
    expect(await codeOf(workbookWith(deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(headerRow)), many))).toBe('UNSAFE_FILE');
  });

  it.each(['../evil', 'xl/../../evil.xml', '/etc/passwd', 'xl\\worksheets\\sheet9.xml', 'C:/evil.xml'])('refuses the entry name %s', async (name) => {
    expect(await codeOf(workbookWith(deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(headerRow)), [storedEntry(name, 'x')]))).toBe(
      'UNSAFE_FILE',
    );
  });

  it('refuses two entries with the same name (in any case)', async () => {
    const sheet = deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(headerRow));
    expect(await codeOf(workbookWith(sheet, [deflatedEntry('XL/Worksheets/Sheet1.xml', worksheetXml('<row r="1"/>'))]))).toBe('UNSAFE_FILE');
  });

  it('refuses encrypted entries and unknown compression methods as unsupported', async () => {
    const data = workbookWith(deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(headerRow)));
    expect(await codeOf(patchCentralHeader(data, 'xl/worksheets/sheet1.xml', (h) => h.writeUInt16LE(h.readUInt16LE(8) | 1, 8)))).toBe(
      'UNSUPPORTED_FILE_TYPE',
    );
    expect(await codeOf(patchCentralHeader(data, 'xl/worksheets/sheet1.xml', (h) => h.writeUInt16LE(12, 10)))).toBe('UNSUPPORTED_FILE_TYPE');
  });

  it('reads only what the central directory lists: a hidden local entry is never parsed', async () => {
    // A second "sheet1.xml" smuggled between local entries but absent from the central
    // directory: a streaming unzipper would see it; the repack step means exceljs never does.
    const good = workbookWith(deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(`${headerRow}<row r="2">${inlineCell('A2', 'real')}</row>`)));
    const smuggled = writeZip([deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(`${headerRow}<row r="2">${inlineCell('A2', 'smuggled')}</row>`))]);
    const localOnly = smuggled.subarray(0, smuggled.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
    const offset = localOnly.length;
    // prepend the smuggled local entry and shift every central-directory offset by its length
    const combined = Buffer.concat([localOnly, good]);
    const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
    for (let at = combined.indexOf(signature, offset); at !== -1; at = combined.indexOf(signature, at + 4)) {
      combined.writeUInt32LE(combined.readUInt32LE(at + 42) + offset, at + 42);
    }
    const end = combined.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    combined.writeUInt32LE(combined.readUInt32LE(end + 16) + offset, end + 16);
    const table = await readTable(combined);
    expect(table.rows).toEqual([{ row: 2, cells: ['real'] }]);
  });
});

describe('readTable: XML tricks', () => {
  const billionLaughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>';

  it('refuses a DOCTYPE in the worksheet', async () => {
    const xml = worksheetXml(`<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>`).replace(/^<\?xml[^>]*>/, billionLaughs);
    expect(await codeOf(minimalXlsx({ sheets: [{ name: 'S', rawXml: xml }] }))).toBe('UNSAFE_FILE');
  });

  it.each(['xl/sharedStrings.xml', 'xl/workbook.xml', 'xl/styles.xml', '[Content_Types].xml', 'xl/_rels/workbook.xml.rels'])(
    'refuses a DOCTYPE in %s',
    async (part) => {
      const data = minimalXlsx({
        sheets: [{ name: 'S', sheetData: headerRow }],
        sharedStrings: ['a'],
        override: { [part]: `${billionLaughs}<x/>` },
      });
      expect(await codeOf(data)).toBe('UNSAFE_FILE');
    },
  );

  it('finds a DOCTYPE that straddles two inflated chunks', async () => {
    // zlib hands out 16 KiB chunks; put the declaration across that boundary at every offset
    for (let shift = 1; shift <= 8; shift += 1) {
      const xml = `<?xml version="1.0"?>${' '.repeat(16 * 1024 - 21 - shift)}<!DOCTYPE x><worksheet/>`;
      expect(await codeOf(minimalXlsx({ sheets: [{ name: 'S', rawXml: xml }] }))).toBe('UNSAFE_FILE');
    }
  });

  it('refuses XML parts in UTF-16, which a byte scan for DOCTYPE could not check', async () => {
    const xml = Buffer.from(`\ufeff${worksheetXml(headerRow)}`, 'utf16le');
    expect(await codeOf(workbookWith(deflatedEntry('xl/worksheets/sheet1.xml', xml)))).toBe('UNSAFE_FILE');
  });

  it('turns a cell reference of __proto__ into MALFORMED_FILE and leaves Object.prototype alone', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype);
    const data = minimalXlsx({ sheets: [{ name: 'S', sheetData: `<row r="1"><c r="__proto__" t="inlineStr"><is><t>x</t></is></c></row>` }] });
    expect(await codeOf(data)).toBe('MALFORMED_FILE');
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(before);
  });
});

describe('readTable: file types', () => {
  it('refuses macro-enabled workbooks, by content type or by VBA part', async () => {
    expect(await codeOf(minimalXlsx({ sheets: [{ name: 'S', sheetData: headerRow }], mainContentType: xlsmMainContentType }))).toBe(
      'UNSUPPORTED_FILE_TYPE',
    );
    expect(await codeOf(minimalXlsx({ sheets: [{ name: 'S', sheetData: headerRow }], extra: [storedEntry('xl/vbaProject.bin', 'vba')] }))).toBe(
      'UNSUPPORTED_FILE_TYPE',
    );
  });

  it('accepts a workbook that merely embeds a macro-enabled object type', async () => {
    const contentTypes = contentTypesXml().replace(
      '</Types>',
      '<Default Extension="xlsm" ContentType="application/vnd.ms-excel.sheet.macroEnabled.12"/></Types>',
    );
    const data = minimalXlsx({ sheets: [{ name: 'S', sheetData: headerRow }], override: { '[Content_Types].xml': contentTypes } });
    expect((await readTable(data)).headers).toEqual(['code']);
  });

  it('refuses a zip that is not a workbook', async () => {
    expect(await codeOf(writeZip([deflatedEntry('word/document.xml', '<w:document/>'), deflatedEntry('[Content_Types].xml', '<Types/>')]))).toBe(
      'UNSUPPORTED_FILE_TYPE',
    );
  });

  it('refuses truncated, garbage and corrupted zips as MALFORMED_FILE', async () => {
    const good = minimalXlsx({ sheets: [{ name: 'S', sheetData: headerRow }] });
    expect(await codeOf(good.subarray(0, Math.floor(good.length / 2)))).toBe('MALFORMED_FILE');
    expect(await codeOf(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 0x41)]))).toBe('MALFORMED_FILE');
    const corrupt: ZipEntryInput = { ...deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(headerRow)), data: Buffer.alloc(40, 0xff) };
    expect(await codeOf(workbookWith(corrupt))).toBe('MALFORMED_FILE');
  });

  it('refuses a worksheet that is not well-formed XML as MALFORMED_FILE', async () => {
    const xml = worksheetXml(headerRow).replace('</sheetData>', '<row r="2"><c r="A2"><v>1</v></c></row><<</sheetData>');
    expect(await codeOf(minimalXlsx({ sheets: [{ name: 'S', rawXml: xml }] }))).toBe('MALFORMED_FILE');
  });

  it('refuses old .xls (OLE) files, PDFs, images and other binaries', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const binary = Buffer.concat([Buffer.from('abc,def\n'), Buffer.from([0, 1, 2, 3])]);
    for (const data of [ole, pdf, png, binary]) expect(await codeOf(data)).toBe('UNSUPPORTED_FILE_TYPE');
    const error = await readTable(ole).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/\.xlsx/);
  });

  it('refuses files over the size limit before looking inside', async () => {
    expect(await codeOf(Buffer.alloc(21 * MiB, 0x41))).toBe('FILE_TOO_LARGE');
    expect(await codeOf(Buffer.from('a,b\n1,2\n'), { maxBytes: 4 })).toBe('FILE_TOO_LARGE');
  });
});

describe('readTable: row limits', () => {
  it('accepts 200 000 data rows and refuses 200 001', async () => {
    const csv = (n: number) => Buffer.from(`unit,value\n${'DJ1,1\n'.repeat(n)}`);
    const table = await readTable(csv(200_000));
    expect(table.rows.length).toBe(200_000);
    expect(table.rows.at(-1)?.row).toBe(200_001);
    expect(await codeOf(csv(200_001))).toBe('TOO_MANY_ROWS');
  });

  it('stops reading a workbook at maxRows + 1 data rows', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `<row r="${i + 2}">${inlineCell(`A${i + 2}`, `v${i}`)}</row>`).join('');
    const data = minimalXlsx({ sheets: [{ name: 'S', sheetData: headerRow + rows }] });
    expect(await codeOf(data, { maxRows: 49 })).toBe('TOO_MANY_ROWS');
    expect((await readTable(data, { maxRows: 50 })).rows.length).toBe(50);
  });

  it('counts blank rows for numbering but not against the limit, and refuses more lines than Excel has', async () => {
    const table = await readTable(Buffer.from(`h\n${'\n'.repeat(500_000)}x\n`), { maxRows: 1 });
    expect(table.rows).toEqual([{ row: 500_002, cells: ['x'] }]);
    expect(await codeOf(Buffer.from(`h\n${'\n'.repeat(1_048_576)}x\n`))).toBe('TOO_MANY_ROWS');
  });

  it('reads a sheet with one value, a dimension of A1:Z1048576 and thousands of empty rows', async () => {
    const empty = Array.from({ length: 5_000 }, (_, i) => `<row r="${i + 2}" spans="1:26"/>`).join('');
    const data = minimalXlsx({ sheets: [{ name: 'S', rawXml: worksheetXml(headerRow + empty, '<dimension ref="A1:Z1048576"/>') }] });
    const result = await readTable(data);
    expect(result).toMatchObject({ headers: ['code'], rows: [] });
  });

  it('skips a million empty row elements within the memory budget', async () => {
    const rows = [headerRow];
    for (let r = 2; r <= 1_048_575; r += 1) rows.push(`<row r="${r}"/>`);
    rows.push(`<row r="1048576">${inlineCell('A1048576', 'last')}</row>`);
    const data = minimalXlsx({ sheets: [{ name: 'S', rawXml: worksheetXml(rows.join(''), '<dimension ref="A1:Z1048576"/>') }] });
    rows.length = 0;
    const read = await readInChild('readTable', data);
    console.log(`a million empty <row> elements: ${read.ms} ms, RSS growth ${growthMiB(read)} MiB`);
    expect(read).toMatchObject({ rows: 1, code: null });
    expect(growthMiB(read)).toBeLessThan(100);
    expect((await readTable(data)).rows).toEqual([{ row: 1_048_576, cells: ['last'] }]);
  });
});

describe('readTable: prototype safety', () => {
  it('keeps __proto__ and constructor headers harmless through readTable and mapColumns', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype);
    const csv = await readTable(Buffer.from('__proto__,constructor,prototype,toString\n{"polluted":1},x,y,z\n'));
    const xlsx = await readTable(
      minimalXlsx({
        sheets: [
          {
            name: '__proto__',
            sheetData:
              `<row r="1">${inlineCell('A1', '__proto__')}${inlineCell('B1', 'constructor')}</row>` +
              `<row r="2">${inlineCell('A2', 'polluted')}${inlineCell('B2', 'x')}</row>`,
          },
        ],
      }),
    );
    for (const table of [csv, xlsx]) {
      const mapped = mapColumns(table, [
        { key: 'proto', names: ['__proto__'], required: true },
        { key: 'ctor', names: ['constructor'] },
        { key: 'missing', names: ['hasOwnProperty'] },
      ]);
      expect(mapped.ok).toBe(true);
      if (!mapped.ok) continue;
      expect(mapped.records[0]?.get('proto')).toMatch(/polluted/);
      expect(mapped.records[0]?.get('ctor')).toBe('x');
      expect(mapped.records[0]?.get('missing')).toBe('');
    }
    expect(csv.headers).toEqual(['__proto__', 'constructor', 'prototype', 'toString']);
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
