/**
 * An axis range around [low, high] that ends on multiples of a 1-2-5 step, with `room` (a share of
 * the span) added on both sides: for labels beyond the data, or reference lines near the edge.
 * `splits`: about how many steps the axis shows; `step` is the one to give the axis as its interval.
 */
export function niceRange(low: number, high: number, room = 0.05, splits = 5): [min: number, max: number, step: number] {
  const span = high - low || Math.abs(high) * 0.1 || 1;
  const rough = span / splits;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  return [Math.floor((low - span * room) / step) * step, Math.ceil((high + span * room) / step) * step, step];
}
