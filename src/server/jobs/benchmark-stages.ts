import { aggregateValue, attainedStreak } from '../../domain/benchmarking/indicator-math';
import { monthsEnding } from '../../domain/benchmarking/period';
import { systemContext } from '../context';
import { audit } from '../modules/audit/audit.service';
import { listIndicators } from '../modules/indicators/indicators.repository';
import { loadMeasurements } from '../modules/measurements/measurements.repository';
import { monthlyValues, toDef } from '../modules/measurements/measurements.service';
import type { Job } from './jobs';

/** 达标: at or beyond the benchmark for this many months in a row. */
export const attainedAfter = 3;

/** The last complete month before `at`, in China's calendar. */
function lastClosedMonth(at: Date): string {
  const shanghai = new Date(at.getTime() + 8 * 3_600_000);
  const y = shanghai.getUTCFullYear();
  const m = shanghai.getUTCMonth(); // 0-based: the previous month's number
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

/**
 * Moves 对标 (comparing) to 达标 (attained) where the unit's approved monthly values met the
 * selected benchmark for the last three months; recorded in the stage history and audited.
 * Idempotent: an attained selection is left alone.
 */
export const benchmarkStagesJob: Job = {
  name: 'benchmark-stages',
  description: 'Marks a benchmark attained after 3 months in a row at or beyond it',
  schedule: '0 6 1 * *',
  async run(deps, at) {
    const { db } = deps.database;
    const months = monthsEnding(lastClosedMonth(at), attainedAfter);
    const library = await listIndicators(db);
    const defs = new Map(library.map((i) => [i.code, toDef(i)]));
    const selections = await db
      .selectFrom('benchmark_selections as s')
      .innerJoin('benchmarks as b', 'b.id', 's.benchmark_id')
      .select(['s.unit_id', 's.indicator_id', 's.benchmark_id', 'b.code', 'b.kind', 'b.sibling_unit_id', 's.version'])
      .where('s.stage', '=', 'comparing')
      .execute();
    let moved = 0;
    for (const s of selections) {
      const ind = library.find((i) => i.id === s.indicator_id);
      if (!ind) continue;
      const own = monthlyValues((await loadMeasurements(db, { unitIds: [s.unit_id], periods: months })).filter((r) => r.status === 'approved' && !r.suspect));
      const actuals = months.map((m) => aggregateValue(ind.code, [m], defs, own));
      let benchmarks: (number | null)[];
      if (s.kind === 'sibling' && s.sibling_unit_id) {
        const sib = monthlyValues((await loadMeasurements(db, { unitIds: [s.sibling_unit_id], periods: months })).filter((r) => r.status === 'approved'));
        benchmarks = months.map((m) => aggregateValue(ind.code, [m], defs, sib));
      } else {
        const values = await db.selectFrom('benchmark_values').select(['period', 'value']).where('benchmark_id', '=', s.benchmark_id!).where('indicator_id', '=', ind.id).execute();
        benchmarks = months.map((m) => {
          const v = values.find((x) => x.period === m) ?? values.find((x) => x.period === m.slice(0, 4));
          return v ? Number(v.value) : null;
        });
      }
      if (attainedStreak(defs.get(ind.code)!, actuals, benchmarks) < attainedAfter) continue;
      await db.transaction().execute(async (trx) => {
        const reason = `连续 ${attainedAfter} 个月达到标杆 ${s.code}（${months[0]}…${months.at(-1)}）`;
        const r = await trx.updateTable('benchmark_selections').set({ stage: 'attained', reason, since_period: months.at(-1)!, updated_at: at, version: s.version + 1 }).where('unit_id', '=', s.unit_id).where('indicator_id', '=', s.indicator_id).where('version', '=', s.version).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return;
        await trx.insertInto('benchmark_stage_history').values({ unit_id: s.unit_id, indicator_id: s.indicator_id, benchmark_id: s.benchmark_id, stage: 'attained', reason, period: months.at(-1)!, at, by_user: null }).execute();
        await audit(trx, { clock: { now: () => at } }, systemContext('job benchmark-stages'), { action: 'benchmark.stage_attained', objectType: 'benchmark_selection', objectId: `${s.unit_id}/${ind.code}`, changes: { stage: { old: 'comparing', new: 'attained' } }, details: { benchmark: s.code, months } });
        moved++;
      });
    }
    return { checked: selections.length, attained: moved, months };
  },
};
