import { maskName } from '../../../domain/access/mask';
import type { RiskArea } from '../../../domain/health/types';
import { addDays, shanghaiDay } from '../../../domain/notices/week';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { personalDataOf, type PersonalData } from '../../crypto/personal-data';
import { businessRule, notFound } from '../../errors';
import { personInScope, scopeOf } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import { activeIncident, incidentCovers, requireActiveIncident } from '../health-incidents/incident';
import { refreshHealthStatus } from '../health-status/refresh';
import { loadRiskAreas, lookbackOf, riskMatchesOf } from './risk-match';
import { dropFromScreenings, ensurePendingScreening } from './screening-sync';
import { addressField, maskAddress, mayWriteTravel, ownPerson, travellerFor, travellerRows } from './travel-access';
import type { SubmitTravelBody, SubmitTravelResult, Transport, TravelHistory, TravelRecordView } from './travel.schemas';

const recordColumns = ['id', 'region', 'address_enc', 'from_date', 'to_date', 'transport', 'transport_no', 'created_at'] as const;
type RecordRow = { id: string; region: string; address_enc: Buffer | null; from_date: string; to_date: string; transport: string; transport_no: string | null; created_at: Date };

interface ViewContext {
  pd: PersonalData;
  /** The person themself: the address in full. */
  self: boolean;
  areas: RiskArea[];
  today: string;
  lookback: number;
}

function toView(r: RecordRow, v: ViewContext): TravelRecordView {
  const address = r.address_enc === null ? null : v.pd.decryptText(addressField, r.address_enc);
  return {
    id: r.id,
    region: r.region,
    address: address === null ? null : v.self ? address : maskAddress(address),
    fromDate: r.from_date,
    toDate: r.to_date,
    transport: r.transport as Transport,
    transportNo: r.transport_no,
    riskMatches: riskMatchesOf({ region: r.region, fromDate: r.from_date, toDate: r.to_date }, v.areas, v.today, v.lookback),
    createdAt: r.created_at.toISOString(),
  };
}

/** Why a stay cannot be taken, or null: the order of the dates, the future, the look-back. */
function stayProblem(s: { fromDate: string; toDate: string }, today: string, lookback: number): { code: string; message: string } | null {
  if (s.toDate < s.fromDate) return { code: 'STAY_DATES_REVERSED', message: 'toDate is before fromDate' };
  if (s.fromDate > today) return { code: 'STAY_IN_FUTURE', message: 'the stay starts in the future' };
  if (s.toDate < addDays(today, -lookback)) return { code: 'STAY_OUTSIDE_LOOKBACK', message: `the stay ended more than ${lookback} days ago` };
  return null;
}

/**
 * Travel histories (旅居史, issue 7 item 3): stays with region, dates and transport, the detailed
 * address encrypted. Submitting stays puts them on the person's pending returning-staff screening
 * and recomputes their status; every stay is shown with the risk areas it falls in.
 */
export function travelService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;
  const pd = personalDataOf(deps.config);

  async function history(trx: Db | Tx, personId: string, self: boolean): Promise<TravelRecordView[]> {
    const [rows, areas, incident] = await Promise.all([
      trx.selectFrom('travel_records').select(recordColumns).where('person_id', '=', personId).orderBy('from_date', 'desc').orderBy('created_at', 'desc').limit(1000).execute(),
      loadRiskAreas(trx),
      activeIncident(trx),
    ]);
    const v: ViewContext = { pd, self, areas, today: shanghaiDay(clock.now()), lookback: lookbackOf(incident) };
    return rows.map((r) => toView(r, v));
  }

  return {
    async submit(ctx: RequestContext, actor: Actor, body: SubmitTravelBody): Promise<SubmitTravelResult> {
      return db.transaction().execute(async (trx) => {
        const person = await travellerFor(trx, actor, body.person);
        const incident = await requireActiveIncident(trx);
        if (!(await incidentCovers(trx, incident.id, person.id))) throw businessRule('PERSON_NOT_COVERED', 'The active incident does not cover this person');
        const now = clock.now();
        const today = shanghaiDay(now);
        const lookback = lookbackOf(incident);
        body.stays.forEach((s, index) => {
          const problem = stayProblem(s, today, lookback);
          if (problem) throw businessRule(problem.code, `stays[${index}]: ${problem.message}`, { index });
        });
        const inserted = await trx
          .insertInto('travel_records')
          .values(
            body.stays.map((s) => ({
              incident_id: incident.id,
              person_id: person.id,
              region: s.region,
              address_enc: s.address === undefined ? null : pd.encrypt(addressField, s.address),
              from_date: s.fromDate,
              to_date: s.toDate,
              transport: s.transport,
              transport_no: s.transportNo ?? null,
              created_by: actor.userId,
              created_at: now,
              updated_at: now,
            })),
          )
          .returning(recordColumns)
          .execute();
        const screeningId = await ensurePendingScreening(trx, deps, ctx, incident, person.id, today);
        await refreshHealthStatus(trx, deps, person.id);
        // Counts only: regions and addresses are personal.
        await audit(trx, deps, ctx, {
          action: 'health.travel.add',
          objectType: 'person',
          objectId: person.id,
          details: { person: person.code, stays: inserted.length, withAddress: body.stays.filter((s) => s.address !== undefined).length, screeningId, onBehalf: !person.self },
        });
        const v: ViewContext = { pd, self: person.self, areas: await loadRiskAreas(trx), today, lookback };
        return { rows: inserted.map((r) => toView(r, v)), screeningId };
      });
    },

    async ofPerson(actor: Actor, code: string): Promise<TravelHistory> {
      return db.transaction().execute(async (trx) => {
        const person = await personInScope(trx, await scopeOf(trx, actor), code);
        const self = person.user_id === actor.userId;
        const incident = await activeIncident(trx);
        return { person: { code: person.code, name: self ? person.name : maskName(person.name) }, lookbackDays: lookbackOf(incident), rows: await history(trx, person.id, self) };
      });
    },

    async mine(actor: Actor): Promise<TravelHistory> {
      return db.transaction().execute(async (trx) => {
        const person = await ownPerson(trx, actor);
        const incident = await activeIncident(trx);
        if (!person) return { person: null, lookbackDays: lookbackOf(incident), rows: [] };
        return { person: { code: person.code, name: person.name }, lookbackDays: lookbackOf(incident), rows: await history(trx, person.id, true) };
      });
    },

    async remove(ctx: RequestContext, actor: Actor, id: string): Promise<{ id: string }> {
      return db.transaction().execute(async (trx) => {
        const record = await trx.selectFrom('travel_records').select(['id', 'person_id']).where('id', '=', id).executeTakeFirst();
        const person = record ? await travellerRows(trx).where('p.id', '=', record.person_id).executeTakeFirst() : undefined;
        if (!record || !person || !(await mayWriteTravel(trx, actor, person)).allowed) throw notFound('TRAVEL_NOT_FOUND', 'No such stay');
        const screenings = await dropFromScreenings(trx, deps, person.id, id);
        await trx.deleteFrom('travel_records').where('id', '=', id).execute();
        await refreshHealthStatus(trx, deps, person.id);
        await audit(trx, deps, ctx, { action: 'health.travel.delete', objectType: 'travel_record', objectId: id, details: { person: person.code, screenings: screenings.length } });
        return { id };
      });
    },
  };
}
export type TravelService = ReturnType<typeof travelService>;
