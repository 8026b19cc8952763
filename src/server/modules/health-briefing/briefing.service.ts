import { addDays, shanghaiDay } from '../../../domain/notices/week';
import type { Actor, Db, Deps, Tx } from '../../context';
import { businessRule, notFound } from '../../errors';
import { scopeOf } from '../access-live/access-scope';
import { activeIncident, incidentById, type Incident } from '../health-incidents/incident';
import { briefingWorkbook } from './briefing.export';
import { computeBriefing, computeBriefingRange } from './briefing.figures';
import type { Briefing, BriefingFigures, BriefingHistory, DailyQuery, HistoryQuery, StoredBriefing } from './briefing.schemas';

/** A briefing as health_briefings keeps it: the figures and when they were generated. */
export type StoredFigures = BriefingFigures & { generatedAt: string };

const minDay = (a: string, b: string) => (a < b ? a : b);
const maxDay = (a: string, b: string) => (a > b ? a : b);

/**
 * Computes the briefings of the days from `from` through `to` and stores them (insert or replace),
 * oldest first: the aggregates outlive the purge of the incident's personal data. The days are
 * computed together (computeBriefingRange reads each table once) and written in one statement.
 * `at` is when a day's briefing was generated: one instant, or one per day.
 */
export async function storeBriefingRange(trx: Tx | Db, incident: Incident, from: string, to: string, at: Date | ((date: string) => Date) = new Date()): Promise<StoredFigures[]> {
  const generatedAt = typeof at === 'function' ? at : () => at;
  const stored = (await computeBriefingRange(trx, incident, from, to)).map((f) => ({ figures: { ...f, generatedAt: generatedAt(f.date).toISOString() }, at: generatedAt(f.date) }));
  if (stored.length === 0) return [];
  await trx
    .insertInto('health_briefings')
    .values(stored.map((s) => ({ incident_id: incident.id, date: s.figures.date, figures: JSON.stringify(s.figures), generated_at: s.at })))
    .onConflict((oc) => oc.columns(['incident_id', 'date']).doUpdateSet((eb) => ({ figures: eb.ref('excluded.figures'), generated_at: eb.ref('excluded.generated_at') })))
    .execute();
  return stored.map((s) => s.figures);
}

/** Computes one day's briefing and stores it (insert or replace); `at` is when it was generated. */
export async function storeBriefing(trx: Tx | Db, incident: Incident, date: string, at: Date = new Date()): Promise<StoredFigures> {
  const [figures] = await storeBriefingRange(trx, incident, date, date, at);
  return figures!;
}

/**
 * Stores every day's briefing of an incident, from its start through the day it closed (or
 * yesterday while it is active): the purge's beforePurge hook, so the figures survive it.
 */
export async function storeIncidentBriefings(trx: Tx | Db, deps: Pick<Deps, 'clock'>, incident: Incident): Promise<{ stored: number; from: string; to: string }> {
  const now = deps.clock.now();
  const today = shanghaiDay(now);
  const to = incident.closedAt ? minDay(shanghaiDay(incident.closedAt), today) : addDays(today, -1);
  const stored = await storeBriefingRange(trx, incident, incident.startDate, to, now);
  return { stored: stored.length, from: incident.startDate, to };
}

/** The incident asked for, else the active one, else the one closed last. */
async function resolveIncident(trx: Db | Tx, id: string | undefined): Promise<Incident> {
  if (id !== undefined) return incidentById(trx, id);
  const active = await activeIncident(trx);
  if (active) return active;
  const last = await trx.selectFrom('health_incidents').select('id').where('status', '<>', 'active').orderBy('closed_at', 'desc').orderBy('start_date', 'desc').executeTakeFirst();
  if (!last) throw notFound('INCIDENT_NOT_FOUND', 'There is no incident yet');
  return incidentById(trx, last.id);
}

/**
 * The day asked for, or by default yesterday (Asia/Shanghai) within the incident's days: not before
 * its start, not after the day it closed. A day before the start or after today is refused.
 */
