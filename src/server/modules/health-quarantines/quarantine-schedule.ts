/**
 * Starting a quarantine (隔离观察) and keeping its follow-up schedule: every day from the day after
 * the last exposure through day N (the incident's follow_up_days), K checks a day. A later exposure
 * moves the window: done checks stay, undone ones outside the new window are cancelled, missing ones
 * are added (src/domain/health/follow-up.ts). Shared by exposures, screening and manual starts.
 */
import { followUpSlots, followUpWindow, rescheduleSlots, type FollowUpWindow } from '../../../domain/health/follow-up';
import { addDays, shanghaiDay } from '../../../domain/notices/week';
import type { Deps, RequestContext, Tx } from '../../context';
import { audit } from '../audit/audit.service';
import type { Incident } from '../health-incidents/incident';

export interface StartQuarantine {
  incident: Incident;
  personId: string;
  /** The last exposure; null = start today (or startDate) without one. */
  lastExposure: string | null;
  place?: 'home' | 'facility';
  facility?: string | null;
  startDate?: string;
}

/** The window of a quarantine: after the last exposure, or from its start day. */
export function quarantineWindow(incident: Pick<Incident, 'followUpDays'>, lastExposure: string | null, startDate: string): FollowUpWindow {
  return lastExposure !== null ? followUpWindow(lastExposure, { days: incident.followUpDays, perDay: 1 }) : { start: startDate, end: addDays(startDate, incident.followUpDays - 1) };
}

/**
 * The person's active quarantine, created or moved to a later last exposure. Returns its id, and
 * whether it was created or its window moved.
 */
export async function ensureQuarantine(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext, q: StartQuarantine): Promise<{ id: string; created: boolean; moved: boolean }> {
  const now = deps.clock.now();
  const today = shanghaiDay(now);
  const active = await trx.selectFrom('quarantines').selectAll().where('person_id', '=', q.personId).where('status', '=', 'active').executeTakeFirst();
  if (active) {
    if (q.lastExposure === null || (active.last_exposure !== null && q.lastExposure <= active.last_exposure)) return { id: active.id, created: false, moved: false };
    const window = quarantineWindow(q.incident, q.lastExposure, active.start_date);
    const existing = await trx.selectFrom('quarantine_follow_ups').select(['date', 'slot', 'done_at']).where('quarantine_id', '=', active.id).where('cancelled', '=', false).execute();
    const plan = rescheduleSlots(existing.map((s) => ({ date: s.date, slot: s.slot, done: s.done_at !== null })), window, active.per_day);
    for (const s of plan.cancel) await trx.updateTable('quarantine_follow_ups').set({ cancelled: true }).where('quarantine_id', '=', active.id).where('date', '=', s.date).where('slot', '=', s.slot).execute();
    if (plan.add.length > 0) {
      await trx
        .insertInto('quarantine_follow_ups')
        .values(plan.add.map((s) => ({ quarantine_id: active.id, date: s.date, slot: s.slot })))
        .onConflict((oc) => oc.columns(['quarantine_id', 'date', 'slot']).doUpdateSet({ cancelled: false }))
        .execute();
    }
    const plannedEnd = window.end > active.planned_end ? window.end : active.planned_end;
    await trx.updateTable('quarantines').set({ last_exposure: q.lastExposure, planned_end: plannedEnd, updated_at: now, version: active.version + 1 }).where('id', '=', active.id).execute();
    await audit(trx, deps, ctx, { action: 'health.quarantine.extend', objectType: 'quarantine', objectId: active.id, details: { lastExposure: q.lastExposure, plannedEnd, added: plan.add.length, cancelled: plan.cancel.length } });
    return { id: active.id, created: false, moved: true };
  }
  const startDate = q.startDate ?? (q.lastExposure !== null ? addDays(q.lastExposure, 1) : today);
  const window = quarantineWindow(q.incident, q.lastExposure, startDate);
  const row = await trx
    .insertInto('quarantines')
    .values({
      incident_id: q.incident.id,
      person_id: q.personId,
      place: q.place ?? 'home',
      facility: q.facility ?? null,
      start_date: startDate < window.start ? startDate : window.start,
      planned_end: window.end,
      last_exposure: q.lastExposure,
      per_day: q.incident.followUpPerDay,
      created_by: ctx.actor?.userId ?? null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const slots = followUpSlots(window, q.incident.followUpPerDay);
  if (slots.length > 0) await trx.insertInto('quarantine_follow_ups').values(slots.map((s) => ({ quarantine_id: row.id, date: s.date, slot: s.slot }))).execute();
  await audit(trx, deps, ctx, { action: 'health.quarantine.start', objectType: 'quarantine', objectId: row.id, details: { place: q.place ?? 'home', start: window.start, plannedEnd: window.end, perDay: q.incident.followUpPerDay } });
  return { id: row.id, created: true, moved: false };
}
