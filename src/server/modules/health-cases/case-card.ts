/**
 * Reading abnormal cases: the ledger's row, the data scope of cases (by the person: their unit, or
 * without a unit their site's unit), and the tracking card (异常情况跟踪卡) — the case, the person
 * and a timeline of everything that happened around them while the case was open.
 */
import { sql, type RawBuilder } from 'kysely';
import { maskName } from '../../../domain/access/mask';
import { followUpState } from '../../../domain/health/follow-up';
import { DEFAULT_FEVER_THRESHOLD_C, isFever } from '../../../domain/health/status-rules';
import { addDays, shanghaiDay, startOfShanghaiDay } from '../../../domain/notices/week';
import type { Db, Deps, Tx } from '../../context';
import { notFound } from '../../errors';
import type { Scope } from '../access-live/access-scope';
import type { CaseCard, CaseRow, Classification, TimelineEntry } from './cases.schemas';

/** A condition on a unit expression: inside the scope (null = every unit). */
export function inScopeSql(scope: Scope, unit: RawBuilder<unknown>): RawBuilder<boolean> {
  if (scope === null) return sql<boolean>`true`;
  if (scope.size === 0) return sql<boolean>`false`;
  return sql<boolean>`${unit} in (${sql.join([...scope])})`;
}

/** The scope condition of a person row aliased `p` with their site aliased `ps`. */
export const personScopeSql = (scope: Scope, p = 'p', ps = 'ps'): RawBuilder<boolean> => inScopeSql(scope, sql`coalesce(${sql.ref(`${p}.unit_id`)}, ${sql.ref(`${ps}.unit_id`)})`);

/** Audit actions whose rows the card reads back (they hold no personal value; notes live on the card). */
export const classifyAction = 'health.case.classify';

