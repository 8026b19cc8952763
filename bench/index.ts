/**
 * `npm run bench`: each benchmark prints its figure as a ratio against a reference measured in the
 * same run, with the goal. `--quick` runs small versions (CI runs them to keep them working; speed
 * never fails CI). Data are generated deterministically. The database is PostgreSQL when one
 * answers (TEST_POSTGRES_URL, default the local server), else PGlite; `--pglite` forces PGlite.
 * `--only <text>` runs the benchmarks whose name contains the text (`--only growth`: the growth
 * curves of growth.ts alone, which otherwise run after the table).
 */
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { systemContext } from '../src/server/context';
import { seedDemo } from '../src/server/demo/seed';
import { analysisService } from '../src/server/modules/analysis/analysis.service';
import { importService } from '../src/server/modules/imports/imports.service';
import { scorecardService } from '../src/server/modules/scorecard/scorecard.service';
import { benchActor, freshDeps, quick, timeIt, type Result } from './common';
import { measurementWorkbook, scaleDemo, seedWorkbookUnits } from './demo-data';
import { energyIngestBench } from './energy-ingest';
import { energyDetectBench } from './energy-detect';
import { gateScansBench } from './gate-scans';
import { growthBench } from './growth';
import { dailyBriefingBench, weeklyNoticeBench } from './notice-briefing';
import { webLcpBench } from './web-lcp';

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

async function importBench(): Promise<Result> {
  const rows = quick ? 5_000 : 100_000;
  const deps = await freshDeps();
  await seedWorkbookUnits(deps);
  const file = await measurementWorkbook(rows);
  const reference = await timeIt(async () => {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(file), {});
    let n = 0;
    for await (const sheet of reader) for await (const row of sheet) n += row ? 1 : 0;
    return n;
  });
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

/** The machine, Node, the database and the commit, as one line. */
async function machine(): Promise<string> {
  const deps = await freshDeps();
  const database = deps.url ? String((await deps.database.raw<{ v: string }>("SELECT current_setting('server_version') AS v"))[0]?.v ?? '?') : null;
  await deps.done();
  let commit = 'unknown commit';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout
  }
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${database ? `PostgreSQL ${database}` : 'PGlite'}, commit ${commit}`;
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const chosen = (name: string) => !only || name.toLowerCase().includes(only.toLowerCase());
const results: Result[] = [];
for (const bench of [scorecardBench, importBench, energyIngestBench, energyDetectBench, gateScansBench, weeklyNoticeBench, dailyBriefingBench, webLcpBench].filter((b) => chosen(b.name))) {
  process.stderr.write(`running ${bench.name}…\n`);
  results.push(await bench());
}
if (results.length > 0) {
  const table = results.map((r) => ({ benchmark: r.name, figure: r.figure, reference: r.reference, ratio: `${r.ratio.toFixed(2)}×`, goal: r.goal, ...(r.note ? { note: r.note } : {}) }));
  console.log(quick ? '\nQuick run (small data; the ratios are not the goals’ figures):' : '');
  console.table(table);
  // The same as Markdown with the machine it ran on, for docs/performance.md's "Results".
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const markdown = [
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${quick ? ' (--quick)' : ''}: ${await machine()}`,
    '',
    '| Benchmark | Figure | Reference | Ratio | Goal |',
    '|---|---|---|---|---|',
    ...results.map((r) => `| ${cell(r.name)} | ${cell(r.figure)}${r.note ? ` (${cell(r.note)})` : ''} | ${cell(r.reference)} | ${Number.isNaN(r.ratio) ? '—' : `${r.ratio.toFixed(2)}×`} | ${cell(r.goal)} |`),
  ].join('\n');
  const file = path.join(tmpdir(), 'pacesetter-bench.md');
  writeFileSync(file, `${markdown}\n`);
  console.log(`\n${markdown}\n\n(also in ${file})`);
}
// How cost grows, after the table (`--only growth` runs just this).
if (chosen('growthBench')) await growthBench();
