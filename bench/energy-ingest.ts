/**
 * Bulk ingestion of readings (issue 5): the readings service (the path of POST /api/energy/readings
 * after JSON parsing: every reading checked, idempotent insert, conflicts found, days queued,
 * audited) against a plain PostgreSQL `COPY` of the same rows into a table of the same shape
 * (`LIKE meter_readings INCLUDING ALL`: same columns, primary key and defaults; the same batch id
 * on every row). Goal: ≥ 0.5× the COPY rate and ≥ 100 000
 * readings per second.
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { systemContext } from '../src/server/context';
import { ingestReadings, type RawReading } from '../src/server/modules/energy/readings.service';
import { freshDeps, quick, type Result } from './common';

const meters = 200;
/** 15-minute readings per meter: 2 500 (26 days) for the full run, 250 for --quick. */
const perMeter = quick ? 250 : 2_500;
const requestSize = 50_000;
const firstAt = Date.parse('2019-06-01T00:00:00+08:00');

/** Readings as a client sends them: meter code, ISO-8601 time with offset, value; meter by meter in time order. */
function generate(): RawReading[] {
  const out: RawReading[] = [];
  for (let q = 0; q < perMeter; q++) {
    for (let m = 0; m < meters; m++) {
      const ms = firstAt + q * 900_000;
      out.push({ meter: `BM-${String(m).padStart(3, '0')}`, at: `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`, value: 1000 + q * (1 + (m % 7)) + ((q * 7919 + m) % 13) / 10 });
    }
  }
  return out;
}

export async function energyIngestBench(): Promise<Result> {
  const deps = await freshDeps();
  const { db } = deps.database;
  await deps.database.execScript(`
    INSERT INTO units (code, name_zh, name_en, kind) VALUES ('BENCH', '基准单位', 'Bench unit', 'plant');
    INSERT INTO meters (code, name_zh, name_en, carrier, kind, uom, unit_id, interval_minutes, valid_from)
      SELECT 'BM-' || lpad(g::text, 3, '0'), '基准表' || g, 'Bench meter ' || g, 'power', 'counter', 'kWh', (SELECT id FROM units WHERE code = 'BENCH'), 15, '2019-01-01'
      FROM generate_series(0, ${meters - 1}) g;
    CREATE TABLE copy_readings (LIKE meter_readings INCLUDING ALL);
  `);
  const readings = generate();
  const total = readings.length;
  const keyOf = new Map((await db.selectFrom('meters').select(['code', 'key']).execute()).map((m) => [m.code, m.key]));
  const reset = () => deps.database.execScript('TRUNCATE meter_readings, energy_recompute_queue, copy_readings; DELETE FROM reading_batches;');

  const runs = quick ? 1 : 3;
  const ingestTimes: number[] = [];
  for (let run = 0; run <= runs; run++) {
    await reset();
    const t0 = performance.now();
    for (let i = 0; i < total; i += requestSize) {
      const r = await ingestReadings(deps, systemContext('bench'), null, readings.slice(i, i + requestSize), 'api');
      if (r.accepted !== Math.min(requestSize, total - i)) throw new Error(`ingest bench: ${JSON.stringify({ ...r, rejected: r.rejected.slice(0, 3) })}`);
    }
    if (run > 0) ingestTimes.push(performance.now() - t0);
  }
  const ingestMs = ingestTimes.sort((a, b) => a - b)[Math.floor(ingestTimes.length / 2)]!;

  let copyMs: number | null = null;
  if (deps.url) {
    // The same rows as COPY text, prepared before the clock starts: the reference is the COPY alone.
    const receivedAt = new Date().toISOString();
    const batch = (await db.insertInto('reading_batches').values({ source: 'api', file_name: null, received: total, created_by: null, created_at: new Date() }).returning('id').executeTakeFirstOrThrow()).id;
    const lines = readings.map((r) => `${keyOf.get(r.meter as string)}\t${r.at as string}\t${r.value as number}\t${receivedAt}\t${batch}\n`);
    const client = new pg.Client({ connectionString: deps.url });
    await client.connect();
    const copyTimes: number[] = [];
    for (let run = 0; run <= runs; run++) {
      await client.query('TRUNCATE copy_readings');
      const t0 = performance.now();
      await pipeline(Readable.from(chunked(lines)), client.query(copyFrom('COPY copy_readings (meter_key, at, value, received_at, batch_id) FROM STDIN')));
      if (run > 0) copyTimes.push(performance.now() - t0);
    }
    const n = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM copy_readings')).rows[0]!.n);
    await client.end();
    if (n !== total) throw new Error(`copy bench: ${n} rows, expected ${total}`);
    copyMs = copyTimes.sort((a, b) => a - b)[Math.floor(copyTimes.length / 2)]!;
  }
  await deps.done();

  const rate = (ms: number) => Math.round(total / (ms / 1000));
  return {
    name: `reading ingestion, ${total.toLocaleString('en')} readings of ${meters} meters in requests of ${requestSize.toLocaleString('en')} (${deps.engine})`,
    figure: `${rate(ingestMs).toLocaleString('en')} readings/s (${ingestMs.toFixed(0)} ms)`,
    reference: copyMs === null ? 'n/a (COPY needs PostgreSQL)' : `${rate(copyMs).toLocaleString('en')} readings/s COPY (${copyMs.toFixed(0)} ms)`,
    ratio: copyMs === null ? Number.NaN : copyMs / ingestMs,
    goal: '≥ 0.5× COPY and ≥ 100 000 readings/s',
  };
}

/** Lines joined into ~1 MB strings (one write per chunk, not per row). */
function* chunked(lines: string[]): Generator<string> {
  for (let i = 0; i < lines.length; i += 20_000) yield lines.slice(i, i + 20_000).join('');
}
