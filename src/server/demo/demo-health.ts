import { sql } from 'kysely';
import { addDays } from '../../domain/notices/week';
import type { Deps, RequestContext, Tx } from '../context';
import { audit } from '../modules/audit/audit.service';
import { storeBriefingRange } from '../modules/health-briefing/briefing.service';
import { incidentById } from '../modules/health-incidents/incident';
import { refreshHealthStatus } from '../modules/health-status/refresh';
import { findUnitByCode } from '../modules/units/units.repository';
import { findUserByUsername } from '../modules/users/users.repository';
import { demoSites } from './demo-access';
import { replayCaseAndContacts, replayDeclarations, replayQuarantineCare, replayScreening, replayTransfers, hm, shanghaiAt, type RegistryRow, type Replay } from './demo-health-replay';
import { demoHealthStory, demoHealthTimeline, demoIncidentName, type DemoHealthVolume } from './demo-health-story';
import { seedGateTraffic, seedSupport } from './demo-health-support';

/**
 * The replay of January–March 2020 (issue 7, item 10), on the access demo's sites and people: the
 * incident from 24 January; that day a confirmed case in 翠微小区 with 7 close contacts, quarantined
 * and checked twice a day; returning staff screened from 28 January; daily declarations with a few
 * fevers; ambulance transfers reaching 22 trips and 55 person-trips by 16 March; supplies, supply
 * points, donations, volunteers, gate traffic and the stored daily briefings. Deterministic (seeded)
 * from the registry. Who it happens to: demo-health-story.ts; the records of people:
 * demo-health-replay.ts; supplies, donations and gate traffic: demo-health-support.ts.
 */
export { demoAmbulance, demoHealthStory, demoHealthTimeline, demoIncidentName } from './demo-health-story';
export type { ContactType, DemoHealthStory, DemoHealthVolume, StoryPersonInput, StoryStay, StoryTrip } from './demo-health-story';

export interface DemoHealthSeedResult {
  skipped: string | null;
  declarations: number;
  cases: number;
  quarantines: number;
  transfers: number;
  gateEvents: number;
  briefings: number;
}

/**
 * Loads the replay in the caller's transaction, once: skipped (with the reason) when the volume is
 * 'none', the demo incident exists, another incident is active, or the access demo is not loaded.
 * Statuses end recomputed on the real clock; one audit row with the counts.
 */
