import { sql } from 'kysely';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { AppError, businessRule, notFound } from '../../errors';
import { mapColumns, type ColumnSpec } from '../../imports/columns';
import { parseNumber } from '../../imports/normalize';
import { ImportFileError, readTable } from '../../imports/read-table';
import { audit } from '../audit/audit.service';
import type { IngestResult, RejectedReading } from './energy.schemas';
import { meterRows } from './meters.service';
import { parseReadingTime, shanghaiDate } from './reading-time';
import { DAY_MS, shanghaiDayStart } from '../../../domain/energy/buckets';
import { dateText, enqueueDays, touchedDays } from './daily.service';

/** What runs after a batch of readings has committed. */
export interface ReadingHooks {
  /** Days were queued for recomputation (the background drain starts). */
  afterQueued?: () => void;
}

/** One reading as sent: anything, checked one by one. `row` is the file row of an upload. */
export interface RawReading {
  meter: unknown;
  at: unknown;
  value: unknown;
  row?: number;
}

export type ReadingSource = 'api' | 'csv' | 'cli';

/** Rows per INSERT … SELECT FROM unnest(…) statement: a whole request (fewer round trips and savepoints). */
const chunkSize = 50_000;
/** Readings more than this far ahead of the clock are refused. */
const futureToleranceMs = 86_400_000;

/** The columns of a readings file, English or Chinese. */
export const readingColumns: ColumnSpec<'meter' | 'at' | 'value'>[] = [
  { key: 'meter', names: ['meter_code', '表计编码'], required: true },
  { key: 'at', names: ['timestamp', '时间'], required: true },
  { key: 'value', names: ['value', '读数'], required: true },
];

/**
 * Reads a CSV (UTF-8 with or without BOM, or GBK) or xlsx file of readings into raw readings.
 * A file that cannot be read or lacks a column throws an AppError (422) naming the problem.
 */
export async function readingsFromFile(file: Buffer, filename: string): Promise<RawReading[]> {
  let table;
  try {
    table = await readTable(file, { filename, maxRows: 500_000 });
  } catch (e) {
    if (e instanceof ImportFileError) throw new AppError(e.code === 'FILE_TOO_LARGE' ? 413 : 422, e.code, e.message);
    throw e;
  }
  const mapped = mapColumns(table, readingColumns);
  if (!mapped.ok) throw new AppError(422, 'READING_COLUMNS', `The file needs the columns meter_code, timestamp, value (or 表计编码, 时间, 读数)`, mapped.errors);
  return mapped.records.map((r) => {
    const text = r.get('value').trim();
    const n = parseNumber(text);
    return { meter: r.get('meter').trim(), at: r.get('at').trim(), value: n.ok ? n.value : text, row: r.row };
  });
}

const sameFloat = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/**
 * Stores readings idempotently per meter and instant, all in one transaction: each reading is
 * checked on its own (meter known, in scope and not virtual; time ISO-8601; value finite), the
 * good ones go in with one plain INSERT … SELECT FROM unnest(…) (redone with ON CONFLICT DO NOTHING
 * when some are stored already), and those that did not insert are compared with the stored value:
 * equal → duplicate, different → rejected as a conflict (never overwritten). The touched days are
 * queued for recomputation. One reading_batches row and one audit row per call.
 * `actor` null (the command line) means every unit.
 */
