import { ImportFileError } from './import-file-error';
import type { TableRow } from './read-table';

/** Excel's own sheet height: no real file has a row beyond it. */
export const EXCEL_MAX_ROWS = 1_048_576;

// JS `\s` already covers the full-width space U+3000, NBSP and the BOM U+FEFF; zero-width
// characters are added because Excel users paste them in from web pages and chat apps.
const blankText = /^[\s\u200B-\u200D\u2060]*$/;
const invisibleText = /[\u200B-\u200D\u2060\uFEFF]/g;

/** True when a cell holds nothing a person could see. */
export function isBlankCell(text: string): boolean {
  return blankText.test(text);
}

/** Header text as compared and shown: no BOM, no invisible characters, single ASCII spaces, trimmed. */
export function normaliseHeader(text: string): string {
  return text.replace(invisibleText, '').replace(/\s+/g, ' ').trim();
}

export interface TableBuilderLimits {
  maxRows: number;
  maxColumns: number;
}

/** Where the header row is; handed with each batch of rows to a streaming reader's consumer. */
export interface TableHeader {
  headers: string[];
  headerRow: number;
  /** The last row the worksheet says it uses (an .xlsx's dimension), or null: for progress only, never trusted. */
  declaredLastRow: number | null;
}

/**
 * Takes data rows as they are read, in file order. It must not throw (readers wrap what it throws
 * as a malformed file). A promise it returns (which must not reject) asks the reader to wait for
 * it before reading on: an .xlsx reader waits, so a consumer slower than the reading holds a few
 * batches, not the file; a CSV is in memory already and does not.
 */
export type RowSink = (rows: TableRow[], header: TableHeader) => void | Promise<void>;

/** Rows per batch handed to a sink: big enough to write in one statement, small enough to overlap reading and writing. */
export const sinkBatchRows = 5_000;

/**
 * Collects rows in file order: the first non-blank row becomes the header, blank rows are
 * dropped (their numbers stay used), and the row/column limits are enforced as rows arrive so
 * an oversized file is refused before it is materialised. With a sink, rows are handed over in
 * batches as they are read instead of being kept.
 */
export class TableBuilder {
  headers: string[] | null = null;
  headerRow = 0;
  /** Data rows read so far (with a sink, those not yet handed over). */
  readonly rows: TableRow[] = [];
  /** Data rows read so far, handed over or not. */
  count = 0;
  /** What the sink last asked the reader to wait for (see RowSink), until the reader takes it. */
  pending: Promise<void> | null = null;
  /** See TableHeader; set by the reader before the first row. */
  declaredLastRow: number | null = null;

  constructor(
    private readonly limits: TableBuilderLimits,
    private readonly sink?: RowSink,
  ) {}

  get maxColumns(): number {
    return this.limits.maxColumns;
  }

  /** Adds one physical row; `cells` may be modified in place. */
  add(row: number, cells: string[]): void {
    let length = cells.length;
    while (length > 0 && isBlankCell(cells[length - 1] ?? '')) length -= 1;
    if (length === 0) return;
    if (length > this.limits.maxColumns) {
      throw new ImportFileError(
        'TOO_MANY_COLUMNS',
        `Row ${row} has data in column ${length}; at most ${this.limits.maxColumns} columns are read. ` +
          'Delete the stray cells far to the right and upload again.',
      );
    }
    cells.length = length;
    if (this.headers === null) {
      this.headers = cells.map(normaliseHeader);
      this.headerRow = row;
      return;
    }
    if (this.count >= this.limits.maxRows) {
      throw new ImportFileError(
        'TOO_MANY_ROWS',
        `The file has more than ${this.limits.maxRows.toLocaleString('en-US')} data rows. Split it into smaller files.`,
      );
    }
    this.count += 1;
    this.rows.push({ row, cells });
    if (this.sink && this.rows.length >= sinkBatchRows) this.flush();
  }

  /** Hands the rows not yet handed over to the sink (a no-op without one). */
  flush(): void {
    if (this.sink && this.headers !== null && this.rows.length > 0) this.pending = this.sink(this.rows.splice(0), { headers: this.headers, headerRow: this.headerRow, declaredLastRow: this.declaredLastRow }) ?? null;
  }
}
