import { systemContext } from '../context';
import { runSupervisionLights } from '../modules/supervision/supervision.service';
import type { Job } from './jobs';

/**
 * The supervision sheet's lights (督办亮灯), hourly: yellow from yellowDays before the due date, red
 * when overdue; announcements, daily reminders and the escalation to the unit leaders. Idempotent:
 * notifications carry dedupe keys, the escalation happens once.
 */
export const supervisionLightsJob: Job = {
  name: 'supervision-lights',
  description: 'Recomputes the supervision lights; reminds owners and supervisors; escalates red items to the unit leaders',
  schedule: '10 * * * *',
  async run(deps, at) {
    const { at: _at, ...counts } = await runSupervisionLights(deps, at, systemContext('job supervision-lights'));
    return counts;
  },
};