export async function seedDemoHealth(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext, volume: DemoHealthVolume | 'none'): Promise<DemoHealthSeedResult> {
  const none: DemoHealthSeedResult = { skipped: null, declarations: 0, cases: 0, quarantines: 0, transfers: 0, gateEvents: 0, briefings: 0 };
  if (volume === 'none') return { ...none, skipped: 'PACESETTER_DEMO_HEALTH=none' };
  if (await trx.selectFrom('health_incidents').select('id').where('name', '=', demoIncidentName).executeTakeFirst()) return { ...none, skipped: 'already loaded' };
  if (await trx.selectFrom('health_incidents').select('id').where('status', '=', 'active').executeTakeFirst()) return { ...none, skipped: 'another incident is active' };
  const sites = await trx.selectFrom('sites').select(['id', 'code']).where('code', 'in', demoSites.map((s) => s.code)).execute();
  if (sites.length < demoSites.length) return { ...none, skipped: 'the access demo (its sites and people) is not loaded' };
  const siteIds = new Map(sites.map((s) => [s.code, s.id]));

  const registry = (
    await sql<RegistryRow>`SELECT p.id, p.code, p.category, u.code AS unit, s.code AS site, h.code AS household, x.code AS proxy, p.site_id, p.user_id
      FROM people p LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN sites s ON s.id = p.site_id
        LEFT JOIN households h ON h.id = p.household_id LEFT JOIN people x ON x.id = p.proxy_person_id
      WHERE p.code LIKE 'P%' ORDER BY p.code`.execute(trx)
  ).rows;
  const marked = await trx.selectFrom('health_statuses as hs').innerJoin('people as p', 'p.id', 'hs.person_id').select('p.code').execute();
  const story = demoHealthStory(registry, volume, new Set(marked.map((m) => m.code)));
  const byCode = new Map(registry.map((p) => [p.code, p]));
  const [healthUser, gridUser] = await Promise.all([findUserByUsername(trx, 'health'), findUserByUsername(trx, 'grid')]);
  const users = { health: healthUser?.id ?? null, grid: gridUser?.id ?? null };

  // The incident: the eight sites and the company's units, default settings, active.
  const opened = shanghaiAt(demoHealthTimeline.start, hm('00:30'));
  const row = await trx.insertInto('health_incidents').values({ name: demoIncidentName, start_date: demoHealthTimeline.start, created_by: users.health, created_at: opened, updated_at: opened }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('health_incident_sites').values(sites.map((s) => ({ incident_id: row.id, site_id: s.id }))).execute();
  const company = await findUnitByCode(trx, 'GRP');
  if (company) await trx.insertInto('health_incident_units').values({ incident_id: row.id, unit_id: company.id }).execute();
  const incident = await incidentById(trx, row.id);
  const r: Replay = { trx, ctx, incident, story, id: (code) => byCode.get(code)!.id, siteOf: (code) => byCode.get(code)?.site_id ?? null, users };

  // The accounts' own people: the grid worker of the case's grid cell, an employee of the security department.
  for (const [user, code] of [[users.grid, story.gridPerson], [users.health, story.healthPerson]] as const) {
    if (!user || !code || (await trx.selectFrom('people').select('id').where('user_id', '=', user).executeTakeFirst())) continue;
    await trx.updateTable('people').set({ user_id: user }).where('code', '=', code).where('user_id', 'is', null).execute();
  }
  await sql`UPDATE grid_cells g SET worker_person_id = ${r.id(story.gridPerson)} FROM people p JOIN households h ON h.id = p.household_id JOIN buildings b ON b.id = h.building_id
    WHERE p.code = ${story.caseCode} AND g.id = b.grid_cell_id`.execute(trx);
  const riskAt = shanghaiAt('2020-01-27', hm('20:00'));
  await trx
    .insertInto('risk_areas')
    .values([
      { region: '湖北省', level: 'high', valid_from: '2020-01-23', valid_to: '2020-03-31', source: '国务院联防联控机制通报', created_at: riskAt, updated_at: riskAt },
      { region: '浙江省温州市', level: 'medium', valid_from: '2020-02-01', valid_to: '2020-02-29', source: '浙江省疫情防控工作领导小组通报', created_at: riskAt, updated_at: riskAt },
      { region: '河南省信阳市', level: 'medium', valid_from: '2020-01-28', valid_to: '2020-02-20', source: '河南省疫情防控指挥部通报', created_at: riskAt, updated_at: riskAt },
    ])
    .execute();

  await replayCaseAndContacts(r);
  await replayScreening(r);
  await replayQuarantineCare(r);
  const declarations = await replayDeclarations(r);
  await replayTransfers(r);
  await seedSupport(r, siteIds);
  const gateEvents = await seedGateTraffic(r, registry, volume);

  // Who opened what: the health administrator, for the cases the replay opened by hand, screening or exposure.
  await trx.updateTable('abnormal_cases').set({ opened_by: users.health }).where('incident_id', '=', incident.id).where('source', 'in', ['manual', 'screening', 'exposure']).execute();
  await trx.updateTable('quarantines').set({ created_by: users.health }).where('incident_id', '=', incident.id).where('created_by', 'is', null).execute();
  // The briefings as the daily job would have stored them, each the next morning at 07:00, computed together.
  const briefings = (await storeBriefingRange(trx, incident, demoHealthTimeline.start, demoHealthTimeline.end, (d) => shanghaiAt(addDays(d, 1), hm('07:00')))).length;
  // Today (the real clock) everyone touched is released, closed or past the look-back: green again.
  const touched = new Set([story.caseCode, ...story.contacts.map((c) => c.code), ...story.fevers.map((f) => f.code), ...story.returning.map((x) => x.code)]);
  for (const code of touched) await refreshHealthStatus(trx, deps, r.id(code));

  const count = async (table: 'abnormal_cases' | 'quarantines') => (await trx.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).where('incident_id', '=', incident.id).executeTakeFirstOrThrow()).n;
  const result = { skipped: null, declarations, cases: await count('abnormal_cases'), quarantines: await count('quarantines'), transfers: story.transfers.length, gateEvents, briefings };
  await audit(trx, deps, ctx, { action: 'system.seed_demo_health', objectType: 'health_incident', objectId: incident.id, details: { ...result, volume, returning: story.returning.length } });
  return result;
}
