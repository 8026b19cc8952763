/**
 * Consumption per tonne (单耗) for any scope — a meter, a unit, a plant, the group; a day, a month,
 * a year: Σ consumption ÷ Σ production over the same days. Always a ratio of sums, never a mean of
 * daily ratios: a day of little production would otherwise weigh as much as a full day, and the
 * group's figure would not be the one its units add up to.
 *
 * Units: consumption in the carrier's unit (kWh, m³, GJ…), production in tonnes, the result in
 * consumption units per tonne. Nothing is rounded.
 */

/** One day's consumption and production of a scope. */
export interface DayVolume {
  consumption: number;
  production: number;
}

/** The sums behind a per-tonne figure, so that scopes can be pooled exactly. */
export interface PerTonne {
  /** Σ consumption ÷ Σ production; null when Σ production is 0. */
  value: number | null;
  consumption: number;
  production: number;
  days: number;
}

function ratio(consumption: number, production: number, days: number): PerTonne {
  return { value: production === 0 ? null : consumption / production, consumption, production, days };
}

/** Σ consumption ÷ Σ production over the given days (null when nothing was produced). */
export function perTonne(days: readonly DayVolume[]): PerTonne {
  let c = 0;
  let p = 0;
  for (const d of days) {
    if (!Number.isFinite(d.consumption) || !Number.isFinite(d.production) || d.production < 0) throw new RangeError(`a day needs finite consumption and finite production ≥ 0, got ${d.consumption}, ${d.production}`);
    c += d.consumption;
    p += d.production;
  }
  return ratio(c, p, days.length);
}

/** The per-tonne figure of a larger scope from its parts' sums (e.g. the plant from its units). */
export function poolPerTonne(parts: readonly PerTonne[]): PerTonne {
  return ratio(
    parts.reduce((s, x) => s + x.consumption, 0),
    parts.reduce((s, x) => s + x.production, 0),
    parts.reduce((s, x) => s + x.days, 0),
  );
}

/**
 * Pairs consumption and production by day key ('YYYY-MM-DD'), keeping only the days that have
 * both (the "same days" of the ratio) and listing the days that lack one side.
 */
export function matchDays(consumption: ReadonlyMap<string, number>, production: ReadonlyMap<string, number>): { days: (DayVolume & { day: string })[]; withoutProduction: string[]; withoutConsumption: string[] } {
  const days: (DayVolume & { day: string })[] = [];
  const withoutProduction: string[] = [];
  for (const [day, c] of consumption) {
    const p = production.get(day);
    if (p === undefined) withoutProduction.push(day);
    else days.push({ day, consumption: c, production: p });
  }
  const withoutConsumption = [...production.keys()].filter((d) => !consumption.has(d));
  const byDay = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { days: days.sort((a, b) => byDay(a.day, b.day)), withoutProduction: withoutProduction.sort(byDay), withoutConsumption: withoutConsumption.sort(byDay) };
}