export async function ingestReadings(
  deps: Pick<Deps, 'database' | 'clock'> & { log?: Deps['log'] },
  ctx: RequestContext,
  actor: Actor | null,
  readings: readonly RawReading[],
  source: ReadingSource,
  fileName: string | null = null,
  hooks: ReadingHooks = {},
): Promise<IngestResult> {
  const { db } = deps.database;
  const now = deps.clock.now();
  const meterOfKey = new Map<number, { id: string; kind: string; intervalMinutes: number }>();
  const result = await db.transaction().execute(async (trx) => {
    const scope = actor ? await visibleUnitIds(trx, actor) : null;
    const rejected: RejectedReading[] = [];
    const reject = (index: number, message: string) => {
      const row = readings[index]?.row;
      rejected.push(row === undefined ? { index, message } : { index, row, message });
    };

    const codes = [...new Set(readings.map((r) => (r && typeof r === 'object' && typeof r.meter === 'string' ? r.meter : '')).filter((c) => c !== ''))];
    const meters = new Map<string, { key: number; kind: string; unitId: string; validFrom: string; validTo: string | null; fromMs: number; toMs: number; seen: Map<number, number> }>();
    for (let i = 0; i < codes.length; i += 5000) {
      const rows = await meterRows(trx).where('m.code', '=', sql<string>`any(${codes.slice(i, i + 5000)}::text[])`).execute();
      for (const m of rows) {
        const validFrom = dateText(m.valid_from);
        const validTo = m.valid_to === null ? null : dateText(m.valid_to);
        meters.set(m.code, {
          key: m.key,
          kind: m.kind,
          unitId: m.unit_id,
          validFrom,
          validTo,
          // The validity as instants (Shanghai midnights), so each reading compares numbers, not dates as text.
          fromMs: shanghaiDayStart(validFrom),
          toMs: validTo === null ? Number.POSITIVE_INFINITY : shanghaiDayStart(validTo) + DAY_MS,
          seen: new Map(),
        });
        meterOfKey.set(m.key, { id: m.id, kind: m.kind, intervalMinutes: m.interval_minutes });
      }
    }

    // Check each reading; duplicates inside the request: the first wins.
    const keys: number[] = [];
    const ats: number[] = [];
    const values: number[] = [];
    const firstIndex: number[] = [];
    let duplicates = 0;
    readings.forEach((raw, index) => {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return reject(index, 'a reading is an object { meter, at, value }');
      const code = raw.meter;
      if (typeof code !== 'string' || code.trim() === '') return reject(index, 'meter: a meter code is required');
      const m = meters.get(code);
      // A meter outside the caller's scope is reported exactly as an unknown one.
      if (!m || !inScope(scope, m.unitId)) return reject(index, `meter: no meter ${code.slice(0, 64)}`);
      if (m.kind === 'virtual') return reject(index, `meter: ${code} is a virtual meter; it is computed from other meters and takes no readings`);
      const at = parseReadingTime(raw.at);
      if (!at.ok) return reject(index, at.message);
      if (at.ms > now.getTime() + futureToleranceMs) return reject(index, `at: ${new Date(at.ms).toISOString()} is in the future`);
      if (at.ms < m.fromMs || at.ms >= m.toMs) return reject(index, `at: ${shanghaiDate(at.ms)} is outside the validity of ${code} (${m.validFrom} … ${m.validTo ?? ''})`);
      let value = raw.value;
      if (typeof value === 'string') {
        const n = parseNumber(value);
        value = n.ok ? n.value : value;
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) return reject(index, `value: a finite number is required, not ${JSON.stringify(raw.value ?? null)?.slice(0, 40)}`);
      // Per meter: instant → position in keys.
      const earlier = m.seen.get(at.ms);
      if (earlier !== undefined) {
        if (sameFloat(values[earlier]!, value)) duplicates++;
        else reject(index, `conflict: reading ${firstIndex[earlier]} of this request has ${values[earlier]} for ${code} at ${new Date(at.ms).toISOString()}, sent ${value}`);
        return;
      }
      m.seen.set(at.ms, keys.length);
      keys.push(m.key);
      ats.push(at.ms);
      values.push(value === 0 ? 0 : value);
      firstIndex.push(index);
    });

    const batch = await trx
      .insertInto('reading_batches')
      .values({ source, file_name: fileName?.slice(0, 200) ?? null, received: readings.length, created_by: actor?.userId ?? null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();

    let accepted = 0;
    const codeOfKey = new Map([...meters].map(([code, m]) => [m.key, code]));
    // Readings that did not insert (already stored): positions in keys/ats/values.
    const notInserted = new Set<number>();
    for (let i = 0; i < keys.length; i += chunkSize) {
      const k = keys.slice(i, i + chunkSize);
      // Epoch milliseconds as float8: cheaper to send and convert than ISO text.
      const t = ats.slice(i, i + chunkSize);
      const v = values.slice(i, i + chunkSize);
      const insert = (onConflict: boolean) => sql`
        INSERT INTO meter_readings (meter_key, at, value, received_at, batch_id)
        SELECT x.k, to_timestamp(x.t / 1000.0), x.v, ${now.toISOString()}::timestamptz, ${batch.id}::uuid
        FROM unnest(${k}::int[], ${t}::float8[], ${v}::float8[]) AS x(k, t, v)
        ${onConflict ? sql`ON CONFLICT (meter_key, at) DO NOTHING` : sql``}`.execute(trx);
      // New readings (the usual case) go in with a plain INSERT, which is cheaper than a speculative
      // ON CONFLICT insert; when one is already stored, the chunk is redone with ON CONFLICT.
      await sql`SAVEPOINT readings_chunk`.execute(trx);
      let inserted;
      try {
        inserted = await insert(false);
        await sql`RELEASE SAVEPOINT readings_chunk`.execute(trx);
      } catch (e) {
        if ((e as { code?: string }).code !== '23505') throw e;
        await sql`ROLLBACK TO SAVEPOINT readings_chunk`.execute(trx);
        inserted = await insert(true);
      }
      const n = Number(inserted.numAffectedRows ?? 0);
      accepted += n;
      if (n === k.length) continue;
      // Some were there already: those stored by another batch are duplicates (same value) or conflicts.
      const stored = await sql<{ p: number; value: number }>`
        SELECT x.p, r.value FROM unnest(${k}::int[], ${t}::float8[], ${k.map((_, j) => i + j)}::int[]) AS x(k, t, p)
        JOIN meter_readings r ON r.meter_key = x.k AND r.at = to_timestamp(x.t / 1000.0)
        WHERE r.batch_id IS DISTINCT FROM ${batch.id}::uuid`.execute(trx);
      for (const r of stored.rows) {
        const p = Number(r.p);
        notInserted.add(p);
        const s = Number(r.value);
        if (sameFloat(s, values[p]!)) duplicates++;
        else reject(firstIndex[p]!, `conflict: stored ${s}, sent ${values[p]} for ${codeOfKey.get(keys[p]!)} at ${new Date(ats[p]!).toISOString()}`);
      }
    }
    const insertedKeys = notInserted.size ? keys.filter((_, p) => !notInserted.has(p)) : keys;
    const insertedAts = notInserted.size ? ats.filter((_, p) => !notInserted.has(p)) : ats;
    rejected.sort((a, b) => a.index - b.index);
    const pendingDays = await enqueueDays(trx, touchedDays(meterOfKey, { keys: insertedKeys, ats: insertedAts }), now);
    await trx.updateTable('reading_batches').set({ accepted, duplicates, rejected: rejected.length }).where('id', '=', batch.id).execute();
    await audit(trx, deps, ctx, {
      action: 'energy.readings',
      objectType: 'reading_batch',
      objectId: batch.id,
      result: accepted > 0 || rejected.length === 0 ? 'success' : 'failure',
      details: { source, file: fileName?.slice(0, 100) ?? null, received: readings.length, accepted, duplicates, rejected: rejected.length },
    });
    return { batch: batch.id, received: readings.length, accepted, duplicates, rejected, pendingDays };
  });
  if (result.pendingDays > 0) hooks.afterQueued?.();
  return result;
}

/** A bound of the readings query: a date (Asia/Shanghai midnight) or a date and time. */
function bound(text: string | undefined, field: string, endOfDay: boolean): Date | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const p = parseReadingTime(`${t}T00:00:00`);
    if (!p.ok) throw businessRule('INVALID_TIME', `${field}: ${p.message}`, { field });
    return new Date(p.ms + (endOfDay ? 86_400_000 : 0));
  }
  const p = parseReadingTime(t);
  if (!p.ok) throw businessRule('INVALID_TIME', `${field}: ${p.message}`, { field });
  return new Date(p.ms);
}

