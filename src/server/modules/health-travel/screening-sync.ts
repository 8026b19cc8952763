/**
 * Keeping a person's returning-staff screening (返岗审核) in step with their itinerary: submitted
 * stays land on a pending screening for the day they came back (the latest end of a stay within
 * the look-back), made when there is none; a deleted stay leaves the pending screenings it was on.
 */
import { addDays } from '../../../domain/notices/week';
import type { Deps, RequestContext, Tx } from '../../context';
import type { ScreeningItem } from '../../db/schema';
import { conflict } from '../../errors';
import { audit } from '../audit/audit.service';
import type { Incident } from '../health-incidents/incident';
import { lookbackOf } from './risk-match';

/** The person's stays in the incident that ended within the look-back (or end later), oldest first. */
export function lookbackStays(trx: Tx, incident: Pick<Incident, 'id' | 'travelLookbackDays'>, personId: string, today: string) {
  return trx
    .selectFrom('travel_records')
    .select(['id', 'to_date'])
    .where('incident_id', '=', incident.id)
    .where('person_id', '=', personId)
    .where('to_date', '>=', addDays(today, -lookbackOf(incident)))
    .orderBy('from_date')
    .orderBy('id')
    .execute();
}

const asItem = (travelRecordId: string): ScreeningItem => ({ travelRecordId, checked: false, note: null });

/**
 * The pending screening of the person for the latest return day, with every stay of the look-back
 * on it: an existing pending one gets the missing stays (and moves to the later return day), else
 * one is made. 409 SCREENING_DECIDED when the screening for that day was already decided.
 */
export async function ensurePendingScreening(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext, incident: Incident, personId: string, today: string): Promise<string> {
  const now = deps.clock.now();
  const stays = await lookbackStays(trx, incident, personId, today);
  if (stays.length === 0) throw new Error('ensurePendingScreening: no stay in the look-back');
  const latest = stays.reduce((d, s) => (s.to_date > d ? s.to_date : d), stays[0]!.to_date);
  const screenings = await trx
    .selectFrom('return_screenings')
    .select(['id', 'return_date', 'status', 'items', 'version'])
    .where('incident_id', '=', incident.id)
    .where('person_id', '=', personId)
    .orderBy('return_date', 'desc')
    .execute();
  const sameDay = screenings.find((s) => s.return_date === latest);
  if (sameDay && sameDay.status !== 'pending') {
    throw conflict('SCREENING_DECIDED', `The screening for the return on ${latest} was already decided; a reviewer can start a new one for another day`, { screeningId: sameDay.id });
  }
  const target = sameDay ?? screenings.find((s) => s.status === 'pending');
  if (target) {
    const items = [...target.items];
    const known = new Set(items.map((i) => i.travelRecordId));
    const added = stays.filter((s) => !known.has(s.id)).map((s) => asItem(s.id));
    const returnDate = latest > target.return_date ? latest : target.return_date;
    if (added.length === 0 && returnDate === target.return_date) return target.id;
    await trx
      .updateTable('return_screenings')
      .set({ items: JSON.stringify([...items, ...added]), return_date: returnDate, updated_at: now, version: target.version + 1 })
      .where('id', '=', target.id)
      .execute();
    await audit(trx, deps, ctx, { action: 'health.screening.update', objectType: 'return_screening', objectId: target.id, details: { added: added.length, returnDate } });
    return target.id;
  }
  const row = await trx
    .insertInto('return_screenings')
    .values({ incident_id: incident.id, person_id: personId, return_date: latest, items: JSON.stringify(stays.map((s) => asItem(s.id))), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(trx, deps, ctx, { action: 'health.screening.create', objectType: 'return_screening', objectId: row.id, details: { source: 'travel', items: stays.length, returnDate: latest } });
  return row.id;
}

/**
 * Takes a stay off the person's pending screenings before it is deleted; 409 SCREENING_DECIDED
 * when a decided screening lists it (the decision rests on it).
 */
export async function dropFromScreenings(trx: Tx, deps: Pick<Deps, 'clock'>, personId: string, travelRecordId: string): Promise<string[]> {
  const screenings = await trx.selectFrom('return_screenings').select(['id', 'status', 'items', 'version']).where('person_id', '=', personId).execute();
  const listing = screenings.filter((s) => s.items.some((i) => i.travelRecordId === travelRecordId));
  const decided = listing.find((s) => s.status !== 'pending');
  if (decided) throw conflict('SCREENING_DECIDED', 'This stay is part of a decided screening and can no longer be deleted', { screeningId: decided.id });
  for (const s of listing) {
    await trx
      .updateTable('return_screenings')
      .set({ items: JSON.stringify(s.items.filter((i) => i.travelRecordId !== travelRecordId)), updated_at: deps.clock.now(), version: s.version + 1 })
      .where('id', '=', s.id)
      .execute();
  }
  return listing.map((s) => s.id);
}
