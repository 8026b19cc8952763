/**
 * Reading a file of risk areas (风险地区) as health commissions publish them: xlsx or CSV (UTF-8
 * or GBK), English or Chinese headers, levels as high/medium/low or 高/中/低. The shared readers of
 * src/server/imports/ turn the file into rows; this module checks every row and reports every bad
 * cell at once (row as Excel numbers it, column as headed in the file), so that the caller stores
 * all rows or none.
 */
import { isDayKey } from '../../../domain/notices/week';
import { mapColumns, type ColumnSpec } from '../../imports/columns';
import { normaliseHeader } from '../../imports/table-builder';
import { AppError, businessRule } from '../../errors';
import { ImportFileError, readTable, type Table } from '../../imports/read-table';
import type { RISK_LEVELS } from './travel.schemas';

type Key = 'region' | 'level' | 'valid_from' | 'valid_to' | 'source';
type Level = (typeof RISK_LEVELS)[number];

export const riskAreaColumns: ColumnSpec<Key>[] = [
  { key: 'region', names: ['region', '地区', '风险地区'], required: true },
  { key: 'level', names: ['level', '等级', '风险等级'], required: true },
  { key: 'valid_from', names: ['valid_from', '生效日期'], required: true },
  { key: 'valid_to', names: ['valid_to', '失效日期'] },
  { key: 'source', names: ['source', '来源'] },
];

const levelWords: Record<Level, string[]> = {
  high: ['high', '高', '高风险'],
  medium: ['medium', '中', '中风险'],
  low: ['low', '低', '低风险'],
};

export interface ImportedRiskArea {
  row: number;
  region: string;
  level: Level;
  validFrom: string;
  validTo: string | null;
  source: string | null;
}

/** One bad cell: the row Excel shows, the column as headed in the file. */
export interface ImportProblem {
  row: number;
  column: string;
  message: string;
}

const maxRows = 10_000;

/** 2020-01-23, 2020/1/23, 2020.1.23 or 2020年1月23日 as 'YYYY-MM-DD'; null when it is none of them or no real day. */
export function parseDay(text: string): string | null {
  const m = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$/.exec(text.trim());
  if (!m) return null;
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isDayKey(day) && day >= '1900-01-01' && day <= '2999-12-31' ? day : null;
}

function parseLevel(text: string): Level | null {
  const t = text.trim().toLowerCase();
  for (const [level, words] of Object.entries(levelWords) as [Level, string[]][]) if (words.includes(t)) return level;
  return null;
}

/** The header a key has in this file (for messages), or its first accepted name. */
function headerOf(table: Table, spec: ColumnSpec<Key>): string {
  const names = new Set(spec.names.map((n) => normaliseHeader(n).toLowerCase()));
  return table.headers.find((h) => names.has(normaliseHeader(h).toLowerCase())) ?? spec.names[0]!;
}

/** Checks every row of the table; the areas when all are good, else every problem. */
export function checkRiskAreaTable(table: Table): { ok: true; areas: ImportedRiskArea[] } | { ok: false; problems: ImportProblem[] } {
  const mapped = mapColumns(table, riskAreaColumns);
  if (!mapped.ok) return { ok: false, problems: mapped.errors.map((e) => ({ row: e.row, column: e.column, message: e.message })) };
  const column = Object.fromEntries(riskAreaColumns.map((s) => [s.key, headerOf(table, s)])) as Record<Key, string>;
  const problems: ImportProblem[] = [];
  const areas: ImportedRiskArea[] = [];
  for (const r of mapped.records) {
    const bad = (key: Key, message: string) => problems.push({ row: r.row, column: column[key], message });
    const region = r.get('region').trim();
    if ([...region].length < 2 || [...region].length > 100) bad('region', 'a region of 2 to 100 characters is required');
    const levelText = r.get('level').trim();
    const level = parseLevel(levelText);
    if (!level) bad('level', levelText === '' ? 'the level is required (high, medium, low or 高, 中, 低)' : `"${levelText}" is not a level (high, medium, low or 高, 中, 低)`);
    const fromText = r.get('valid_from').trim();
    const validFrom = parseDay(fromText);
    if (!validFrom) bad('valid_from', fromText === '' ? 'the first valid day is required' : `"${fromText}" is not a date (YYYY-MM-DD)`);
    const toText = r.get('valid_to').trim();
    const validTo = toText === '' ? null : parseDay(toText);
    if (toText !== '' && !validTo) bad('valid_to', `"${toText}" is not a date (YYYY-MM-DD)`);
    else if (validFrom && validTo && validTo < validFrom) bad('valid_to', `the last valid day ${validTo} is before the first ${validFrom}`);
    const source = r.get('source').trim();
    if ([...source].length > 200) bad('source', 'the source is longer than 200 characters');
    if (level && validFrom && (toText === '' || validTo)) areas.push({ row: r.row, region, level, validFrom, validTo, source: source === '' ? null : source });
  }
  if (problems.length === 0 && areas.length === 0) problems.push({ row: table.headerRow + 1, column: column.region, message: 'the file has no data rows' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, areas };
}

/**
 * The risk areas of an uploaded file. A file that cannot be read is refused with its import code
 * (413 too large, else 422); any bad row gives 422 IMPORT_INVALID with every problem in details.
 */
export async function riskAreasFromFile(file: Buffer, filename: string): Promise<ImportedRiskArea[]> {
  let table: Table;
  try {
    table = await readTable(file, { filename, maxRows });
  } catch (e) {
    if (e instanceof ImportFileError) throw new AppError(e.code === 'FILE_TOO_LARGE' ? 413 : 422, e.code, e.message);
    throw e;
  }
  const checked = checkRiskAreaTable(table);
  if (!checked.ok) throw businessRule('IMPORT_INVALID', `The file has ${checked.problems.length} problem(s); nothing was imported`, checked.problems);
  return checked.areas;
}
