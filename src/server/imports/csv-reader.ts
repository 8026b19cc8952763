import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { ImportFileError } from './import-file-error';
import { EXCEL_MAX_ROWS, type TableBuilder } from './table-builder';

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

/**
 * Decodes CSV bytes the way a Chinese office produces them: UTF-8 with a BOM (Excel's
 * "CSV UTF-8"), plain UTF-8, or otherwise GB18030, a superset of the GBK that Excel writes
 * for "CSV (comma delimited)" on a Chinese Windows.
 */
export function decodeCsv(data: Buffer): { text: string; encoding: CsvEncoding } {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data.subarray(3)), encoding: 'utf-8-bom' };
    } catch (cause) {
      throw new ImportFileError(
        'MALFORMED_FILE',
        'The file is marked as UTF-8 but contains bytes that are not UTF-8. Save it again as "CSV UTF-8" or as .xlsx.',
        { cause },
      );
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data), encoding: 'utf-8' };
  } catch {
    // not UTF-8: fall through to the legacy Chinese code page
  }
  const text = iconv.decode(data, 'gb18030');
  // GB18030 maps every well-formed byte sequence, so a replacement character means the file is
  // in some other encoding (Big5, Shift-JIS, …) and its text would be silently corrupted.
  if (text.includes('\uFFFD')) {
    throw new ImportFileError(
      'MALFORMED_FILE',
      'The text encoding of this file is not recognised (expected UTF-8 or GBK). Save it as "CSV UTF-8" or as .xlsx.',
    );
  }
  return { text, encoding: 'gb18030' };
}

/** Comma, unless the first non-blank line has more tabs or semicolons than commas (quoted text ignored). */
export function detectDelimiter(text: string): ',' | '\t' | ';' {
  const counts = { ',': 0, '\t': 0, ';': 0 };
  let inQuotes = false;
  let seenContent = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '"') {
      inQuotes = !inQuotes;
      seenContent = true;
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (seenContent) break;
    } else if (!inQuotes && (ch === ',' || ch === '\t' || ch === ';')) {
      counts[ch] += 1;
      seenContent = true;
    } else if (ch !== ' ') {
      seenContent = true;
    }
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}

/**
 * Feeds every CSV record to the builder. A record's number is its position among records, so a
 * quoted cell spanning several lines is one row, which is how Excel numbers it when it opens the file.
 */
export function readCsvRows(text: string, builder: TableBuilder): void {
  try {
    parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      // A stray quote inside an unquoted cell (`12" pipe`) is kept as text, as Excel does.
      relax_quotes: true,
      skip_empty_lines: false,
      on_record: (record: string[], context) => {
        const row = context.records;
        if (row > EXCEL_MAX_ROWS) {
          throw new ImportFileError(
            'TOO_MANY_ROWS',
            `The file has more than ${EXCEL_MAX_ROWS.toLocaleString('en-US')} lines, more than Excel can show. Split it into smaller files.`,
          );
        }
        builder.add(row, record);
        return null;
      },
    });
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    const line = (error as { lines?: unknown }).lines;
    throw new ImportFileError(
      'MALFORMED_FILE',
      `The CSV file cannot be read${typeof line === 'number' ? ` near line ${line}` : ''}: a quoted cell is probably not closed.`,
      { cause: error },
    );
  }
}
