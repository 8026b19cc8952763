/**
 * `npm run soak` (issue 8, item 6): mixed traffic against the real server on PostgreSQL for five
 * minutes (`--minutes N`; `--quick` 30 s), reporting per request class the count, throughput,
 * p50/p99 latency and errors, the server's memory over time, and whether every acknowledged write
 * is in the database; then the audit chain is verified. Exit 1 on any error, a memory bound breach,
 * a lost write or a broken chain; 2 when it cannot run (no PostgreSQL).
 *
 * The server is `node bin/pacesetter.mjs serve` as a child process with NODE_ENV=production (a
 * generated PACESETTER_KEY), so its resident memory is its own (sampled from /proc every 5 s). A
 * production server never loads the demo, so this process seeds the demo company first (as
 * development, with the same key) and the traffic signs in with the demo accounts' password.
 * Not part of `npm test` nor of `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { demoPassword } from '../src/server/modules/auth/auth.service';
import { auditVerify, freshPostgres, productionEnv, removeDataDir, rssOf, seedWorld, SoakRefusal, startServer, type ServerProcess, type SoakDatabase, type SoakWorld } from './soak-setup';
import {
  Budget,
  call,
  errorOf,
  login,
  measurementWorkbook,
  months,
  percentile,
  Recorder,
  requestClasses,
  runId,
  valueFor,
  type Answer,
  type RequestClass,
  type Session,
  type TypedIndicator,
} from './soak-traffic';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const numberArg = (name: string): number | null => {
  const i = argv.indexOf(name);
  if (i < 0) return null;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`soak: ${name} needs a positive number (usage: tsx bench/soak.ts [--quick | --minutes N] [--concurrency N])`);
    process.exit(2);
  }
  return v;
};
const durationS = (numberArg('--minutes') ?? (quick ? 0.5 : 5)) * 60;
const concurrency = numberArg('--concurrency') ?? 16;
const sampleEveryMs = 5_000;
const importEveryMs = 10_000;
/** Data entry per clerk stays under this many saves a minute (the production write limit is 600 per user). */
const writesPerClerkMinute = 540;
const clerkCount = 4;
const mib = 1024 * 1024;
/**
 * The memory bound: RSS at the end (mean of the samples of the last 30 s) may exceed RSS after the
 * first minute (mean of the samples of 60–90 s) by at most 64 MiB. An absolute bound rather than
 * a percentage: the server starts near 240 MiB, grows for its first half minute of load and then
 * swings between about 370 and 470 MiB as V8 grows its heap and frees it lazily (samples 5 s apart
 * differ by up to 90 MiB, hence the means of 30 s); 25 % would be about 100 MiB today and would
 * loosen as the start grows. The report prints what the bound amounts to per request served, so a
 * steady leak of that order fails. A run shorter than two minutes (`--quick`) has no settled
 * first minute to compare with: it reports memory but does not judge it.
 */
const memoryBoundBytes = 64 * mib;
const baselineFromS = 60;
const meanWindowS = 30;

/** The mix of the 16 in-flight requests, by weight; imports run beside them every 10 s. */
const weights: [RequestClass, number][] = [
  ['gate scan', 45],
  ['gate scan replay', 3],
  ['scorecard', 15],
  ['group analysis', 4],
  ['data entry', 18],
  ['problem list', 7],
  ['people list', 8],
];
const totalWeight = weights.reduce((s, [, w]) => s + w, 0);
function pickClass(): RequestClass {
  let r = Math.random() * totalWeight;
  for (const [c, w] of weights) if ((r -= w) < 0) return c;
  return 'gate scan';
}

interface Acknowledged {
  /** idempotency key → the event id the server answered. */
  scans: Map<string, { id: string; body: Record<string, unknown> }>;
  /** `period|indicator` → the last value the server acknowledged for DJ1 (data entry). */
  entries: Map<string, number>;
  /** Keys whose last save failed or went unanswered: the stored value may be either. */
  uncertainEntries: Set<string>;
  imports: { period: string; values: { indicator: string; value: number }[] }[];
}

