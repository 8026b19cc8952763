import { previousWeek } from '../../domain/notices/week';
import { jobSchedules } from '../config';
import { systemContext } from '../context';
import { publishWeeklyNotice } from '../modules/notices/notices.service';
import type { Job } from './jobs';

/**
 * Publishes the weekly notice (周通报) of the previous ISO week, every Monday 08:00 Asia/Shanghai
 * unless PACESETTER_WEEKLY_NOTICE_CRON says otherwise. Idempotent: a second run for the same week,
 * or one after POST /api/notices/publish, finds the notice and publishes nothing.
 */
export const weeklyNoticeJob: Job = {
  name: 'weekly-notice',
  description: "Publishes the previous week's notice (周通报): problems, supervision, red lights, warnings, records",
  get schedule() {
    return jobSchedules().weeklyNotice;
  },
  async run(deps, at) {
    const r = await publishWeeklyNotice(deps, at, systemContext('job weekly-notice'), previousWeek(at));
    return { published: r.published, period: r.notice.period, noticeId: r.notice.id };
  },
};
