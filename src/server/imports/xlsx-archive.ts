import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { ImportFileError } from './import-file-error';
import { EXCEL_MAX_ROWS } from './table-builder';
import { storedEntry, writeZip, type ZipEntryInput } from './zip-writer';

const MiB = 1024 * 1024;

/** Budgets applied to the zip container before any XML parser sees it. */
export const xlsxArchiveLimits = {
  maxEntries: 1000,
  /** Sum of the uncompressed sizes the central directory declares. */
  maxDeclaredBytes: 200 * MiB,
  /** Largest uncompressed/compressed ratio allowed for an entry bigger than `ratioFloorBytes`. */
  maxRatio: 100,
  ratioFloorBytes: 1 * MiB,
  /** Running cap on the bytes actually inflated while checking, whatever the headers say. */
  maxInflatedBytes: 200 * MiB,
  /** Parts read whole into memory (content types, workbook, relationships). */
  maxSmallPartBytes: 16 * MiB,
};

/** What the checked archive yields: the sheet's name and a clean zip holding only what exceljs needs. */
export interface CheckedWorkbook {
  sheetName: string | undefined;
  /** The workbook counts dates from 1904 (old Mac Excel) instead of 1900. */
  date1904: boolean;
  /** The last row the worksheet's `<dimension>` declares, or null: an estimate for progress only. */
  declaredLastRow: number | null;
  /**
   * A new zip, in reading order, with synthetic workbook and relationship parts and the original
   * compressed bytes of the styles, shared strings and chosen worksheet.
   */
  workbookZip: Buffer;
}

const unsafe = (message: string, cause?: unknown) =>
  new ImportFileError('UNSAFE_FILE', `${message} The file was not opened.`, cause === undefined ? undefined : { cause });
const malformed = (cause: unknown) =>
  new ImportFileError('MALFORMED_FILE', 'The .xlsx file is damaged or incomplete. Open it in Excel, save it again and upload the new copy.', {
    cause,
  });
const unsupported = (message: string) => new ImportFileError('UNSUPPORTED_FILE_TYPE', message);

/**
 * Checks an .xlsx container against zip bombs, path tricks, macros and XML DTDs, then picks the
 * first visible worksheet and repacks it so the streaming reader never sees anything unchecked.
 */
export async function checkXlsxArchive(data: Buffer): Promise<CheckedWorkbook> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(data, { decodeStrings: false, validateEntrySizes: true, strictFileNames: false });
  } catch (cause) {
    throw malformed(cause);
  }
  if (zip.entryCount > xlsxArchiveLimits.maxEntries) {
    throw unsafe(`The workbook holds ${zip.entryCount} internal parts; at most ${xlsxArchiveLimits.maxEntries} are allowed.`);
  }
  const entries = await listEntries(zip);

  const contentTypes = entries.get('[content_types].xml');
  const workbook = entries.get('xl/workbook.xml');
  if (!contentTypes || !workbook) {
    throw unsupported(
      'This zip file is not an Excel .xlsx workbook (.xlsb, .ods and other formats are not read). Save the data as Excel Workbook (.xlsx) or CSV and upload that.',
    );
  }
  const budget = new InflateBudget();
  const contentTypesXml = await readSmallPart(zip, contentTypes, budget);
  if (/macroEnabled/i.test(workbookContentType(contentTypesXml))) {
    throw unsupported('Macro-enabled workbooks (.xlsm) are not accepted. Save the file as .xlsx (Excel Workbook) and upload that.');
  }
  const workbookXml = await readSmallPart(zip, workbook, budget);
  const relsEntry = entries.get('xl/_rels/workbook.xml.rels');
  const relationships = parseRelationships(relsEntry ? await readSmallPart(zip, relsEntry, budget) : '');

  const sheet = chooseWorksheet(parseSheets(workbookXml), relationships, entries);
  if (!sheet) throw new ImportFileError('EMPTY_FILE', 'The workbook has no worksheet.');
  const styles = findPart(relationships, '/styles', 'xl/styles.xml', entries);
  const sharedStrings = findPart(relationships, '/sharedStrings', 'xl/sharedStrings.xml', entries);
  for (const entry of [styles, sharedStrings]) {
    if (entry) await inflatePart(zip, entry, budget);
  }
  // The dimension comes before the sheet's data: the first kilobytes hold it when it is there.
  let head = Buffer.alloc(0);
  await inflatePart(zip, sheet.entry, budget, (chunk) => {
    if (head.length < dimensionSearchBytes) head = Buffer.concat([head, chunk.subarray(0, dimensionSearchBytes - head.length)]);
  });

  const date1904 = isDate1904(workbookXml);
  const parts: ZipEntryInput[] = [
    storedEntry('xl/_rels/workbook.xml.rels', syntheticRelationships),
    storedEntry('xl/workbook.xml', syntheticWorkbook(date1904)),
  ];
  if (styles) parts.push(await copyEntry(zip, data, styles, 'xl/styles.xml'));
  // An empty shared-string table keeps exceljs on its direct streaming path (without one it
  // spools the worksheet to a temporary file first).
  parts.push(sharedStrings ? await copyEntry(zip, data, sharedStrings, 'xl/sharedStrings.xml') : storedEntry('xl/sharedStrings.xml', emptySharedStrings));
  parts.push(await copyEntry(zip, data, sheet.entry, 'xl/worksheets/sheet1.xml'));
  return { sheetName: sheet.name, date1904, declaredLastRow: declaredLastRow(head.toString('latin1')), workbookZip: writeZip(parts) };
}