async function main(): Promise<number> {
  let database: SoakDatabase | null = null;
  let world: SoakWorld | null = null;
  let server: ServerProcess | null = null;
  const failures: string[] = [];
  try {
    database = await freshPostgres();
    world = await seedWorld(database.url, { clerkCount, passes: 1_000 });
    console.error(`soak: database seeded in ${world.seedSeconds.toFixed(1)} s; starting the server (NODE_ENV=production)`);
    const env = productionEnv(database.url, world.key, world.dataDir);
    server = await startServer(env);
    const base = server.url;
    console.error(`soak: server pid ${server.pid} at ${base}; ${durationS} s of traffic, ${concurrency} in flight`);

    const manager = await login(base, 'manager', demoPassword);
    const clerks = await Promise.all(world.clerks.map((u) => login(base, u, demoPassword)));
    const budgets = new Map(clerks.map((c) => [c.username, new Budget(writesPerClerkMinute)]));
    const importer = clerks[0]!;

    // DJ1's typed indicators (formula ones are computed), from the entry grid as a clerk sees it.
    const grid = await call(base, 'GET', '/api/entry?unit=DJ1&period=2030-01', { session: importer });
    if (grid.status !== 200) throw new Error(`entry grid: ${grid.status} ${JSON.stringify(grid.body).slice(0, 300)}`);
    const typed: TypedIndicator[] = (grid.body as { rows: (TypedIndicator & { indicator: string; derived: boolean })[] }).rows
      .filter((r) => !r.derived)
      .map((r) => ({ code: r.indicator, precision: r.precision, rangeMin: r.rangeMin, rangeMax: r.rangeMax, target: r.target }));
    if (typed.length === 0) throw new Error('DJ1 has no typed indicators');

    const rec = new Recorder();
    const ack: Acknowledged = { scans: new Map(), entries: new Map(), uncertainEntries: new Set(), imports: [] };
    // Data entry months: each is saved by one request at a time, so the last acknowledged value is the stored one.
    const freeEntryPeriods = months('2030-01', 120);
    const importPeriods = months('2045-01', 600);
    let scanN = 0;
    let entryN = 0;
    let direction: 'in' | 'out' = 'in';

    const record = (cls: RequestClass, a: Answer, okStatus: number, check?: () => string | null): boolean => {
      if (a.status !== okStatus) {
        const e = errorOf(a.body);
        rec.fail(cls, a.ms, a.status, e.code, e.message);
        return false;
      }
      const problem = check?.() ?? null;
      if (problem) {
        rec.fail(cls, a.ms, a.status, 'WRONG_ANSWER', problem);
        return false;
      }
      rec.ok(cls, a.ms);
      return true;
    };

    const gateScan = async () => {
      const key = `soak-${runId}-${++scanN}`;
      direction = direction === 'in' ? 'out' : 'in';
      const token = world!.gate.passTokens[scanN % world!.gate.passTokens.length]!;
      const body = { checkpoint: world!.gate.checkpoint, token, direction, ...(direction === 'in' ? { temperatureC: 36.5 } : {}), idempotencyKey: key };
      const a = await call(base, 'POST', '/api/gate/scans', { bearer: world!.gate.deviceToken, json: body });
      const answer = a.body as { id?: string; duplicate?: boolean; decision?: string };
      if (record('gate scan', a, 200, () => (answer.duplicate === false && answer.id ? null : `a new key answered ${JSON.stringify(a.body).slice(0, 200)}`)))
        ack.scans.set(key, { id: answer.id!, body });
    };
    const gateReplay = async () => {
      const keys = [...ack.scans.keys()];
      if (keys.length === 0) return gateScan();
      const key = keys[Math.floor(Math.random() * keys.length)]!;
      const first = ack.scans.get(key)!;
      const a = await call(base, 'POST', '/api/gate/scans', { bearer: world!.gate.deviceToken, json: first.body });
      const answer = a.body as { id?: string; duplicate?: boolean };
      record('gate scan replay', a, 200, () => (answer.duplicate === true && answer.id === first.id ? null : `replay of ${key} answered ${JSON.stringify(a.body).slice(0, 200)} (first id ${first.id})`));
    };
    const dataEntry = async () => {
      // The clerks take turns, each inside their own write budget.
      const turn = entryN;
      const clerk = clerks.map((_, i) => clerks[(turn + i) % clerks.length]!).find((c) => budgets.get(c.username)!.take());
      const period = clerk ? freeEntryPeriods.shift() : undefined;
      if (!clerk || !period) return gateScan();
      try {
        const n = ++entryN;
        const values = typed.map((ind, i) => ({ indicator: ind.code, value: valueFor(ind, n * 31 + i), note: '' }));
        const a = await call(base, 'PUT', '/api/entry', { session: clerk, json: { unit: 'DJ1', period, values } });
        const rows = (a.body as { rows?: { indicator: string; value: number | null }[] } | null)?.rows ?? [];
        const ok = record('data entry', a, 200, () => {
          const wrong = values.find((v) => rows.find((r) => r.indicator === v.indicator)?.value !== v.value);
          return wrong ? `the grid answered ${wrong.indicator} = ${rows.find((r) => r.indicator === wrong.indicator)?.value} after saving ${wrong.value}` : null;
        });
        for (const v of values) {
          const k = `${period}|${v.indicator}`;
          if (ok && a.status === 200) {
            ack.entries.set(k, v.value);
            ack.uncertainEntries.delete(k);
          } else ack.uncertainEntries.add(k);
        }
      } finally {
        freeEntryPeriods.push(period);
      }
    };
    const get = (cls: RequestClass, path: string, session: Session, check?: (body: unknown) => string | null) => async () => {
      const a = await call(base, 'GET', path, { session });
      record(cls, a, 200, check ? () => check(a.body) : undefined);
    };
    const scorecard = async () => {
      const unit = world!.scorecardUnits[Math.floor(Math.random() * world!.scorecardUnits.length)]!;
      const scope = Math.random() < 0.5 ? 'period' : 'ytd';
      await get('scorecard', `/api/scorecard?unit=${unit}&period=${world!.demoPeriod}&scope=${scope}`, manager)();
    };
    const ops: Record<RequestClass, () => Promise<void>> = {
      'gate scan': gateScan,
      'gate scan replay': gateReplay,
      scorecard,
      'group analysis': get('group analysis', `/api/analysis/group?period=${world.demoPeriod}`, manager),
      'data entry': dataEntry,
      import: async () => {},
      'problem list': get('problem list', '/api/problems', manager),
      'people list': get('people list', '/api/people', manager),
    };
    const attempt = async (cls: RequestClass, op: () => Promise<void>) => {
      const t0 = performance.now();
      try {
        await op();
      } catch (e) {
        rec.fail(cls, performance.now() - t0, 'network', (e as { code?: string }).code ?? (e as Error).name, (e as Error).message);
      }
    };

    // Memory: a sample now and every 5 s.
    const read = (f: string) => readFileSync(f, 'utf8');
    const t0 = performance.now();
    const samples: { s: number; rss: number }[] = [];
    const sample = () => {
      const rss = rssOf(server!.pid, read);
      if (rss !== null) samples.push({ s: (performance.now() - t0) / 1000, rss });
    };
    sample();
    const sampler = setInterval(sample, sampleEveryMs);
    let end = t0 + durationS * 1000;
    // Ctrl-C ends the traffic early; the report, the checks and the clean-up still run.
    let interrupted = false;
    process.once('SIGINT', () => {
      interrupted = true;
      end = 0;
      console.error('soak: interrupted, finishing the requests in flight');
    });

    const importLoop = async () => {
      let k = 0;
      while (performance.now() + 1000 < end) {
        const period = importPeriods[k++]!;
        const values = typed.map((ind, i) => ({ indicator: ind.code, value: valueFor(ind, k * 17 + i + 5) }));
        await attempt('import', async () => {
          const form = new FormData();
          form.append('kind', 'measurements');
          form.append('file', new Blob([new Uint8Array(await measurementWorkbook('DJ1', period, values))], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), `DJ1-${period}.xlsx`);
          const a = await call(base, 'POST', '/api/imports', { session: importer, form });
          const r = a.body as { inserted?: number; errors?: unknown[] };
          if (record('import', a, 200, () => (r.inserted === values.length && r.errors?.length === 0 ? null : `answered ${JSON.stringify(a.body).slice(0, 200)}`)))
            ack.imports.push({ period, values });
        });
        const wait = importEveryMs - ((performance.now() - t0) % importEveryMs);
        await sleep(Math.min(wait, Math.max(0, end - performance.now())));
      }
    };
    const worker = async () => {
      while (performance.now() < end) {
        const cls = pickClass();
        await attempt(cls, ops[cls]);
      }
    };
    await Promise.all([importLoop(), ...Array.from({ length: concurrency }, worker)]);
    const elapsedS = (performance.now() - t0) / 1000;
    sample();
    clearInterval(sampler);
    if (interrupted) failures.push('interrupted before its time');

    // ---- The report ----
    const out: string[] = [];
    out.push(`## Soak run, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`, '');
    out.push(
      `PostgreSQL, \`node bin/pacesetter.mjs serve\` with NODE_ENV=production (pid ${server.pid}); ${elapsedS.toFixed(0)} s of mixed traffic, ${concurrency} requests in flight (fetch, keep-alive) plus one measurement import every ${importEveryMs / 1000} s; demo company (no generated energy or health data, small access demo) seeded in ${world.seedSeconds.toFixed(1)} s; ${world.clerks.length} DJ1 clerks, ${world.gate.passTokens.length} passes; ${typed.length} indicators per saved or imported month.`,
      '',
    );
    out.push('| request class | count | per s | p50 ms | p99 ms | errors |', '|---|---:|---:|---:|---:|---:|');
    let total = 0;
    for (const cls of requestClasses) {
      const s = rec.stats.get(cls)!;
      const sorted = [...s.latencies].sort((a, b) => a - b);
      total += sorted.length;
      out.push(`| ${cls} | ${sorted.length} | ${(sorted.length / elapsedS).toFixed(1)} | ${fmt(percentile(sorted, 0.5))} | ${fmt(percentile(sorted, 0.99))} | ${s.errors} |`);
    }
    out.push(`| **all** | ${total} | ${(total / elapsedS).toFixed(1)} | | | ${rec.errorCount} |`, '');
    out.push('Expected non-2xx answers: none (a DENY at the gate is a 200; every 4xx and 5xx counts as an error).', '');
    if (rec.errors.size) {
      failures.push(`${rec.errorCount} request errors`);
      out.push('Errors:', '');
      for (const e of rec.errors.values()) out.push(`- ${e.cls}: ${e.status} ${e.code} ×${e.count}: ${e.message}`);
      out.push('');
    }

    // Memory over time.
    const meanOf = (list: typeof samples) => list.reduce((s, x) => s + x.rss, 0) / Math.max(1, list.length);
    const afterBase = samples.filter((x) => x.s >= baselineFromS);
    const baseline = meanOf(afterBase.filter((x) => x.s < baselineFromS + meanWindowS));
    const final = meanOf(samples.filter((x) => x.s >= elapsedS - meanWindowS));
    // Judged only when the baseline window ends at least a minute before the end window starts.
    const judged = elapsedS >= baselineFromS + meanWindowS + 60 + meanWindowS - 0.5;
    out.push(`Server memory (VmRSS, sampled every ${sampleEveryMs / 1000} s; ${samples.length} samples):`, '');
    out.push('| minute | start MiB | max MiB | end MiB |', '|---:|---:|---:|---:|');
    const minutes = Math.max(1, Math.round(elapsedS / 60));
    const minuteOf = (x: { s: number }) => Math.min(Math.floor(x.s / 60), minutes - 1);
    for (let m = 0; m < minutes; m++) {
      const inMinute = samples.filter((x) => minuteOf(x) === m);
      if (!inMinute.length) continue;
      out.push(`| ${m + 1} | ${mb(inMinute[0]!.rss)} | ${mb(Math.max(...inMinute.map((x) => x.rss)))} | ${mb(inMinute.at(-1)!.rss)} |`);
    }
    out.push('', `Every sample (MiB, one per ${sampleEveryMs / 1000} s): ${samples.map((x) => mb(x.rss)).join(' ')}`);
    const growth = final - baseline;
    const memoryOk = !judged || growth <= memoryBoundBytes;
    const servedAfter = Math.max(1, total * (1 - baselineFromS / elapsedS));
    out.push(
      '',
      judged
        ? `Bound: RSS at the end (mean of the last ${meanWindowS} s, ${mb(final)} MiB) may exceed RSS after the first minute (mean of ${baselineFromS}–${baselineFromS + meanWindowS} s, ${mb(baseline)} MiB) by at most ${mb(memoryBoundBytes)} MiB: growth ${mb(growth)} MiB, ${memoryOk ? 'held' : 'BREACHED'}` +
            ` (the bound is ${Math.round(memoryBoundBytes / servedAfter).toLocaleString('en')} bytes for each of the ~${Math.round(servedAfter).toLocaleString('en')} requests served after the first minute; least-squares trend after it ${slopeMiBPerMinute(afterBase).toFixed(1)} MiB/min).`
        : `Bound not judged: the run is shorter than ${(baselineFromS + 2 * meanWindowS + 60) / 60} minutes, so there is no settled first minute to compare the end with (the server's heap grows for about the first half minute of load). Run \`--minutes 5\` for the verdict.`,
      '',
    );
    if (!memoryOk) failures.push(`memory grew by ${mb(growth)} MiB (bound ${mb(memoryBoundBytes)} MiB)`);

    // Stop the server before checking the database: whatever it acknowledged must be committed.
    const stopped = await server.stop();
    serverLog = { lines: server.logLines(), errors: server.errorCount(), errorLines: server.errorLines };
    server = null;
    const cleanStop = stopped.code === 0;
    if (serverLog.errors) failures.push(`${serverLog.errors} server log lines at level error or fatal`);
    if (!cleanStop) failures.push(`the server did not stop cleanly (code ${stopped.code}, signal ${stopped.signal})`);

    const lost = await checkWrites(world, ack);
    const verified = await auditVerify(env);
    const chainOk = verified.code === 0;
    if (!chainOk) failures.push(`audit chain: ${verified.output}`);
    for (const l of lost.problems) failures.push(l);
    out.push('No lost write:', '');
    out.push(`- gate scans: ${ack.scans.size} acknowledged keys, ${lost.scansFound} stored exactly once with the answered id; ${lost.unacknowledgedEvents} events stored without an acknowledgement (only possible after an error)`);
    out.push(`- data entry: ${ack.entries.size} acknowledged (month, indicator) values, ${lost.entriesFound} stored with the last acknowledged value (${ack.uncertainEntries.size} left uncertain by errors)`);
    out.push(`- imports: ${ack.imports.length} acknowledged, ${lost.importRowsFound} of ${ack.imports.reduce((s, i) => s + i.values.length, 0)} rows stored with their value (source import)`);
    out.push(`- audit chain: \`pacesetter audit verify\` exit ${verified.code}: ${verified.output}`);
    out.push(`- server log: ${serverLog.lines} lines, ${serverLog.errors} at level error or fatal; stopped with SIGTERM in ${stopped.ms.toFixed(0)} ms, exit code ${stopped.code}`);
    for (const l of serverLog.errorLines.slice(0, 5)) out.push(`  - \`${l.slice(0, 300)}\``);
    out.push('');
    out.push(failures.length ? `**FAILED**: ${failures.join('; ')}` : `**PASSED**: no error, ${judged ? 'memory within the bound' : 'memory not judged (short run)'}, no lost write, audit chain intact.`);
    console.log(out.join('\n'));
    return failures.length ? 1 : 0;
  } finally {
    if (server) {
      await server.stop().catch(() => {});
    }
    await world?.deps.close().catch(() => {});
    if (world) removeDataDir(world.dataDir);
    await database?.drop().catch((e: unknown) => console.error(`soak: could not drop the database: ${(e as Error).message}`));
  }
}

