/**
 * The figures of the daily briefing (碰头会日报) for Asia/Shanghai days of an incident, each with the
 * day's value and, where a sum makes sense, the running total from the incident's start. SQL
 * aggregates only: no personal value leaves this file. Timestamps are compared with the instants
 * of Shanghai midnights (range conditions, so the (…, at) indexes serve them) and counted by
 * their Shanghai day; dates directly.
 *
 * A range of days costs about as much as one day: every table is read once, grouped by day (the
 * running totals then add up the days, distinct people count on their first day), so storing a
 * whole incident's briefings does not recount everything since the start for each day.
 *
 * Where people are counted by place: at their own site (a resident), else at the site of the gate
 * or case that recorded them; by unit: their unit, else their site's unit (the data-scope rule of
 * access-scope.ts). A gate event without a person counts as a person of its own.
 */
import { sql, type RawBuilder } from 'kysely';
import { addDays, daysBetween, startOfShanghaiDay } from '../../../domain/notices/week';
import type { Db, Tx } from '../../context';
import { coveredPeopleIds, type Incident } from '../health-incidents/incident';
import type { BriefingFigures, SeriesPoint, SiteFigures, UnitFigures } from './briefing.schemas';

/** How many days the chart series shows (fewer near the start of the incident). */
export const SERIES_DAYS = 14;

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const day = (d: string) => sql`${d}::date`;
/** 00:00 Asia/Shanghai after a day. */
const endOf = (d: string) => at(startOfShanghaiDay(addDays(d, 1)));
/** The Asia/Shanghai day of an instant: `x < endOf(D)` is `dayOf(x) <= D`. */
const dayOf = (x: RawBuilder<unknown>) => sql`(${x} AT TIME ZONE 'Asia/Shanghai')::date`;
/** When a case was closed (a case closed before issue 7 may lack closed_at: its last update). */
const closedAt = sql`coalesce(c.closed_at, CASE WHEN c.status = 'closed' THEN c.updated_at END)`;
/** A person's unit for the figures: their own, else their site's. */
const personUnit = sql`coalesce(p.unit_id, ps.unit_id)`;
const incidentSites = (id: string) => sql`(SELECT site_id FROM health_incident_sites WHERE incident_id = ${id})`;
/** The days from `from` through `to`, one row each (column day). */
const dayRows = (from: string, to: string) => sql`(SELECT ${day(from)} + i AS day FROM generate_series(0, ${daysBetween(from, to)}::int) AS i)`;
/** The first day of the chart series of a day. */
const seriesStart = (incident: Incident, date: string) => addDays(date, -Math.max(0, Math.min(SERIES_DAYS - 1, daysBetween(incident.startDate, date))));

/**
 * Every fever from `from` through `to`, one row per source: declarations and done quarantine checks
 * at or above the incident's threshold, gate temperatures at or above their site's threshold (at
 * the incident's sites, or of people it covers). Columns person_key, site_id, unit_id, day.
 */
function feverRows(incidentId: string, from: string, to: string): RawBuilder<unknown> {
  return sql`(
    SELECT d.person_id::text AS person_key, p.site_id, ${personUnit} AS unit_id, d.date AS day
    FROM health_declarations d JOIN health_incidents i ON i.id = d.incident_id
      JOIN people p ON p.id = d.person_id LEFT JOIN sites ps ON ps.id = p.site_id
    WHERE d.incident_id = ${incidentId} AND d.date BETWEEN ${day(from)} AND ${day(to)} AND d.temperature_c >= i.fever_threshold_c
    UNION ALL
    SELECT coalesce(g.person_id::text, 'gate:' || g.id::text), coalesce(p.site_id, g.site_id),
      CASE WHEN p.id IS NULL THEN gs.unit_id ELSE ${personUnit} END, ${dayOf(sql`g.at`)}
    FROM gate_events g JOIN sites gs ON gs.id = g.site_id
      LEFT JOIN people p ON p.id = g.person_id LEFT JOIN sites ps ON ps.id = p.site_id
    WHERE g.at >= ${at(startOfShanghaiDay(from))} AND g.at < ${endOf(to)} AND g.temperature_c >= gs.fever_threshold_c
      AND (g.site_id IN ${incidentSites(incidentId)} OR g.person_id IN ${coveredPeopleIds(incidentId)})
    UNION ALL
    SELECT q.person_id::text, p.site_id, ${personUnit}, f.date
    FROM quarantine_follow_ups f JOIN quarantines q ON q.id = f.quarantine_id JOIN health_incidents i ON i.id = q.incident_id
      JOIN people p ON p.id = q.person_id LEFT JOIN sites ps ON ps.id = p.site_id
    WHERE q.incident_id = ${incidentId} AND f.date BETWEEN ${day(from)} AND ${day(to)} AND f.done_at IS NOT NULL AND f.temperature_c >= i.fever_threshold_c
  )`;
}

