/**
 * Daily consumption and quality per meter (energy_daily), recomputed from the readings.
 *
 * What a day is: the Shanghai calendar day. Consumption is the day's share of the meter's interval
 * consumption (`bucketConsumption(…, 'day')`: an interval across midnight is split in proportion
 * to time, so the hours of a day add up to the day). Quality comes from `assessMeterDay`.
 * `suspect` = poor completeness or any EQ_STUCK / EQ_NEGATIVE / EQ_SPIKE finding. A confirmed day
 * stays confirmed (and not suspect) as long as its consumption does not change.
 *
 * Virtual meters: the signed sum of their components' days, recomputed after the components
 * (virtual of virtual included, in dependency order). Quality: the worst component's score, the
 * components' findings (each naming its meter), suspect when any component is suspect and not
 * confirmed. A day where some component has no row is written with consumption null, score 0,
 * suspect (finding EQ_COMPLETENESS with `missing`).
 *
 * A day without any reading and without any interval overlapping it has no row (a stale row is
 * removed): days that have not happened yet are not "empty".
 */
import { sql } from 'kysely';
import { bucketConsumption, DAY_MS, SHANGHAI_OFFSET_MS, shanghaiDate, shanghaiDayStart } from '../../../domain/energy/buckets';
import { intervalsFromReadings, type Interval, type Reading, type Replacement } from '../../../domain/energy/counters';
import { assessMeterDay, type QualityFinding } from '../../../domain/energy/quality';
import type { Deps, Tx } from '../../context';
import type { Carrier } from './energy.schemas';

export const SUSPECT_CODES = new Set(['EQ_STUCK', 'EQ_NEGATIVE', 'EQ_SPIKE']);
/** Readings per query at most (meters are chunked so that one query stays below this). */
const readingsPerQuery = 400_000;

export interface MeterInfo {
  id: string;
  key: number;
  code: string;
  kind: 'counter' | 'interval' | 'virtual';
  unitId: string;
  carrier: Carrier;
  uom: string;
  rollover: number | null;
  multiplier: number;
  intervalMinutes: number;
  formula: { meter: string; sign: 1 | -1 }[];
  parentId: string | null;
  sortOrder: number;
}

export async function loadMeters(trx: Tx): Promise<MeterInfo[]> {
  const rows = await trx
    .selectFrom('meters')
    .select(['id', 'key', 'code', 'kind', 'unit_id', 'carrier', 'uom', 'rollover', 'multiplier', 'interval_minutes', 'formula', 'parent_id', 'sort_order'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    code: r.code,
    kind: r.kind as MeterInfo['kind'],
    unitId: r.unit_id,
    carrier: r.carrier as Carrier,
    uom: r.uom,
    rollover: r.rollover === null ? null : Number(r.rollover),
    multiplier: Number(r.multiplier),
    intervalMinutes: r.interval_minutes,
    formula: r.formula as MeterInfo['formula'],
    parentId: r.parent_id,
    sortOrder: r.sort_order,
  }));
}

/** 'YYYY-MM-DD' plus n days. */
export function addDays(day: string, n: number): string {
  return shanghaiDate(shanghaiDayStart(day) + n * DAY_MS);
}
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = shanghaiDayStart(from), end = shanghaiDayStart(to); t <= end; t += DAY_MS) out.push(shanghaiDate(t));
  return out;
}

/**
 * The readings of some meters over [from, to) plus, per meter, the last reading before `from` and
 * the first at or after `to` (the neighbours a counter's first and last interval need): one query
 * for the range, one lateral query for each side.
 */
