import { systemContext } from '../context';
import { energyQueue } from '../modules/energy/recompute-queue';
import { scanWarnings } from '../modules/warnings/warnings.service';
import type { Job } from './jobs';

/**
 * Drains the energy recompute queue: the days that uploads queued and no read has settled yet
 * (a server normally drains them itself right after each upload; this catches what a restart or
 * a failure left). When days changed, the warnings scan runs. Idempotent.
 */
export const energyRecomputeJob: Job = {
  name: 'energy-recompute',
  description: 'Recomputes the energy days still queued after uploads, then feeds benchmarking and scans warnings',
  schedule: '* * * * *',
  async run(deps, at) {
    const queue = energyQueue(deps, { afterRecompute: () => scanWarnings(deps, at, { ctx: systemContext('warnings-scan after energy-recompute'), reason: 'energy-recompute' }).then(() => undefined) });
    const r = await queue.settle();
    await queue.close();
    return { days: r.days, measurements: r.measurements };
  },
};