interface DayRow {
  date: string;
  declarations_due: number;
  declarations_done: number;
  declarations_done_total: number;
  fevers: number;
  fevers_total: number;
  abnormal_opened: number;
  abnormal_opened_total: number;
  abnormal_closed: number;
  abnormal_closed_total: number;
  abnormal_open: number;
  in_quarantine: number;
  quarantined_total: number;
  contacts_under_follow_up: number;
  contacts_total: number;
  follow_ups_due: number;
  follow_ups_done: number;
  follow_ups_due_total: number;
  follow_ups_done_total: number;
  trips: number;
  trips_total: number;
  person_trips: number;
  person_trips_total: number;
  entries: number;
  exits: number;
  denied: number;
  entries_total: number;
  exits_total: number;
  denied_total: number;
  donations: number;
  donations_amount: string;
  donations_total: number;
  donations_amount_total: string;
}

/** A column of a per-day CTE summed over the day itself, or over every day through it (the running total). */
const onDay = (cte: string, column = 'n') => sql`(SELECT coalesce(sum(x.${sql.raw(column)}), 0) FROM ${sql.raw(cte)} x WHERE x.day = days.day)`;
const through = (cte: string, column = 'n') => sql`(SELECT coalesce(sum(x.${sql.raw(column)}), 0) FROM ${sql.raw(cte)} x WHERE x.day <= days.day)`;

/**
 * The headline figures of every day from `first` through `last`. Each source is grouped by day
 * once (the `day` of a CTE row); a day's value and its running total add up those groups.
 */
