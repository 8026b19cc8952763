import { describe, expect, it } from 'vitest';
import { columnLetter, mapColumns, type ColumnSpec } from './columns';
import type { Table } from './read-table';

function buildTable(overrides: Partial<Table> = {}): Table {
  return {
    format: 'csv',
    encoding: 'utf-8',
    headers: ['单位编码', 'Indicator Code', '实际值'],
    headerRow: 1,
    rows: [
      { row: 2, cells: ['DJ1', 'X1', '1,234.5'] },
      { row: 4, cells: ['DJ2'] },
    ],
    ...overrides,
  };
}

type Key = 'unit' | 'indicator' | 'actual' | 'note';
const specs: ColumnSpec<Key>[] = [
  { key: 'unit', names: ['单位编码', 'Unit code'], required: true },
  { key: 'indicator', names: ['指标编码', 'indicator code'], required: true },
  { key: 'actual', names: ['实际值', 'Actual'], required: true },
  { key: 'note', names: ['备注', 'Note'] },
];

describe('mapColumns', () => {
  it('maps Chinese and English headers, case-insensitively, and reads cells by key', () => {
    const result = mapColumns(buildTable(), specs);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.records.map((r) => [r.row, r.get('unit'), r.get('indicator'), r.get('actual'), r.get('note')])).toEqual([
      [2, 'DJ1', 'X1', '1,234.5', ''],
      [4, 'DJ2', '', '', ''],
    ]);
  });

  it('compares spec names after the same normalisation as headers (spaces, full-width spaces, case)', () => {
    const table = buildTable({ headers: ['unit code', 'INDICATOR CODE', '实际值'] });
    const result = mapColumns(table, [
      { key: 'unit', names: ['  Unit\u3000 Code '], required: true },
      { key: 'indicator', names: ['indicator code'], required: true },
    ]);
    expect(result.ok).toBe(true);
  });

  it('ignores unknown columns and finds known ones wherever they are', () => {
    const table = buildTable({ headers: ['备注', '无关', 'Unit code', '指标编码', 'Actual'], rows: [{ row: 2, cells: ['n', '?', 'DJ1', 'X', '5'] }] });
    const result = mapColumns(table, specs);
    if (!result.ok) throw new Error('expected ok');
    const record = result.records[0];
    expect([record?.get('unit'), record?.get('indicator'), record?.get('actual'), record?.get('note')]).toEqual(['DJ1', 'X', '5', 'n']);
  });

  it('reports every missing required column at the header row, named by the first accepted name', () => {
    const result = mapColumns(buildTable({ headers: ['单位编码'], headerRow: 3 }), specs);
    expect(result).toEqual({
      ok: false,
      errors: [
        { row: 3, column: '指标编码', value: '', message: expect.stringContaining('"指标编码" is missing') as unknown },
        { row: 3, column: '实际值', value: '', message: expect.stringContaining('实际值, Actual') as unknown },
      ],
    });
  });

  it('reports a column that appears twice, under either of its names', () => {
    const result = mapColumns(buildTable({ headers: ['单位编码', 'Indicator Code', '实际值', 'UNIT CODE'] }), specs);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([{ row: 1, column: 'UNIT CODE', value: 'UNIT CODE', message: expect.stringMatching(/Column D .* repeats column A/) as unknown }]);
  });

  it('reports duplicates and missing columns together', () => {
    const result = mapColumns(buildTable({ headers: ['单位编码', '单位编码'] }), specs);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.column)).toEqual(['单位编码', '指标编码', '实际值']);
  });

  it('refuses specs that give one header name to two keys (a programming error)', () => {
    expect(() =>
      mapColumns(buildTable(), [
        { key: 'a', names: ['编码'] },
        { key: 'b', names: ['编码 '] },
      ]),
    ).toThrow(/both "a" and "b"/);
  });

  it('names columns the way Excel does', () => {
    expect([0, 25, 26, 51, 52, 701, 702, 16383].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']);
  });
});
