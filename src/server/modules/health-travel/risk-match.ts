/**
 * Risk areas against stays, as the travel and screening views show them, and the status refresh
 * that follows a change of risk areas: everyone with a stay in a changed region in the active
 * incident gets their status recomputed in the same transaction.
 */
import { matchRiskAreas, regionCovers } from '../../../domain/health/risk-areas';
import type { RiskArea, TravelStay } from '../../../domain/health/types';
import type { Db, Deps, Tx } from '../../context';
import { activeIncident, type Incident } from '../health-incidents/incident';
import { refreshHealthStatus } from '../health-status/refresh';
import type { RiskMatchView } from './travel.schemas';

/** The look-back of travel histories when no incident sets one (issue 7: 15 days). */
export const DEFAULT_LOOKBACK_DAYS = 15;

export const lookbackOf = (incident: Pick<Incident, 'travelLookbackDays'> | null): number => incident?.travelLookbackDays ?? DEFAULT_LOOKBACK_DAYS;

/** Every risk area, ended ones too (a stay is matched against the area's validity at the time). */
export async function loadRiskAreas(trx: Db | Tx): Promise<RiskArea[]> {
  const rows = await trx.selectFrom('risk_areas').select(['region', 'level', 'valid_from', 'valid_to']).execute();
  return rows.map((a) => ({ region: a.region, level: a.level as RiskArea['level'], validFrom: a.valid_from, validTo: a.valid_to }));
}

/** The risk areas one stay falls in, most severe first. */
export function riskMatchesOf(stay: TravelStay, areas: RiskArea[], today: string, lookbackDays: number): RiskMatchView[] {
  return matchRiskAreas([stay], areas, today, lookbackDays).map((m) => ({ region: m.area.region, level: m.area.level, daysAgo: m.daysAgo }));
}

/**
 * Recomputes the status of every person of the active incident with a stay in one of the regions
 * (the stay's region starts with it). Returns how many people were refreshed.
 */
export async function refreshTravellersIn(trx: Tx, deps: Pick<Deps, 'clock'>, regions: string[]): Promise<number> {
  const incident = await activeIncident(trx);
  if (!incident || regions.length === 0) return 0;
  const stays = await trx.selectFrom('travel_records').select(['person_id', 'region']).where('incident_id', '=', incident.id).execute();
  const people = new Set(stays.filter((s) => regions.some((r) => regionCovers(r, s.region))).map((s) => s.person_id));
  for (const personId of [...people].sort()) await refreshHealthStatus(trx, deps, personId);
  return people.size;
}
