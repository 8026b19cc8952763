import type { Table } from './read-table';
import { normaliseHeader } from './table-builder';

/** A column the business layer expects, with every header name a file may use for it. */
export interface ColumnSpec<K extends string> {
  key: K;
  /** Accepted header names, English and Chinese; compared case-insensitively after trimming. */
  names: string[];
  required?: boolean;
}

/** A problem with one cell (or a header), in the numbering the user sees in Excel. */
export interface CellError {
  row: number;
  /** The header as written in the file, or the spec's first name when the column is missing. */
  column: string;
  value: string;
  message: string;
}

/** A data row read through the column mapping. */
export interface MappedRecord<K extends string> {
  row: number;
  /** The raw cell text for the key; '' when the column or the cell is absent. */
  get(key: K): string;
  /** Whether the file has the key's column at all (an optional column left out changes nothing). */
  has(key: K): boolean;
}

export type MapColumnsResult<K extends string> =
  | {
      ok: true;
      records: MappedRecord<K>[];
      /** Maps more rows under the same header (a streamed file's later batches). */
      recordsOf(rows: Table['rows']): MappedRecord<K>[];
    }
  | { ok: false; errors: CellError[] };

const headerKey = (name: string) => normaliseHeader(name).toLowerCase();

class RowRecord<K extends string> implements MappedRecord<K> {
  constructor(
    readonly row: number,
    private readonly cells: readonly string[],
    private readonly positions: ReadonlyMap<K, number>,
  ) {}

  get(key: K): string {
    const position = this.positions.get(key);
    return position === undefined ? '' : (this.cells[position] ?? '');
  }

  has(key: K): boolean {
    return this.positions.has(key);
  }
}

/**
 * Finds each spec's column among the table's headers. Reports missing required columns and
 * columns that appear twice, all at once; columns no spec names are ignored.
 */
export function mapColumns<K extends string>(table: Table, specs: ColumnSpec<K>[]): MapColumnsResult<K> {
  const keyByName = new Map<string, ColumnSpec<K>>();
  for (const spec of specs) {
    for (const name of spec.names) {
      const existing = keyByName.get(headerKey(name));
      if (existing && existing.key !== spec.key) {
        throw new Error(`Column name "${name}" is given for both "${existing.key}" and "${spec.key}"`);
      }
      keyByName.set(headerKey(name), spec);
    }
  }

  const positions = new Map<K, number>();
  const errors: CellError[] = [];
  table.headers.forEach((header, position) => {
    const spec = keyByName.get(headerKey(header));
    if (!spec) return;
    const first = positions.get(spec.key);
    if (first === undefined) {
      positions.set(spec.key, position);
      return;
    }
    errors.push({
      row: table.headerRow,
      column: header,
      value: header,
      message: `Column ${columnLetter(position)} "${header}" repeats column ${columnLetter(first)} "${table.headers[first] ?? ''}"; keep only one of them.`,
    });
  });
  for (const spec of specs) {
    if (!spec.required || positions.has(spec.key)) continue;
    const [first = spec.key] = spec.names;
    errors.push({
      row: table.headerRow,
      column: first,
      value: '',
      message: `Required column "${first}" is missing (accepted headers: ${spec.names.join(', ')}).`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  const recordsOf = (rows: Table['rows']) => rows.map((r) => new RowRecord(r.row, r.cells, positions));
  return { ok: true, records: recordsOf(table.rows), recordsOf };
}

/** Excel's column name for a 0-based position: 0 → A, 26 → AA. */
export function columnLetter(position: number): string {
  let n = position + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
