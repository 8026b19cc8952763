import { useCallback, useState } from 'react';
import type { DrilldownTarget } from './drilldown-model';

export type { DrilldownTarget } from './drilldown-model';

/**
 * The number a page's drill-down drawer explains, if any. The page renders
 * `<DrilldownDrawer target={drilldown.target} onClose={drilldown.close} />` and calls
 * `drilldown.open({ unit, indicator, period, scope })` where a number is clicked.
 */
export function useDrilldown() {
  const [target, setTarget] = useState<DrilldownTarget | null>(null);
  const open = useCallback((next: DrilldownTarget) => setTarget(next), []);
  const close = useCallback(() => setTarget(null), []);
  return { target, open, close };
}
