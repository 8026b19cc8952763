import { systemContext } from '../context';
import { runEnergyFeeds } from '../modules/energy/feeds.service';
import { scanWarnings } from '../modules/warnings/warnings.service';
import type { Job } from './jobs';

/**
 * Writes the monthly totals of the energy feeds (meter → quantity indicator) as measurements with
 * source 'meter', for the current month and the three before it; a new batch of readings runs the
 * same write for the months it touched. Typed or imported values are reported as clashes and left.
 * When something was written, the warnings scan runs. Idempotent.
 */
export const energyFeedJob: Job = {
  name: 'energy-feed',
  description: 'Writes meter totals into benchmarking (source meter) for complete months without suspect days',
  schedule: '0 6 * * *',
  async run(deps, at) {
    const r = await runEnergyFeeds(deps, at, { ctx: systemContext('job energy-feed') });
    if (r.written + r.updated > 0) await scanWarnings(deps, at, { ctx: systemContext('warnings-scan after energy-feed'), reason: 'energy-feed' });
    return { feeds: r.feeds, written: r.written, updated: r.updated, unchanged: r.unchanged, clashes: r.clashes, pending: r.pending.length };
  },
};
