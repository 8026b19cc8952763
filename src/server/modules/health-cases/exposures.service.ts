import { sql, type RawBuilder } from 'kysely';
import { maskName } from '../../../domain/access/mask';
import { addDays, shanghaiDay } from '../../../domain/notices/week';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound } from '../../errors';
import { personInScope, scopeOf, shanghaiTime, type Scope } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import { activeIncident, incidentById, requireActiveIncident } from '../health-incidents/incident';
import { ensureQuarantine } from '../health-quarantines/quarantine-schedule';
import { refreshHealthStatus } from '../health-status/refresh';
import { personScopeSql } from './case-card';
import type { ChainGraph, CreateExposureBody, Exposure, ExposureQuery, Suggestion, SuggestionQuery } from './exposures.schemas';
import { openAbnormalCase } from './open-case';

const exposureRows = (trx: Db | Tx) =>
  trx
    .selectFrom('exposures as e')
    .innerJoin('people as sp', 'sp.id', 'e.source_person_id')
    .leftJoin('sites as sps', 'sps.id', 'sp.site_id')
    .innerJoin('people as cp', 'cp.id', 'e.contact_person_id')
    .leftJoin('sites as cps', 'cps.id', 'cp.site_id')
    .leftJoin('abnormal_cases as c', 'c.id', 'e.case_id')
    .leftJoin('users as u', 'u.id', 'e.created_by')
    .select([
      'e.id', 'e.incident_id', 'e.source_person_id', 'e.contact_person_id', 'e.date', 'e.type', 'e.certainty', 'e.close', 'e.note', 'e.active', 'e.created_at', 'e.version',
      'sp.code as s_code', 'sp.name as s_name', 'sp.category as s_cat', 'cp.code as c_code', 'cp.name as c_name', 'cp.category as c_cat',
      'c.number as case_number', 'u.username as created_by',
    ]);
type ExposureRow = Awaited<ReturnType<ReturnType<typeof exposureRows>['executeTakeFirstOrThrow']>>;

function toExposure(r: ExposureRow): Exposure {
  return {
    id: r.id,
    incidentId: r.incident_id,
    source: { code: r.s_code, name: maskName(r.s_name), category: r.s_cat },
    contact: { code: r.c_code, name: maskName(r.c_name), category: r.c_cat },
    date: r.date,
    type: r.type as Exposure['type'],
    certainty: r.certainty as Exposure['certainty'],
    close: r.close,
    note: r.note,
    active: r.active,
    caseNumber: r.case_number === null ? null : Number(r.case_number),
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
  };
}

/** An exposure is seen when either of its people is in scope (the other is shown masked). */
const exposureScopeSql = (scope: Scope): RawBuilder<boolean> => sql<boolean>`(${personScopeSql(scope, 'sp', 'sps')} or ${personScopeSql(scope, 'cp', 'cps')})`;

/**
 * Exposures (接触) of a contact to a case: recording one quarantines a close contact (the follow-up
 * window after the latest exposure) and opens their CONTACT case; the status of the contact is
 * refreshed in the same transaction. Suggestions of contacts from households and gate events, and
 * the transmission-chain graph of an incident. The audit log names no person: who was whose
 * contact is health data, purged with the incident, while the log is kept.
 */
