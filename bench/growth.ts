/**
 * How cost grows (issue 9 item 2): the group scorecard, the xlsx import and the gate scans at 1×,
 * 10× and 100× the demo's data (1× and 2× with `--quick`). Prints a table of size, time and time
 * per unit of work, and writes the raw figures (performance-growth.json) and a log-log chart of
 * each benchmark's cost per unit of work relative to its 1× (performance-growth.svg: a flat line
 * is linear growth, a rising one is worse) into docs/, or the OS temp folder with `--quick` so CI
 * exercises the code without touching docs.
 *
 * Units of work: the scorecard computes every unit from its history (per 1 000 measurements read);
 * the import checks and stores rows (per 1 000 rows); a scan is one person at one gate, whatever
 * the number of people and stored events (per scan, from the throughput under load).
 */
import * as echarts from 'echarts';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { addDays, shanghaiDay } from '../src/domain/notices/week';
import { buildApp } from '../src/server/app';
import { systemContext } from '../src/server/context';
import { seedDemo } from '../src/server/demo/seed';
import { analysisService } from '../src/server/modules/analysis/analysis.service';
import { importService } from '../src/server/modules/imports/imports.service';
import { scorecardService } from '../src/server/modules/scorecard/scorecard.service';
import { benchActor, freshDeps, quick, timeIt } from './common';
import { measurementWorkbook, scaleDemo, seedWorkbookUnits } from './demo-data';
import { drive } from './gate-scans';

const sizes = quick ? [1, 2] : [1, 10, 100];
const outDir = quick ? tmpdir() : new URL('../docs/', import.meta.url).pathname;

/** One measurement: the data it ran on, the time, and the time per unit of work. */
interface Point {
  size: number;
  /** How much data: measurements read, rows imported, people registered. */
  data: number;
  /** Milliseconds for the whole operation (per scan for the gate). */
  ms: number;
  /** Milliseconds per unit of work. */
  perUnit: number;
  detail: string;
}

interface Series {
  name: string;
  dataLabel: string;
  unitLabel: string;
  points: Point[];
}

/** Median of 3 after a warm-up, but one run (after the warm-up) when a run takes seconds. */
async function timeScaled(fn: () => Promise<unknown>, size: number): Promise<number> {
  return timeIt(fn, quick || size >= 100 ? 1 : 3);
}

async function scorecardAt(size: number): Promise<Point> {
  const deps = await freshDeps();
  await seedDemo(deps);
  await scaleDemo(deps, size);
  const analysis = analysisService(deps, scorecardService(deps));
  const { db } = deps.database;
  const counts = await sql<{ units: number; rows: number }>`SELECT (SELECT count(DISTINCT unit_id) FROM indicator_assignments)::int AS units, (SELECT count(*) FROM measurements WHERE period <= '2020-02')::int AS rows`.execute(db);
  const ms = await timeScaled(() => analysis.group(benchActor, '2020-02', 'period'), size);
  await deps.done();
  const { units, rows } = counts.rows[0]!;
  return { size, data: rows, ms, perUnit: ms / (rows / 1000), detail: `${units.toLocaleString('en')} units, ${rows.toLocaleString('en')} measurements` };
}

/**
 * 1× is a workbook about as large as the demo's measurements (2 761): 2 000 rows, so that 100× is
 * the largest file an import takes (200 000 data rows, imports/read-table.ts).
 */
const importRowsAt = (size: number) => 2_000 * size;

async function importAt(size: number): Promise<Point> {
  const rows = importRowsAt(size);
  const deps = await freshDeps();
  await seedWorkbookUnits(deps);
  const file = await measurementWorkbook(rows);
  const imports = importService(deps);
  const t0 = performance.now();
  const result = await imports.run(systemContext('bench'), benchActor, 'measurements', file, 'bench.xlsx', false);
  const ms = performance.now() - t0;
  await deps.done();
  if (result.errors.length || result.inserted !== rows) throw new Error(`growth import: ${JSON.stringify(result).slice(0, 300)}`);
  return { size, data: rows, ms, perUnit: ms / (rows / 1000), detail: `${rows.toLocaleString('en')} rows` };
}

