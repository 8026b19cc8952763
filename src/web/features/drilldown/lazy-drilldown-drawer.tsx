import { onDemand } from '../../app/on-demand';

/** The drill-down drawer, whose code (month and window details, history) loads when a cell first opens it. */
export const DrilldownDrawer = onDemand(
  async () => (await import(/* on demand */ './drilldown-drawer')).DrilldownDrawer,
  (props) => props.target !== null,
);