/** How much of the worksheet's start is searched for its `<dimension>` (Excel writes it within the first few hundred bytes). */
const dimensionSearchBytes = 16 * 1024;

/**
 * The last row of a worksheet's `<dimension ref="A1:E100001"/>` (or `ref="A1"`), or null when
 * there is none before the data or it is out of Excel's range.
 */
export function declaredLastRow(sheetStart: string): number | null {
  const data = sheetStart.search(/<(?:\w+:)?sheetData\b/);
  const tag = /<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*["']([^"']*)["']/.exec(data === -1 ? sheetStart : sheetStart.slice(0, data));
  const row = tag ? /\$?(\d+)$/.exec(tag[1]!.trim())?.[1] : undefined;
  if (row === undefined) return null;
  const n = Number(row);
  return n >= 1 && n <= EXCEL_MAX_ROWS ? n : null;
}

async function listEntries(zip: ZipFile): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  let declared = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entries.size >= xlsxArchiveLimits.maxEntries) {
        throw unsafe(`The workbook holds more than ${xlsxArchiveLimits.maxEntries} internal parts.`);
      }
      const name = entryName(entry);
      if (name.includes('..') || name.startsWith('/') || name.includes('\\') || name.includes('\0') || /^[a-z]:/i.test(name)) {
        throw unsafe('The workbook contains a part with a path outside the workbook.');
      }
      // Part names are case-insensitive in Office files; two spellings of one name would let
      // two readers disagree about which one is "the" sheet.
      const key = name.toLowerCase();
      if (entries.has(key)) throw unsafe('The workbook contains two parts with the same name.');
      entries.set(key, entry);
      if (/(^|\/)vbaproject\.bin$/.test(key)) {
        throw unsupported('Macro-enabled workbooks (.xlsm) are not accepted. Save the file as .xlsx (Excel Workbook) and upload that.');
      }
      if (entry.isEncrypted()) {
        throw unsupported('The workbook is password-protected. Remove the password in Excel, save and upload again.');
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw unsupported('The workbook uses a compression method this system cannot read. Open it in Excel and save it as .xlsx again.');
      }
      declared += entry.uncompressedSize;
      if (declared > xlsxArchiveLimits.maxDeclaredBytes) {
        throw unsafe(`The workbook would unpack to more than ${xlsxArchiveLimits.maxDeclaredBytes / MiB} MB.`);
      }
      if (
        entry.uncompressedSize > xlsxArchiveLimits.ratioFloorBytes &&
        entry.uncompressedSize > entry.compressedSize * xlsxArchiveLimits.maxRatio
      ) {
        throw unsafe('The workbook contains a part that is compressed suspiciously well (a "zip bomb").');
      }
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw malformed(error);
  }
  return entries;
}