function resolveDate(incident: Incident, asked: string | undefined, now: Date): string {
  const today = shanghaiDay(now);
  if (asked === undefined) {
    const last = incident.closedAt ? minDay(shanghaiDay(incident.closedAt), today) : today;
    return maxDay(incident.startDate, minDay(addDays(today, -1), last));
  }
  if (asked < incident.startDate || asked > today) {
    throw businessRule('BRIEFING_DATE', `A briefing covers a day from the incident's start (${incident.startDate}) through today (${today})`, { from: incident.startDate, to: today });
  }
  return asked;
}

const incidentOf = (i: Incident): Briefing['incident'] => ({ id: i.id, name: i.name, startDate: i.startDate, status: i.status });

/** Keeps the sites and units the caller's data scope reaches; the headline figures stay whole. */
async function restrictToScope(trx: Db | Tx, actor: Actor, b: Briefing): Promise<Briefing> {
  const scope = await scopeOf(trx, actor);
  if (scope === null) return b;
  const units = await trx.selectFrom('units').select(['id', 'code']).execute();
  const codes = new Set(units.filter((u) => scope.has(u.id)).map((u) => u.code));
  return { ...b, bySite: b.bySite.filter((s) => s.unit !== null && codes.has(s.unit)), byUnit: b.byUnit.filter((u) => codes.has(u.unit)) };
}

function headlineOf(f: StoredFigures): StoredBriefing {
  return {
    date: f.date,
    generatedAt: f.generatedAt,
    declarationsDue: f.declarationsDue,
    declarationsDone: f.declarationsDone,
    fevers: f.fevers,
    abnormalOpened: f.abnormalOpened,
    abnormalOpen: f.abnormalOpen,
    abnormalClosed: f.abnormalClosed,
    inQuarantine: f.inQuarantine,
    contactsUnderFollowUp: f.contactsUnderFollowUp,
    followUpsDue: f.followUpsDue,
    followUpsDone: f.followUpsDone,
    transfers: f.transfers,
    gate: f.gate,
  };
}

/**
 * The daily briefing (碰头会日报) for the leadership group: computed on demand while the incident's
 * data is there, read from health_briefings once it was purged. Aggregates only.
 */
export function briefingService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function daily(trx: Db | Tx, actor: Actor, q: DailyQuery): Promise<Briefing> {
    const incident = await resolveIncident(trx, q.incident);
    const now = clock.now();
    const date = resolveDate(incident, q.date, now);
    let b: Briefing;
    if (incident.status === 'purged') {
      const row = await trx.selectFrom('health_briefings').select('figures').where('incident_id', '=', incident.id).where('date', '=', date).executeTakeFirst();
      if (!row) throw notFound('BRIEFING_NOT_STORED', `No briefing of ${date} was kept for this purged incident`);
      b = { ...(row.figures as StoredFigures), incident: incidentOf(incident), stored: true };
    } else {
      b = { ...(await computeBriefing(trx, incident, date)), incident: incidentOf(incident), generatedAt: now.toISOString(), stored: false };
    }
    return restrictToScope(trx, actor, b);
  }

  return {
    daily(actor: Actor, q: DailyQuery): Promise<Briefing> {
      return db.transaction().execute((trx) => daily(trx, actor, q));
    },

    async workbook(actor: Actor, q: DailyQuery): Promise<{ fileName: string; body: Buffer }> {
      const b = await db.transaction().execute((trx) => daily(trx, actor, q));
      return { fileName: `pacesetter-briefing-${b.date}.xlsx`, body: await briefingWorkbook(b) };
    },

    /** The stored briefings of an incident, oldest first (headline figures, for a history chart). */
    async history(_actor: Actor, q: HistoryQuery): Promise<BriefingHistory> {
      return db.transaction().execute(async (trx) => {
        const incident = await resolveIncident(trx, q.incident);
        const rows = await trx.selectFrom('health_briefings').select('figures').where('incident_id', '=', incident.id).orderBy('date').execute();
        return { incident: incidentOf(incident), rows: rows.map((r) => headlineOf(r.figures as StoredFigures)) };
      });
    },
  };
}
export type BriefingService = ReturnType<typeof briefingService>;
