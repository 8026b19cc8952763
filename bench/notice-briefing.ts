/**
 * The weekly notice (周通报) and the daily briefing (碰头会日报) on a year of demo activity (issue 9
 * item 1): absolute figures, informative. Each is set against a plain read of the rows it works
 * from, measured in the same run, so the ratio shows what the grouping and the joins cost. Data
 * are generated in SQL from the demo (generate_series, hashtext: the same every run); `--quick`
 * generates a month instead of a year.
 */
import { sql } from 'kysely';
import { buildWeeklyNotice } from '../src/domain/notices/weekly-notice';
import { addDays, previousWeek, shanghaiDay, startOfShanghaiDay } from '../src/domain/notices/week';
import { seedDemo } from '../src/server/demo/seed';
import { computeBriefing } from '../src/server/modules/health-briefing/briefing.figures';
import { activeIncident } from '../src/server/modules/health-incidents/incident';
import { loadNoticeUnits, loadProblemFacts, loadValueFacts, loadWarningFacts, loadWeekItemFacts } from '../src/server/modules/notices/notices.repository';
import { freshDeps, quick, timeIt, type Result } from './common';

const days = quick ? 30 : 365;
const informative = 'informative (< 1 s)';

/**
 * A year (a month with --quick) up to `at` of what the weekly notice reads: 6 problems a day (60 %
 * closed ten days later), 4 supervision items a day (60 % closed), every rule × reporting unit
 * warning notified on some day, and the demo's approvals spread over the days.
 */
async function noticeActivity(script: (sql: string) => Promise<void>, at: Date): Promise<void> {
  const end = at.toISOString();
  const spread = (key: string) => `(timestamptz '${end}' - ((abs(hashtext(${key})) % ${days}) || ' days')::interval - ((abs(hashtext(${key} || 'h')) % 600) || ' minutes')::interval)`;
  await script(`
    CREATE TEMP TABLE bench_pick AS SELECT
      (SELECT array_agg(id ORDER BY code) FROM units) AS units,
      (SELECT array_agg(id ORDER BY code) FROM people) AS people,
      (SELECT array_agg(id ORDER BY username) FROM users) AS users;
    INSERT INTO problems (source, unit_id, title, severity, status, raised_at, closed_at)
      SELECT 'meeting', b.units[1 + abs(hashtext('pu' || g || k)) % cardinality(b.units)], '基准问题 ' || g || '-' || k, 'medium',
        CASE WHEN abs(hashtext('pc' || g || k)) % 10 < 6 THEN 'verified' ELSE 'open' END,
        timestamptz '${end}' - (g || ' days')::interval,
        CASE WHEN abs(hashtext('pc' || g || k)) % 10 < 6 THEN timestamptz '${end}' - ((g - 10) || ' days')::interval END
      FROM generate_series(1, ${days}) g CROSS JOIN generate_series(1, 6) k CROSS JOIN bench_pick b;
    UPDATE problems SET closed_at = NULL, status = 'open' WHERE closed_at > timestamptz '${end}';
    INSERT INTO supervision_items (unit_id, title, owner_person_id, supervisor_user_id, due_date, state, light, closed_at, created_at)
      SELECT b.units[1 + abs(hashtext('su' || g || k)) % cardinality(b.units)], '基准督办 ' || g || '-' || k,
        b.people[1 + abs(hashtext('so' || g || k)) % cardinality(b.people)], b.users[1 + abs(hashtext('sv' || g || k)) % cardinality(b.users)],
        (timestamptz '${end}' - ((g - 14) || ' days')::interval)::date,
        CASE WHEN abs(hashtext('sc' || g || k)) % 10 < 6 AND g > 7 THEN 'closed' ELSE 'acting' END,
        CASE WHEN abs(hashtext('sc' || g || k)) % 10 < 6 AND g > 7 THEN 'done' ELSE 'green' END,
        CASE WHEN abs(hashtext('sc' || g || k)) % 10 < 6 AND g > 7 THEN timestamptz '${end}' - ((g - 7) || ' days')::interval END,
        timestamptz '${end}' - (g || ' days')::interval
      FROM generate_series(1, ${days}) g CROSS JOIN generate_series(1, 4) k CROSS JOIN bench_pick b;
    INSERT INTO supervision_events (item_id, action, to_state, created_at) SELECT id, 'assign', 'assigned', created_at FROM supervision_items;
    INSERT INTO warnings (rule_id, unit_id, indicator_id, state, since, last_period, notified, notified_at, created_at)
      SELECT r.id, a.unit_id, r.indicator_id, CASE WHEN abs(hashtext(r.id::text || a.unit_id)) % 3 = 0 THEN 'firing' ELSE 'resolved' END,
        ${spread(`r.id::text || a.unit_id`)}, '2020-02', true, ${spread(`r.id::text || a.unit_id`)}, ${spread(`r.id::text || a.unit_id`)}
      FROM warning_rules r JOIN indicator_assignments a ON a.indicator_id = r.indicator_id AND (r.unit_id IS NULL OR r.unit_id = a.unit_id);
    UPDATE measurements SET approved_at = ${spread(`id::text`)} WHERE status = 'approved';
    DROP TABLE bench_pick;
    ANALYZE;
  `);
}