async function headlines(trx: Db | Tx, incident: Incident, first: string, last: string): Promise<DayRow[]> {
  const id = incident.id;
  const r = await sql<DayRow>`
    WITH days AS ${dayRows(first, last)},
    decl AS (SELECT date AS day, count(*) AS n FROM health_declarations WHERE incident_id = ${id} AND date <= ${day(last)} GROUP BY date),
    fev AS ${feverRows(id, incident.startDate, last)},
    fev_day AS (SELECT day, count(DISTINCT person_key) AS n FROM fev GROUP BY day),
    fev_first AS (SELECT day, count(*) AS n FROM (SELECT min(day) AS day FROM fev GROUP BY person_key) f GROUP BY day),
    cases AS (SELECT ${dayOf(sql`c.opened_at`)} AS opened, ${dayOf(closedAt)} AS closed FROM abnormal_cases c WHERE c.incident_id = ${id}),
    opened AS (SELECT opened AS day, count(*) AS n FROM cases GROUP BY opened),
    closed AS (SELECT closed AS day, count(*) AS n FROM cases WHERE closed IS NOT NULL GROUP BY closed),
    -- Open at the end of a day: opened by then, less those opened and closed by then.
    done_with AS (SELECT greatest(opened, closed) AS day, count(*) AS n FROM cases WHERE closed IS NOT NULL GROUP BY 1),
    quar AS (SELECT q.person_id, q.start_date, q.planned_end, ${dayOf(sql`q.released_at`)} AS released
      FROM quarantines q WHERE q.incident_id = ${id} AND q.status <> 'cancelled'),
    quar_day AS (SELECT days.day, count(DISTINCT q.person_id) AS n
      FROM days JOIN quar q ON q.start_date <= days.day AND (q.released IS NULL OR q.released > days.day) GROUP BY days.day),
    quar_first AS (SELECT day, count(*) AS n FROM (SELECT min(start_date) AS day FROM quar GROUP BY person_id) f GROUP BY day),
    exposed AS (SELECT contact_person_id AS person_id, min(date) AS day FROM exposures WHERE incident_id = ${id} AND close AND active GROUP BY contact_person_id),
    exposed_first AS (SELECT day, count(*) AS n FROM exposed GROUP BY day),
    followed AS (SELECT days.day, count(DISTINCT q.person_id) AS n
      FROM days JOIN quar q ON q.start_date <= days.day AND q.planned_end >= days.day AND (q.released IS NULL OR q.released > days.day)
        JOIN exposed e ON e.person_id = q.person_id AND e.day <= days.day
      GROUP BY days.day),
    fu AS (SELECT f.date AS day, count(*) AS due, count(*) FILTER (WHERE f.done_at IS NOT NULL) AS done
      FROM quarantine_follow_ups f JOIN quarantines q ON q.id = f.quarantine_id
      WHERE q.incident_id = ${id} AND q.status <> 'cancelled' AND NOT f.cancelled AND f.date <= ${day(last)} GROUP BY f.date),
    tr AS (SELECT ${dayOf(sql`t.at`)} AS day, count(*) AS trips, coalesce(sum(tp.n), 0) AS people
      FROM transfers t LEFT JOIN (SELECT transfer_id, count(*) AS n FROM transfer_people GROUP BY transfer_id) tp ON tp.transfer_id = t.id
      WHERE t.incident_id = ${id} AND t.at < ${endOf(last)} GROUP BY 1),
    gate AS (SELECT ${dayOf(sql`g.at`)} AS day,
        count(*) FILTER (WHERE g.direction = 'in' AND g.decision = 'allow') AS entries,
        count(*) FILTER (WHERE g.direction = 'out' AND g.decision = 'allow') AS exits,
        count(*) FILTER (WHERE g.decision = 'deny') AS denied
      FROM gate_events g
      WHERE g.site_id IN ${incidentSites(id)} AND g.at >= ${at(startOfShanghaiDay(incident.startDate))} AND g.at < ${endOf(last)} GROUP BY 1),
    don AS (SELECT x.date AS day, count(*) AS n, sum(x.amount) AS amount FROM donations x
      WHERE (x.incident_id = ${id} OR (x.incident_id IS NULL AND x.date >= ${day(incident.startDate)})) AND x.date <= ${day(last)} GROUP BY x.date)
    SELECT to_char(days.day, 'YYYY-MM-DD') AS date,
      (SELECT count(*) FROM ${coveredPeopleIds(id)} AS c)::int AS declarations_due,
      ${onDay('decl')}::int AS declarations_done,
      ${through('decl')}::int AS declarations_done_total,
      ${onDay('fev_day')}::int AS fevers,
      ${through('fev_first')}::int AS fevers_total,
      ${onDay('opened')}::int AS abnormal_opened,
      ${through('opened')}::int AS abnormal_opened_total,
      ${onDay('closed')}::int AS abnormal_closed,
      ${through('closed')}::int AS abnormal_closed_total,
      (${through('opened')} - ${through('done_with')})::int AS abnormal_open,
      ${onDay('quar_day')}::int AS in_quarantine,
      ${through('quar_first')}::int AS quarantined_total,
      ${onDay('followed')}::int AS contacts_under_follow_up,
      ${through('exposed_first')}::int AS contacts_total,
      ${onDay('fu', 'due')}::int AS follow_ups_due,
      ${onDay('fu', 'done')}::int AS follow_ups_done,
      ${through('fu', 'due')}::int AS follow_ups_due_total,
      ${through('fu', 'done')}::int AS follow_ups_done_total,
      ${onDay('tr', 'trips')}::int AS trips,
      ${through('tr', 'trips')}::int AS trips_total,
      ${onDay('tr', 'people')}::int AS person_trips,
      ${through('tr', 'people')}::int AS person_trips_total,
      ${onDay('gate', 'entries')}::int AS entries,
      ${onDay('gate', 'exits')}::int AS exits,
      ${onDay('gate', 'denied')}::int AS denied,
      ${through('gate', 'entries')}::int AS entries_total,
      ${through('gate', 'exits')}::int AS exits_total,
      ${through('gate', 'denied')}::int AS denied_total,
      ${onDay('don')}::int AS donations,
      ${onDay('don', 'amount')}::numeric(20, 2)::text AS donations_amount,
      ${through('don')}::int AS donations_total,
      ${through('don', 'amount')}::numeric(20, 2)::text AS donations_amount_total
    FROM days ORDER BY days.day`.execute(trx);
  return r.rows;
}