export function readingService(deps: Deps, hooks: ReadingHooks = {}) {
  const { db } = deps.database;
  return {
    ingest: (ctx: RequestContext, actor: Actor, readings: readonly RawReading[], source: ReadingSource, fileName: string | null = null) => ingestReadings(deps, ctx, actor, readings, source, fileName, hooks),

    /** Raw readings of one meter, oldest first; `to` as a date includes that whole day. */
    async list(actor: Actor, q: { meter: string; from?: string | undefined; to?: string | undefined; limit: number }) {
      const from = bound(q.from, 'from', false);
      const to = bound(q.to, 'to', true);
      return db.transaction().execute(async (trx: Tx) => {
        const m = await trx.selectFrom('meters').select(['key', 'unit_id', 'code']).where('code', '=', q.meter).executeTakeFirst();
        if (!m || !inScope(await visibleUnitIds(trx, actor), m.unit_id)) throw notFound('METER_NOT_FOUND', `No meter ${q.meter}`);
        let query = trx.selectFrom('meter_readings').select(['at', 'value', 'received_at', 'batch_id']).where('meter_key', '=', m.key);
        if (from) query = query.where('at', '>=', from);
        if (to) query = query.where('at', q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to.trim()) ? '<' : '<=', to);
        const rows = await query.orderBy('at').limit(q.limit + 1).execute();
        return {
          meter: m.code,
          rows: rows.slice(0, q.limit).map((r) => ({ at: new Date(r.at).toISOString(), value: Number(r.value), receivedAt: new Date(r.received_at).toISOString(), batch: r.batch_id })),
          truncated: rows.length > q.limit,
        };
      });
    },
  };
}
export type ReadingService = ReturnType<typeof readingService>;