/** Cases with their person (p), the person's site (ps) and the case's site, else the person's (s). */
export const caseRows = (trx: Db | Tx) =>
  trx
    .selectFrom('abnormal_cases as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('sites as ps', 'ps.id', 'p.site_id')
    .leftJoin('sites as s', (j) => j.on(sql<boolean>`s.id = coalesce(c.site_id, p.site_id)`))
    .select((eb) => [
      'c.id', 'c.number', 'c.person_id', 'c.incident_id', 'c.source', 'c.reason', 'c.classification', 'c.temperature_c', 'c.opened_at', 'c.status', 'c.outcome', 'c.closed_at', 'c.version',
      'p.code as person_code', 'p.name as person_name', 'p.category as person_category', 'p.unit_id as person_unit_id', 'ps.unit_id as person_site_unit_id',
      's.code as site_code', 's.name_zh as site_name_zh',
      eb
        .selectFrom('case_follow_ups as f')
        .select((f) => f.fn.max('f.at').as('m'))
        .whereRef('f.case_id', '=', 'c.id')
        .where(sql<boolean>`not exists (select 1 from audit_log a where a.object_type = 'abnormal_case' and a.object_id = c.id::text and a.action = ${classifyAction} and a.details->>'noteRef' = f.id::text)`)
        .as('last_follow_up_at'),
      eb.exists(eb.selectFrom('quarantines as q').select('q.id').whereRef('q.person_id', '=', 'c.person_id').where('q.status', '=', 'active')).as('in_quarantine'),
    ]);
export type CaseDbRow = Awaited<ReturnType<ReturnType<typeof caseRows>['executeTakeFirstOrThrow']>>;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

export function toCaseRow(r: CaseDbRow): CaseRow {
  return {
    id: r.id,
    number: Number(r.number),
    person: { code: r.person_code, name: maskName(r.person_name), category: r.person_category },
    site: r.site_code === null ? null : { code: r.site_code, nameZh: r.site_name_zh ?? '' },
    source: r.source as CaseRow['source'],
    reason: r.reason as CaseRow['reason'],
    classification: r.classification as CaseRow['classification'],
    temperatureC: num(r.temperature_c),
    openedAt: r.opened_at.toISOString(),
    status: r.status as CaseRow['status'],
    outcome: r.outcome as CaseRow['outcome'],
    closedAt: iso(r.closed_at),
    lastFollowUpAt: iso(r.last_follow_up_at),
    inQuarantine: Boolean(r.in_quarantine),
  };
}

/** A case the scope reaches (404 CASE_NOT_FOUND otherwise, as for an unknown id). */
export async function visibleCase(trx: Db | Tx, scope: Scope, id: string): Promise<CaseDbRow> {
  const row = await caseRows(trx).where('c.id', '=', id).where(personScopeSql(scope)).executeTakeFirst();
  if (!row) throw notFound('CASE_NOT_FOUND', 'No such abnormal case');
  return row;
}

/** The tracking card of a case in scope: the case, the person (masked) and the timeline. */
export async function loadCard(trx: Db | Tx, deps: Pick<Deps, 'clock'>, scope: Scope, id: string): Promise<CaseCard> {
  const r = await visibleCase(trx, scope, id);
  const now = deps.clock.now();
  const today = shanghaiDay(now);
  const extra = await trx
    .selectFrom('abnormal_cases as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('health_incidents as i', 'i.id', 'c.incident_id')
    .leftJoin('users as ou', 'ou.id', 'c.opened_by')
    .leftJoin('users as cu', 'cu.id', 'c.closed_by')
    .leftJoin('sites as ps', 'ps.id', 'p.site_id')
    .leftJoin('households as h', 'h.id', 'p.household_id')
    .leftJoin('units as u', 'u.id', 'p.unit_id')
    .leftJoin('health_statuses as hs', 'hs.person_id', 'p.id')
    .select([
      'c.note', 'c.closure_note', 'ou.username as opened_by', 'cu.username as closed_by', 'i.name as incident_name', 'i.fever_threshold_c',
      'ps.code as person_site_code', 'ps.name_zh as person_site_name_zh', 'h.code as household_code', 'u.code as unit_code', 'u.name_zh as unit_name_zh',
      'hs.status as health_status', 'hs.rule as health_rule', 'hs.since as health_since', 'hs.facts as health_facts',
    ])
    .where('c.id', '=', id)
    .executeTakeFirstOrThrow();
  const threshold = extra.fever_threshold_c === null ? DEFAULT_FEVER_THRESHOLD_C : Number(extra.fever_threshold_c);
  const until = r.closed_at ?? now;
  const incidentOf = <T extends { incident_id: string | null }>(rows: T[]) => (r.incident_id === null ? rows : rows.filter((x) => x.incident_id === r.incident_id));

  const [followUps, gate, declarations, quarantines, transfers, exposures, classified] = await Promise.all([
    trx.selectFrom('case_follow_ups as f').leftJoin('users as u', 'u.id', 'f.checked_by').select(['f.id', 'f.at', 'f.temperature_c', 'f.condition', 'f.action', 'u.username']).where('f.case_id', '=', id).orderBy('f.at').execute(),
    trx
      .selectFrom('gate_events as g')
      .innerJoin('checkpoints as k', 'k.id', 'g.checkpoint_id')
      .select(['g.at', 'g.direction', 'g.decision', 'g.reason', 'g.temperature_c', 'k.code', 'k.name_zh'])
      .where('g.person_id', '=', r.person_id)
      .where('g.at', '>=', new Date(r.opened_at.getTime() - 86_400_000))
      .where('g.at', '<=', until)
      .orderBy('g.at')
      .limit(500)
      .execute(),
    // In the case's incident; for a case outside any incident, the days it was open (from the day before).
    trx
      .selectFrom('health_declarations')
      .select(['incident_id', 'date', 'created_at', 'temperature_c', 'symptoms', 'status'])
      .where('person_id', '=', r.person_id)
      .where((eb) => (r.incident_id === null ? eb.between('date', addDays(shanghaiDay(r.opened_at), -1), shanghaiDay(until)) : eb('incident_id', '=', r.incident_id)))
      .orderBy('date')
      .execute(),
    trx.selectFrom('quarantines').selectAll().where('person_id', '=', r.person_id).orderBy('start_date').execute(),
    trx
      .selectFrom('transfer_people as tp')
      .innerJoin('transfers as t', 't.id', 'tp.transfer_id')
      .select(['t.id', 't.incident_id', 't.at', 't.vehicle', 't.from_place', 't.to_place'])
      .where('tp.person_id', '=', r.person_id)
      .orderBy('t.at')
      .execute(),
    trx
      .selectFrom('exposures as e')
      .innerJoin('people as sp', 'sp.id', 'e.source_person_id')
      .innerJoin('people as cp', 'cp.id', 'e.contact_person_id')
      .select(['e.id', 'e.incident_id', 'e.source_person_id', 'e.date', 'e.type', 'e.certainty', 'e.close', 'e.active', 'sp.code as s_code', 'sp.name as s_name', 'sp.category as s_cat', 'cp.code as c_code', 'cp.name as c_name', 'cp.category as c_cat'])
      .where((eb) => eb.or([eb('e.source_person_id', '=', r.person_id), eb('e.contact_person_id', '=', r.person_id)]))
      .orderBy('e.date')
      .execute(),
    trx.selectFrom('audit_log').select(['at', 'actor_username', 'details']).where('action', '=', classifyAction).where('object_type', '=', 'abnormal_case').where('object_id', '=', id).orderBy('seq').execute(),
  ]);
  const slots = quarantines.length === 0 ? [] : await trx.selectFrom('quarantine_follow_ups').select(['quarantine_id', 'date', 'done_at', 'cancelled']).where('quarantine_id', 'in', quarantines.map((q) => q.id)).execute();

  // A classification's note is kept on the card as a follow-up (purged with it); the audit row points to it.
  const noteOf = new Map<string, string>();
  const noteRefs = new Set(classified.map((a) => String(a.details?.noteRef ?? '')));
  for (const f of followUps) if (noteRefs.has(f.id)) noteOf.set(f.id, f.condition);

  const timeline: TimelineEntry[] = [
    { kind: 'opened', at: r.opened_at.toISOString(), by: extra.opened_by, source: r.source as CaseRow['source'], reason: r.reason as CaseRow['reason'], temperatureC: num(r.temperature_c), note: extra.note },
    ...followUps
      .filter((f) => !noteRefs.has(f.id))
      .map((f): TimelineEntry => ({ kind: 'follow-up', at: f.at.toISOString(), by: f.username, temperatureC: num(f.temperature_c), fever: isFever(num(f.temperature_c), threshold), condition: f.condition, action: f.action })),
    ...gate.map((g): TimelineEntry => ({
      kind: 'gate', at: g.at.toISOString(), checkpoint: { code: g.code, nameZh: g.name_zh }, direction: g.direction as 'in' | 'out', decision: g.decision as 'allow' | 'deny', reason: g.reason, temperatureC: num(g.temperature_c),
    })),
    ...declarations.map((d): TimelineEntry => ({ kind: 'declaration', at: d.created_at.toISOString(), date: d.date, temperatureC: num(d.temperature_c), symptomCount: d.symptoms.length, status: d.status as 'green' | 'yellow' | 'red' })),
    ...incidentOf(quarantines).map((q): TimelineEntry => {
      const states = slots.filter((s) => s.quarantine_id === q.id && !s.cancelled).map((s) => followUpState({ date: s.date, doneAt: s.done_at }, today));
      return {
        kind: 'quarantine', at: startOfShanghaiDay(q.start_date).toISOString(), id: q.id, place: q.place as 'home' | 'facility', facility: q.facility, startDate: q.start_date, plannedEnd: q.planned_end, status: q.status,
        done: states.filter((s) => s === 'done').length, missed: states.filter((s) => s === 'missed').length, planned: states.filter((s) => s === 'due' || s === 'planned').length,
      };
    }),
    ...incidentOf(transfers).map((t): TimelineEntry => ({ kind: 'transfer', at: t.at.toISOString(), id: t.id, vehicle: t.vehicle, from: t.from_place, to: t.to_place })),
    ...incidentOf(exposures).map((e): TimelineEntry => {
      const asSource = e.source_person_id === r.person_id;
      return {
        kind: 'exposure', at: startOfShanghaiDay(e.date).toISOString(), id: e.id, role: asSource ? 'source' : 'contact',
        other: asSource ? { code: e.c_code, name: maskName(e.c_name), category: e.c_cat } : { code: e.s_code, name: maskName(e.s_name), category: e.s_cat },
        date: e.date, type: e.type, certainty: e.certainty, close: e.close, active: e.active,
      };
    }),
    ...classified.map((a): TimelineEntry => ({
      kind: 'classified', at: a.at.toISOString(), by: a.actor_username, from: a.details?.from as Classification, to: a.details?.to as Classification, note: noteOf.get(String(a.details?.noteRef ?? '')) ?? null,
    })),
  ];
  if (r.closed_at !== null) timeline.push({ kind: 'closed', at: r.closed_at.toISOString(), by: extra.closed_by, outcome: r.outcome as NonNullable<CaseRow['outcome']>, note: extra.closure_note });
  timeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  const facts = extra.health_facts as { explanation?: { zh: string; en: string } } | null;
  return {
    case: {
      ...toCaseRow(r),
      incident: r.incident_id === null ? null : { id: r.incident_id, name: extra.incident_name ?? '' },
      feverThresholdC: threshold,
      note: extra.note,
      openedBy: extra.opened_by,
      closedBy: extra.closed_by,
      closureNote: extra.closure_note,
      version: r.version,
    },
    person: {
      code: r.person_code,
      name: maskName(r.person_name),
      category: r.person_category,
      site: extra.person_site_code === null ? null : { code: extra.person_site_code, nameZh: extra.person_site_name_zh ?? '' },
      household: extra.household_code,
      unit: extra.unit_code === null ? null : { code: extra.unit_code, nameZh: extra.unit_name_zh ?? '' },
      status:
        extra.health_status === null
          ? null
          : { colour: extra.health_status as 'green' | 'yellow' | 'red', rule: extra.health_rule ?? '', since: iso(extra.health_since) ?? '', explanation: facts?.explanation ?? null },
    },
    timeline,
  };
}