export async function weeklyNoticeBench(): Promise<Result> {
  const deps = await freshDeps();
  const { db } = deps.database;
  await seedDemo(deps);
  const at = deps.clock.now();
  await noticeActivity((s) => deps.database.execScript(s), at);
  const week = previousWeek(at);
  const today = shanghaiDay(at);
  const dueFrom = addDays(week.monday, -1);
  // What the job computes before it stores the notice (publishing is once per week: a second run finds it).
  const compute = async () => {
    const [units, problems, items, warnings, values] = [
      await loadNoticeUnits(db),
      await loadProblemFacts(db, week.from, week.to),
      await loadWeekItemFacts(db, week.from, week.to, { dueFrom, dueTo: week.sunday, today }),
      await loadWarningFacts(db, week.from, week.to),
      await loadValueFacts(db, week.from, week.to),
    ];
    return buildWeeklyNotice({ week, at, units, problems, items, warnings, values });
  };
  const figure = await timeIt(compute);
  const content = await compute();
  // The reference: the week's rows of the same tables, read with plain selects.
  const reference = await timeIt(async () => {
    await db.selectFrom('units').selectAll().execute();
    await db.selectFrom('problems').selectAll().where((eb) => eb.or([eb.between('raised_at', week.from, week.to), eb.between('closed_at', week.from, week.to)])).execute();
    await db
      .selectFrom('supervision_items')
      .selectAll()
      .where((eb) => eb.or([eb.between('created_at', week.from, week.to), eb.between('closed_at', week.from, week.to), eb.between('due_date', dueFrom, week.sunday), eb.and([eb('state', '<>', 'closed'), eb('due_date', '<', today)])]))
      .execute();
    await db.selectFrom('warnings').selectAll().where('notified_at', '>=', week.from).where('notified_at', '<', week.to).execute();
    const pairs = await db.selectFrom('measurements').select(['unit_id', 'indicator_id']).where('approved_at', '>=', week.from).where('approved_at', '<', week.to).execute();
    await db.selectFrom('measurements').selectAll().where('unit_id', 'in', [...new Set(pairs.map((p) => p.unit_id)), '00000000-0000-0000-0000-000000000000']).where('status', '=', 'approved').execute();
  });
  const counts = await sql<{ problems: number; items: number; warnings: number }>`SELECT (SELECT count(*) FROM problems)::int AS problems, (SELECT count(*) FROM supervision_items)::int AS items, (SELECT count(*) FROM warnings)::int AS warnings`.execute(db);
  await deps.done();
  const c = counts.rows[0]!;
  return {
    name: `weekly notice ${week.key}, ${days} days of activity (${c.problems.toLocaleString('en')} problems, ${c.items.toLocaleString('en')} supervision items, ${c.warnings.toLocaleString('en')} warnings; ${deps.engine})`,
    figure: `${figure.toFixed(0)} ms (${content.totals.newProblems} new problems, ${content.totals.closedItems} items closed, ${content.totals.warnings} warnings)`,
    reference: `${reference.toFixed(0)} ms reading the week's rows`,
    ratio: figure / reference,
    goal: informative,
  };
}

