/**
 * The recompute queue (decision 0007, point 7): a batch of readings queues the (meter, day) pairs
 * it touched in its own transaction and answers at once; the days are recomputed here, one chunk
 * per transaction, in the background (`kick`) and on demand before a read (`settle`), so a reader
 * always sees their own writes while an upload never waits for the arithmetic.
 *
 * One drain at a time per process (a promise chain); across processes `FOR UPDATE SKIP LOCKED`
 * gives each chunk to one server. A pair queued again while its chunk runs waits for the chunk's
 * commit and is then queued anew, so nothing is lost.
 */
import { sql } from 'kysely';
import type { Deps, Tx } from '../../context';
import { systemContext } from '../../context';
import { dateText, recomputeTouched } from './daily.service';
import { runEnergyFeeds } from './feeds.service';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's recompute queue (tests wait for it with `idle()`). */
    energyQueue: EnergyQueue;
  }
}

/** (meter, day) pairs per transaction: bounded memory (≈ 300 000 readings of 15-minute data). */
const pairsPerChunk = 3000;

/** What runs once a settle has recomputed something. */
export interface EnergyQueueHooks {
  /**
   * Days changed (consumption or suspect flag) and the feeds ran: the warnings scan runs then
   * (meter-sourced measurements, data quality, energy anomalies). Errors are the hook's to log.
   */
  afterRecompute?: (changed: { meterIds: readonly string[]; measurements: number }) => Promise<void>;
}

/** Every meter a read of `meterIds` depends on: themselves and, for virtual meters, their components (transitively). */
async function withComponents(trx: Tx, meterIds: readonly string[]): Promise<string[]> {
  const rows = await trx.selectFrom('meters').select(['id', 'code', 'formula']).execute();
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Set<string>();
  const visit = (id: string) => {
    if (out.has(id)) return;
    out.add(id);
    for (const t of (byId.get(id)?.formula ?? []) as { meter: string }[]) {
      const c = byCode.get(t.meter);
      if (c) visit(c.id);
    }
  };
  meterIds.forEach(visit);
  return [...out];
}

interface ChunkResult {
  pairs: number;
  changedMonths: Map<string, Set<string>>;
}

/** Takes one chunk of the queue (of `meterIds`, or any), recomputes it and removes it, in one transaction. */
async function drainChunk(deps: Pick<Deps, 'database' | 'clock'>, meterIds: readonly string[] | null): Promise<ChunkResult> {
  return deps.database.db.transaction().execute(async (trx) => {
    const filter = meterIds === null ? sql`` : sql`WHERE meter_id = ANY(${meterIds as string[]}::uuid[])`;
    const taken = await sql<{ meter_id: string; day: unknown }>`
      SELECT meter_id, day FROM energy_recompute_queue ${filter}
      ORDER BY meter_id, day LIMIT ${pairsPerChunk} FOR UPDATE SKIP LOCKED`.execute(trx);
    if (taken.rows.length === 0) return { pairs: 0, changedMonths: new Map() };
    const touched = new Map<string, Set<string>>();
    for (const r of taken.rows) {
      const set = touched.get(r.meter_id) ?? new Set<string>();
      set.add(dateText(r.day));
      touched.set(r.meter_id, set);
    }
    const result = await recomputeTouched(trx, deps.clock.now(), touched);
    await sql`DELETE FROM energy_recompute_queue q USING unnest(${taken.rows.map((r) => r.meter_id)}::uuid[], ${taken.rows.map((r) => dateText(r.day))}::date[]) AS x(m, d)
      WHERE q.meter_id = x.m AND q.day = x.d`.execute(trx);
    return { pairs: taken.rows.length, changedMonths: result.changedMonths };
  });
}

export interface SettleResult {
  /** Pairs recomputed. */
  days: number;
  /** Measurements the feeds wrote or updated. */
  measurements: number;
}

export interface EnergyQueue {
  /** Starts a background drain of the whole queue unless one is running (then it goes on to the end). */
  kick(): void;
  /** Drains the queued days of `meterIds` (and the components of virtual ones), or of every meter, then runs the feeds; resolves when done. */
  settle(meterIds?: readonly string[], alsoChanged?: ReadonlyMap<string, ReadonlySet<string>>): Promise<SettleResult>;
  /** Queued pairs (of the meters of `unitIds`, or all). */
  pending(unitIds?: readonly string[] | null): Promise<number>;
  /** Resolves once the queue is empty and no background drain (with its feeds and hooks) runs. */
  idle(): Promise<void>;
  /** Waits for a running background drain and refuses new ones (app shutdown). */
  close(): Promise<void>;
}

/** The queue of one process, with its hooks. */
export function energyQueue(deps: Pick<Deps, 'database' | 'clock' | 'log'>, hooks: EnergyQueueHooks = {}): EnergyQueue {
  let chain: Promise<unknown> = Promise.resolve();
  let background: Promise<unknown> | null = null;
  let again = false;
  let closed = false;
  /** Runs `fn` after whatever drain step runs now: one step at a time in this process. */
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn, fn);
    chain = p.catch(() => undefined);
    return p;
  };

  /** `alsoChanged`: months to feed even if no day of theirs changes now (a day just confirmed). */
  async function settle(meterIds?: readonly string[], alsoChanged: ReadonlyMap<string, ReadonlySet<string>> = new Map()): Promise<SettleResult> {
    const ids = meterIds ? await deps.database.db.transaction().execute((trx) => withComponents(trx, meterIds)) : null;
    if (ids && ids.length === 0) return { days: 0, measurements: 0 };
    const changed = new Map<string, Set<string>>([...alsoChanged].map(([m, months]) => [m, new Set(months)]));
    let days = 0;
    for (;;) {
      if (closed) break;
      const chunk = await exclusive(() => drainChunk(deps, ids));
      days += chunk.pairs;
      for (const [m, months] of chunk.changedMonths) changed.set(m, new Set([...(changed.get(m) ?? []), ...months]));
      if (chunk.pairs < pairsPerChunk) break;
    }
    if (changed.size === 0) return { days, measurements: 0 };
    const months = [...new Set([...changed.values()].flatMap((s) => [...s]))];
    const feeds = await runEnergyFeeds(deps, deps.clock.now(), { ctx: systemContext('energy-feed after recompute'), meterIds: [...changed.keys()], months });
    await hooks.afterRecompute?.({ meterIds: [...changed.keys()], measurements: feeds.written + feeds.updated });
    return { days, measurements: feeds.written + feeds.updated };
  }

  return {
    kick() {
      if (closed) return;
      if (background) {
        again = true;
        return;
      }
      const run = async (): Promise<void> => {
        do {
          again = false;
          try {
            const r = await settle();
            if (r.days > 0) deps.log.info({ days: r.days, measurements: r.measurements }, 'energy days recomputed');
          } catch (e) {
            deps.log.error({ err: e }, 'energy recompute failed; the queue keeps the days for the next run');
            return;
          }
        } while (again && !closed);
      };
      background = run().finally(() => (background = null));
    },
    settle,
    async idle() {
      do {
        await background;
        await settle();
      } while (background);
    },
    async pending(unitIds = null) {
      let q = deps.database.db.selectFrom('energy_recompute_queue as q').innerJoin('meters as m', 'm.id', 'q.meter_id').select((eb) => eb.fn.countAll<string>().as('n'));
      if (unitIds) q = unitIds.length ? q.where('m.unit_id', 'in', unitIds) : q.where(sql<boolean>`false`);
      return Number((await q.executeTakeFirstOrThrow()).n);
    },
    async close() {
      closed = true;
      await background;
      await chain;
    },
  };
}