let serverLog: { lines: number; errors: number; errorLines: string[] } = { lines: 0, errors: 0, errorLines: [] };

/** Looks for every acknowledged write in the database. */
async function checkWrites(world: SoakWorld, ack: Acknowledged) {
  const { db } = world.deps.database;
  const problems: string[] = [];
  const events = await db.selectFrom('gate_events').select(['id', 'idempotency_key']).where('checkpoint_id', '=', world.gate.checkpointId).execute();
  const byKey = new Map<string, string[]>();
  for (const e of events) byKey.set(e.idempotency_key, [...(byKey.get(e.idempotency_key) ?? []), e.id]);
  let scansFound = 0;
  const lostScans: string[] = [];
  for (const [key, a] of ack.scans) {
    const ids = byKey.get(key) ?? [];
    if (ids.length === 1 && ids[0] === a.id) scansFound++;
    else lostScans.push(`${key}: ${ids.length} events`);
  }
  if (lostScans.length) problems.push(`${lostScans.length} acknowledged gate scans not stored exactly once (${lostScans.slice(0, 5).join(', ')})`);
  const unacknowledgedEvents = [...byKey.keys()].filter((k) => !ack.scans.has(k)).length;

  const stored = await db
    .selectFrom('measurements')
    .innerJoin('units', 'units.id', 'measurements.unit_id')
    .innerJoin('indicators', 'indicators.id', 'measurements.indicator_id')
    .select(['measurements.period', 'indicators.code', 'measurements.value', 'measurements.source'])
    .where('units.code', '=', 'DJ1')
    .where('measurements.period', '>=', '2030-01')
    .execute();
  const value = new Map(stored.map((r) => [`${r.period}|${r.code}`, { value: Number(r.value), source: r.source }]));
  const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  let entriesFound = 0;
  const lostEntries: string[] = [];
  for (const [k, v] of ack.entries) {
    if (ack.uncertainEntries.has(k)) continue;
    const s = value.get(k);
    if (s && same(s.value, v)) entriesFound++;
    else lostEntries.push(`${k}: acknowledged ${v}, stored ${s?.value ?? 'nothing'}`);
  }
  if (lostEntries.length) problems.push(`${lostEntries.length} acknowledged entry values missing or different (${lostEntries.slice(0, 5).join(', ')})`);
  let importRowsFound = 0;
  const lostImports: string[] = [];
  for (const imp of ack.imports)
    for (const v of imp.values) {
      const s = value.get(`${imp.period}|${v.indicator}`);
      if (s && same(s.value, v.value) && s.source === 'import') importRowsFound++;
      else lostImports.push(`${imp.period}|${v.indicator}: imported ${v.value}, stored ${s ? `${s.value} (${s.source})` : 'nothing'}`);
    }
  if (lostImports.length) problems.push(`${lostImports.length} acknowledged import rows missing or different (${lostImports.slice(0, 5).join(', ')})`);
  return { problems, scansFound, unacknowledgedEvents, entriesFound, importRowsFound };
}

/** The least-squares slope of RSS over time, in MiB per minute (0 with fewer than two samples). */
function slopeMiBPerMinute(points: { s: number; rss: number }[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.s, 0) / n;
  const my = points.reduce((a, p) => a + p.rss, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.s - mx) * (p.rss - my), 0);
  const sxx = points.reduce((a, p) => a + (p.s - mx) ** 2, 0);
  return sxx === 0 ? 0 : ((sxy / sxx) * 60) / mib;
}

const fmt = (ms: number) => (Number.isNaN(ms) ? '–' : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const mb = (bytes: number) => (bytes / mib).toFixed(0);

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof SoakRefusal) {
      console.error(`soak: ${e.message}`);
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  },
);
