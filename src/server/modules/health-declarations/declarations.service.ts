import { sql } from 'kysely';
import { maskName } from '../../../domain/access/mask';
import { DEFAULT_FEVER_THRESHOLD_C, evaluateStatus, isFever } from '../../../domain/health/status-rules';
import type { HealthColour } from '../../../domain/health/types';
import { addDays, shanghaiDay } from '../../../domain/notices/week';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { personalDataOf, type PersonalField } from '../../crypto/personal-data';
import { businessRule, notFound } from '../../errors';
import { personByCode, personInScope, personVisible, scopeOf, shanghaiTime, type PersonRow } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import { openAbnormalCase, type CaseReason } from '../health-cases/open-case';
import { activeIncident, incidentCovers, requireActiveIncident, type Incident } from '../health-incidents/incident';
import { healthFacts, refreshHealthStatus, statusRules } from '../health-status/refresh';
import { notify } from '../notifications/notify';
import { declarationPage } from './declarations.repository';
import type { DeclarationBody, DeclarationList, DeclarationListQuery, DeclarationResult, MyDeclarations, PersonTrend, RemindBody, RemindResult } from './declarations.schemas';

// The column is the AAD of the ciphertext (personal-data.ts); the PersonalField union does not list it yet.
const locationField: PersonalField = 'health_declarations.location';
const personNotFound = (code: string) => notFound('PERSON_NOT_FOUND', `No person ${code}`);
const num = (v: string | null): number | null => (v === null ? null : Number(v));

/** The day's declaration cause of an abnormal case, most telling first; null when there is none. */
function caseReason(b: DeclarationBody, thresholdC: number, status: HealthColour): CaseReason | null {
  if (isFever(b.temperatureC, thresholdC)) return 'FEVER';
  if (b.symptoms.length > 0) return 'SYMPTOMS';
  if (b.caseContact) return 'CONTACT';
  if (b.riskAreaContact) return 'RISK_TRAVEL';
  return status === 'red' ? 'HEALTH_RED' : null;
}

/** Whether the actor may declare for a person: themself, a member of their household, or a grid worker whose scope reaches them. */
async function mayDeclare(trx: Tx, actor: Actor, person: PersonRow): Promise<boolean> {
  if (person.user_id === actor.userId) return true;
  if (actor.permissions.has('health.declare') && personVisible(await scopeOf(trx, actor), person)) return true;
  const household = await trx
    .selectFrom('people as me')
    .innerJoin('people as them', 'them.household_id', 'me.household_id')
    .select('them.id')
    .where('me.user_id', '=', actor.userId)
    .where('them.id', '=', person.id)
    .executeTakeFirst();
  return household !== undefined;
}

/** The two dates a declaration may be for: today and yesterday (Asia/Shanghai). */
function checkDate(date: string, today: string): void {
  if (date !== today && date !== addDays(today, -1)) {
    throw businessRule('DECLARATION_DATE', `Declarations are for today (${today}) or yesterday only`, { field: 'date', today });
  }
}

const historyRows = (trx: Db | Tx, personId: string, from: string, to: string) =>
  trx
    .selectFrom('health_declarations')
    .select(['date', 'temperature_c', 'symptoms', 'status', 'on_behalf'])
    .where('person_id', '=', personId)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .execute();

/**
 * The daily declaration (健康卡): filled in by the person, a household member or their grid worker;
 * amended by a second one the same day. Each declaration refreshes the person's status and may open
 * an abnormal case; grid workers see who has not declared and remind them; trends per person.
 */