function entryName(entry: Entry): string {
  // With decodeStrings off yauzl leaves names raw, so the checks below see the real bytes
  // (its own name validation would fail with an untyped error).
  const raw = entry.fileNameRaw;
  return raw.toString((entry.generalPurposeBitFlag & 0x0800) !== 0 ? 'utf8' : 'latin1');
}

/** Counts inflated bytes across all parts; declared sizes are attacker-controlled. */
class InflateBudget {
  private used = 0;

  spend(bytes: number): void {
    this.used += bytes;
    if (this.used > xlsxArchiveLimits.maxInflatedBytes) {
      throw unsafe(`The workbook unpacks to more than ${xlsxArchiveLimits.maxInflatedBytes / MiB} MB.`);
    }
  }
}

const ltBang = Buffer.from('<!', 'latin1');

function hasDoctype(buf: Buffer): boolean {
  for (let i = buf.indexOf(ltBang); i !== -1 && i + 9 <= buf.length; i = buf.indexOf(ltBang, i + 2)) {
    if (buf.toString('latin1', i + 2, i + 9).toUpperCase() === 'DOCTYPE') return true;
  }
  return false;
}

/**
 * Inflates one part chunk by chunk under the running budget, refusing DTDs (entity expansion,
 * external entities) and NUL bytes (UTF-16 text would hide a DTD from the byte scan).
 */
async function inflatePart(zip: ZipFile, entry: Entry, budget: InflateBudget, onChunk?: (chunk: Buffer) => void): Promise<void> {
  let stream;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (cause) {
    throw malformed(cause);
  }
  let tail = Buffer.alloc(0);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      budget.spend(chunk.length);
      if (chunk.includes(0)) throw unsafe('The workbook contains an XML part in an encoding that cannot be checked.');
      if (hasDoctype(chunk) || hasDoctype(Buffer.concat([tail, chunk.subarray(0, 8)]))) {
        throw unsafe('The workbook contains an XML document type declaration (DOCTYPE), which Excel never writes.');
      }
      tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 8)));
      onChunk?.(chunk);
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof ImportFileError) throw error;
    // yauzl compares the inflated length with the declared one as it goes.
    if (error instanceof Error && /too many bytes/i.test(error.message)) {
      throw unsafe('The workbook contains a part that unpacks to more than its header declares.', error);
    }
    throw malformed(error);
  }
}

async function readSmallPart(zip: ZipFile, entry: Entry, budget: InflateBudget): Promise<string> {
  if (entry.uncompressedSize > xlsxArchiveLimits.maxSmallPartBytes) {
    throw unsafe(`The workbook contains an index part larger than ${xlsxArchiveLimits.maxSmallPartBytes / MiB} MB.`);
  }
  const chunks: Buffer[] = [];
  await inflatePart(zip, entry, budget, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

async function copyEntry(zip: ZipFile, data: Buffer, entry: Entry, name: string): Promise<ZipEntryInput> {
  let start: number;
  try {
    ({ fileDataStart: start } = await zip.readLocalFileHeaderPromise(entry, { minimal: true }));
  } catch (cause) {
    throw malformed(cause);
  }
  return {
    name,
    method: entry.compressionMethod === 8 ? 8 : 0,
    // exactly the bytes inflatePart checked: yauzl read them from the same offsets
    data: data.subarray(start, start + entry.compressedSize),
    crc32: entry.crc32,
    uncompressedSize: entry.uncompressedSize,
  };
}

// ---------------------------------------------------------------------------------------------
// The few workbook facts needed, read from the small index parts with attribute-level regexes:
// enough for well-formed Office XML, and the parts were already checked for DTDs.

/** Attributes of one start tag, keyed by their qualified name (prototype-safe). */
function attributes(tagBody: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of tagBody.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    found.set(match[1] ?? '', decodeXmlEntities(match[2] ?? match[3] ?? ''));
  }
  return found;
}

function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower === 'amp') return '&';
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** The content type declared for the workbook part: macro-enabled workbooks say so here. */
function workbookContentType(contentTypesXml: string): string {
  for (const match of contentTypesXml.matchAll(/<(?:[\w.-]+:)?Override\s([^>]*?)\/?>/g)) {
    const attrs = attributes(match[1] ?? '');
    if (attrs.get('PartName')?.toLowerCase() === '/xl/workbook.xml') return attrs.get('ContentType') ?? '';
  }
  return '';
}

