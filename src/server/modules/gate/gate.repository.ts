import { CompiledQuery, sql } from 'kysely';
import type { GatePass, PersonCategory, TimeWindow } from '../../../domain/access/gate-decision';
import type { Db, Tx } from '../../context';
import type { Database } from '../../db/database';

/**
 * The gate's reads, each one round trip: who is at the gate (by pass token, person code or ID
 * number blind index) with everything the decision needs about them at this site and time.
 */

export interface Subject {
  personId: string;
  code: string;
  name: string;
  category: PersonCategory;
  householdId: string | null;
  health: 'green' | 'yellow' | 'red' | null;
  blocked: boolean;
  visitApproved: boolean;
  pass: GatePass | null;
}

interface SubjectRow {
  person_id: string;
  code: string;
  name: string;
  category: string;
  household_id: string | null;
  health: string | null;
  blocked: boolean;
  visit_approved: boolean;
  pass_id: string | null;
  valid_from: string | null;
  valid_to: string | null;
  windows: TimeWindow[] | null;
  essential: boolean | null;
  status: string | null;
  site_ids: string | null;
}

export interface SubjectScope {
  siteId: string;
  /** Local date of the scan (block-list validity). */
  today: string;
  at: Date;
}

/*
 * The subject queries are fixed texts with positional parameters, run as named prepared
 * statements: the scan is the hot path, and PostgreSQL then parses and plans each once per
 * connection (planning this text on every scan cost ~40 % of the throughput). $1 is the key (token
 * hash, person code or ID number blind index), $2 the site, $3 the local date, $4 the scan time;
 * by token, a JSON array of them (an object per scan, turned into rows by PostgreSQL).
 */
const subjectColumns = (site: string, today: string, at: string) => `pe.id AS person_id, pe.code, pe.name, pe.category, pe.household_id,
    (SELECT hs.status FROM health_statuses hs WHERE hs.person_id = pe.id) AS health,
    EXISTS (
      SELECT 1 FROM block_list b
      WHERE b.removed_at IS NULL AND (b.valid_to IS NULL OR b.valid_to >= ${today}) AND (b.site_id IS NULL OR b.site_id = ${site})
        AND (b.person_id = pe.id OR b.id_number_bidx = pe.id_number_bidx OR b.phone_bidx = pe.phone_bidx)
    ) AS blocked,
    EXISTS (
      SELECT 1 FROM visits v
      WHERE v.visitor_person_id = pe.id AND v.site_id = ${site} AND v.status = 'approved' AND v.starts_at <= ${at} AND v.ends_at > ${at}
    ) AS visit_approved,
    p.id AS pass_id, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, p.windows, p.essential, p.status,
    (SELECT string_agg(ps.site_id::text, ',') FROM pass_sites ps WHERE ps.pass_id = p.id) AS site_ids`;
const oneSubject = subjectColumns('$2::uuid', '$3::date', '$4::timestamptz');

/** The best pass of person `pe` touching the site: valid and active first, then active, then the latest. */
const bestPassJoin = `LEFT JOIN LATERAL (
    SELECT p0.* FROM passes p0 JOIN pass_sites ps0 ON ps0.pass_id = p0.id AND ps0.site_id = $2::uuid
    WHERE p0.person_id = pe.id
    ORDER BY (p0.status = 'active' AND p0.valid_from <= $3::date AND p0.valid_to >= $3::date) DESC, (p0.status = 'active') DESC, p0.valid_to DESC, p0.number DESC
    LIMIT 1
  ) p ON true`;

const subjectSql = {
  code: `SELECT ${oneSubject} FROM people pe ${bestPassJoin} WHERE pe.code = $1`,
  idNumber: `SELECT ${oneSubject} FROM people pe ${bestPassJoin} WHERE pe.id_number_bidx = $1 ORDER BY (p.id IS NOT NULL) DESC, pe.code LIMIT 1`,
};
const subjectsByTokenSql = `SELECT k.i, ${subjectColumns('k.site_id', 'k.today', 'k.at')}
  FROM json_to_recordset($1::json) AS k (i int, token_hash text, site_id uuid, today date, at timestamptz)
  JOIN passes p ON p.token_hash = k.token_hash JOIN people pe ON pe.id = p.person_id`;

async function subject(database: Database, by: keyof typeof subjectSql, key: string, s: SubjectScope): Promise<Subject | null> {
  const rows = await database.prepared<SubjectRow>(`gate-subject-${by}`, subjectSql[by], [key, s.siteId, s.today, s.at]);
  return toSubject(rows[0]);
}