export async function loadReadings(trx: Tx, keys: readonly number[], from: number, to: number): Promise<Map<number, Reading[]>> {
  const out = new Map<number, Reading[]>(keys.map((k) => [k, []]));
  if (keys.length === 0) return out;
  const lo = new Date(from).toISOString();
  const hi = new Date(to).toISOString();
  // Instants as epoch milliseconds (float8): no timestamp parsing in the driver for a million rows.
  const rows = await sql<{ k: number; t: number; v: number }>`
    SELECT meter_key AS k, extract(epoch FROM at)::float8 * 1000 AS t, value AS v FROM meter_readings
    WHERE meter_key = any(${[...keys]}::int[]) AND at >= ${lo}::timestamptz AND at < ${hi}::timestamptz`.execute(trx);
  const before = await sql<{ k: number; t: number; v: number }>`
    SELECT m.k, extract(epoch FROM r.at)::float8 * 1000 AS t, r.value AS v FROM unnest(${[...keys]}::int[]) AS m(k)
    CROSS JOIN LATERAL (SELECT at, value FROM meter_readings WHERE meter_key = m.k AND at < ${lo}::timestamptz ORDER BY at DESC LIMIT 1) r`.execute(trx);
  const after = await sql<{ k: number; t: number; v: number }>`
    SELECT m.k, extract(epoch FROM r.at)::float8 * 1000 AS t, r.value AS v FROM unnest(${[...keys]}::int[]) AS m(k)
    CROSS JOIN LATERAL (SELECT at, value FROM meter_readings WHERE meter_key = m.k AND at >= ${hi}::timestamptz ORDER BY at LIMIT 1) r`.execute(trx);
  for (const list of [before.rows, rows.rows, after.rows]) for (const r of list) out.get(Number(r.k))!.push({ at: Math.round(Number(r.t)), value: Number(r.v) });
  return out;
}

export async function loadReplacements(trx: Tx, meterIds: readonly string[]): Promise<Map<string, Replacement[]>> {
  const out = new Map<string, Replacement[]>();
  if (meterIds.length === 0) return out;
  const rows = await trx.selectFrom('meter_replacements').select(['meter_id', 'at', 'old_final', 'new_initial']).where('meter_id', 'in', [...meterIds]).execute();
  for (const r of rows) {
    const list = out.get(r.meter_id) ?? [];
    list.push({ at: new Date(r.at).getTime(), oldFinal: Number(r.old_final), newInitial: Number(r.new_initial) });
    out.set(r.meter_id, list);
  }
  return out;
}

/** Interval consumption of a physical meter from its readings. */
export function meterIntervals(m: MeterInfo, readings: readonly Reading[], replacements: readonly Replacement[]): Interval[] {
  return intervalsFromReadings(readings, {
    kind: m.kind === 'interval' ? 'interval' : 'counter',
    rollover: m.rollover,
    multiplier: m.multiplier,
    replacements,
    intervalMs: m.intervalMinutes * 60_000,
  }).intervals;
}

interface DayRow {
  meter_id: string;
  day: string;
  consumption: number | null;
  intervals_expected: number;
  intervals_received: number;
  quality_score: number | null;
  findings: unknown[];
  suspect: boolean;
}

