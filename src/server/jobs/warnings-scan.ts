import { systemContext } from '../context';
import { scanWarnings } from '../modules/warnings/warnings.service';
import type { Job } from './jobs';

/**
 * Evaluates the warning rules (预警) every hour; approvals and imports of measurements run the
 * same scan as soon as they commit. Idempotent: the same data and clock change nothing.
 */
export const warningsScanJob: Job = {
  name: 'warnings-scan',
  description: 'Evaluates the warning rules: status lights, benchmark gaps, control charts, data quality',
  schedule: '5 * * * *',
  async run(deps, at) {
    const { at: _at, ...counts } = await scanWarnings(deps, at, { ctx: systemContext('job warnings-scan'), reason: 'job' });
    return counts;
  },
};