function toSubject(r: SubjectRow | undefined): Subject | null {
  if (!r) return null;
  return {
    personId: r.person_id,
    code: r.code,
    name: r.name,
    category: r.category as PersonCategory,
    householdId: r.household_id,
    health: (r.health as Subject['health']) ?? null,
    blocked: r.blocked,
    visitApproved: r.visit_approved,
    pass:
      r.pass_id === null
        ? null
        : {
            id: r.pass_id,
            siteIds: r.site_ids ? r.site_ids.split(',') : [],
            validFrom: r.valid_from!,
            validTo: r.valid_to!,
            windows: r.windows,
            essential: r.essential ?? false,
            status: r.status as GatePass['status'],
          },
  };
}

/** A pass token presented at a gate: its hash, with the scan's site and time. */
export interface TokenScan {
  tokenHash: string;
  scope: SubjectScope;
}

/**
 * For each scan, the holder of the pass with its token hash, with that pass (whatever its site or
 * status), or null: one statement for many scans.
 */
export async function subjectsByToken(database: Database, scans: readonly TokenScan[]): Promise<(Subject | null)[]> {
  const keys = JSON.stringify(scans.map((s, i) => ({ i, token_hash: s.tokenHash, site_id: s.scope.siteId, today: s.scope.today, at: s.scope.at })));
  const rows = await database.prepared<SubjectRow & { i: number }>('gate-subjects-token', subjectsByTokenSql, [keys]);
  const byScan = new Map(rows.map((r) => [r.i, r]));
  return scans.map((_, i) => toSubject(byScan.get(i)));
}
/** A person by code, with their best pass for the site. */
export const subjectByCode = (database: Database, code: string, s: SubjectScope) => subject(database, 'code', code, s);
/** The person with this ID number blind index (one holding a pass for the site first). */
export const subjectByIdNumber = (database: Database, bidx: string, s: SubjectScope) => subject(database, 'idNumber', bidx, s);

/** The columns of a gate event as the scan writes them. */
export interface GateEventValues {
  idempotency_key: string;
  checkpoint_id: string;
  site_id: string;
  device_id: string | null;
  guard_user_id: string | null;
  person_id: string | null;
  pass_id: string | null;
  credential: string;
  direction: string;
  decision: string;
  reason: string | null;
  temperature_c: number | null;
  plate: string | null;
  disinfected: boolean | null;
  offline: boolean;
  at: Date;
  recorded_at: Date;
}
const eventColumns = ['idempotency_key', 'checkpoint_id', 'site_id', 'device_id', 'guard_user_id', 'person_id', 'pass_id', 'credential', 'direction', 'decision', 'reason', 'temperature_c', 'plate', 'disinfected', 'offline', 'at', 'recorded_at'].join(', ');
/** The events go in as one JSON array, typed by the table's own row type: the same text for any number of events. */
const insertEventsSql = `INSERT INTO gate_events (${eventColumns})
  SELECT ${eventColumns} FROM json_populate_recordset(NULL::gate_events, $1::json)
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key`;

/**
 * Stores events in one statement, each unless its idempotency key is stored already (or comes
 * earlier in `events`): per event its id, or null for a resend. Given the Database (outside a
 * transaction), as a prepared statement.
 */
export async function insertEvents(q: Tx | Database, events: readonly GateEventValues[]): Promise<(string | null)[]> {
  const seen = new Set<string>();
  const firsts = events.filter((e) => !seen.has(e.idempotency_key) && seen.add(e.idempotency_key));
  const params = [JSON.stringify(firsts)];
  const rows = 'prepared' in q
    ? await q.prepared<{ id: string; idempotency_key: string }>('gate-insert-events', insertEventsSql, params)
    : (await q.executeQuery<{ id: string; idempotency_key: string }>(CompiledQuery.raw(insertEventsSql, params))).rows;
  const ids = new Map(rows.map((r) => [r.idempotency_key, r.id]));
  // The first event with a key is the one stored; a later one in the same call is its resend.
  return events.map((e) => {
    const id = ids.get(e.idempotency_key) ?? null;
    ids.delete(e.idempotency_key);
    return id;
  });
}

/** An ID number nobody is registered with may still be on the block list. */
export async function idNumberBlocked(db: Db | Tx, bidx: string, s: SubjectScope): Promise<boolean> {
  const r = await sql<{ blocked: boolean }>`SELECT EXISTS (
      SELECT 1 FROM block_list b
      WHERE b.removed_at IS NULL AND (b.valid_to IS NULL OR b.valid_to >= ${s.today}::date) AND (b.site_id IS NULL OR b.site_id = ${s.siteId}) AND b.id_number_bidx = ${bidx}
    ) AS blocked`.execute(db);
  return r.rows[0]?.blocked ?? false;
}