interface SheetRef {
  name: string | undefined;
  relationshipId: string | undefined;
  hidden: boolean;
}

function parseSheets(workbookXml: string): SheetRef[] {
  const sheets: SheetRef[] = [];
  for (const match of workbookXml.matchAll(/<(?:[\w.-]+:)?sheet\s([^>]*?)\/?>/g)) {
    const attrs = attributes(match[1] ?? '');
    let relationshipId: string | undefined;
    // the relationship id is always namespace-qualified (r:id), unlike sheetId
    for (const [key, value] of attrs) if (/^[\w.-]+:id$/.test(key)) relationshipId = value;
    const state = attrs.get('state');
    sheets.push({ name: attrs.get('name'), relationshipId, hidden: state === 'hidden' || state === 'veryHidden' });
  }
  return sheets;
}

interface Relationship {
  type: string;
  /** Lower-cased zip path, resolved against the workbook's folder. */
  path: string | undefined;
}

function parseRelationships(relsXml: string): Map<string, Relationship> {
  const relationships = new Map<string, Relationship>();
  for (const match of relsXml.matchAll(/<(?:[\w.-]+:)?Relationship\s([^>]*?)\/?>/g)) {
    const attrs = attributes(match[1] ?? '');
    const id = attrs.get('Id');
    const target = attrs.get('Target');
    if (id === undefined) continue;
    const external = attrs.get('TargetMode') === 'External';
    relationships.set(id, { type: attrs.get('Type') ?? '', path: target && !external ? resolvePartPath(target) : undefined });
  }
  return relationships;
}

function resolvePartPath(target: string): string {
  const segments = target.startsWith('/') ? [] : ['xl'];
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/').toLowerCase();
}

function chooseWorksheet(
  sheets: SheetRef[],
  relationships: Map<string, Relationship>,
  entries: Map<string, Entry>,
): { name: string | undefined; entry: Entry } | undefined {
  // The first sheet a clerk sees when opening the file: hidden sheets (lookup lists in
  // templates) only count when nothing else is there; chart sheets never do.
  const ordered = [...sheets.filter((s) => !s.hidden), ...sheets.filter((s) => s.hidden)];
  for (const sheet of ordered) {
    const rel = sheet.relationshipId === undefined ? undefined : relationships.get(sheet.relationshipId);
    if (!rel?.path || !rel.type.endsWith('/worksheet')) continue;
    const entry = entries.get(rel.path);
    if (entry) return { name: sheet.name, entry };
  }
  // Relationships missing or broken: fall back to the lowest-numbered worksheet part.
  let best: { n: number; entry: Entry } | undefined;
  for (const [key, entry] of entries) {
    const match = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(key);
    if (match && (best === undefined || Number(match[1]) < best.n)) best = { n: Number(match[1]), entry };
  }
  return best && { name: undefined, entry: best.entry };
}

function findPart(relationships: Map<string, Relationship>, typeSuffix: string, fallback: string, entries: Map<string, Entry>): Entry | undefined {
  for (const rel of relationships.values()) {
    if (rel.type.endsWith(typeSuffix) && rel.path) {
      const entry = entries.get(rel.path);
      if (entry) return entry;
    }
  }
  return entries.get(fallback.toLowerCase());
}

function isDate1904(workbookXml: string): boolean {
  const tag = /<(?:[\w.-]+:)?workbookPr\b([^>]*?)\/?>/.exec(workbookXml);
  const value = tag ? attributes(tag[1] ?? '').get('date1904') : undefined;
  return value === '1' || value === 'true';
}

const syntheticRelationships =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '</Relationships>';

function syntheticWorkbook(date1904: boolean): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<workbookPr${date1904 ? ' date1904="1"' : ''}/>` +
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
  );
}

const emptySharedStrings =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>';