/** The day rows of one physical meter for the given days (a day with no data at all gets no row). */
export function physicalDays(m: MeterInfo, readings: readonly Reading[], replacements: readonly Replacement[], days: readonly string[]): { rows: DayRow[]; empty: string[] } {
  const intervalMs = m.intervalMinutes * 60_000;
  const intervals = meterIntervals(m, readings, replacements).sort((a, b) => a.end - b.end);
  const byDay = new Map(bucketConsumption(intervals, 'day').map((b) => [shanghaiDate(b.start), b.consumption]));
  // Index readings and intervals by day once (a batch may touch hundreds of days), by day number
  // (Shanghai days since the epoch): integer arithmetic per reading, not a date text.
  const dayNo = (t: number) => Math.floor((t + SHANGHAI_OFFSET_MS) / DAY_MS);
  const wanted = new Set(days.map((d) => dayNo(shanghaiDayStart(d))));
  const readingsOf = new Map<number, Reading[]>();
  for (const r of readings) {
    const d = dayNo(r.at);
    if (!wanted.has(d)) continue;
    const list = readingsOf.get(d);
    if (list) list.push(r);
    else readingsOf.set(d, [r]);
  }
  const intervalsOf = new Map<number, Interval[]>();
  for (const x of intervals) {
    // Every day whose [start − intervalMs, end + intervalMs] window the interval overlaps.
    const last = Math.min(x.end + intervalMs, x.start + 400 * DAY_MS);
    for (let d = dayNo(x.start - intervalMs), t = d * DAY_MS - SHANGHAI_OFFSET_MS; t < last; d++, t += DAY_MS) {
      if (!wanted.has(d) || !(x.end > t - intervalMs && x.start < t + DAY_MS + intervalMs)) continue;
      const list = intervalsOf.get(d);
      if (list) list.push(x);
      else intervalsOf.set(d, [x]);
    }
  }
  const rows: DayRow[] = [];
  const empty: string[] = [];
  for (const day of days) {
    const start = shanghaiDayStart(day);
    const dayReadings = readingsOf.get(dayNo(start)) ?? [];
    const near = intervalsOf.get(dayNo(start)) ?? [];
    const consumption = byDay.get(day);
    if (consumption === undefined && dayReadings.length === 0) {
      empty.push(day);
      continue;
    }
    const q = assessMeterDay({ day: start, intervalMs, kind: m.kind === 'interval' ? 'interval' : 'counter', readings: dayReadings, intervals: near });
    rows.push({
      meter_id: m.id,
      day,
      consumption: consumption ?? null,
      intervals_expected: q.expected,
      intervals_received: q.received,
      quality_score: Math.round(q.score),
      findings: q.findings,
      suspect: q.poor || q.findings.some((f) => SUSPECT_CODES.has(f.code)),
    });
  }
  return { rows, empty };
}

export interface RecomputeResult {
  /** Day rows written (inserted or updated). */
  days: number;
  /** Day rows whose consumption or suspect flag changed, by meter id → months ('YYYY-MM'). */
  changedMonths: Map<string, Set<string>>;
}

const sameNumber = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));

/** Every virtual meter that depends (transitively) on one of `ids`, in an order where components come first. */
export function dependentVirtuals(all: readonly MeterInfo[], ids: ReadonlySet<string>): MeterInfo[] {
  const byCode = new Map(all.map((m) => [m.code, m]));
  const virtuals = all.filter((m) => m.kind === 'virtual');
  const affected = new Set(ids);
  const out: MeterInfo[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const v of virtuals) {
      if (out.includes(v)) continue;
      const comps = v.formula.map((t) => byCode.get(t.meter)).filter((c): c is MeterInfo => c !== undefined);
      if (!comps.some((c) => affected.has(c.id))) continue;
      // Components that are themselves affected virtual meters must come first.
      if (comps.some((c) => c.kind === 'virtual' && affected.has(c.id) && !ids.has(c.id) && !out.includes(c))) continue;
      out.push(v);
      affected.add(v.id);
      changed = true;
    }
  }
  return out;
}

/**
 * Recomputes energy_daily for the given (meter, day) pairs (physical and virtual meters; the
 * virtual meters that depend on a touched meter are added), in the caller's transaction.
 */
