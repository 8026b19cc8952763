import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

export type ExportCell = string | number | null;

/** First characters that make Excel or LibreOffice treat a cell as a formula (OWASP CSV injection). */
export const FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r', '\n'];

/**
 * Neutralises a value for a spreadsheet export: text starting with a formula trigger gets a
 * leading `'`, numbers stay numbers (a negative number is not a formula), nothing becomes null.
 * Non-finite numbers become null: no spreadsheet can store them.
 */
export function toSafeCell(value: string | number | null | undefined): ExportCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return FORMULA_TRIGGERS.includes(value.charAt(0)) ? `'${value}` : value;
}

// Excel refuses these in sheet names, and names longer than 31 characters.
const sheetNameForbidden = /[[\]:*?/\\]/g;

function safeSheetName(name: string): string {
  const cleaned = name.replace(sheetNameForbidden, '_').replace(/^'+|'+$/g, '').slice(0, 31).trim();
  return cleaned === '' ? 'Sheet1' : cleaned;
}

/**
 * Writes a one-sheet workbook (templates, error reports): bold, frozen header row, every cell
 * through toSafeCell. Streams through exceljs's writer so large reports stay small in memory.
 */
export async function writeXlsx(
  sheetName: string,
  headers: string[],
  rows: ExportCell[][],
  options: { columnWidths?: number[] } = {},
): Promise<Buffer> {
  return writeWorkbook([{ name: sheetName, headers, rows, ...options }]);
}

export interface SheetData {
  name: string;
  headers: string[];
  rows: ExportCell[][];
  columnWidths?: number[];
}

/** Writes several sheets (bold frozen header row, every text cell through toSafeCell) into one xlsx. */
export async function writeWorkbook(sheets: SheetData[]): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const used = new Set<string>();
  for (const sheet of sheets) {
    let name = safeSheetName(sheet.name);
    for (let i = 2; used.has(name); i++) name = safeSheetName(`${sheet.name} (${i})`);
    used.add(name);
    const worksheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    if (sheet.columnWidths) worksheet.columns = sheet.columnWidths.map((width) => ({ width }));
    const header = worksheet.addRow(sheet.headers.map(toSafeCell));
    header.font = { bold: true };
    header.commit();
    for (const row of sheet.rows) worksheet.addRow(row.map(toSafeCell)).commit();
    worksheet.commit();
  }
  await workbook.commit();
  await finished;
  return Buffer.concat(chunks);
}

/** Writes CSV as Excel opens it without a wizard: UTF-8 with BOM, CRLF, every cell through toSafeCell. */
export function writeCsv(headers: string[], rows: ExportCell[][]): Buffer {
  const text = stringify([headers.map(toSafeCell), ...rows.map((row) => row.map(toSafeCell))], {
    bom: true,
    record_delimiter: 'windows',
    cast: { number: (value) => String(value) },
  });
  return Buffer.from(text, 'utf8');
}