interface PlaceRow {
  place: 'site' | 'unit';
  date: string;
  code: string;
  name_zh: string;
  name_en: string | null;
  kind: string;
  unit: string | null;
  declarations_due: number;
  declarations_done: number;
  fevers: number;
  abnormal_opened: number;
  abnormal_open: number;
  in_quarantine: number;
  entries: number;
  exits: number;
  denied: number;
}

/**
 * The facts of the days from `from` through `to` with the day, site and unit they count for:
 * k = done (declarations, counted in n), fever, opened / open / opened-closed (a case: opened that
 * day and open at its end / open at its end / opened and closed that day), quar (a person in
 * quarantine), in / out / deny (gate events, counted in n); key = what is counted once.
 */
function placeFacts(incident: Incident, from: string, to: string): RawBuilder<unknown> {
  const id = incident.id;
  return sql`(
    SELECT d.date AS day, p.site_id, ${personUnit} AS unit_id, 'done' AS k, NULL::text AS key, count(*) AS n
      FROM health_declarations d JOIN people p ON p.id = d.person_id LEFT JOIN sites ps ON ps.id = p.site_id
      WHERE d.incident_id = ${id} AND d.date BETWEEN ${day(from)} AND ${day(to)}
      GROUP BY 1, 2, 3
    UNION ALL SELECT day, site_id, unit_id, 'fever', person_key, NULL FROM ${feverRows(id, from, to)} AS fev
    UNION ALL SELECT days.day, coalesce(p.site_id, c.site_id), ${personUnit},
        CASE WHEN c.closed <= days.day THEN 'opened-closed' WHEN c.opened = days.day THEN 'opened' ELSE 'open' END, c.id::text, NULL
      FROM (SELECT c.id, c.person_id, c.site_id, ${dayOf(sql`c.opened_at`)} AS opened, ${dayOf(closedAt)} AS closed
          FROM abnormal_cases c WHERE c.incident_id = ${id} AND c.opened_at < ${endOf(to)}) c
        JOIN days ON c.opened <= days.day AND (c.opened = days.day OR c.closed IS NULL OR c.closed > days.day)
        JOIN people p ON p.id = c.person_id LEFT JOIN sites ps ON ps.id = p.site_id
    UNION ALL SELECT days.day, p.site_id, ${personUnit}, 'quar', q.person_id::text, NULL
      FROM quarantines q JOIN days ON q.start_date <= days.day AND (q.released_at IS NULL OR ${dayOf(sql`q.released_at`)} > days.day)
        JOIN people p ON p.id = q.person_id LEFT JOIN sites ps ON ps.id = p.site_id
      WHERE q.incident_id = ${id} AND q.status <> 'cancelled'
    UNION ALL SELECT ${dayOf(sql`g.at`)}, g.site_id, NULL, CASE WHEN g.decision = 'deny' THEN 'deny' ELSE g.direction END, NULL, count(*)
      FROM gate_events g WHERE g.site_id IN ${incidentSites(id)} AND g.at >= ${at(startOfShanghaiDay(from))} AND g.at < ${endOf(to)}
      GROUP BY 1, 2, 4
  )`;
}