/**
 * The demo incident's replay (about 64 days of declarations and gate traffic) copied back by 70,
 * 140, 210 and 280 days, with the incident starting a year before its last day; `--quick` keeps
 * the small replay as it is.
 */
async function briefingYear(script: (sql: string) => Promise<void>, incidentId: string, lastDay: string): Promise<void> {
  const copies = quick ? [] : [1, 2, 3, 4];
  await script(`
    ${copies
      .map(
        (n) => `
    INSERT INTO health_declarations (incident_id, person_id, date, temperature_c, symptoms, risk_area_contact, case_contact, status, on_behalf, created_at, updated_at)
      SELECT incident_id, person_id, date - ${70 * n}, temperature_c, symptoms, risk_area_contact, case_contact, status, on_behalf, created_at - interval '${70 * n} days', updated_at - interval '${70 * n} days'
      FROM health_declarations WHERE date >= date '${lastDay}' - 69;
    INSERT INTO gate_events (idempotency_key, checkpoint_id, site_id, device_id, guard_user_id, person_id, pass_id, credential, direction, decision, reason, temperature_c, plate, disinfected, offline, at, recorded_at)
      SELECT left(idempotency_key, 90) || '-y${n}', checkpoint_id, site_id, device_id, guard_user_id, person_id, pass_id, credential, direction, decision, reason, temperature_c, plate, disinfected, offline, at - interval '${70 * n} days', recorded_at - interval '${70 * n} days'
      FROM gate_events WHERE at >= timestamptz '${lastDay}T00:00:00+08' - interval '69 days' AND idempotency_key NOT LIKE '%-y_';`,
      )
      .join('\n')}
    UPDATE health_incidents SET start_date = ${quick ? 'start_date' : `date '${lastDay}' - 364`} WHERE id = '${incidentId}';
    ANALYZE;
  `);
}

export async function dailyBriefingBench(): Promise<Result> {
  const base = await freshDeps();
  const volume = quick ? 'small' : 'full';
  const deps = { ...base, config: { ...base.config, demoAccess: volume, demoHealth: volume } } as typeof base;
  const { db } = deps.database;
  await seedDemo(deps);
  const found = await activeIncident(db);
  if (!found) throw new Error('briefing bench: the demo has no active incident');
  const last = await sql<{ day: string }>`SELECT max(date)::text AS day FROM health_declarations WHERE incident_id = ${found.id}`.execute(db);
  const lastDay = last.rows[0]!.day;
  await briefingYear((s) => deps.database.execScript(s), found.id, lastDay);
  const incident = (await activeIncident(db))!;
  const date = addDays(lastDay, -1);
  const figure = await timeIt(() => computeBriefing(db, incident, date));
  const figures = await computeBriefing(db, incident, date);
  // The reference: the day's rows of the tables the briefing counts, read with plain selects.
  const from = startOfShanghaiDay(date);
  const to = startOfShanghaiDay(addDays(date, 1));
  const reference = await timeIt(async () => {
    await db.selectFrom('health_declarations').selectAll().where('incident_id', '=', incident.id).where('date', '=', date).execute();
    await db.selectFrom('gate_events').selectAll().where('at', '>=', from).where('at', '<', to).execute();
    await db.selectFrom('abnormal_cases').selectAll().where('incident_id', '=', incident.id).execute();
    await db.selectFrom('quarantines').selectAll().where('incident_id', '=', incident.id).execute();
    await db.selectFrom('quarantine_follow_ups').selectAll().where('date', '=', date).execute();
  });
  const size = await sql<{ declarations: number; events: number }>`SELECT (SELECT count(*) FROM health_declarations)::int AS declarations, (SELECT count(*) FROM gate_events)::int AS events`.execute(db);
  await deps.done();
  const s = size.rows[0]!;
  return {
    name: `daily briefing ${date}, incident since ${incident.startDate} (${s.declarations.toLocaleString('en')} declarations, ${s.events.toLocaleString('en')} gate events; ${volume}, ${deps.engine})`,
    figure: `${figure.toFixed(0)} ms (${figures.declarationsDone} declared, ${figures.totals.declarationsDone.toLocaleString('en')} in all, ${figures.gate.entries} entries)`,
    reference: `${reference.toFixed(0)} ms reading the day's rows`,
    ratio: figure / reference,
    goal: informative,
  };
}
