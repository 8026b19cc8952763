import type { EntryGrid, EntryRow, SaveEntryBody } from '../../../server/modules/measurements/measurements.schemas';

/** What the user typed into a row (value and note), before it is saved. */
export interface RowEdit {
  value: number | null;
  note: string;
}

export type Edits = Readonly<Record<string, RowEdit>>;

/** The value and note a row shows: the user's edit, else what the server has. */
export function currentOf(row: EntryRow, edits: Edits): RowEdit {
  return edits[row.indicator] ?? { value: row.value, note: row.note };
}

function differs(row: EntryRow, edit: RowEdit): boolean {
  return edit.value !== row.value || edit.note.trim() !== row.note.trim();
}

/** The rows whose edit differs from the server's value, as the save request takes them. */
export function changedValues(grid: EntryGrid, edits: Edits): SaveEntryBody['values'] {
  return grid.rows
    .filter((row) => edits[row.indicator] && differs(row, edits[row.indicator]!))
    .map((row) => {
      const edit = edits[row.indicator]!;
      return { indicator: row.indicator, value: edit.value, note: edit.note.trim() };
    });
}

export function isOutsideRange(row: EntryRow, value: number | null): boolean {
  if (value === null) return false;
  return (row.rangeMin !== null && value < row.rangeMin) || (row.rangeMax !== null && value > row.rangeMax);
}

/** Whether a value misses its target (for a band indicator only the server can tell: it knows the tolerance). */
function missesTarget(row: EntryRow, value: number | null): boolean {
  if (value === null || row.target === null) return false;
  if (row.direction === 'higher') return value < row.target;
  if (row.direction === 'lower') return value > row.target;
  return value === row.value && row.needsNote;
}

/**
 * Why a row needs a note: its value is outside the reasonable range (required to save), or it
 * misses the target (required to submit); null when no note is needed or one is given.
 */
export function noteRequirement(row: EntryRow, edit: RowEdit): 'range' | 'target' | null {
  if (row.derived || edit.note.trim()) return null;
  if (isOutsideRange(row, edit.value)) return 'range';
  if (missesTarget(row, edit.value)) return 'target';
  return null;
}

/** Can the signed-in user change this row's value now? */
export function isRowEditable(grid: EntryGrid, row: EntryRow): boolean {
  if (!grid.canEnter || grid.locked || row.derived) return false;
  if (row.status === 'approved') return false;
  return !(row.status === 'submitted' && !grid.canApprove);
}
