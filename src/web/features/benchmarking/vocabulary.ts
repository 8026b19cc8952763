import type { Indicator } from '../../../server/modules/indicators/indicators.schemas';

export type Category = Indicator['category'];
export type Direction = Indicator['direction'];
export type Aggregation = Indicator['aggregation'];
export type Frequency = Indicator['frequency'];

// Every value the API knows, in display order; a Record so that the type checker finds a missing one
// (the lists themselves live in the server's schemas, which the browser does not load).
const categoryOrder: Record<Category, number> = {
  production: 0,
  quality: 1,
  cost: 2,
  energy: 3,
  safety: 4,
  environment: 5,
  people: 6,
  finance: 7,
  market: 8,
  service: 9,
};
const directionOrder: Record<Direction, number> = { higher: 0, lower: 1, band: 2 };
const aggregationOrder: Record<Aggregation, number> = { sum: 0, avg: 1, last: 2, formula: 3 };
const frequencyOrder: Record<Frequency, number> = { month: 0, quarter: 1, year: 2 };
const stageOrder = { selected: 0, comparing: 1, attained: 2, chasing: 3 } as const;
export type Stage = keyof typeof stageOrder;

function ordered<K extends string>(order: Record<K, number>): K[] {
  return (Object.keys(order) as K[]).sort((a, b) => order[a] - order[b]);
}

export const categoryList = ordered(categoryOrder);
export const directionList = ordered(directionOrder);
export const aggregationList = ordered(aggregationOrder);
export const frequencyList = ordered(frequencyOrder);

/** For strings the API sends untyped (the scorecard's category, a benchmark's stage). */
export const isCategory = (value: string): value is Category => Object.hasOwn(categoryOrder, value);
export const isStage = (value: string | null): value is Stage => value !== null && Object.hasOwn(stageOrder, value);
