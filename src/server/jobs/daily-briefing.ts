import { addDays, shanghaiDay } from '../../domain/notices/week';
import type { Tx } from '../context';
import { systemContext } from '../context';
import { audit } from '../modules/audit/audit.service';
import { storeBriefing } from '../modules/health-briefing/briefing.service';
import { activeIncident } from '../modules/health-incidents/incident';
import { notify } from '../modules/notifications/notify';
import type { Job } from './jobs';

/** Active users holding health.read through one of their roles. */
async function healthReaders(trx: Tx): Promise<string[]> {
  const rows = await trx
    .selectFrom('users as u')
    .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
    .innerJoin('roles as r', 'r.code', 'ur.role_code')
    .select('u.id')
    .distinct()
    .where('u.status', '=', 'active')
    .where((eb) => eb(eb.val('health.read'), '=', eb.fn.any('r.permissions')))
    .orderBy('u.id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The daily briefing (碰头会日报), every morning at 07:00 Asia/Shanghai: stores yesterday's
 * briefing of the active incident (replacing an earlier copy, so a re-run is harmless) and tells
 * every health reader it is there, once per day and reader (the notification's dedupe key).
 */
export const dailyBriefingJob: Job = {
  name: 'daily-briefing',
  description: "Stores yesterday's daily briefing (碰头会日报) of the active incident and notifies the health readers",
  schedule: '0 7 * * *',
  async run(deps, at) {
    return deps.database.db.transaction().execute(async (trx) => {
      const incident = await activeIncident(trx);
      if (!incident) return { stored: false, reason: 'no active incident' };
      const date = addDays(shanghaiDay(at), -1);
      if (date < incident.startDate) return { stored: false, reason: 'the incident started today', date };
      const figures = await storeBriefing(trx, incident, date, at);
      let notified = 0;
      for (const userId of await healthReaders(trx)) {
        const sent = await notify(trx, {
          userId,
          kind: 'health.briefing',
          title: `碰头会日报 ${date}`,
          body: `应报 ${figures.declarationsDue}，已报 ${figures.declarationsDone}，发热 ${figures.fevers}，新增异常 ${figures.abnormalOpened}，隔离 ${figures.inQuarantine}`,
          link: `/health/briefing?date=${date}`,
          refId: incident.id,
          dedupeKey: `health.briefing:${incident.id}:${date}:${userId}`,
          at,
        });
        if (sent) notified++;
      }
      await audit(trx, { clock: { now: () => at } }, systemContext('job daily-briefing'), {
        action: 'health.briefing.store',
        objectType: 'health_incident',
        objectId: incident.id,
        details: { date, notified },
      });
      return { stored: true, incident: incident.id, date, notified };
    });
  },
};
