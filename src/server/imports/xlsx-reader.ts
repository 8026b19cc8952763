import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, CellValue, Row } from 'exceljs';
import { ImportFileError } from './import-file-error';
import { EXCEL_MAX_ROWS, isBlankCell, type TableBuilder } from './table-builder';

/**
 * Streams the single worksheet of a checked, repacked workbook into the builder: one pass,
 * rows handed over as they are parsed, so the row limit stops the read early.
 */
export async function readXlsxRows(workbookZip: Buffer, date1904: boolean, builder: TableBuilder): Promise<void> {
  const source = Readable.from([workbookZip]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles carry the number formats that tell a date from a number.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of reader) {
      addChineseBuiltInDateFormats(reader);
      let previous = 0;
      for await (const row of worksheet) {
        // Rows without an `r` number (allowed by the format, never written by Excel) already fail
        // inside exceljs; rows out of order or beyond Excel's last row are refused here.
        const number = row.number;
        if (!Number.isInteger(number) || number <= previous || number > EXCEL_MAX_ROWS) {
          throw new ImportFileError('MALFORMED_FILE', 'The worksheet lists its rows out of order. Open it in Excel, save it again and upload the new copy.');
        }
        previous = number;
        builder.add(number, rowTexts(row, number, date1904, builder.maxColumns));
        if (builder.pending) {
          await builder.pending;
          builder.pending = null;
        }
      }
      break; // the repacked workbook has exactly one worksheet
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('MALFORMED_FILE', 'The worksheet cannot be read. Open the file in Excel, save it again and upload the new copy.', {
      cause: error,
    });
  } finally {
    source.destroy();
  }
}

function rowTexts(row: Row, rowNumber: number, date1904: boolean, maxColumns: number): string[] {
  const texts: string[] = [];
  row.eachCell((cell, column) => {
    const text = cellText(cell, date1904);
    if (column > maxColumns) {
      // Checked here, before the array grows to the column: a stray value in column XFD must
      // not turn into 16 384 strings per row.
      if (isBlankCell(text)) return;
      throw new ImportFileError(
        'TOO_MANY_COLUMNS',
        `Row ${rowNumber} has data in column ${column}; at most ${maxColumns} columns are read. Delete the stray cells far to the right and upload again.`,
      );
    }
    texts[column - 1] = text;
  });
  for (let i = 0; i < texts.length; i += 1) if (texts[i] === undefined) texts[i] = '';
  return texts;
}

/** The text a cell contributes: the value as stored, never as formatted for display (except dates). */
function cellText(cell: Cell, date1904: boolean): string {
  return valueText(cell.value, cell.numFmt, date1904);
}

function valueText(value: CellValue, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return decodeExcelEscapes(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value, numFmt);
  if ('richText' in value) return decodeExcelEscapes(value.richText.map((run) => run.text ?? '').join(''));
  if ('formula' in value || 'sharedFormula' in value) {
    // The cached result Excel saved; formulas are never evaluated here.
    const result = value.result;
    if (typeof result === 'number' && Number.isFinite(result) && isDateFormat(numFmt)) {
      return dateText(excelSerialToDate(result, date1904), numFmt);
    }
    return result === undefined ? '' : valueText(result, numFmt, date1904);
  }
  if ('error' in value) return '';
  if ('text' in value) return decodeExcelEscapes(String(value.text));
  return '';
}

/** Excel stores characters XML cannot carry (e.g. CR) as `_xHHHH_`, and a literal `_x` as `_x005F_x`. */
function decodeExcelEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function formatSkeleton(numFmt: string | undefined): string {
  // drop colours/locales `[..]`, quoted literals and escaped characters: what remains are codes
  return (numFmt ?? '').replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, '').toLowerCase();
}

/** The same rule exceljs applies to plain cells, used for cached formula results. */
function isDateFormat(numFmt: string | undefined): boolean {
  return /[ymdhsb]/.test(formatSkeleton(numFmt));
}

function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * 'YYYY-MM-DD', or 'YYYY-MM' when the format shows a year and month but no day (e.g.
 * `yyyy"年"m"月"`), 'HH:MM:SS' for time-only formats, and 'YYYY-MM-DD HH:MM:SS' when a date has a
 * time of day. Excel dates carry no zone: exceljs reads them as UTC, so UTC fields are used.
 */
function dateText(date: Date, numFmt: string | undefined): string {
  const time = date.getTime();
  if (Number.isNaN(time)) return '';
  const d = new Date(Math.round(time / 1000) * 1000);
  const ymd = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const hms = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const skeleton = formatSkeleton(numFmt);
  const hasYear = skeleton.includes('y');
  const hasDay = skeleton.includes('d');
  if (!hasYear && !hasDay && /[hs]/.test(skeleton)) return hms;
  if (hasYear && !hasDay) return ymd.slice(0, 7);
  return hms === '00:00:00' ? ymd : `${ymd} ${hms}`;
}

/**
 * Excel's built-in number formats 27–36 and 50–58 depend on the locale and are not written into
 * styles.xml; files saved by Chinese Excel and WPS use them for dates such as 2020年2月. exceljs
 * knows the codes but does not apply them, so they are registered on the reader's style index
 * (an exceljs internal, covered by a test) before any cell is read.
 */
function addChineseBuiltInDateFormats(reader: unknown): void {
  const index = (reader as { styles?: { index?: { numFmt?: Record<number, string | undefined> } } }).styles?.index?.numFmt;
  if (!index || typeof index !== 'object') return;
  for (const [id, code] of chineseBuiltInFormats) {
    if (index[id] === undefined) index[id] = code;
  }
}

const yearMonth = 'yyyy"年"m"月"';
const monthDay = 'm"月"d"日"';
const chineseBuiltInFormats: [number, string][] = [
  [27, yearMonth],
  [28, monthDay],
  [29, monthDay],
  [30, 'm-d-yy'],
  [31, 'yyyy"年"m"月"d"日"'],
  [32, 'h"时"mm"分"'],
  [33, 'h"时"mm"分"ss"秒"'],
  [34, '上午/下午h"时"mm"分"'],
  [35, '上午/下午h"时"mm"分"ss"秒"'],
  [36, yearMonth],
  [50, yearMonth],
  [51, monthDay],
  [52, yearMonth],
  [53, monthDay],
  [54, monthDay],
  [55, '上午/下午h"时"mm"分"'],
  [56, '上午/下午h"时"mm"分"ss"秒"'],
  [57, yearMonth],
  [58, monthDay],
];
