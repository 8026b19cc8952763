import { jobSchedules } from '../config';
import { systemContext } from '../context';
import { publishDailyDigests } from '../modules/notices/notices.service';
import type { Job } from './jobs';

/**
 * Writes each user's daily digest (每日提醒) every day at 07:30 Asia/Shanghai unless
 * PACESETTER_DAILY_DIGEST_CRON says otherwise. Idempotent per user and day.
 */
export const dailyDigestJob: Job = {
  name: 'daily-digest',
  description: 'Writes each user a daily digest of own measures and items, due dates, red lights and new warnings',
  get schedule() {
    return jobSchedules().dailyDigest;
  },
  async run(deps, at) {
    return { ...(await publishDailyDigests(deps, at, systemContext('job daily-digest'))) };
  },
};