/** The demo's people and the gate events of its replay (about ten weeks of traffic at five gates). */
const demoPeople = 4_789;
const demoEvents = 47_230;
/** Tokens the load driver presents: spread over the whole population. */
const sampledTokens = 2_000;

/**
 * A restricted community with one gate and `size` × the demo's people, each with a pass, and
 * `size` × the demo's stored gate events over the last 70 days; then our app under the scan load.
 */
async function gateAt(size: number): Promise<Point> {
  const deps = await freshDeps();
  const { db } = deps.database;
  const people = demoPeople * size;
  const events = demoEvents * size;
  const today = shanghaiDay(deps.clock.now());
  const now = deps.clock.now().toISOString();
  const deviceToken = `dev_${randomBytes(24).toString('base64url')}`;
  const tokenOf = (i: number) => `bench-pass-${i}`;
  await deps.database.execScript(`
    INSERT INTO sites (code, name_zh, kind, access_level) VALUES ('BENCH-SITE', '基准小区', 'community', 'restricted');
    INSERT INTO checkpoints (code, name_zh, site_id) SELECT 'BENCH-GATE', '基准卡口', id FROM sites WHERE code = 'BENCH-SITE';
    INSERT INTO devices (checkpoint_id, name, token_hash) SELECT id, 'bench', '${createHash('sha256').update(deviceToken).digest('hex')}' FROM checkpoints WHERE code = 'BENCH-GATE';
    -- The generated rows are consistent by construction: their foreign keys are not checked row by
    -- row, and gate_events' plain indexes are dropped and built again after the insert (millions of
    -- trigger calls and random index inserts at 100× took ten minutes; this takes two or three).
    SET LOCAL session_replication_role = replica;
    CREATE TEMP TABLE bench_indexes AS SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename = 'gate_events' AND indexname NOT IN (SELECT conname FROM pg_constraint);
    DO $$ DECLARE r record; BEGIN FOR r IN SELECT indexname FROM bench_indexes LOOP EXECUTE 'DROP INDEX ' || quote_ident(r.indexname); END LOOP; END $$;
    INSERT INTO people (code, name, category, site_id) SELECT 'GP' || g, '基准居民' || g, 'resident', s.id FROM generate_series(0, ${people - 1}) g CROSS JOIN sites s WHERE s.code = 'BENCH-SITE';
    INSERT INTO passes (person_id, token_hash, token_enc, valid_from, valid_to)
      SELECT p.id, encode(sha256(convert_to('bench-pass-' || substr(p.code, 3), 'UTF8')), 'hex'), '\\x00'::bytea, date '${addDays(today, -30)}', date '${addDays(today, 365)}' FROM people p WHERE p.code LIKE 'GP%';
    INSERT INTO pass_sites (pass_id, site_id) SELECT p.id, s.id FROM passes p CROSS JOIN sites s WHERE s.code = 'BENCH-SITE';
    INSERT INTO gate_events (idempotency_key, checkpoint_id, site_id, person_id, pass_id, credential, direction, decision, temperature_c, at, recorded_at)
      SELECT 'history-' || g, c.id, c.site_id, pa.person_id, pa.id, 'pass', CASE WHEN g % 2 = 0 THEN 'in' ELSE 'out' END, 'allow', 36.4,
        timestamptz '${now}' - ((abs(hashtext('t' || g)) % (70 * 86400)) || ' seconds')::interval, timestamptz '${now}'
      FROM generate_series(0, ${events - 1}) g
      JOIN people pe ON pe.code = 'GP' || (abs(hashtext('p' || g)) % ${people})
      JOIN passes pa ON pa.person_id = pe.id
      CROSS JOIN checkpoints c WHERE c.code = 'BENCH-GATE';
    DO $$ DECLARE r record; BEGIN FOR r IN SELECT indexdef FROM bench_indexes LOOP EXECUTE r.indexdef; END LOOP; END $$;
    DROP TABLE bench_indexes;
    SET LOCAL session_replication_role = DEFAULT;
    ANALYZE;
  `);
  const step = Math.max(1, Math.floor(people / sampledTokens));
  const tokens = Array.from({ length: Math.min(sampledTokens, people) }, (_, i) => tokenOf(i * step));
  const app = await buildApp(deps, { webDir: null });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const bearer = { authorization: `Bearer ${deviceToken}` };
  await drive(url, '/api/gate/scans', bearer, tokens, 'BENCH-GATE', quick ? 1 : 2);
  const load = await drive(url, '/api/gate/scans', bearer, tokens, 'BENCH-GATE', quick ? 2 : 6);
  await app.close();
  const stored = Number((await db.selectFrom('gate_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  await deps.done();
  if (load.failed > 0) throw new Error(`growth gate: ${load.failed} scans failed`);
  const perScan = 1000 / load.rate;
  return {
    size,
    data: people,
    ms: perScan,
    perUnit: perScan,
    detail: `${people.toLocaleString('en')} people, ${stored.toLocaleString('en')} stored events: ${Math.round(load.rate).toLocaleString('en')} scans/s, p99 ${load.p99.toFixed(0)} ms`,
  };
}

/** A log-log chart of each series' cost per unit of work relative to its 1×, as SVG text. */
export function growthChart(series: Series[]): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 900, height: 420 });
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: '成本随数据量的增长 How cost grows with the data', subtext: '每单位工作的成本 ÷ 1× 的成本（对数坐标；水平线 = 线性增长）  Cost per unit of work ÷ the same at 1× (log-log; flat = linear)', left: 'center' },
    legend: { bottom: 0 },
    grid: { left: 70, right: 40, top: 80, bottom: 70 },
    xAxis: { type: 'log', logBase: 10, name: '数据量 data (× demo)', nameLocation: 'middle', nameGap: 28, min: 1, max: Math.max(...sizes) },
    yAxis: { type: 'log', logBase: 10, name: '相对成本 relative cost', min: 0.1, max: 10 },
    series: series.map((s) => ({
      name: s.name,
      type: 'line',
      symbolSize: 8,
      label: { show: true, formatter: (p: { value: [number, number] }) => `${p.value[1].toFixed(2)}×` },
      data: s.points.map((p) => [p.size, p.perUnit / s.points[0]!.perUnit]),
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

export async function growthBench(): Promise<void> {
  const benches: { name: string; dataLabel: string; unitLabel: string; at: (size: number) => Promise<Point> }[] = [
    { name: '集团对标 group scorecard', dataLabel: 'measurements', unitLabel: 'ms per 1 000 measurements', at: scorecardAt },
    { name: 'xlsx 导入 import', dataLabel: 'rows', unitLabel: 'ms per 1 000 rows', at: importAt },
    { name: '卡口扫码 gate scans', dataLabel: 'people', unitLabel: 'ms per scan (1 / throughput)', at: gateAt },
  ];
  const series: Series[] = [];
  for (const b of benches) {
    const points: Point[] = [];
    for (const size of sizes) {
      process.stderr.write(`growth: ${b.name} at ${size}×…\n`);
      points.push(await b.at(size));
    }
    series.push({ name: b.name, dataLabel: b.dataLabel, unitLabel: b.unitLabel, points });
  }
  console.log(`\nHow cost grows (${sizes.map((s) => `${s}×`).join(', ')} the demo's data):`);
  console.table(
    series.flatMap((s) =>
      s.points.map((p) => ({
        benchmark: s.name,
        size: `${p.size}×`,
        data: p.detail,
        time: s.name.includes('gate') ? `${p.ms.toFixed(2)} ms per scan` : `${p.ms.toFixed(0)} ms`,
        'per unit of work': `${p.perUnit.toFixed(2)} ${s.unitLabel}`,
        'relative to 1×': `${(p.perUnit / s.points[0]!.perUnit).toFixed(2)}×`,
      })),
    ),
  );
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, 'performance-growth.json');
  const svg = join(outDir, 'performance-growth.svg');
  writeFileSync(json, `${JSON.stringify({ sizes, quick, series }, null, 2)}\n`);
  writeFileSync(svg, growthChart(series));
  console.log(`growth figures: ${json}\ngrowth chart: ${svg}`);
}