export async function recomputeTouched(trx: Tx, now: Date, touched: ReadonlyMap<string, ReadonlySet<string>>): Promise<RecomputeResult> {
  const all = await loadMeters(trx);
  const byId = new Map(all.map((m) => [m.id, m]));
  const byCode = new Map(all.map((m) => [m.code, m]));
  const result: RecomputeResult = { days: 0, changedMonths: new Map() };
  const physical = [...touched.keys()].map((id) => byId.get(id)).filter((m): m is MeterInfo => m !== undefined && m.kind !== 'virtual');
  const directVirtual = [...touched.keys()].map((id) => byId.get(id)).filter((m): m is MeterInfo => m !== undefined && m.kind === 'virtual');

  const rows: DayRow[] = [];
  const empties: { meter_id: string; day: string }[] = [];
  // Chunk meters so that one readings query stays bounded.
  const chunks: MeterInfo[][] = [];
  let chunk: MeterInfo[] = [];
  let load = 0;
  for (const m of physical) {
    const days = touched.get(m.id)!;
    const est = (days.size + 2) * (1440 / m.intervalMinutes);
    if (chunk.length > 0 && load + est > readingsPerQuery) {
      chunks.push(chunk);
      chunk = [];
      load = 0;
    }
    chunk.push(m);
    load += est;
  }
  if (chunk.length) chunks.push(chunk);
  for (const ms of chunks) {
    const allDays = ms.flatMap((m) => [...touched.get(m.id)!]).sort();
    const from = shanghaiDayStart(allDays[0]!) - DAY_MS;
    const to = shanghaiDayStart(allDays[allDays.length - 1]!) + 2 * DAY_MS;
    const readings = await loadReadings(trx, ms.map((m) => m.key), from, to);
    const reps = await loadReplacements(trx, ms.map((m) => m.id));
    for (const m of ms) {
      const { rows: r, empty } = physicalDays(m, readings.get(m.key)!, reps.get(m.id) ?? [], [...touched.get(m.id)!].sort());
      rows.push(...r);
      empties.push(...empty.map((day) => ({ meter_id: m.id, day })));
    }
  }
  await writeDays(trx, now, rows, empties, result);

  // Virtual meters: the touched ones and those depending on any touched meter, same days.
  const seedIds = new Set([...touched.keys()]);
  const virtuals = [...directVirtual.filter((v) => !dependentVirtuals(all, seedIds).includes(v)), ...dependentVirtuals(all, seedIds)];
  const daysFor = new Map<string, Set<string>>();
  for (const v of virtuals) {
    const set = new Set<string>(touched.get(v.id) ?? []);
    for (const t of v.formula) {
      const c = byCode.get(t.meter);
      for (const d of (c && (touched.get(c.id) ?? daysFor.get(c.id))) ?? []) set.add(d);
    }
    daysFor.set(v.id, set);
  }
  for (const v of virtuals) {
    const days = [...daysFor.get(v.id)!].sort();
    if (days.length === 0) continue;
    const comps = v.formula.map((t) => ({ sign: t.sign, meter: byCode.get(t.meter)! })).filter((c) => c.meter);
    const compRows = await trx
      .selectFrom('energy_daily')
      .select(['meter_id', 'day', 'consumption', 'intervals_expected', 'intervals_received', 'quality_score', 'findings', 'suspect'])
      .where('meter_id', 'in', comps.map((c) => c.meter.id))
      .where('day', '>=', days[0]!)
      .where('day', '<=', days[days.length - 1]!)
      .execute();
    const at = new Map(compRows.map((r) => [`${r.meter_id}|${dateText(r.day)}`, r]));
    const vRows: DayRow[] = [];
    const vEmpty: { meter_id: string; day: string }[] = [];
    for (const day of days) {
      const present = comps.map((c) => ({ ...c, row: at.get(`${c.meter.id}|${day}`) }));
      if (present.every((p) => !p.row)) {
        vEmpty.push({ meter_id: v.id, day });
        continue;
      }
      const missing = present.filter((p) => !p.row || p.row.consumption === null).map((p) => p.meter.code);
      const findings: QualityFinding[] = present.flatMap((p) => ((p.row?.findings ?? []) as QualityFinding[]).map((f) => ({ code: f.code, facts: { ...f.facts, meter: p.meter.code } })));
      if (missing.length) findings.unshift({ code: 'EQ_COMPLETENESS', facts: { missing: missing.join(','), received: present.length - missing.length, expected: present.length } });
      vRows.push({
        meter_id: v.id,
        day,
        consumption: missing.length ? null : present.reduce((s, p) => s + p.sign * Number(p.row!.consumption), 0),
        intervals_expected: present.reduce((s, p) => s + (p.row?.intervals_expected ?? 0), 0),
        intervals_received: present.reduce((s, p) => s + (p.row?.intervals_received ?? 0), 0),
        quality_score: missing.length ? 0 : Math.min(...present.map((p) => p.row!.quality_score ?? 0)),
        findings,
        suspect: missing.length > 0 || present.some((p) => p.row!.suspect),
      });
    }
    await writeDays(trx, now, vRows, vEmpty, result);
  }
  return result;
}