// Opened that day: 'opened' (still open at its end) plus 'opened-closed'; open at the end: 'opened' plus 'open'.
const placeCounts = sql`
  coalesce(sum(f.n) FILTER (WHERE f.k = 'done'), 0)::int AS declarations_done,
  count(DISTINCT f.key) FILTER (WHERE f.k = 'fever')::int AS fevers,
  count(DISTINCT f.key) FILTER (WHERE f.k IN ('opened', 'opened-closed'))::int AS abnormal_opened,
  count(DISTINCT f.key) FILTER (WHERE f.k IN ('opened', 'open'))::int AS abnormal_open,
  count(DISTINCT f.key) FILTER (WHERE f.k = 'quar')::int AS in_quarantine,
  coalesce(sum(f.n) FILTER (WHERE f.k = 'in'), 0)::int AS entries,
  coalesce(sum(f.n) FILTER (WHERE f.k = 'out'), 0)::int AS exits,
  coalesce(sum(f.n) FILTER (WHERE f.k = 'deny'), 0)::int AS denied`;

/**
 * By site (every site of the incident) and by unit (each unit with a covered person or a fact that
 * day), for every day from `from` through `to`, in code order.
 */
async function places(trx: Db | Tx, incident: Incident, from: string, to: string): Promise<PlaceRow[]> {
  const r = await sql<PlaceRow>`
    WITH days AS ${dayRows(from, to)},
    facts AS ${placeFacts(incident, from, to)},
    due AS (SELECT p.site_id, ${personUnit} AS unit_id, count(*) AS n
      FROM people p LEFT JOIN sites ps ON ps.id = p.site_id WHERE p.id IN ${coveredPeopleIds(incident.id)} GROUP BY 1, 2),
    site_due AS (SELECT site_id, sum(n) AS n FROM due GROUP BY site_id),
    unit_due AS (SELECT unit_id, sum(n) AS n FROM due GROUP BY unit_id)
    SELECT * FROM (
      SELECT 'site' AS place, to_char(days.day, 'YYYY-MM-DD') AS date, s.code, s.name_zh, s.name_en, s.kind, u.code AS unit,
        coalesce(max(sd.n), 0)::int AS declarations_due, ${placeCounts}
      FROM days CROSS JOIN health_incident_sites hs JOIN sites s ON s.id = hs.site_id LEFT JOIN units u ON u.id = s.unit_id
        LEFT JOIN site_due sd ON sd.site_id = s.id
        LEFT JOIN facts f ON f.site_id = s.id AND f.day = days.day
      WHERE hs.incident_id = ${incident.id}
      GROUP BY days.day, s.id, s.code, s.name_zh, s.name_en, s.kind, u.code
      UNION ALL
      SELECT 'unit', to_char(days.day, 'YYYY-MM-DD'), u.code, u.name_zh, u.name_en, u.kind, u.code,
        coalesce(max(ud.n), 0)::int, ${placeCounts}
      FROM days CROSS JOIN units u LEFT JOIN unit_due ud ON ud.unit_id = u.id
        LEFT JOIN facts f ON f.unit_id = u.id AND f.day = days.day AND f.k NOT IN ('in', 'out', 'deny')
      GROUP BY days.day, u.id, u.code, u.name_zh, u.name_en, u.kind
      HAVING max(ud.n) IS NOT NULL OR count(f.k) > 0
    ) x ORDER BY place, date, code`.execute(trx);
  return r.rows;
}

const siteOf = (s: PlaceRow): SiteFigures => ({
  site: s.code,
  nameZh: s.name_zh,
  nameEn: s.name_en,
  kind: s.kind,
  unit: s.unit,
  declarationsDue: s.declarations_due,
  declarationsDone: s.declarations_done,
  fevers: s.fevers,
  abnormalOpened: s.abnormal_opened,
  abnormalOpen: s.abnormal_open,
  inQuarantine: s.in_quarantine,
  gate: { entries: s.entries, exits: s.exits, denied: s.denied },
});

const unitOf = (u: PlaceRow): UnitFigures => ({
  unit: u.code,
  nameZh: u.name_zh,
  nameEn: u.name_en,
  declarationsDue: u.declarations_due,
  declarationsDone: u.declarations_done,
  fevers: u.fevers,
  abnormalOpen: u.abnormal_open,
  inQuarantine: u.in_quarantine,
});