export function declarationService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;
  const pd = personalDataOf(deps.config);

  return {
    async submit(ctx: RequestContext, actor: Actor, body: DeclarationBody): Promise<{ result: DeclarationResult; created: boolean }> {
      return db.transaction().execute(async (trx) => {
        const person = await personByCode(trx, body.person);
        if (!person || !(await mayDeclare(trx, actor, person))) throw personNotFound(body.person);
        const now = clock.now();
        const today = shanghaiDay(now);
        checkDate(body.date, today);
        const incident = await requireActiveIncident(trx);
        if (!(await incidentCovers(trx, incident.id, person.id))) throw businessRule('PERSON_NOT_COVERED', `The incident ${incident.name} does not cover ${person.code}`);
        const onBehalf = person.user_id !== actor.userId;
        const values = {
          incident_id: incident.id,
          temperature_c: body.temperatureC,
          symptoms: body.symptoms,
          location_enc: body.location === undefined ? null : pd.encrypt(locationField, body.location),
          risk_area_contact: body.riskAreaContact ?? false,
          case_contact: body.caseContact ?? false,
          // Provisional: the status is evaluated below from the facts this row is part of.
          status: 'green',
          declared_by: actor.userId,
          on_behalf: onBehalf,
          updated_at: now,
        };
        const row = await trx
          .insertInto('health_declarations')
          .values({ ...values, person_id: person.id, date: body.date, created_at: now })
          .onConflict((oc) => oc.columns(['person_id', 'date']).doUpdateSet({ ...values, version: sql<number>`health_declarations.version + 1` }))
          .returning(['id', 'version'])
          .executeTakeFirstOrThrow();
        const amended = row.version > 1;

        const refreshed = await refreshHealthStatus(trx, deps, person.id);
        // A late declaration (yesterday's) keeps the status of its own day; today's is the person's status.
        const dayStatus = body.date === today ? refreshed.status : evaluateStatus(await statusRules(trx), await healthFacts(trx, person.id, body.date, incident)).status;
        await trx.updateTable('health_declarations').set({ status: dayStatus }).where('id', '=', row.id).execute();

        const reason = caseReason(body, incident.feverThresholdC, dayStatus);
        const abnormal = reason
          ? await openAbnormalCase(trx, deps, ctx, {
              personId: person.id,
              incidentId: incident.id,
              source: 'declaration',
              reason,
              sourceRef: row.id,
              temperatureC: body.temperatureC,
              siteId: person.site_id,
              at: now,
              note: `declaration of ${body.date}`,
            })
          : null;
        await audit(trx, deps, ctx, {
          action: 'health.declaration.submit',
          objectType: 'health_declaration',
          objectId: row.id,
          // No temperature, symptoms or location: the log says who declared for whom, not what.
          details: { person: person.code, date: body.date, amended, onBehalf },
        });
        return { result: { id: row.id, status: refreshed.status, abnormalCaseId: abnormal?.id ?? null }, created: !amended };
      });
    },

    async mine(actor: Actor): Promise<MyDeclarations> {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const today = shanghaiDay(now);
        const incident = await activeIncident(trx);
        const incidentView = incident ? { name: incident.name, dueTime: incident.declarationDueTime, feverThresholdC: incident.feverThresholdC } : null;
        const me = await trx.selectFrom('people').select(['id', 'code', 'name', 'household_id']).where('user_id', '=', actor.userId).executeTakeFirst();
        if (!me) return { today, person: null, incident: incidentView, covered: false, declaration: null, overdue: false, status: null, history: [], household: [] };

        const covered = incident ? await incidentCovers(trx, incident.id, me.id) : false;
        const [declaration, stored, history, household] = await Promise.all([
          trx.selectFrom('health_declarations').selectAll().where('person_id', '=', me.id).where('date', '=', today).executeTakeFirst(),
          trx.selectFrom('health_statuses').select(['status', 'rule', 'since', 'facts']).where('person_id', '=', me.id).executeTakeFirst(),
          historyRows(trx, me.id, addDays(today, -29), today),
          me.household_id === null
            ? Promise.resolve([])
            : trx
                .selectFrom('people as p')
                .leftJoin('health_declarations as d', (j) => j.onRef('d.person_id', '=', 'p.id').on('d.date', '=', today))
                .select(['p.code', 'p.name', 'd.id as declaration_id'])
                .where('p.household_id', '=', me.household_id)
                .where('p.id', '<>', me.id)
                .where('p.category', '<>', 'visitor')
                .orderBy('p.code')
                .execute(),
        ]);
        const explanation = (stored?.facts as { explanation?: { zh: string; en: string } } | undefined)?.explanation ?? null;
        return {
          today,
          person: { code: me.code, name: maskName(me.name) },
          incident: incidentView,
          covered,
          declaration: declaration
            ? {
                id: declaration.id,
                date: declaration.date,
                temperatureC: num(declaration.temperature_c),
                symptoms: declaration.symptoms,
                // The person's own data, shown back to them to amend.
                location: declaration.location_enc ? pd.decryptText(locationField, declaration.location_enc) : null,
                riskAreaContact: declaration.risk_area_contact,
                caseContact: declaration.case_contact,
                status: declaration.status as HealthColour,
                onBehalf: declaration.on_behalf,
                updatedAt: declaration.updated_at.toISOString(),
                version: declaration.version,
              }
            : null,
          overdue: incident !== null && covered && !declaration && shanghaiTime(now) >= incident.declarationDueTime,
          status: stored ? { status: stored.status as HealthColour, rule: stored.rule, since: stored.since.toISOString(), explanation } : null,
          history: history.map((h) => ({ date: h.date, temperatureC: num(h.temperature_c), symptoms: h.symptoms, status: h.status as HealthColour })),
          household: household.map((h) => ({ code: h.code, name: maskName(h.name), declaredToday: h.declaration_id !== null })),
        };
      });
    },

    async list(actor: Actor, q: DeclarationListQuery): Promise<DeclarationList> {
      return db.transaction().execute(async (trx) => {
        const incident = await requireActiveIncident(trx);
        return declarationPage(trx, await scopeOf(trx, actor), incident, q, shanghaiDay(clock.now()));
      });
    },

    async remind(ctx: RequestContext, actor: Actor, body: RemindBody): Promise<RemindResult> {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        checkDate(body.date, shanghaiDay(now));
        const incident = await requireActiveIncident(trx);
        const scope = await scopeOf(trx, actor);
        const codes = [...new Set(body.people)];
        const people = await trx
          .selectFrom('people as p')
          .leftJoin('sites as s', 's.id', 'p.site_id')
          .leftJoin('health_declarations as d', (j) => j.onRef('d.person_id', '=', 'p.id').on('d.date', '=', body.date))
          .select(['p.id', 'p.code', 'p.user_id', 'p.unit_id', 's.unit_id as site_unit_id', 'd.id as declaration_id'])
          .where('p.code', 'in', codes)
          .execute();
        const byCode = new Map(people.map((p) => [p.code, p]));
        const asked = codes.map((code) => {
          const p = byCode.get(code);
          if (!p || !personVisible(scope, p)) throw personNotFound(code);
          return p;
        });
        const due = asked.filter((p) => p.declaration_id === null);
        for (const p of due) {
          if (!(await incidentCovers(trx, incident.id, p.id))) throw businessRule('PERSON_NOT_COVERED', `The incident ${incident.name} does not cover ${p.code}`, { person: p.code });
        }
        let notified = 0;
        for (const p of due) {
          const reminder = await trx
            .insertInto('health_reminders')
            .values({ incident_id: incident.id, person_id: p.id, date: body.date, sent_by: actor.userId, sent_at: now })
            .returning('id')
            .executeTakeFirstOrThrow();
          if (p.user_id === null) continue;
          const sent = await notify(trx, {
            userId: p.user_id,
            kind: 'health.remind',
            title: `请填报健康卡（${body.date}）`,
            body: `Please fill in your health declaration for ${body.date} (due by ${incident.declarationDueTime}).`,
            link: '/health/card',
            refId: reminder.id,
            dedupeKey: `health.remind:${reminder.id}`,
            at: now,
          });
          if (sent) notified++;
        }
        await audit(trx, deps, ctx, {
          action: 'health.declaration.remind',
          objectType: 'health_reminder',
          details: { date: body.date, people: due.map((p) => p.code), notified, alreadyDeclared: people.length - due.length },
        });
        return { reminded: due.length, notified, alreadyDeclared: people.length - due.length };
      });
    },

    async trend(actor: Actor, code: string, days: number): Promise<PersonTrend> {
      return db.transaction().execute(async (trx) => {
        const person = await personInScope(trx, await scopeOf(trx, actor), code);
        const to = shanghaiDay(clock.now());
        const from = addDays(to, -(days - 1));
        const incident: Incident | null = await activeIncident(trx);
        const rows = await historyRows(trx, person.id, from, to);
        return {
          person: { code: person.code, name: maskName(person.name) },
          from,
          to,
          feverThresholdC: incident?.feverThresholdC ?? DEFAULT_FEVER_THRESHOLD_C,
          rows: rows.map((r) => ({ date: r.date, temperatureC: num(r.temperature_c), symptoms: r.symptoms, status: r.status as HealthColour, onBehalf: r.on_behalf })),
        };
      });
    },
  };
}
export type DeclarationService = ReturnType<typeof declarationService>;