/** A `date` column as 'YYYY-MM-DD' (the driver returns dates as text; a Date would be midnight UTC). */
export const dateText = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));

/** Upserts day rows (keeping a confirmation while the consumption is unchanged) and removes the empty days' rows. */
async function writeDays(trx: Tx, now: Date, rows: DayRow[], empties: { meter_id: string; day: string }[], result: RecomputeResult): Promise<void> {
  const note = (meterId: string, day: string) => {
    const set = result.changedMonths.get(meterId) ?? new Set<string>();
    set.add(day.slice(0, 7));
    result.changedMonths.set(meterId, set);
  };
  const ids = [...new Set([...rows, ...empties].map((r) => r.meter_id))];
  if (ids.length === 0) return;
  const allDays = [...rows, ...empties].map((r) => r.day).sort();
  const existing = new Map(
    (
      await trx
        .selectFrom('energy_daily')
        .select(['meter_id', 'day', 'consumption', 'suspect', 'confirmed_at', 'confirmed_by', 'confirmed_reason'])
        .where('meter_id', 'in', ids)
        .where('day', '>=', allDays[0]!)
        .where('day', '<=', allDays[allDays.length - 1]!)
        .execute()
    ).map((r) => [`${r.meter_id}|${dateText(r.day)}`, r]),
  );
  const confirmation: { by: string | null; at: string | null; reason: string | null }[] = [];
  for (const r of rows) {
    const old = existing.get(`${r.meter_id}|${r.day}`);
    const keep = old !== undefined && old.confirmed_at !== null && sameNumber(old.consumption === null ? null : Number(old.consumption), r.consumption);
    confirmation.push(keep ? { by: old.confirmed_by, at: new Date(old.confirmed_at!).toISOString(), reason: old.confirmed_reason } : { by: null, at: null, reason: null });
    if (keep) r.suspect = false;
    if (!old || !sameNumber(old.consumption === null ? null : Number(old.consumption), r.consumption) || old.suspect !== r.suspect) note(r.meter_id, r.day);
  }
  for (let i = 0; i < rows.length; i += 5000) {
    const part = rows.slice(i, i + 5000);
    const conf = confirmation.slice(i, i + 5000);
    await sql`
      INSERT INTO energy_daily (meter_id, day, consumption, intervals_expected, intervals_received, quality_score, findings, suspect, confirmed_by, confirmed_at, confirmed_reason, computed_at)
      SELECT x.m, x.d, x.c, x.e, x.r, x.q, x.f::jsonb, x.s, x.cb, x.ca, x.cr, ${now.toISOString()}::timestamptz
      FROM unnest(${part.map((r) => r.meter_id)}::uuid[], ${part.map((r) => r.day)}::date[], ${part.map((r) => r.consumption)}::float8[], ${part.map((r) => r.intervals_expected)}::int[],
        ${part.map((r) => r.intervals_received)}::int[], ${part.map((r) => r.quality_score)}::int[], ${part.map((r) => JSON.stringify(r.findings))}::text[], ${part.map((r) => r.suspect)}::boolean[],
        ${conf.map((c) => c.by)}::uuid[], ${conf.map((c) => c.at)}::timestamptz[], ${conf.map((c) => c.reason)}::text[]) AS x(m, d, c, e, r, q, f, s, cb, ca, cr)
      ON CONFLICT (meter_id, day) DO UPDATE SET consumption = excluded.consumption, intervals_expected = excluded.intervals_expected, intervals_received = excluded.intervals_received,
        quality_score = excluded.quality_score, findings = excluded.findings, suspect = excluded.suspect, computed_at = excluded.computed_at,
        confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at, confirmed_reason = excluded.confirmed_reason`.execute(trx);
  }
  result.days += rows.length;
  for (const e of empties) {
    if (!existing.has(`${e.meter_id}|${e.day}`)) continue;
    await trx.deleteFrom('energy_daily').where('meter_id', '=', e.meter_id).where('day', '=', e.day).execute();
    note(e.meter_id, e.day);
  }
}