export function exposureService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function visibleExposure(trx: Tx, scope: Scope, id: string): Promise<ExposureRow> {
    const row = await exposureRows(trx).where('e.id', '=', id).where(exposureScopeSql(scope)).executeTakeFirst();
    if (!row) throw notFound('EXPOSURE_NOT_FOUND', 'No such exposure');
    return row;
  }

  return {
    async create(ctx: RequestContext, actor: Actor, body: CreateExposureBody): Promise<{ id: string; quarantineId: string | null; contactCaseId: string | null }> {
      if (body.case === body.contact) throw businessRule('EXPOSURE_SELF', 'A person cannot be their own contact', { field: 'contact' });
      return db.transaction().execute(async (trx) => {
        const incident = await requireActiveIncident(trx);
        const scope = await scopeOf(trx, actor);
        const source = await personInScope(trx, scope, body.case);
        const contact = await personInScope(trx, scope, body.contact);
        const now = clock.now();
        const today = shanghaiDay(now);
        if (body.date > today) throw businessRule('EXPOSURE_DATE_FUTURE', 'The exposure date is in the future', { field: 'date' });
        const earliest = addDays(incident.startDate, -14);
        if (body.date < earliest) throw businessRule('EXPOSURE_DATE_TOO_EARLY', `The exposure date is before ${earliest} (the incident start − 14 days)`, { field: 'date' });
        const same = await trx
          .selectFrom('exposures')
          .select('id')
          .where('source_person_id', '=', source.id)
          .where('contact_person_id', '=', contact.id)
          .where('date', '=', body.date)
          .where('type', '=', body.type)
          .where('active', '=', true)
          .executeTakeFirst();
        if (same) throw conflict('EXPOSURE_DUPLICATE', 'This exposure is already recorded', { id: same.id });
        const sourceCase = await trx
          .selectFrom('abnormal_cases')
          .select('id')
          .where('person_id', '=', source.id)
          .where('incident_id', '=', incident.id)
          .where('status', '=', 'open')
          .orderBy('opened_at', 'desc')
          .executeTakeFirst();
        const row = await trx
          .insertInto('exposures')
          .values({
            incident_id: incident.id, case_id: sourceCase?.id ?? null, source_person_id: source.id, contact_person_id: contact.id, date: body.date, type: body.type,
            certainty: body.certainty, close: body.close, note: body.note ?? null, created_by: actor.userId, created_at: now, updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'health.exposure.create', objectType: 'exposure', objectId: row.id, details: { date: body.date, type: body.type, certainty: body.certainty, close: body.close, caseLinked: sourceCase !== undefined } });
        let quarantineId: string | null = null;
        let contactCaseId: string | null = null;
        if (body.close) {
          const last = await trx
            .selectFrom('exposures')
            .select((eb) => eb.fn.max('date').as('last'))
            .where('contact_person_id', '=', contact.id)
            .where('incident_id', '=', incident.id)
            .where('active', '=', true)
            .where('close', '=', true)
            .executeTakeFirstOrThrow();
          const quarantine = await ensureQuarantine(trx, deps, ctx, { incident, personId: contact.id, lastExposure: String(last.last ?? body.date) });
          quarantineId = quarantine.id;
          const opened = await openAbnormalCase(trx, deps, ctx, { personId: contact.id, incidentId: incident.id, source: 'exposure', reason: 'CONTACT', sourceRef: row.id, siteId: contact.site_id, at: now });
          contactCaseId = opened.id;
        }
        await refreshHealthStatus(trx, deps, contact.id);
        return { id: row.id, quarantineId, contactCaseId };
      });
    },

    /** Withdraws an exposure entered by mistake; the contact's quarantine stays (released on its own). */
    async withdraw(ctx: RequestContext, actor: Actor, id: string, reason: string): Promise<Exposure> {
      return db.transaction().execute(async (trx) => {
        const e = await visibleExposure(trx, await scopeOf(trx, actor), id);
        if (!e.active) throw conflict('EXPOSURE_WITHDRAWN', 'This exposure was already withdrawn');
        await trx.updateTable('exposures').set({ active: false, updated_at: clock.now(), version: e.version + 1 }).where('id', '=', id).execute();
        await audit(trx, deps, ctx, { action: 'health.exposure.withdraw', objectType: 'exposure', objectId: id, details: { reason } });
        await refreshHealthStatus(trx, deps, e.contact_person_id);
        return toExposure(await exposureRows(trx).where('e.id', '=', id).executeTakeFirstOrThrow());
      });
    },

    async list(actor: Actor, q: ExposureQuery): Promise<{ rows: Exposure[] }> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        let query = exposureRows(trx).where(exposureScopeSql(scope));
        if (q.case) query = query.where('e.source_person_id', '=', (await personInScope(trx, scope, q.case)).id);
        if (q.contact) query = query.where('e.contact_person_id', '=', (await personInScope(trx, scope, q.contact)).id);
        if (q.incident !== 'all') {
          const incident = q.incident === undefined ? await activeIncident(trx) : await incidentById(trx, q.incident);
          if (incident) query = query.where('e.incident_id', '=', incident.id);
        }
        if (q.withdrawn !== 'true') query = query.where('e.active', '=', true);
        const rows = await query.orderBy('e.date', 'desc').orderBy('e.created_at', 'desc').limit(2000).execute();
        return { rows: rows.map(toExposure) };
      });
    },

    /**
     * People to consider as contacts of a case: their household, and whoever passed a checkpoint
     * within ±windowMinutes of one of the case's gate events in the last `days` days (the closest
     * pass per person). People already linked to the case, and people outside the scope, are left out.
     */
    async suggestions(actor: Actor, q: SuggestionQuery): Promise<{ case: Suggestion['person']; rows: Suggestion[] }> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const person = await personInScope(trx, scope, q.case);
        const now = clock.now();
        const since = new Date(now.getTime() - q.days * 86_400_000);
        const { household_id: householdId } = await trx.selectFrom('people').select('household_id').where('id', '=', person.id).executeTakeFirstOrThrow();
        const linked = await trx
          .selectFrom('exposures')
          .select(['source_person_id', 'contact_person_id'])
          .where('active', '=', true)
          .where((eb) => eb.or([eb('source_person_id', '=', person.id), eb('contact_person_id', '=', person.id)]))
          .execute();
        const excluded = new Set([person.id, ...linked.flatMap((l) => [l.source_person_id, l.contact_person_id])]);
        const household = householdId === null ? [] : await trx.selectFrom('people').select('id').where('household_id', '=', householdId).execute();
        // Index-friendly: for each of the case's events, a range on (checkpoint_id, at) of the others.
        const gate = await sql<{ person_id: string; case_at: Date; contact_at: Date; code: string; name_zh: string; seconds: number }>`
          SELECT DISTINCT ON (g.person_id) g.person_id, e.at AS case_at, g.at AS contact_at, k.code, k.name_zh, abs(extract(epoch FROM (g.at - e.at)))::float8 AS seconds
          FROM gate_events e
          JOIN gate_events g ON g.checkpoint_id = e.checkpoint_id
            AND g.at >= e.at - make_interval(mins => ${q.windowMinutes}::int) AND g.at <= e.at + make_interval(mins => ${q.windowMinutes}::int)
          JOIN checkpoints k ON k.id = e.checkpoint_id
          WHERE e.person_id = ${person.id} AND e.at >= ${since} AND e.at <= ${now} AND g.person_id IS NOT NULL AND g.person_id <> ${person.id}
          ORDER BY g.person_id, seconds, g.at`.execute(trx);
        const ids = [...new Set([...household.map((h) => h.id), ...gate.rows.map((g) => g.person_id)])].filter((id) => !excluded.has(id));
        const people =
          ids.length === 0
            ? []
            : await trx
                .selectFrom('people as p')
                .leftJoin('sites as ps', 'ps.id', 'p.site_id')
                .leftJoin('households as h', 'h.id', 'p.household_id')
                .select(['p.id', 'p.code', 'p.name', 'p.category', 'p.household_id', 'ps.code as site_code', 'ps.name_zh as site_name_zh', 'h.code as household_code'])
                .where('p.id', 'in', ids)
                .where(personScopeSql(scope))
                .execute();
        const byId = new Map(people.map((p) => [p.id, p]));
        const today = shanghaiDay(now);
        const rows: Suggestion[] = [];
        for (const p of people) {
          if (householdId === null || p.household_id !== householdId) continue;
          const hh = p.household_code ?? '';
          rows.push({
            person: { code: p.code, name: maskName(p.name), category: p.category }, site: p.site_code === null ? null : { code: p.site_code, nameZh: p.site_name_zh ?? '' }, type: 'household',
            reason: { zh: `同户（户号 ${hh}）`, en: `Same household (${hh})` }, household: hh, checkpoint: null, caseAt: null, contactAt: null, minutesApart: null, date: today,
          });
        }
        const seen = new Set(rows.map((r) => r.person.code));
        const near = gate.rows.filter((g) => byId.has(g.person_id) && !seen.has(byId.get(g.person_id)!.code)).sort((a, b) => a.seconds - b.seconds);
        for (const g of near) {
          const p = byId.get(g.person_id)!;
          const minutes = Math.round(Number(g.seconds) / 6) / 10;
          const caseAt = new Date(g.case_at);
          const contactAt = new Date(g.contact_at);
          rows.push({
            person: { code: p.code, name: maskName(p.name), category: p.category }, site: p.site_code === null ? null : { code: p.site_code, nameZh: p.site_name_zh ?? '' }, type: 'gate',
            reason: { zh: `${shanghaiDay(caseAt)} ${shanghaiTime(caseAt)} 前后 ${minutes} 分钟内同经卡口 ${g.name_zh}`, en: `Passed checkpoint ${g.code} ${minutes} min from the case on ${shanghaiDay(caseAt)} ${shanghaiTime(caseAt)}` },
            household: p.household_code, checkpoint: { code: g.code, nameZh: g.name_zh }, caseAt: caseAt.toISOString(), contactAt: contactAt.toISOString(), minutesApart: minutes, date: shanghaiDay(contactAt),
          });
        }
        return { case: { code: person.code, name: maskName(person.name), category: person.category }, rows };
      });
    },

    /** The transmission chain of an incident: people as nodes, active exposures as edges, clusters as connected components. */
    async chains(actor: Actor, q: { incident?: string | undefined }): Promise<ChainGraph> {
      return db.transaction().execute(async (trx) => {
        const incident = q.incident === undefined ? await requireActiveIncident(trx) : await incidentById(trx, q.incident);
        const scope = await scopeOf(trx, actor);
        const edges = await exposureRows(trx).where('e.incident_id', '=', incident.id).where('e.active', '=', true).where(exposureScopeSql(scope)).orderBy('e.date').orderBy('e.created_at').execute();
        // Suspected and confirmed cases are nodes even before any contact is known.
        const cases = await trx
          .selectFrom('abnormal_cases as c')
          .innerJoin('people as p', 'p.id', 'c.person_id')
          .leftJoin('sites as ps', 'ps.id', 'p.site_id')
          .select('c.person_id')
          .where('c.incident_id', '=', incident.id)
          .where('c.classification', 'in', ['suspected', 'confirmed'])
          .where(personScopeSql(scope))
          .execute();
        const ids = [...new Set([...edges.flatMap((e) => [e.source_person_id, e.contact_person_id]), ...cases.map((c) => c.person_id)])];
        const people =
          ids.length === 0
            ? []
            : await trx
                .selectFrom('people as p')
                .leftJoin('health_statuses as hs', 'hs.person_id', 'p.id')
                .select((eb) => [
                  'p.id', 'p.code', 'p.name', 'hs.status',
                  eb.exists(eb.selectFrom('quarantines as q').select('q.id').whereRef('q.person_id', '=', 'p.id').where('q.status', '=', 'active')).as('in_quarantine'),
                  eb.selectFrom('abnormal_cases as c').select('c.classification').whereRef('c.person_id', '=', 'p.id').where('c.incident_id', '=', incident.id).orderBy('c.opened_at', 'desc').limit(1).as('classification'),
                ])
                .where('p.id', 'in', ids)
                .orderBy('p.code')
                .execute();
        const contacts = new Set(edges.map((e) => e.contact_person_id));

        // Connected components (union-find over person ids).
        const parent = new Map(people.map((p) => [p.id, p.id]));
        const find = (x: string): string => {
          let root = x;
          while (parent.get(root) !== root) root = parent.get(root)!;
          parent.set(x, root);
          return root;
        };
        for (const e of edges) parent.set(find(e.source_person_id), find(e.contact_person_id));
        const groups = new Map<string, string[]>();
        for (const p of people) groups.set(find(p.id), [...(groups.get(find(p.id)) ?? []), p.code]);
        const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || a[1][0]!.localeCompare(b[1][0]!));
        const clusterOf = new Map(ordered.map(([root], i) => [root, i + 1]));
        const edgeCount = new Map<number, number>();
        for (const e of edges) {
          const c = clusterOf.get(find(e.source_person_id))!;
          edgeCount.set(c, (edgeCount.get(c) ?? 0) + 1);
        }

        const nodes = people.map((p) => {
          const cls = p.classification ?? 'unclassified';
          return {
            code: p.code,
            name: maskName(p.name),
            classification: (cls === 'unclassified' && contacts.has(p.id) ? 'contact' : cls) as ChainGraph['nodes'][number]['classification'],
            status: p.status as 'green' | 'yellow' | 'red' | null,
            inQuarantine: Boolean(p.in_quarantine),
            cluster: clusterOf.get(find(p.id))!,
          };
        });
        const clusters = ordered.map(([, members], i) => ({ id: i + 1, size: members.length, edges: edgeCount.get(i + 1) ?? 0, members }));
        return {
          incident: { id: incident.id, name: incident.name },
          nodes,
          edges: edges.map((e) => ({ id: e.id, source: e.s_code, target: e.c_code, date: e.date, type: e.type as ChainGraph['edges'][number]['type'], certainty: e.certainty as ChainGraph['edges'][number]['certainty'], close: e.close })),
          clusters,
          totals: { nodes: nodes.length, edges: edges.length, clusters: clusters.length, largest: clusters[0]?.size ?? 0 },
        };
      });
    },
  };
}
export type ExposureService = ReturnType<typeof exposureService>;
