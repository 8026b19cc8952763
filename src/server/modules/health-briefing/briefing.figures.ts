/**
 * The figures of the daily briefing (碰头会日报) for one Asia/Shanghai day of an incident, each with
 * the day's value and, where a sum makes sense, the running total from the incident's start. SQL
 * aggregates only: no personal value leaves this file. Timestamps are compared with the instants
 * of Shanghai midnights (range conditions, so the (…, at) indexes serve them); dates directly.
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
/** When a case was closed (a case closed before issue 7 may lack closed_at: its last update). */
const closedAt = sql`coalesce(c.closed_at, CASE WHEN c.status = 'closed' THEN c.updated_at END)`;
/** A person's unit for the figures: their own, else their site's. */
const personUnit = sql`coalesce(p.unit_id, ps.unit_id)`;
const incidentSites = (id: string) => sql`(SELECT site_id FROM health_incident_sites WHERE incident_id = ${id})`;

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
      CASE WHEN p.id IS NULL THEN gs.unit_id ELSE ${personUnit} END, (g.at AT TIME ZONE 'Asia/Shanghai')::date
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

interface HeadlineRow {
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

async function headline(trx: Db | Tx, incident: Incident, date: string): Promise<HeadlineRow> {
  const id = incident.id;
  const from = at(startOfShanghaiDay(date));
  const to = endOf(date);
  const r = await sql<HeadlineRow>`
    WITH fev AS ${feverRows(id, incident.startDate, date)},
    cases AS (SELECT c.opened_at, ${closedAt} AS closed FROM abnormal_cases c WHERE c.incident_id = ${id}),
    quar AS (SELECT q.* FROM quarantines q WHERE q.incident_id = ${id} AND q.status <> 'cancelled' AND q.start_date <= ${day(date)}),
    fu AS (SELECT f.date, f.done_at FROM quarantine_follow_ups f JOIN quarantines q ON q.id = f.quarantine_id
      WHERE q.incident_id = ${id} AND q.status <> 'cancelled' AND NOT f.cancelled AND f.date <= ${day(date)}),
    tr AS (SELECT t.at, (SELECT count(*) FROM transfer_people tp WHERE tp.transfer_id = t.id) AS n FROM transfers t WHERE t.incident_id = ${id} AND t.at < ${to}),
    gate AS (SELECT g.at, g.direction, g.decision FROM gate_events g
      WHERE g.site_id IN ${incidentSites(id)} AND g.at >= ${at(startOfShanghaiDay(incident.startDate))} AND g.at < ${to}),
    don AS (SELECT x.date, x.amount FROM donations x
      WHERE (x.incident_id = ${id} OR (x.incident_id IS NULL AND x.date >= ${day(incident.startDate)})) AND x.date <= ${day(date)})
    SELECT
      (SELECT count(*) FROM ${coveredPeopleIds(id)} AS c)::int AS declarations_due,
      (SELECT count(*) FROM health_declarations WHERE incident_id = ${id} AND date = ${day(date)})::int AS declarations_done,
      (SELECT count(*) FROM health_declarations WHERE incident_id = ${id} AND date <= ${day(date)})::int AS declarations_done_total,
      (SELECT count(DISTINCT person_key) FROM fev WHERE day = ${day(date)})::int AS fevers,
      (SELECT count(DISTINCT person_key) FROM fev)::int AS fevers_total,
      (SELECT count(*) FROM cases WHERE opened_at >= ${from} AND opened_at < ${to})::int AS abnormal_opened,
      (SELECT count(*) FROM cases WHERE opened_at < ${to})::int AS abnormal_opened_total,
      (SELECT count(*) FROM cases WHERE closed >= ${from} AND closed < ${to})::int AS abnormal_closed,
      (SELECT count(*) FROM cases WHERE closed < ${to})::int AS abnormal_closed_total,
      (SELECT count(*) FROM cases WHERE opened_at < ${to} AND (closed IS NULL OR closed >= ${to}))::int AS abnormal_open,
      (SELECT count(DISTINCT person_id) FROM quar WHERE released_at IS NULL OR released_at >= ${to})::int AS in_quarantine,
      (SELECT count(DISTINCT person_id) FROM quar)::int AS quarantined_total,
      (SELECT count(DISTINCT q.person_id) FROM quar q WHERE q.planned_end >= ${day(date)} AND (q.released_at IS NULL OR q.released_at >= ${to})
        AND EXISTS (SELECT 1 FROM exposures e WHERE e.incident_id = ${id} AND e.contact_person_id = q.person_id AND e.close AND e.active AND e.date <= ${day(date)}))::int AS contacts_under_follow_up,
      (SELECT count(DISTINCT contact_person_id) FROM exposures WHERE incident_id = ${id} AND close AND active AND date <= ${day(date)})::int AS contacts_total,
      (SELECT count(*) FROM fu WHERE date = ${day(date)})::int AS follow_ups_due,
      (SELECT count(*) FROM fu WHERE date = ${day(date)} AND done_at IS NOT NULL)::int AS follow_ups_done,
      (SELECT count(*) FROM fu)::int AS follow_ups_due_total,
      (SELECT count(*) FROM fu WHERE done_at IS NOT NULL)::int AS follow_ups_done_total,
      (SELECT count(*) FROM tr WHERE at >= ${from})::int AS trips,
      (SELECT count(*) FROM tr)::int AS trips_total,
      (SELECT coalesce(sum(n), 0) FROM tr WHERE at >= ${from})::int AS person_trips,
      (SELECT coalesce(sum(n), 0) FROM tr)::int AS person_trips_total,
      (SELECT count(*) FROM gate WHERE at >= ${from} AND direction = 'in' AND decision = 'allow')::int AS entries,
      (SELECT count(*) FROM gate WHERE at >= ${from} AND direction = 'out' AND decision = 'allow')::int AS exits,
      (SELECT count(*) FROM gate WHERE at >= ${from} AND decision = 'deny')::int AS denied,
      (SELECT count(*) FROM gate WHERE direction = 'in' AND decision = 'allow')::int AS entries_total,
      (SELECT count(*) FROM gate WHERE direction = 'out' AND decision = 'allow')::int AS exits_total,
      (SELECT count(*) FROM gate WHERE decision = 'deny')::int AS denied_total,
      (SELECT count(*) FROM don WHERE date = ${day(date)})::int AS donations,
      (SELECT coalesce(sum(amount), 0)::numeric(20, 2)::text FROM don WHERE date = ${day(date)}) AS donations_amount,
      (SELECT count(*) FROM don)::int AS donations_total,
      (SELECT coalesce(sum(amount), 0)::numeric(20, 2)::text FROM don) AS donations_amount_total
  `.execute(trx);
  return r.rows[0]!;
}

interface PlaceRow {
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
 * One row per fact of the day with the site and unit it counts for: k = due (a covered person),
 * done (a declaration), fever, opened / open (a case), quar (a person in quarantine), in / out /
 * deny (a gate event); key = what is counted once.
 */
function placeFacts(incident: Incident, date: string): RawBuilder<unknown> {
  const id = incident.id;
  const from = at(startOfShanghaiDay(date));
  const to = endOf(date);
  return sql`(
    SELECT p.site_id, ${personUnit} AS unit_id, 'due' AS k, p.id::text AS key
      FROM people p LEFT JOIN sites ps ON ps.id = p.site_id WHERE p.id IN ${coveredPeopleIds(id)}
    UNION ALL SELECT p.site_id, ${personUnit}, 'done', d.id::text
      FROM health_declarations d JOIN people p ON p.id = d.person_id LEFT JOIN sites ps ON ps.id = p.site_id
      WHERE d.incident_id = ${id} AND d.date = ${day(date)}
    UNION ALL SELECT site_id, unit_id, 'fever', person_key FROM ${feverRows(id, date, date)} AS fev
    UNION ALL SELECT coalesce(p.site_id, c.site_id), ${personUnit},
        CASE WHEN c.opened_at >= ${from} THEN 'opened' ELSE 'open' END, c.id::text
      FROM abnormal_cases c JOIN people p ON p.id = c.person_id LEFT JOIN sites ps ON ps.id = p.site_id
      WHERE c.incident_id = ${id} AND c.opened_at < ${to} AND (${closedAt} IS NULL OR ${closedAt} >= ${to})
    UNION ALL SELECT coalesce(p.site_id, c.site_id), ${personUnit}, 'opened-closed', c.id::text
      FROM abnormal_cases c JOIN people p ON p.id = c.person_id LEFT JOIN sites ps ON ps.id = p.site_id
      WHERE c.incident_id = ${id} AND c.opened_at >= ${from} AND c.opened_at < ${to} AND ${closedAt} < ${to}
    UNION ALL SELECT p.site_id, ${personUnit}, 'quar', q.person_id::text
      FROM quarantines q JOIN people p ON p.id = q.person_id LEFT JOIN sites ps ON ps.id = p.site_id
      WHERE q.incident_id = ${id} AND q.status <> 'cancelled' AND q.start_date <= ${day(date)} AND (q.released_at IS NULL OR q.released_at >= ${to})
    UNION ALL SELECT g.site_id, NULL, CASE WHEN g.decision = 'deny' THEN 'deny' ELSE g.direction END, g.id::text
      FROM gate_events g WHERE g.site_id IN ${incidentSites(id)} AND g.at >= ${from} AND g.at < ${to}
  )`;
}

// Opened that day: 'opened' (still open at its end) plus 'opened-closed'; open at the end: 'opened' plus 'open'.
const placeCounts = sql`
  count(DISTINCT key) FILTER (WHERE k = 'due')::int AS declarations_due,
  count(DISTINCT key) FILTER (WHERE k = 'done')::int AS declarations_done,
  count(DISTINCT key) FILTER (WHERE k = 'fever')::int AS fevers,
  count(DISTINCT key) FILTER (WHERE k IN ('opened', 'opened-closed'))::int AS abnormal_opened,
  count(DISTINCT key) FILTER (WHERE k IN ('opened', 'open'))::int AS abnormal_open,
  count(DISTINCT key) FILTER (WHERE k = 'quar')::int AS in_quarantine,
  count(DISTINCT key) FILTER (WHERE k = 'in')::int AS entries,
  count(DISTINCT key) FILTER (WHERE k = 'out')::int AS exits,
  count(DISTINCT key) FILTER (WHERE k = 'deny')::int AS denied`;

async function bySite(trx: Db | Tx, incident: Incident, date: string): Promise<SiteFigures[]> {
  const r = await sql<PlaceRow>`
    SELECT s.code, s.name_zh, s.name_en, s.kind, u.code AS unit, ${placeCounts}
    FROM health_incident_sites hs JOIN sites s ON s.id = hs.site_id LEFT JOIN units u ON u.id = s.unit_id
      LEFT JOIN ${placeFacts(incident, date)} AS f ON f.site_id = s.id
    WHERE hs.incident_id = ${incident.id}
    GROUP BY s.id, s.code, s.name_zh, s.name_en, s.kind, u.code
    ORDER BY s.code`.execute(trx);
  return r.rows.map((s) => ({
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
  }));
}

async function byUnit(trx: Db | Tx, incident: Incident, date: string): Promise<UnitFigures[]> {
  const r = await sql<PlaceRow>`
    SELECT u.code, u.name_zh, u.name_en, u.kind, u.code AS unit, ${placeCounts}
    FROM ${placeFacts(incident, date)} AS f JOIN units u ON u.id = f.unit_id
    WHERE f.k NOT IN ('in', 'out', 'deny')
    GROUP BY u.id, u.code, u.name_zh, u.name_en, u.kind
    ORDER BY u.code`.execute(trx);
  return r.rows.map((u) => ({
    unit: u.code,
    nameZh: u.name_zh,
    nameEn: u.name_en,
    declarationsDue: u.declarations_due,
    declarationsDone: u.declarations_done,
    fevers: u.fevers,
    abnormalOpen: u.abnormal_open,
    inQuarantine: u.in_quarantine,
  }));
}

/** The chart series: the last SERIES_DAYS days through `date`, or since the start. */
async function series(trx: Db | Tx, incident: Incident, date: string): Promise<SeriesPoint[]> {
  const id = incident.id;
  const back = Math.min(SERIES_DAYS - 1, daysBetween(incident.startDate, date));
  const first = addDays(date, -Math.max(0, back));
  const r = await sql<{ date: string; declarations_done: number; fevers: number; abnormal_open: number; in_quarantine: number }>`
    WITH days AS (SELECT ${day(first)} + i AS day, ((${day(first)} + i + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS next_at
      FROM generate_series(0, ${daysBetween(first, date)}::int) AS i),
    fev AS ${feverRows(id, first, date)}
    SELECT to_char(days.day, 'YYYY-MM-DD') AS date,
      (SELECT count(*) FROM health_declarations x WHERE x.incident_id = ${id} AND x.date = days.day)::int AS declarations_done,
      (SELECT count(DISTINCT person_key) FROM fev WHERE fev.day = days.day)::int AS fevers,
      (SELECT count(*) FROM abnormal_cases c WHERE c.incident_id = ${id} AND c.opened_at < days.next_at
        AND (${closedAt} IS NULL OR ${closedAt} >= days.next_at))::int AS abnormal_open,
      (SELECT count(DISTINCT q.person_id) FROM quarantines q WHERE q.incident_id = ${id} AND q.status <> 'cancelled'
        AND q.start_date <= days.day AND (q.released_at IS NULL OR q.released_at >= days.next_at))::int AS in_quarantine
    FROM days ORDER BY days.day`.execute(trx);
  return r.rows.map((p) => ({ date: p.date, declarationsDone: p.declarations_done, fevers: p.fevers, abnormalOpen: p.abnormal_open, inQuarantine: p.in_quarantine }));
}

/** Stock of every prevention supply at the end of the day: in and adjustments add, distributions take. */
async function supplies(trx: Db | Tx, date: string): Promise<BriefingFigures['supplies']> {
  const r = await sql<{ code: string; name_zh: string; name_en: string | null; unit_label: string; stock: string }>`
    SELECT s.code, s.name_zh, s.name_en, s.unit_label,
      coalesce(sum(CASE WHEN m.kind = 'out' THEN -m.quantity ELSE m.quantity END), 0)::numeric(20, 2)::text AS stock
    FROM supplies s LEFT JOIN supply_movements m ON m.supply_id = s.id AND m.date <= ${day(date)}
    GROUP BY s.id, s.code, s.name_zh, s.name_en, s.unit_label
    ORDER BY s.code`.execute(trx);
  return r.rows.map((s) => ({ code: s.code, nameZh: s.name_zh, nameEn: s.name_en, unitLabel: s.unit_label, stock: s.stock }));
}

/** The briefing's figures for one day of an incident (the caller checks the day is in range). */
export async function computeBriefing(trx: Db | Tx, incident: Incident, date: string): Promise<BriefingFigures> {
  const h = await headline(trx, incident, date);
  // One after another: a transaction runs one statement at a time.
  const sites = await bySite(trx, incident, date);
  const units = await byUnit(trx, incident, date);
  const points = await series(trx, incident, date);
  const stock = await supplies(trx, date);
  return {
    date,
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
    supplies: stock,
    donations: { count: h.donations, amount: h.donations_amount, countTotal: h.donations_total, amountTotal: h.donations_amount_total },
    bySite: sites,
    byUnit: units,
    series: points,
  };
}