/**
 * The (meter, day) pairs a set of new readings touches: the reading's own day, the day of the
 * interval ending at it (a reading at 00:00 closes the previous day's last slot), and, for a
 * counter, the next day (the interval starting at it may end after midnight).
 */
export function touchedDays(meters: ReadonlyMap<number, { id: string; kind: string; intervalMinutes: number }>, rows: { readonly keys: readonly number[]; readonly ats: readonly number[] }): Map<string, Set<string>> {
  // Day numbers (Shanghai days since the epoch) per meter key: integer work per reading, text once per day.
  const byKey = new Map<number, Set<number>>();
  const shift = 8 * 3_600_000;
  for (let i = 0; i < rows.keys.length; i++) {
    const key = rows.keys[i]!;
    const m = meters.get(key);
    if (!m) continue;
    let set = byKey.get(key);
    if (!set) byKey.set(key, (set = new Set()));
    const at = rows.ats[i]! + shift;
    const day = Math.floor(at / DAY_MS);
    set.add(day);
    set.add(Math.floor((at - (m.intervalMinutes * 60_000) / 2 - 1) / DAY_MS));
    set.add(Math.floor((at - 1) / DAY_MS));
    if (m.kind === 'counter') set.add(day + 1);
  }
  const out = new Map<string, Set<string>>();
  for (const [key, days] of byKey) out.set(meters.get(key)!.id, new Set([...days].map((d) => new Date(d * DAY_MS).toISOString().slice(0, 10))));
  return out;
}

/**
 * Recomputes energy_daily for some meters (default: every physical meter) over [from, to]
 * (Shanghai dates, inclusive), then the virtual meters depending on them. For a job, the demo
 * seeding and tests. Returns the rows written and the months that changed per meter.
 */
export async function recomputeEnergyDays(deps: Pick<Deps, 'database' | 'clock'>, opts: { meterIds?: readonly string[]; from: string; to: string }): Promise<RecomputeResult> {
  const days = daysBetween(opts.from, opts.to);
  return deps.database.db.transaction().execute(async (trx) => {
    const ids = opts.meterIds ?? (await trx.selectFrom('meters').select('id').where('kind', '<>', 'virtual').execute()).map((m) => m.id);
    const touched = new Map(ids.map((id) => [id, new Set(days)]));
    return recomputeTouched(trx, deps.clock.now(), touched);
  });
}

/** Queues (meter, day) pairs for recomputation (recompute-queue.ts) in the caller's transaction; returns how many pairs were sent. */
export async function enqueueDays(trx: Tx, touched: ReadonlyMap<string, ReadonlySet<string>>, now: Date): Promise<number> {
  const meters: string[] = [];
  const days: string[] = [];
  for (const [meterId, set] of touched) {
    for (const day of set) {
      meters.push(meterId);
      days.push(day);
    }
  }
  for (let i = 0; i < meters.length; i += 10_000) {
    await sql`INSERT INTO energy_recompute_queue (meter_id, day, queued_at)
      SELECT x.m, x.d, ${now.toISOString()}::timestamptz FROM unnest(${meters.slice(i, i + 10_000)}::uuid[], ${days.slice(i, i + 10_000)}::date[]) AS x(m, d)
      ON CONFLICT (meter_id, day) DO NOTHING`.execute(trx);
  }
  return meters.length;
}
