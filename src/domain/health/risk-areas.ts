/**
 * Matching travel histories against risk areas (issue 7, item 3). An area names a region at any
 * depth of the administrative hierarchy (湖北省, 湖北省武汉市); a stay names the place as precisely
 * as the person gave it (湖北省武汉市江汉区), so an area matches every stay whose region starts with
 * the area's. Days are calendar days 'YYYY-MM-DD'; today and the look-back are parameters.
 */
import { addDays, daysBetween } from '../notices/week';
import type { HealthFacts, RiskArea, TravelStay } from './types';

export type RiskLevel = RiskArea['level'];

export interface RiskMatch {
  stay: TravelStay;
  area: RiskArea;
  /** Days from the last day of the stay (today at the latest) to today, ≥ 0. */
  daysAgo: number;
}

const levelRank: Record<RiskLevel, number> = { high: 0, medium: 1, low: 2 };

/** A region name as compared: without any spaces (full-width ones too), which people type inconsistently. */
export function normalizeRegion(region: string): string {
  return region.replace(/[\s\u3000]+/g, '');
}

/** Whether an area's region covers a stay's region (the stay's region starts with the area's). */
export function regionCovers(areaRegion: string, stayRegion: string): boolean {
  const area = normalizeRegion(areaRegion);
  // An empty area region would cover the whole country: treat it as covering nothing.
  return area !== '' && normalizeRegion(stayRegion).startsWith(area);
}

/**
 * The stays of a travel history that were in a risk area while it was one, within the look-back
 * (the stay ended at most `lookbackDays` days before today), most severe level first, then the most
 * recent. Only the part of a stay up to today counts: a planned trip is not yet a risk.
 */
export function matchRiskAreas(stays: TravelStay[], areas: RiskArea[], today: string, lookbackDays: number): RiskMatch[] {
  if (!Number.isInteger(lookbackDays) || lookbackDays < 0) throw new RangeError(`lookbackDays must be a whole number ≥ 0, got ${lookbackDays}`);
  const earliest = addDays(today, -lookbackDays);
  const matches: RiskMatch[] = [];
  for (const stay of stays) {
    if (daysBetween(stay.fromDate, stay.toDate) < 0) throw new RangeError(`a stay in ${stay.region} ends (${stay.toDate}) before it starts (${stay.fromDate})`);
    if (daysBetween(stay.fromDate, today) < 0) continue;
    if (daysBetween(earliest, stay.toDate) < 0) continue;
    // The stay as far as it has happened.
    const lastDay = daysBetween(stay.toDate, today) < 0 ? today : stay.toDate;
    for (const area of areas) {
      if (!regionCovers(area.region, stay.region)) continue;
      const startsInTime = daysBetween(area.validFrom, lastDay) >= 0;
      const endsInTime = area.validTo === null || daysBetween(stay.fromDate, area.validTo) >= 0;
      if (startsInTime && endsInTime) matches.push({ stay, area, daysAgo: daysBetween(lastDay, today) });
    }
  }
  return matches.sort((a, b) => levelRank[a.area.level] - levelRank[b.area.level] || a.daysAgo - b.daysAgo);
}

/** The travel facts of the most severe match (the most recent among equals); nulls when nothing matched. */
export function riskFacts(matches: RiskMatch[]): Pick<HealthFacts, 'riskTravelDaysAgo' | 'riskTravelLevel'> {
  let best: RiskMatch | null = null;
  for (const m of matches) {
    if (!best || levelRank[m.area.level] - levelRank[best.area.level] < 0 || (m.area.level === best.area.level && m.daysAgo < best.daysAgo)) best = m;
  }
  return best ? { riskTravelDaysAgo: best.daysAgo, riskTravelLevel: best.area.level } : { riskTravelDaysAgo: null, riskTravelLevel: null };
}
