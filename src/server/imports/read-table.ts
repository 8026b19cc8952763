import { decodeCsv, readCsvRows, type CsvEncoding } from './csv-reader';
import { ImportFileError } from './import-file-error';
import { TableBuilder, type RowSink } from './table-builder';
import { checkXlsxArchive } from './xlsx-archive';
import { readXlsxRows } from './xlsx-reader';

export { ImportFileError, type ImportFileErrorCode } from './import-file-error';

/** One non-blank row; `row` is the number Excel shows at the left of that row. */
export interface TableRow {
  row: number;
  /** Cell texts left to right, not trimmed; trailing blank cells removed. */
  cells: string[];
}

/** An uploaded file as rows of strings, header first. */
export interface Table {
  format: 'xlsx' | 'csv';
  encoding?: CsvEncoding;
  /** The worksheet read (xlsx only; absent when the workbook does not name it). */
  sheet?: string;
  /** Header texts, normalised: trimmed, inner whitespace collapsed, BOM and invisible characters removed. */
  headers: string[];
  headerRow: number;
  rows: TableRow[];
}

export interface ReadTableOptions {
  /** Default 20 MiB. */
  maxBytes?: number;
  /** Data rows (blank rows and the header excluded); default 200 000. */
  maxRows?: number;
  /** Rightmost column that may hold data; default 1 000. */
  maxColumns?: number;
  /** Only used in messages; the type is decided from the content. */
  filename?: string;
  /**
   * Streams: data rows go to the sink in batches as they are read (an .xlsx is read a chunk at a
   * time, so the consumer's asynchronous work overlaps the reading), and the table's `rows` stay empty.
   */
  onRows?: RowSink;
}

export const readTableDefaults = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 200_000,
  maxColumns: 1_000,
};

/**
 * Turns an uploaded .xlsx or CSV into header + rows of strings, refusing unsafe, oversized and
 * unsupported files with an ImportFileError. The first visible worksheet of a workbook is read.
 */
export async function readTable(data: Buffer, options: ReadTableOptions = {}): Promise<Table> {
  const maxBytes = options.maxBytes ?? readTableDefaults.maxBytes;
  if (data.length > maxBytes) {
    throw new ImportFileError(
      'FILE_TOO_LARGE',
      `The file is ${formatMegabytes(data.length)}; the limit is ${formatMegabytes(maxBytes)}. Split it into smaller files.`,
    );
  }
  if (data.length === 0) throw new ImportFileError('EMPTY_FILE', 'The file is empty.');
  const builder = new TableBuilder(
    {
      maxRows: options.maxRows ?? readTableDefaults.maxRows,
      maxColumns: options.maxColumns ?? readTableDefaults.maxColumns,
    },
    options.onRows,
  );

  if (sniffFileType(data, options.filename) === 'xlsx') {
    const workbook = await checkXlsxArchive(data);
    builder.declaredLastRow = workbook.declaredLastRow;
    await readXlsxRows(workbook.workbookZip, workbook.date1904, builder);
    return finish(builder, { format: 'xlsx', ...(workbook.sheetName === undefined ? {} : { sheet: workbook.sheetName }) });
  }
  const { text, encoding } = decodeCsv(data);
  if (/^\s*<(?:!doctype|html|head|body|table|\?xml|meta)\b/i.test(text.slice(0, 1024))) {
    throw unsupported(
      options.filename,
      'is a web page or an XML spreadsheet, not a real Excel or CSV file (some systems export these with an .xls name). ' +
        'Open it in Excel, save it as Excel Workbook (.xlsx) and upload that.',
    );
  }
  readCsvRows(text, builder);
  return finish(builder, { format: 'csv', encoding });
}

function finish(builder: TableBuilder, meta: Pick<Table, 'format' | 'encoding' | 'sheet'>): Table {
  if (builder.headers === null) throw new ImportFileError('EMPTY_FILE', 'The file contains no data: every row is blank.');
  builder.flush();
  return { ...meta, headers: builder.headers, headerRow: builder.headerRow, rows: builder.rows };
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function unsupported(filename: string | undefined, what: string): ImportFileError {
  const subject = filename ? `The file “${filename}”` : 'The file';
  return new ImportFileError('UNSUPPORTED_FILE_TYPE', `${subject} ${what}`);
}

const startsWith = (data: Buffer, bytes: number[]) => bytes.every((b, i) => data[i] === b);

const binaryKinds: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
];

/** Decides the format from the first bytes; the file name and its extension are not trusted. */
function sniffFileType(data: Buffer, filename: string | undefined): 'xlsx' | 'csv' {
  if (data[0] === 0x50 && data[1] === 0x4b && [0x0304, 0x0506, 0x0708].includes(((data[2] ?? 0) << 8) | (data[3] ?? 0))) {
    return 'xlsx';
  }
  if (startsWith(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    throw unsupported(
      filename,
      'is an old-style Excel 97-2003 workbook (.xls) or a password-protected workbook. ' +
        'Open it in Excel, remove any password, save it as Excel Workbook (.xlsx) or CSV and upload that.',
    );
  }
  if (startsWith(data, [0xff, 0xfe]) || startsWith(data, [0xfe, 0xff])) {
    throw unsupported(filename, 'is UTF-16 "Unicode text". Save it as "CSV UTF-8" or as Excel Workbook (.xlsx) and upload that.');
  }
  for (const [magic, kind] of binaryKinds) {
    if (startsWith(data, magic)) throw unsupported(filename, `is ${kind}. Upload the data as Excel Workbook (.xlsx) or CSV.`);
  }
  if (data.subarray(0, 8192).includes(0)) {
    throw unsupported(filename, 'is not a spreadsheet or text file. Upload the data as Excel Workbook (.xlsx) or CSV.');
  }
  return 'csv';
}