/** Stock of every prevention supply at the end of each day: in and adjustments add, distributions take. */
async function supplies(trx: Db | Tx, from: string, to: string): Promise<(BriefingFigures['supplies'][number] & { date: string })[]> {
  const r = await sql<{ date: string; code: string; name_zh: string; name_en: string | null; unit_label: string; stock: string }>`
    WITH days AS ${dayRows(from, to)},
    net AS (SELECT supply_id, date AS day, sum(CASE WHEN kind = 'out' THEN -quantity ELSE quantity END) AS n
      FROM supply_movements WHERE date <= ${day(to)} GROUP BY supply_id, date)
    SELECT to_char(days.day, 'YYYY-MM-DD') AS date, s.code, s.name_zh, s.name_en, s.unit_label,
      (SELECT coalesce(sum(x.n), 0) FROM net x WHERE x.supply_id = s.id AND x.day <= days.day)::numeric(20, 2)::text AS stock
    FROM days CROSS JOIN supplies s
    ORDER BY days.day, s.code`.execute(trx);
  return r.rows.map((s) => ({ date: s.date, code: s.code, nameZh: s.name_zh, nameEn: s.name_en, unitLabel: s.unit_label, stock: s.stock }));
}

const byDate = <T extends { date: string }>(rows: T[]): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.date);
    if (list) list.push(r);
    else m.set(r.date, [r]);
  }
  return m;
};

/**
 * The briefing's figures for every day from `from` through `to` of an incident, oldest first (the
 * caller checks the days are in range). Four statements whatever the number of days.
 */
export async function computeBriefingRange(trx: Db | Tx, incident: Incident, from: string, to: string): Promise<BriefingFigures[]> {
  if (to < from) return [];
  // One after another: a transaction runs one statement at a time.
  const days = await headlines(trx, incident, seriesStart(incident, from), to);
  const placeRows = await places(trx, incident, from, to);
  const stock = byDate(await supplies(trx, from, to));
  const sites = byDate(placeRows.filter((p) => p.place === 'site'));
  const units = byDate(placeRows.filter((p) => p.place === 'unit'));
  const point = (p: DayRow): SeriesPoint => ({ date: p.date, declarationsDone: p.declarations_done, fevers: p.fevers, abnormalOpen: p.abnormal_open, inQuarantine: p.in_quarantine });
  return days
    .filter((h) => h.date >= from)
    .map((h) => {
      const first = seriesStart(incident, h.date);
      return {
        date: h.date,
        declarationsDue: h.declarations_due,
        declarationsDone: h.declarations_done,
        fevers: h.fevers,
        abnormalOpened: h.abnormal_opened,
        abnormalOpen: h.abnormal_open,
        abnormalClosed: h.abnormal_closed,
        inQuarantine: h.in_quarantine,
        contactsUnderFollowUp: h.contacts_under_follow_up,
        followUpsDue: h.follow_ups_due,
        followUpsDone: h.follow_ups_done,
        transfers: { trips: h.trips, personTrips: h.person_trips, tripsTotal: h.trips_total, personTripsTotal: h.person_trips_total },
        gate: { entries: h.entries, exits: h.exits, denied: h.denied },
        totals: {
          declarationsDone: h.declarations_done_total,
          fevers: h.fevers_total,
          abnormalOpened: h.abnormal_opened_total,
          abnormalClosed: h.abnormal_closed_total,
          quarantined: h.quarantined_total,
          contacts: h.contacts_total,
          followUpsDue: h.follow_ups_due_total,
          followUpsDone: h.follow_ups_done_total,
          gate: { entries: h.entries_total, exits: h.exits_total, denied: h.denied_total },
        },
        supplies: (stock.get(h.date) ?? []).map(({ date: _date, ...s }) => s),
        donations: { count: h.donations, amount: h.donations_amount, countTotal: h.donations_total, amountTotal: h.donations_amount_total },
        bySite: (sites.get(h.date) ?? []).map(siteOf),
        byUnit: (units.get(h.date) ?? []).map(unitOf),
        series: days.filter((p) => p.date >= first && p.date <= h.date).map(point),
      };
    });
}

/** The briefing's figures for one day of an incident (the caller checks the day is in range). */
export async function computeBriefing(trx: Db | Tx, incident: Incident, date: string): Promise<BriefingFigures> {
  const [figures] = await computeBriefingRange(trx, incident, date, date);
  return figures!;
}
