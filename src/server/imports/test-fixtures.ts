// Builders for the import tests: every fixture, hostile ones included, is generated at test time.
import { once } from 'node:events';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { storedEntry, writeZip, type ZipEntryInput } from './zip-writer';

export const MiB = 1024 * 1024;

/** A deflated zip entry; `declaredSize` lets a test lie about the uncompressed size. */
export function deflatedEntry(name: string, content: string | Buffer, declaredSize?: number): ZipEntryInput {
  const raw = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { name, method: 8, data: deflateRawSync(raw), crc32: crc32(raw), uncompressedSize: declaredSize ?? raw.length };
}

export { storedEntry, writeZip };

/** Deflates `size` zero bytes without ever holding them in memory. */
export async function deflatedZeros(size: number): Promise<{ data: Buffer; crc: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(deflate, 'end');
  const zeros = Buffer.alloc(MiB);
  let crc = 0;
  for (let written = 0; written < size; written += MiB) {
    const piece = size - written >= MiB ? zeros : zeros.subarray(0, size - written);
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await once(deflate, 'drain');
  }
  deflate.end();
  await ended;
  return { data: Buffer.concat(chunks), crc };
}

const mainNs = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const relNs = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const xlsxMainContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
export const xlsmMainContentType = 'application/vnd.ms-excel.sheet.macroEnabled.main+xml';

export function contentTypesXml(mainContentType = xlsxMainContentType): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/xl/workbook.xml" ContentType="${mainContentType}"/>` +
    '</Types>'
  );
}

export interface SheetSpec {
  name: string;
  /** The worksheet part's XML body (inside `<sheetData>`), or a whole part when `rawXml` is set. */
  sheetData?: string;
  rawXml?: string;
  hidden?: boolean;
  /** Zip path of the part; default xl/worksheets/sheet<n>.xml. */
  path?: string;
}

export interface MinimalXlsxOptions {
  sheets: SheetSpec[];
  sharedStrings?: string[];
  /** Whole styles.xml content. */
  stylesXml?: string;
  mainContentType?: string;
  date1904?: boolean;
  /** Further entries, added after the workbook's own. */
  extra?: ZipEntryInput[];
  /** Replace any generated part's XML by path. */
  override?: Record<string, string>;
}

/** A hand-written workbook in Excel's own part order (worksheets before shared strings and styles). */
export function minimalXlsx(options: MinimalXlsxOptions): Buffer {
  const parts = new Map<string, string>();
  parts.set('[Content_Types].xml', contentTypesXml(options.mainContentType));
  parts.set(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Id="rId1" Type="${relNs}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  const sheetTags = options.sheets
    .map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`)
    .join('');
  parts.set(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${mainNs}" xmlns:r="${relNs}">` +
      `<workbookPr${options.date1904 ? ' date1904="true"' : ''}/><sheets>${sheetTags}</sheets></workbook>`,
  );
  const rels = options.sheets.map(
    (s, i) => `<Relationship Id="rId${i + 1}" Type="${relNs}/worksheet" Target="${s.path ? `/${s.path}` : `worksheets/sheet${i + 1}.xml`}"/>`,
  );
  rels.push(`<Relationship Id="rId100" Type="${relNs}/styles" Target="styles.xml"/>`);
  if (options.sharedStrings) rels.push(`<Relationship Id="rId101" Type="${relNs}/sharedStrings" Target="sharedStrings.xml"/>`);
  parts.set(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
  );
  options.sheets.forEach((s, i) => {
    parts.set(s.path ?? `xl/worksheets/sheet${i + 1}.xml`, s.rawXml ?? worksheetXml(s.sheetData ?? ''));
  });
  if (options.sharedStrings) {
    const items = options.sharedStrings.map((t) => `<si><t xml:space="preserve">${escapeXml(t)}</t></si>`).join('');
    parts.set(
      'xl/sharedStrings.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${mainNs}" count="${options.sharedStrings.length}" uniqueCount="${options.sharedStrings.length}">${items}</sst>`,
    );
  }
  parts.set('xl/styles.xml', options.stylesXml ?? stylesXml([]));
  for (const [path, xml] of Object.entries(options.override ?? {})) parts.set(path, xml);
  const entries = [...parts].map(([name, xml]) => deflatedEntry(name, xml));
  return writeZip([...entries, ...(options.extra ?? [])]);
}

export function worksheetXml(sheetData: string, before = ''): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${mainNs}" xmlns:r="${relNs}">${before}<sheetData>${sheetData}</sheetData></worksheet>`;
}

/**
 * styles.xml whose cellXfs are: 0 = General, then one per `numFmtIds` entry (index 1, 2, …).
 * Ids ≥ 164 need a `customFormats` entry; built-in ids are written without a format code, as Excel does.
 */
export function stylesXml(numFmtIds: number[], customFormats: Record<number, string> = {}): string {
  const custom = Object.entries(customFormats)
    .map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`)
    .join('');
  const xfs = [0, ...numFmtIds]
    .map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id ? ' applyNumberFormat="1"' : ''}/>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${mainNs}">` +
    (custom ? `<numFmts count="${Object.keys(customFormats).length}">${custom}</numFmts>` : '') +
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>' +
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${numFmtIds.length + 1}">${xfs}</cellXfs>` +
    '</styleSheet>'
  );
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An inline-string cell. */
export const inlineCell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`;
/** A numeric cell, optionally styled with cellXfs index `style`. */
export const numberCell = (ref: string, value: number | string, style?: number) =>
  `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${value}</v></c>`;
