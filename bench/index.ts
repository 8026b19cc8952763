/**
 * `npm run bench`: each benchmark prints its figure as a ratio against a reference measured in the
 * same run, with the goal. `--quick` runs small versions (CI runs them to keep them working; speed
 * never fails CI). Data are generated deterministically. The database is PostgreSQL when one
 * answers (TEST_POSTGRES_URL, default the local server), else PGlite; `--pglite` forces PGlite.
 * `--only <text>` runs the benchmarks whose name contains the text.
 */
import ExcelJS from 'exceljs';
import { PassThrough, Readable } from 'node:stream';
import type { Deps } from '../src/server/context';
import { seedDemo, systemContext } from '../src/server/demo/seed';
import { analysisService } from '../src/server/modules/analysis/analysis.service';
import { importService } from '../src/server/modules/imports/imports.service';
import { scorecardService } from '../src/server/modules/scorecard/scorecard.service';
import { benchActor, freshDeps, quick, timeIt, type Result } from './common';
import { energyIngestBench } from './energy-ingest';
import { energyDetectBench } from './energy-detect';
import { gateScansBench } from './gate-scans';

/** The demo with every reporting unit copied `scale − 1` more times (values varied deterministically). */
async function scaleDemo(deps: Deps, scale: number): Promise<void> {
  for (let k = 1; k < scale; k++) {
    await deps.database.execScript(`
      INSERT INTO units (code, name_zh, name_en, kind, parent_id, valid_from)
        SELECT u.code || '_S${k}', u.name_zh || ' 副本${k}', u.name_en || ' copy ${k}', u.kind, u.parent_id, u.valid_from FROM units u
        WHERE u.code NOT LIKE '%\\_S%' AND EXISTS (SELECT 1 FROM indicator_assignments a WHERE a.unit_id = u.id);
      INSERT INTO indicator_assignments (unit_id, indicator_id, weight, sort_order)
        SELECT n.id, a.indicator_id, a.weight, a.sort_order FROM indicator_assignments a JOIN units o ON o.id = a.unit_id JOIN units n ON n.code = o.code || '_S${k}';
      INSERT INTO measurements (unit_id, indicator_id, period, value, status, source)
        SELECT n.id, m.indicator_id, m.period, m.value * (1 + (abs(hashtext(n.code || m.period)) % 100 - 50) / 2000.0), m.status, m.source
        FROM measurements m JOIN units o ON o.id = m.unit_id JOIN units n ON n.code = o.code || '_S${k}';
      INSERT INTO targets (unit_id, indicator_id, period, floor, target, stretch, basis)
        SELECT n.id, t.indicator_id, t.period, t.floor, t.target, t.stretch, t.basis FROM targets t JOIN units o ON o.id = t.unit_id JOIN units n ON n.code = o.code || '_S${k}';
    `);
  }
}

async function scorecardBench(): Promise<Result> {
  const scale = quick ? 1 : 10;
  const deps = await freshDeps();
  await seedDemo(deps);
  await scaleDemo(deps, scale);
  const analysis = analysisService(deps, scorecardService(deps));
  const { db } = deps.database;
  const units = await db.selectFrom('indicator_assignments').select('unit_id').distinct().execute();
  const figure = await timeIt(() => analysis.group(benchActor, '2020-02', 'period'));
  // The reference: fetching the rows the group scorecard reads, and nothing else.
  const reference = await timeIt(async () => {
    const ids = units.map((u) => u.unit_id);
    await db.selectFrom('indicators').selectAll().execute();
    await db.selectFrom('indicator_assignments').selectAll().execute();
    await db.selectFrom('measurements').selectAll().where('unit_id', 'in', ids).where('period', '<=', '2020-02').execute();
    await db.selectFrom('targets').selectAll().where('unit_id', 'in', ids).where('period', '>=', '2019').execute();
    await db.selectFrom('benchmark_selections').selectAll().execute();
  });
  await deps.done();
  return { name: `group scorecard, demo ×${scale} (${units.length} units, ${deps.engine})`, figure: `${figure.toFixed(0)} ms`, reference: `${reference.toFixed(0)} ms fetching its rows`, ratio: figure / reference, goal: '≤ 2×' };
}

/** An xlsx of measurements: `units` units × 10 indicators × months, from 2000-01. */
async function measurementWorkbook(rows: number): Promise<Buffer> {
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

async function importBench(): Promise<Result> {
  const rows = quick ? 5_000 : 100_000;
  const deps = await freshDeps();
  await deps.database.execScript(`
    INSERT INTO units (code, name_zh, name_en, kind) SELECT 'BU' || g, '基准单位' || g, 'Bench unit ' || g, 'plant' FROM generate_series(0, 99) g;
    INSERT INTO indicators (code, name_zh, name_en, category, direction, aggregation) SELECT 'BI_' || g, '基准指标' || g, 'Bench indicator ' || g, 'production', 'higher', 'sum' FROM generate_series(0, 9) g;
    INSERT INTO indicator_assignments (unit_id, indicator_id) SELECT u.id, i.id FROM units u CROSS JOIN indicators i WHERE u.code LIKE 'BU%';
  `);
  const file = await measurementWorkbook(rows);
  const reference = await timeIt(async () => {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(file), {});
    let n = 0;
    for await (const sheet of reader) for await (const row of sheet) n += row ? 1 : 0;
    return n;
  }, 1);
  const imports = importService(deps);
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const result = await imports.run(systemContext('bench'), benchActor, 'measurements', file, 'bench.xlsx', false);
  const figure = performance.now() - t0;
  clearInterval(sampler);
  await deps.done();
  if (result.errors.length || result.inserted !== rows) throw new Error(`import bench: ${JSON.stringify(result).slice(0, 300)}`);
  return {
    name: `xlsx import, ${rows.toLocaleString('en')} measurement rows (${deps.engine})`,
    figure: `${figure.toFixed(0)} ms, +${((peak - before) / 2 ** 20).toFixed(0)} MiB RSS (process peak ${(peak / 2 ** 20).toFixed(0)} MiB)`,
    reference: `${reference.toFixed(0)} ms exceljs streaming read`,
    ratio: figure / reference,
    goal: '≤ 3×, < 400 MB for the import',
  };
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const results: Result[] = [];
for (const bench of [scorecardBench, importBench, energyIngestBench, energyDetectBench, gateScansBench].filter((b) => !only || b.name.toLowerCase().includes(only.toLowerCase()))) {
  process.stderr.write(`running ${bench.name}…\n`);
  results.push(await bench());
}
const table = results.map((r) => ({ benchmark: r.name, figure: r.figure, reference: r.reference, ratio: `${r.ratio.toFixed(2)}×`, goal: r.goal }));
console.log(quick ? '\nQuick run (small data; the ratios are not the goals’ figures):' : '');
console.table(table);