/** Other members of the household let out at the site since `since` (distinct people). */
export async function householdOuts(db: Db | Tx, householdId: string, personId: string, siteId: string, since: Date, until: Date): Promise<number> {
  const r = await sql<{ n: number | string }>`SELECT count(DISTINCT e.person_id) AS n
    FROM gate_events e JOIN people m ON m.id = e.person_id
    WHERE e.site_id = ${siteId} AND e.at >= ${since} AND e.at <= ${until} AND e.direction = 'out' AND e.decision = 'allow'
      AND m.household_id = ${householdId} AND e.person_id <> ${personId}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Whether a vehicle with this plate may enter the site on the date. */
export async function vehiclePermitted(db: Db | Tx, plate: string, siteId: string, today: string): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`SELECT EXISTS (
      SELECT 1 FROM vehicles v JOIN vehicle_sites vs ON vs.vehicle_id = v.id
      WHERE v.plate = ${plate} AND vs.site_id = ${siteId} AND (vs.valid_to IS NULL OR vs.valid_to >= ${today}::date)
    ) AS ok`.execute(db);
  return r.rows[0]?.ok ?? false;
}

// ---- the offline snapshot ---------------------------------------------------------------------

export interface SnapshotPassRow {
  token_hash: string;
  id: string;
  valid_from: string;
  valid_to: string;
  windows: TimeWindow[] | null;
  essential: boolean;
  status: string;
  code: string;
  name: string;
  category: string;
  household_id: string | null;
  site_ids: string | null;
}

/** Every pass touching the site still valid on `since` or later, in any status (revocations travel too). */
export async function snapshotPasses(db: Db | Tx, siteId: string, since: string): Promise<SnapshotPassRow[]> {
  const r = await sql<SnapshotPassRow>`SELECT p.token_hash, p.id, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, p.windows, p.essential, p.status,
      pe.code, pe.name, pe.category, pe.household_id,
      (SELECT string_agg(ps2.site_id::text, ',') FROM pass_sites ps2 WHERE ps2.pass_id = p.id) AS site_ids
    FROM pass_sites ps JOIN passes p ON p.id = ps.pass_id JOIN people pe ON pe.id = p.person_id
    WHERE ps.site_id = ${siteId} AND p.valid_to >= ${since}::date
    ORDER BY pe.code, p.number`.execute(db);
  return r.rows;
}

/** Codes of the people blocked at the site (by person, ID number or phone), today. */
export async function snapshotBlocked(db: Db | Tx, siteId: string, today: string): Promise<string[]> {
  const r = await sql<{ code: string }>`SELECT DISTINCT pe.code FROM block_list b
    JOIN people pe ON pe.id = b.person_id OR pe.id_number_bidx = b.id_number_bidx OR pe.phone_bidx = b.phone_bidx
    WHERE b.removed_at IS NULL AND (b.valid_to IS NULL OR b.valid_to >= ${today}::date) AND (b.site_id IS NULL OR b.site_id = ${siteId})
    ORDER BY pe.code`.execute(db);
  return r.rows.map((x) => x.code);
}

/** Codes of the pass holders of the site whose health status is red. */
export async function snapshotHealthRed(db: Db | Tx, siteId: string): Promise<string[]> {
  const r = await sql<{ code: string }>`SELECT pe.code FROM health_statuses hs JOIN people pe ON pe.id = hs.person_id
    WHERE hs.status = 'red' AND EXISTS (SELECT 1 FROM passes p JOIN pass_sites ps ON ps.pass_id = p.id WHERE p.person_id = pe.id AND ps.site_id = ${siteId})
    ORDER BY pe.code`.execute(db);
  return r.rows.map((x) => x.code);
}

/** Approved visits at the site that end at `from` or later. */
export async function snapshotVisits(db: Db | Tx, siteId: string, from: Date): Promise<{ code: string; starts_at: Date; ends_at: Date }[]> {
  return db
    .selectFrom('visits as v')
    .innerJoin('people as pe', 'pe.id', 'v.visitor_person_id')
    .select(['pe.code', 'v.starts_at', 'v.ends_at'])
    .where('v.site_id', '=', siteId)
    .where('v.status', '=', 'approved')
    .where('v.ends_at', '>=', from)
    .orderBy('v.starts_at')
    .execute();
}
