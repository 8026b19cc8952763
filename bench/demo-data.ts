/** Data the benchmarks generate deterministically: the demo scaled up, and measurement workbooks. */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import type { Deps } from '../src/server/context';

/**
 * The demo with every reporting unit copied `scale − 1` more times (code `<code>_S<k>`, same
 * parent and peer class), with its indicator set, targets and measurements (values varied by
 * ±2.5 % by a hash of the copy and month). One statement per table whatever the scale, so 100×
 * (2 100 reporting units, 276 000 measurements) takes seconds.
 */
export async function scaleDemo(deps: Deps, scale: number): Promise<void> {
  if (scale <= 1) return;
  await deps.database.execScript(`
    CREATE TEMP TABLE bench_copies (orig uuid NOT NULL, k integer NOT NULL, code text NOT NULL);
    INSERT INTO bench_copies (orig, k, code)
      SELECT u.id, k, u.code || '_S' || k FROM units u CROSS JOIN generate_series(1, ${scale - 1}) k
      WHERE u.code NOT LIKE '%\\_S%' AND EXISTS (SELECT 1 FROM indicator_assignments a WHERE a.unit_id = u.id);
    INSERT INTO units (code, name_zh, name_en, kind, parent_id, peer_class, valid_from)
      SELECT c.code, u.name_zh || ' 副本' || c.k, u.name_en || ' copy ' || c.k, u.kind, u.parent_id, u.peer_class, u.valid_from
      FROM bench_copies c JOIN units u ON u.id = c.orig ORDER BY c.k, u.code;
    CREATE TEMP TABLE bench_map AS SELECT c.orig, n.id AS copy, n.code FROM bench_copies c JOIN units n ON n.code = c.code;
    INSERT INTO indicator_assignments (unit_id, indicator_id, weight, sort_order)
      SELECT m.copy, a.indicator_id, a.weight, a.sort_order FROM indicator_assignments a JOIN bench_map m ON m.orig = a.unit_id;
    INSERT INTO measurements (unit_id, indicator_id, period, value, status, source)
      SELECT m.copy, x.indicator_id, x.period, x.value * (1 + (abs(hashtext(m.code || x.period)) % 100 - 50) / 2000.0), x.status, x.source
      FROM measurements x JOIN bench_map m ON m.orig = x.unit_id;
    INSERT INTO targets (unit_id, indicator_id, period, floor, target, stretch, basis)
      SELECT m.copy, t.indicator_id, t.period, t.floor, t.target, t.stretch, t.basis FROM targets t JOIN bench_map m ON m.orig = t.unit_id;
    DROP TABLE bench_copies;
    DROP TABLE bench_map;
    ANALYZE;
  `);
}

/** The units and indicators a measurement workbook names: BU0…BU99 × BI_0…BI_9, every pair assigned. */
export async function seedWorkbookUnits(deps: Deps): Promise<void> {
  await deps.database.execScript(`
    INSERT INTO units (code, name_zh, name_en, kind) SELECT 'BU' || g, '基准单位' || g, 'Bench unit ' || g, 'plant' FROM generate_series(0, 99) g;
    INSERT INTO indicators (code, name_zh, name_en, category, direction, aggregation) SELECT 'BI_' || g, '基准指标' || g, 'Bench indicator ' || g, 'production', 'higher', 'sum' FROM generate_series(0, 9) g;
    INSERT INTO indicator_assignments (unit_id, indicator_id) SELECT u.id, i.id FROM units u CROSS JOIN indicators i WHERE u.code LIKE 'BU%';
  `);
}

/** An xlsx of `rows` measurements: 100 units × 10 indicators a month, months from 2000-01. */
export async function measurementWorkbook(rows: number): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => stream.on('end', r));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: true });
  const ws = wb.addWorksheet('实绩');
  ws.addRow(['单位编码', '指标编码', '期间', '实际值', '备注']).commit();
  const perMonth = 100 * 10;
  for (let i = 0; i < rows; i++) {
    const month = Math.floor(i / perMonth);
    const unit = Math.floor((i % perMonth) / 10);
    const ind = i % 10;
    const period = `${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
    ws.addRow([`BU${unit}`, `BI_${ind}`, period, String(1000 + ((i * 7919) % 5000)), '']).commit();
  }
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
