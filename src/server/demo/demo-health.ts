import { sql } from 'kysely';
import { addDays, startOfShanghaiDay } from '../../domain/notices/week';
import { seededRandom } from '../../domain/random';
import type { Deps, RequestContext, Tx } from '../context';
import { audit } from '../modules/audit/audit.service';
import { storeBriefing } from '../modules/health-briefing/briefing.service';
import { openAbnormalCase } from '../modules/health-cases/open-case';
import { coveredPeopleIds, incidentById, type Incident } from '../modules/health-incidents/incident';
import { ensureQuarantine } from '../modules/health-quarantines/quarantine-schedule';
import { refreshHealthStatus } from '../modules/health-status/refresh';
import { findUnitByCode } from '../modules/units/units.repository';
import { findUserByUsername } from '../modules/users/users.repository';
import { demoSites } from './demo-access';

/**
 * The replay of January–March 2020 (issue 7, item 10), on the access demo's sites and people: the
 * incident from 24 January; that day a confirmed case in 翠微小区 with 7 close contacts, quarantined
 * and checked twice a day; returning staff screened from 28 January; daily declarations with a few
 * fevers; ambulance transfers reaching 22 trips and 55 person-trips by 16 March; supplies, supply
 * points, donations, volunteers, gate traffic and the stored daily briefings. Deterministic (seeded)
 * from the registry; the shared functions (openAbnormalCase, ensureQuarantine) run on a clock set
 * to the replayed instant, so records and audit rows carry 2020 dates.
 */
export type DemoHealthVolume = 'full' | 'small';

export const demoIncidentName = '新冠肺炎疫情防控（2020）';

/** The story's fixed days and transfer totals. */
export const demoHealthTimeline = {
  start: '2020-01-24',
  screeningFrom: '2020-01-28',
  declarationsFrom: '2020-01-28',
  end: '2020-03-31',
  transfersBy: '2020-03-16',
  trips: 22,
  personTrips: 55,
} as const;

export const demoAmbulance = { vehicle: '晋K·120急', driver: '李师傅' } as const;

/** A registry entry as the story reads it (demoAccessPeople or the people table). */
export interface StoryPersonInput {
  code: string;
  category: string;
  unit: string | null;
  site: string | null;
  household: string | null;
  proxy: string | null;
}

export type ContactType = 'household' | 'workplace' | 'canteen' | 'gate';
export interface StoryStay {
  region: string;
  from: string;
  to: string;
  transport: 'train' | 'car' | 'bus';
  transportNo: string | null;
}
export interface StoryTrip {
  date: string;
  /** Minutes after 00:00 Asia/Shanghai. */
  minute: number;
  from: string;
  to: string;
  people: string[];
  note: string;
}

export interface DemoHealthStory {
  caseCode: string;
  contacts: { code: string; type: ContactType; date: string; place: 'home' | 'facility' }[];
  returning: { code: string; returnDate: string; decision: 'cleared' | 'observe' | 'isolate'; stays: StoryStay[] }[];
  fevers: { code: string; date: string; temperatureC: number }[];
  volunteers: string[];
  /** The grid worker of the case's grid cell: the `grid` account's own person. */
  gridPerson: string;
  /** The `health` account's own person (an employee of the security department). */
  healthPerson: string | null;
  transfers: StoryTrip[];
  /** Follow-up checks nobody did (they show as missed). */
  missedChecks: { code: string; date: string; slot: number }[];
}

const HOSPITAL = '市定点医院（新冠肺炎定点收治）';
const FACILITY = '铝城宾馆集中隔离观察点';
const SAMPLING = '职工医院核酸采样点';
const CLINIC = '职工医院发热门诊';
const LOW_RISK = ['北京市朝阳区', '山西省太原市小店区', '山西省运城市盐湖区', '陕西省西安市雁塔区', '河北省石家庄市长安区', '山西省临汾市尧都区', '内蒙古自治区呼和浩特市新城区', '山东省济南市历下区'];
const FEVERS: [string, number][] = [['2020-02-02', 37.5], ['2020-02-09', 37.8], ['2020-02-20', 37.3], ['2020-02-20', 38.1], ['2020-03-06', 37.6], ['2020-03-06', 37.4]];
const siteZh = new Map(demoSites.map((s) => [s.code, s.zh]));

/**
 * Who the story happens to, chosen from the registry (codes in `exclude` are left alone: the access
 * demo's manual red statuses). The same registry and volume give the same story.
 */
export function demoHealthStory(people: readonly StoryPersonInput[], volume: DemoHealthVolume, exclude: ReadonlySet<string> = new Set()): DemoHealthStory {
  const rand = seededRandom(`demo-health-${volume}`);
  const used = new Set(exclude);
  const free = (p: StoryPersonInput) => !used.has(p.code);
  const adult = (p: StoryPersonInput) => p.proxy === null && p.site !== null && ['employee', 'resident', 'family'].includes(p.category);
  const unitless = (p: StoryPersonInput) => adult(p) && p.unit === null;
  const pick = (pool: readonly StoryPersonInput[], n: number): string[] => {
    const left = pool.filter(free);
    const out: string[] = [];
    while (out.length < n && left.length > 0) {
      const [p] = left.splice(Math.floor(rand() * left.length), 1);
      used.add(p!.code);
      out.push(p!.code);
    }
    return out;
  };

  // The case: a member of a 翠微小区 household of four or more, unit-less residents if there are such.
  const households = new Map<string, StoryPersonInput[]>();
  for (const p of people) if (p.site === 'CWXQ' && p.household) households.set(p.household, [...(households.get(p.household) ?? []), p]);
  const fours = [...households.values()].filter((m) => m.length >= 4 && m.every(free) && m.some(unitless));
  const home = fours.find((m) => m.every((p) => p.unit === null)) ?? fours[0];
  if (!home) throw new Error('The access demo has no household of four in 翠微小区');
  const patient = home.find(unitless)!;
  for (const p of home) used.add(p.code);
  const housemates = home.filter((p) => p !== patient).slice(0, 3).map((p) => p.code);
  const colleaguePool = patient.unit ? people.filter((p) => adult(p) && p.unit === patient.unit) : people.filter((p) => unitless(p) && (p.site === 'CWXQ' || p.site === 'CWMH'));
  const colleagues = pick(colleaguePool, 2);
  const canteen = pick(people.filter((p) => unitless(p) && p.site === 'CWMH'), 1);
  const neighbour = pick(people.filter((p) => unitless(p) && p.site === 'CWXQ'), 1);
  const contacts: DemoHealthStory['contacts'] = [
    ...housemates.map((code) => ({ code, type: 'household' as const, date: '2020-01-24', place: 'home' as const })),
    ...colleagues.map((code) => ({ code, type: 'workplace' as const, date: '2020-01-23', place: 'facility' as const })),
    ...canteen.map((code) => ({ code, type: 'canteen' as const, date: '2020-01-23', place: 'facility' as const })),
    ...neighbour.map((code) => ({ code, type: 'gate' as const, date: '2020-01-23', place: 'facility' as const })),
  ];

  const gridPerson = people.find((p) => free(p) && adult(p) && p.site === 'CWXQ' && p.category === 'employee') ?? people.find((p) => free(p) && adult(p) && p.site === 'CWXQ')!;
  used.add(gridPerson.code);
  const healthPerson = people.filter((p) => p.unit === 'WZBW' && p.category === 'employee' && free(p))[1]?.code ?? null;
  if (healthPerson) used.add(healthPerson);

  // Returning staff: two from Hubei (isolate), four through medium-risk areas (observe), the rest cleared.
  const returningCodes = pick(people.filter((p) => adult(p) && p.category === 'employee' && p.unit !== null), volume === 'full' ? 60 : 12);
  const scripted: { returnDate: string; decision: 'observe' | 'isolate'; stay: StoryStay }[] = [
    { returnDate: '2020-01-28', decision: 'isolate', stay: { region: '湖北省武汉市江汉区', from: '2020-01-14', to: '2020-01-27', transport: 'car', transportNo: null } },
    { returnDate: '2020-01-29', decision: 'isolate', stay: { region: '湖北省孝感市孝南区', from: '2020-01-16', to: '2020-01-28', transport: 'car', transportNo: null } },
    { returnDate: '2020-02-03', decision: 'observe', stay: { region: '浙江省温州市鹿城区', from: '2020-01-19', to: '2020-02-02', transport: 'train', transportNo: 'G1888' } },
    { returnDate: '2020-02-05', decision: 'observe', stay: { region: '浙江省温州市瑞安市', from: '2020-01-22', to: '2020-02-04', transport: 'train', transportNo: 'D3126' } },
    { returnDate: '2020-01-30', decision: 'observe', stay: { region: '河南省信阳市浉河区', from: '2020-01-20', to: '2020-01-29', transport: 'train', transportNo: 'K1279' } },
    { returnDate: '2020-02-07', decision: 'observe', stay: { region: '河南省信阳市固始县', from: '2020-01-25', to: '2020-02-06', transport: 'car', transportNo: null } },
  ];
  const trip = (): Pick<StoryStay, 'transport' | 'transportNo'> => {
    const r = rand();
    if (r < 0.5) return { transport: 'train', transportNo: `${['K', 'G', 'D'][Math.floor(rand() * 3)]}${100 + Math.floor(rand() * 2900)}` };
    return r < 0.85 ? { transport: 'car', transportNo: null } : { transport: 'bus', transportNo: null };
  };
  const returning = returningCodes.map((code, i) => {
    const s = scripted[i];
    if (s) return { code, returnDate: s.returnDate, decision: s.decision, stays: [s.stay] };
    const returnDate = addDays('2020-01-28', Math.floor(rand() * 24));
    const from = addDays(returnDate, -(4 + Math.floor(rand() * 9)));
    const first = LOW_RISK[Math.floor(rand() * LOW_RISK.length)]!;
    const stays: StoryStay[] = [{ region: first, from, to: addDays(returnDate, -1), ...trip() }];
    if (rand() < 0.4) stays.unshift({ region: LOW_RISK.filter((r) => r !== first)[Math.floor(rand() * (LOW_RISK.length - 1))]!, from: addDays(from, -(2 + Math.floor(rand() * 4))), to: addDays(from, -1), ...trip() });
    return { code, returnDate, decision: 'cleared' as const, stays };
  });

  const feverCodes = pick(people.filter(unitless), FEVERS.length);
  const fevers = feverCodes.map((code, i) => ({ code, date: FEVERS[i]![0], temperatureC: FEVERS[i]![1] }));
  const volunteers = pick(people.filter((p) => unitless(p) && p.category === 'resident'), 6);

  // The ambulance's trips: 17 for the case, the contacts, the isolated and the observed staff, 5 for fevers.
  const C = [patient.code];
  const H = housemates;
  const F = contacts.filter((c) => c.place === 'facility').map((c) => c.code);
  const S = returning.filter((r) => r.decision === 'isolate').map((r) => r.code);
  const O = returning.filter((r) => r.decision === 'observe').map((r) => r.code);
  const V = feverCodes;
  const byCode = new Map(people.map((p) => [p.code, p]));
  const homes = (codes: string[]) => [...new Set(codes.map((c) => siteZh.get(byCode.get(c)?.site ?? '') ?? '小区'))].join('、');
  const t = (date: string, hhmm: string, from: string, to: string, who: string[], note: string): StoryTrip => ({ date, minute: Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), from, to, people: who, note });
  const transfers: StoryTrip[] = [
    t('2020-01-24', '09:10', '翠微小区', HOSPITAL, C, '确诊病例转运，负压救护车'),
    t('2020-01-24', '17:30', '翠微小区', FACILITY, F, '密切接触者集中隔离'),
    t('2020-01-29', '08:30', '翠微小区', SAMPLING, H, '居家隔离人员核酸采样'),
    t('2020-01-29', '10:00', SAMPLING, '翠微小区', H, '采样后送返'),
    t('2020-01-30', '14:00', FACILITY, SAMPLING, F, '集中隔离人员核酸采样'),
    t('2020-01-30', '15:30', SAMPLING, FACILITY, F, '采样后送返'),
    t('2020-02-03', '08:30', homes(S), SAMPLING, S, '返岗隔离人员核酸采样'),
    t('2020-02-03', '10:00', SAMPLING, homes(S), S, '采样后送返'),
    t('2020-02-05', '08:30', '翠微小区', SAMPLING, H, '居家隔离人员第二次核酸采样'),
    t('2020-02-05', '10:00', SAMPLING, '翠微小区', H, '采样后送返'),
    t('2020-02-06', '19:00', FACILITY, '翠微小区', F, '解除隔离送返'),
    t('2020-02-08', '08:30', homes(O), SAMPLING, O, '观察人员核酸采样'),
    t('2020-02-08', '10:30', SAMPLING, homes(O), O, '采样后送返'),
    t('2020-02-10', '08:30', homes(S), SAMPLING, S, '返岗隔离人员第二次核酸采样'),
    t('2020-02-10', '10:00', SAMPLING, homes(S), S, '采样后送返'),
    t('2020-02-21', '10:30', HOSPITAL, FACILITY, C, '治愈出院，转集中隔离观察14天'),
    t('2020-03-05', '19:00', FACILITY, '翠微小区', C, '隔离期满送返'),
    t(FEVERS[0]![0], '10:00', homes([V[0]!]), CLINIC, [V[0]!], '发热人员送诊'),
    t(FEVERS[1]![0], '10:00', homes([V[1]!]), CLINIC, [V[1]!], '发热人员送诊'),
    t(FEVERS[2]![0], '10:00', homes(V.slice(2, 4)), CLINIC, V.slice(2, 4), '发热人员送诊'),
    t(FEVERS[2]![0], '15:00', CLINIC, homes(V.slice(2, 4)), V.slice(2, 4), '排查后送返居家观察'),
    t(FEVERS[4]![0], '10:00', homes(V.slice(4, 6)), CLINIC, V.slice(4, 6), '发热人员送诊'),
  ];
  const missedChecks = [{ code: H[0]!, date: '2020-01-30', slot: 2 }, { code: F[2]!, date: '2020-02-02', slot: 1 }];
  return { caseCode: patient.code, contacts, returning, fevers, volunteers, gridPerson: gridPerson.code, healthPerson, transfers, missedChecks };
}

/** A Shanghai wall-clock time on a date, as an instant. */
const shanghaiAt = (date: string, minute: number): Date => new Date(startOfShanghaiDay(date).getTime() + minute * 60_000);
const hm = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
/** The shared functions' clock during the replay. */
const replay = (at: Date) => ({ clock: { now: () => at } });

export interface DemoHealthSeedResult {
  skipped: string | null;
  declarations: number;
  cases: number;
  quarantines: number;
  transfers: number;
  gateEvents: number;
  briefings: number;
}


type RegistryRow = StoryPersonInput & { id: string; site_id: string | null; user_id: string | null };
interface Replay {
  trx: Tx;
  ctx: RequestContext;
  incident: Incident;
  story: DemoHealthStory;
  id: (code: string) => string;
  siteOf: (code: string) => string | null;
  users: { health: string | null; grid: string | null };
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
  // The briefings as the daily job would have stored them, each the next morning at 07:00 (on fresh statistics).
  await sql`ANALYZE people, gate_events, abnormal_cases, quarantines, quarantine_follow_ups, exposures`.execute(trx);
  let briefings = 0;
  for (let d: string = demoHealthTimeline.start; d <= demoHealthTimeline.end; d = addDays(d, 1)) {
    await storeBriefing(trx, incident, d, shanghaiAt(addDays(d, 1), hm('07:00')));
    briefings++;
  }
  // Today (the real clock) everyone touched is released, closed or past the look-back: green again.
  const touched = new Set([story.caseCode, ...story.contacts.map((c) => c.code), ...story.fevers.map((f) => f.code), ...story.returning.map((x) => x.code)]);
  for (const code of touched) await refreshHealthStatus(trx, deps, r.id(code));

  const count = async (table: 'abnormal_cases' | 'quarantines') => (await trx.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).where('incident_id', '=', incident.id).executeTakeFirstOrThrow()).n;
  const result = { skipped: null, declarations, cases: await count('abnormal_cases'), quarantines: await count('quarantines'), transfers: story.transfers.length, gateEvents, briefings };
  await audit(trx, deps, ctx, { action: 'system.seed_demo_health', objectType: 'health_incident', objectId: incident.id, details: { ...result, volume, returning: story.returning.length } });
  return result;
}

/** 24 January: the confirmed case, its card, and its 7 close contacts with their exposures, quarantines and cases. */
async function replayCaseAndContacts(r: Replay): Promise<void> {
  const { trx, ctx, incident, story, users } = r;
  const openedAt = shanghaiAt('2020-01-24', hm('08:40'));
  const patient = await openAbnormalCase(trx, replay(openedAt), ctx, {
    personId: r.id(story.caseCode), incidentId: incident.id, source: 'manual', reason: 'FEVER', temperatureC: 38.5, siteId: r.siteOf(story.caseCode), at: openedAt,
    note: '发热、干咳，经市定点医院确诊为新型冠状病毒肺炎', classification: 'confirmed',
  });
  const card: [string, string, number | null, string, string | null][] = [
    ['2020-01-24', '09:00', 38.5, '发热、干咳，核酸检测阳性，确诊', '负压救护车转运至市定点医院隔离治疗'],
    ['2020-01-24', '15:00', null, '住所消毒', '区疾控中心对其住所、所在楼道及电梯进行终末消毒'],
    ['2020-02-07', '10:00', 36.8, '病情稳定，体温正常', '继续住院治疗'],
    ['2020-02-21', '09:00', 36.5, '连续两次核酸检测阴性，治愈出院', '转集中隔离观察点继续医学观察14天'],
  ];
  await trx.insertInto('case_follow_ups').values(card.map(([date, time, t, condition, action]) => ({ case_id: patient.id, at: shanghaiAt(date, hm(time)), checked_by: users.health, temperature_c: t, condition, action, created_at: shanghaiAt(date, hm(time)) }))).execute();

  const notes: Record<ContactType, string> = { household: '同住家庭成员', workplace: '同一工作场所，1月23日共同工作', canteen: '1月23日午餐食堂同桌就餐', gate: '1月23日早同时段经东门出入，近距离交谈' };
  for (const [i, c] of story.contacts.entries()) {
    const at = shanghaiAt('2020-01-24', hm('11:00') + i * 10);
    const exposure = await trx
      .insertInto('exposures')
      .values({
        incident_id: incident.id, case_id: patient.id, source_person_id: r.id(story.caseCode), contact_person_id: r.id(c.code), date: c.date, type: c.type,
        certainty: c.type === 'gate' ? 'medium' : 'high', close: true, note: notes[c.type], created_by: users.health, created_at: at, updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ensureQuarantine(trx, replay(at), ctx, { incident, personId: r.id(c.code), lastExposure: c.date, place: c.place, facility: c.place === 'facility' ? FACILITY : null });
    await openAbnormalCase(trx, replay(at), ctx, { personId: r.id(c.code), incidentId: incident.id, source: 'exposure', reason: 'CONTACT', sourceRef: exposure.id, siteId: r.siteOf(c.code), at, note: '确诊病例的密切接触者' });
  }

  // 21 February: discharged, the case closes as recovered; 14 more days of observation at the facility.
  const closedAt = shanghaiAt('2020-02-21', hm('09:30'));
  await trx
    .updateTable('abnormal_cases')
    .set((eb) => ({ status: 'closed', outcome: 'recovered', closed_at: closedAt, closed_by: users.health, closure_note: '连续两次核酸检测阴性，治愈出院', updated_at: closedAt, version: eb('version', '+', 1) }))
    .where('id', '=', patient.id)
    .execute();
  await ensureQuarantine(trx, replay(shanghaiAt('2020-02-21', hm('10:00'))), ctx, { incident, personId: r.id(story.caseCode), lastExposure: null, place: 'facility', facility: FACILITY, startDate: '2020-02-21' });
}

/** From 28 January: itineraries of the returning staff, each checked item by item and decided by the reviewer. */
async function replayScreening(r: Replay): Promise<void> {
  const { trx, ctx, incident, story, users } = r;
  const notes = { cleared: '15天内行程均不涉及风险地区，准予返岗', observe: '途经中风险地区，居家观察，每日两次报告体温', isolate: '14天内到过高风险地区，居家隔离14天' };
  for (const [i, x] of story.returning.entries()) {
    const created = shanghaiAt(x.returnDate, hm('08:00') + i);
    const decided = shanghaiAt(x.returnDate, hm('10:00') + i * 3);
    const travel = await trx
      .insertInto('travel_records')
      .values(x.stays.map((s) => ({ incident_id: incident.id, person_id: r.id(x.code), region: s.region, from_date: s.from, to_date: s.to, transport: s.transport, transport_no: s.transportNo, created_at: created, updated_at: created })))
      .returning('id')
      .execute();
    const items = travel.map((t) => ({ travelRecordId: t.id, checked: true, note: '已核实：车票、行程与本人陈述一致' }));
    const screening = await trx
      .insertInto('return_screenings')
      .values({ incident_id: incident.id, person_id: r.id(x.code), return_date: x.returnDate, status: x.decision, items: JSON.stringify(items), note: notes[x.decision], reviewer_id: users.health, decided_at: decided, created_at: created, updated_at: decided })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (x.decision === 'cleared') continue;
    const lastDay = x.stays.reduce((m, s) => (s.to > m ? s.to : m), x.stays[0]!.to);
    const c = await openAbnormalCase(trx, replay(decided), ctx, { personId: r.id(x.code), incidentId: incident.id, source: 'screening', reason: 'RISK_TRAVEL', sourceRef: screening.id, siteId: r.siteOf(x.code), at: decided, note: notes[x.decision] });
    if (x.decision === 'isolate') {
      await ensureQuarantine(trx, replay(decided), ctx, { incident, personId: r.id(x.code), lastExposure: lastDay, place: 'home' });
      continue;
    }
    // Observed for 14 days after the last day in the area, then excluded.
    const closedAt = shanghaiAt(addDays(lastDay, 14), hm('10:00'));
    await trx.insertInto('case_follow_ups').values({ case_id: c.id, at: shanghaiAt(addDays(lastDay, 7), hm('09:00')), checked_by: users.grid, temperature_c: 36.5, condition: '居家观察，体温正常，无不适', action: '继续观察' }).execute();
    await trx
      .updateTable('abnormal_cases')
      .set((eb) => ({ status: 'closed', classification: 'excluded', outcome: 'excluded', closed_at: closedAt, closed_by: users.health, closure_note: '观察期满无异常，排除', updated_at: closedAt, version: eb('version', '+', 1) }))
      .where('id', '=', c.id)
      .execute();
  }
}

/** Twice-daily checks (but the missed ones), living support, counselling, and release after the window. */
async function replayQuarantineCare(r: Replay): Promise<void> {
  const { trx, incident, story, users } = r;
  const missed = story.missedChecks.map((m) => `${m.code}/${m.date}/${m.slot}`);
  const hash = (byte: number) => sql`get_byte(decode(md5(p.code || '/' || f.date::text || '/' || f.slot::text), 'hex'), ${byte})`;
  await sql`UPDATE quarantine_follow_ups f SET
      done_at = (f.date + CASE WHEN f.slot = 1 THEN time '08:30' ELSE time '16:30' END + make_interval(mins => ${hash(0)} % 40)) AT TIME ZONE 'Asia/Shanghai',
      done_by = CASE WHEN q.place = 'home' THEN ${users.grid}::uuid ELSE ${users.health}::uuid END,
      temperature_c = 36.2 + (${hash(1)} % 8) / 10.0,
      condition = '体温正常，无咳嗽、乏力等不适'
    FROM quarantines q JOIN people p ON p.id = q.person_id
    WHERE q.id = f.quarantine_id AND q.incident_id = ${incident.id} AND NOT f.cancelled AND f.done_at IS NULL
      AND NOT ((p.code || '/' || f.date::text || '/' || f.slot::text) = ANY(${missed}::text[]))`.execute(trx);

  const quarantineOf = async (code: string) => (await trx.selectFrom('quarantines').select('id').where('person_id', '=', r.id(code)).where('incident_id', '=', incident.id).orderBy('start_date').executeTakeFirstOrThrow()).id;
  const home = story.contacts.filter((c) => c.place === 'home').map((c) => c.code);
  const facility = story.contacts.filter((c) => c.place === 'facility').map((c) => c.code);
  const supports: [string, 'food' | 'medicine' | 'supplies', string, string, string, string, string | null][] = [
    [home[0]!, 'food', '蔬菜、米面（全家三口）', '2020-01-26 09:00', '2020-01-26 16:00', '网格员与志愿者送至门口，无接触交接', users.grid],
    [home[1]!, 'medicine', '常用降压药', '2020-01-28 10:00', '2020-01-28 17:30', '职工医院开药，网格员代取送达', users.grid],
    [facility[0]!, 'supplies', '换洗衣物、手机充电器', '2020-01-25 20:00', '2020-01-26 11:00', '家属送至隔离点，消毒后转交', users.health],
  ];
  for (const [code, kind, request, requested, delivered, note, by] of supports) {
    await trx
      .insertInto('quarantine_supports')
      .values({ quarantine_id: await quarantineOf(code), kind, request, requested_at: shanghaiAt(requested.slice(0, 10), hm(requested.slice(11))), delivered_at: shanghaiAt(delivered.slice(0, 10), hm(delivered.slice(11))), delivered_by: by, delivery_note: note })
      .execute();
  }
  await trx
    .insertInto('quarantine_notes')
    .values([
      { quarantine_id: await quarantineOf(facility[0]!), kind: 'counselling', text: '心理疏导：隔离初期担心家人、睡眠差，电话疏导约30分钟，情绪平稳，约定每日回访。', at: shanghaiAt('2020-01-27', hm('15:00')), written_by: users.health },
      { quarantine_id: await quarantineOf(home[0]!), kind: 'counselling', text: '心理疏导：家属为确诊病例，情绪紧张，讲解隔离与检测安排后情绪缓解。', at: shanghaiAt('2020-02-01', hm('10:30')), written_by: users.health },
    ])
    .execute();

  // Released on the last day of the window after the evening check; their cases close as excluded.
  const released = sql`(planned_end + time '18:30') AT TIME ZONE 'Asia/Shanghai'`;
  await sql`UPDATE quarantines SET status = 'released', released_at = ${released}, released_by = ${users.health}::uuid, release_temperature_c = 36.5,
      release_note = '隔离期满，末次检查体温正常，核酸检测阴性，解除隔离', updated_at = ${released}, version = version + 1
    WHERE incident_id = ${incident.id} AND status = 'active'`.execute(trx);
  await sql`UPDATE abnormal_cases c SET status = 'closed', classification = 'excluded', outcome = 'excluded', closed_at = q.released_at, closed_by = ${users.health}::uuid,
      closure_note = '隔离观察期满未发病，排除', updated_at = q.released_at, version = c.version + 1
    FROM quarantines q
    WHERE q.person_id = c.person_id AND q.incident_id = c.incident_id AND c.incident_id = ${incident.id} AND c.status = 'open'
      AND c.reason IN ('CONTACT', 'RISK_TRAVEL') AND q.status = 'released'`.execute(trx);
}

/**
 * Declarations from 28 January through 31 March by everyone the incident covers (about 97 % each
 * day; the case not while in hospital), in one statement: temperatures 36.0–37.2 from a hash of the
 * person and day. Then the fevers, each opening a case excluded after a few days, and the statuses
 * the rules give: yellow or red within 14 days of a risk area, red in quarantine.
 */
async function replayDeclarations(r: Replay): Promise<number> {
  const { trx, ctx, incident, story, users } = r;
  const days = Math.round((Date.parse(demoHealthTimeline.end) - Date.parse(demoHealthTimeline.declarationsFrom)) / 86_400_000);
  await sql`INSERT INTO health_declarations (incident_id, person_id, date, temperature_c, symptoms, status, declared_by, on_behalf, created_at, updated_at)
    SELECT ${incident.id}, p.id, d.day, 36.0 + (get_byte(d.h, 1) % 13) / 10.0, '{}', 'green', p.user_id, p.proxy_person_id IS NOT NULL,
      (d.day + time '07:00' + make_interval(mins => get_byte(d.h, 2) * 180 / 255)) AT TIME ZONE 'Asia/Shanghai',
      (d.day + time '07:00' + make_interval(mins => get_byte(d.h, 2) * 180 / 255)) AT TIME ZONE 'Asia/Shanghai'
    FROM people p
    CROSS JOIN LATERAL (
      SELECT s.day, decode(md5(p.code || '/' || s.day::text), 'hex') AS h
      FROM (SELECT ${demoHealthTimeline.declarationsFrom}::date + i AS day FROM generate_series(0, ${days}) AS i) s
    ) d
    WHERE p.id IN ${coveredPeopleIds(incident.id)} AND get_byte(d.h, 0) >= 8
      AND NOT (p.id = ${r.id(story.caseCode)} AND d.day < '2020-02-21'::date)
    ORDER BY p.id, d.day`.execute(trx);
  // Fresh statistics after the bulk load, for the plans of the updates below and of the briefings.
  await sql`ANALYZE health_declarations`.execute(trx);

  for (const [i, f] of story.fevers.entries()) {
    const at = shanghaiAt(f.date, hm('07:40') + i * 7);
    const symptoms = i % 2 === 0 ? ['fever', 'cough'] : ['fever'];
    const declaration = await trx
      .insertInto('health_declarations')
      .values({ incident_id: incident.id, person_id: r.id(f.code), date: f.date, temperature_c: f.temperatureC, symptoms, status: 'yellow', created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['person_id', 'date']).doUpdateSet({ temperature_c: f.temperatureC, symptoms, status: 'yellow', updated_at: at }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const c = await openAbnormalCase(trx, replay(at), ctx, { personId: r.id(f.code), incidentId: incident.id, source: 'declaration', reason: 'FEVER', sourceRef: declaration.id, temperatureC: f.temperatureC, siteId: r.siteOf(f.code), at });
    const checks: [number, string, number, string, string | null][] = [
      [0, '10:30', f.temperatureC, '职工医院发热门诊就诊，血常规、胸部CT未见异常', '居家观察，每日两次测温'],
      [1, '08:30', Math.round((f.temperatureC - 0.6) * 10) / 10, '体温下降，轻微咳嗽', '继续观察'],
      [2, '08:30', 36.6, '体温正常，无不适', null],
    ];
    await trx.insertInto('case_follow_ups').values(checks.map(([d, time, t, condition, action]) => ({ case_id: c.id, at: shanghaiAt(addDays(f.date, d), hm(time)), checked_by: users.grid, temperature_c: t, condition, action }))).execute();
    const closedAt = shanghaiAt(addDays(f.date, 3), hm('10:00'));
    await trx
      .updateTable('abnormal_cases')
      .set((eb) => ({ status: 'closed', classification: 'excluded', outcome: 'excluded', closed_at: closedAt, closed_by: users.health, closure_note: '排除新冠肺炎（普通感冒）', updated_at: closedAt, version: eb('version', '+', 1) }))
      .where('id', '=', c.id)
      .execute();
  }

  await sql`UPDATE health_declarations d SET status = m.status
    FROM (
      SELECT d2.id, CASE WHEN bool_or(ra.level = 'high') THEN 'red' ELSE 'yellow' END AS status
      FROM travel_records tr
        JOIN risk_areas ra ON tr.region LIKE ra.region || '%'
        JOIN health_declarations d2 ON d2.person_id = tr.person_id AND d2.date BETWEEN tr.from_date AND tr.to_date + 14
      WHERE tr.incident_id = ${incident.id} AND d2.incident_id = ${incident.id}
        AND ra.valid_from <= LEAST(tr.to_date, d2.date) AND (ra.valid_to IS NULL OR ra.valid_to >= tr.from_date)
      GROUP BY d2.id
    ) m
    WHERE d.id = m.id`.execute(trx);
  await sql`UPDATE health_declarations d SET status = 'red' FROM quarantines q
    WHERE q.person_id = d.person_id AND q.incident_id = ${incident.id} AND d.incident_id = ${incident.id} AND d.date BETWEEN q.start_date AND q.planned_end`.execute(trx);
  return (await trx.selectFrom('health_declarations').select(sql<number>`count(*)::int`.as('n')).where('incident_id', '=', incident.id).executeTakeFirstOrThrow()).n;
}

/** The ambulance's trips, disinfected after each; a rider's open case at the time is linked. */
async function replayTransfers(r: Replay): Promise<void> {
  const { trx, incident, story, users } = r;
  for (const trip of story.transfers) {
    const at = shanghaiAt(trip.date, trip.minute);
    const row = await trx
      .insertInto('transfers')
      .values({ incident_id: incident.id, at, ...demoAmbulance, from_place: trip.from, to_place: trip.to, disinfected: true, disinfected_at: new Date(at.getTime() + 90 * 60_000), note: trip.note, created_by: users.health, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('transfer_people').values(trip.people.map((code) => ({ transfer_id: row.id, person_id: r.id(code) }))).execute();
  }
  await sql`UPDATE transfer_people tp SET case_id = (
      SELECT c.id FROM abnormal_cases c WHERE c.person_id = tp.person_id AND c.incident_id = t.incident_id AND c.opened_at <= t.at AND (c.closed_at IS NULL OR c.closed_at > t.at)
      ORDER BY c.opened_at DESC LIMIT 1)
    FROM transfers t WHERE t.id = tp.transfer_id AND t.incident_id = ${incident.id}`.execute(trx);
}

interface DemoSupply {
  code: string;
  zh: string;
  en: string;
  unit: string;
  kind: 'mask' | 'thermometer' | 'disinfectant' | 'alcohol';
  purchases: { date: string; quantity: number; quotes: [string, string][]; chosen: number; reason?: string }[];
}
const SUPPLIES: DemoSupply[] = [
  {
    code: 'MASK', zh: '一次性医用口罩', en: 'Disposable medical masks', unit: '只', kind: 'mask',
    purchases: [
      { date: '2020-01-25', quantity: 20000, quotes: [['太原康宁医疗器械有限公司', '0.8500'], ['山西华美医药有限公司', '0.9500'], ['运城市安康医疗用品商行', '1.2000']], chosen: 0 },
      { date: '2020-02-08', quantity: 30000, quotes: [['河津市众泰劳保用品店', '1.1000'], ['太原康宁医疗器械有限公司', '1.2500'], ['山西华美医药有限公司', '1.6000']], chosen: 1, reason: '最低报价方无医疗器械注册证且一周内无法交货，选择次低价' },
    ],
  },
  { code: 'THERMOMETER', zh: '红外额温枪', en: 'Infrared thermometers', unit: '支', kind: 'thermometer', purchases: [{ date: '2020-01-26', quantity: 120, quotes: [['山西华美医药有限公司', '168.0000'], ['太原康宁医疗器械有限公司', '185.0000'], ['河津市鑫源电子商行', '210.0000']], chosen: 0 }] },
  {
    code: 'DISINFECTANT', zh: '84消毒液', en: 'Chlorine disinfectant (84)', unit: '桶', kind: 'disinfectant',
    purchases: [
      { date: '2020-01-26', quantity: 400, quotes: [['河津市洁康日化经销部', '35.0000'], ['山西华美医药有限公司', '38.5000'], ['运城市安康医疗用品商行', '42.0000']], chosen: 0 },
      { date: '2020-02-15', quantity: 300, quotes: [['河津市洁康日化经销部', '36.0000'], ['运城市安康医疗用品商行', '39.0000'], ['山西华美医药有限公司', '40.0000']], chosen: 0 },
    ],
  },
  { code: 'ALCOHOL75', zh: '75%酒精', en: '75% alcohol', unit: '瓶', kind: 'alcohol', purchases: [{ date: '2020-01-27', quantity: 1500, quotes: [['山西华美医药有限公司', '12.0000'], ['太原康宁医疗器械有限公司', '12.8000'], ['河津市洁康日化经销部', '15.0000']], chosen: 0 }] },
];
const TARGETS: { unit?: string; checkpoint?: string }[] = [{ unit: 'YH1' }, { checkpoint: 'CWXQ-E' }, { unit: 'DJ1' }, { checkpoint: 'SXLY-G1' }, { unit: 'YH2' }, { checkpoint: 'XCL-G1' }, { unit: 'WL' }, { checkpoint: 'CXBQ-N' }, { unit: 'SHFW' }];

/** Supplies bought over three quotes and handed out (stock never below zero), supply points, donations, volunteers. */
async function seedSupport(r: Replay, siteIds: Map<string, string>): Promise<void> {
  const { trx, incident, story, users } = r;
  const units = new Map<string, string>();
  for (const t of TARGETS) if (t.unit) units.set(t.unit, (await findUnitByCode(trx, t.unit))?.id ?? '');
  const checkpoints = new Map((await trx.selectFrom('checkpoints').select(['id', 'code']).execute()).map((c) => [c.code, c.id]));
  for (const s of SUPPLIES) {
    const existing = await trx.selectFrom('supplies').select('id').where('code', '=', s.code).executeTakeFirst();
    const at = shanghaiAt('2020-01-25', hm('09:00'));
    const supplyId = existing?.id ?? (await trx.insertInto('supplies').values({ code: s.code, name_zh: s.zh, name_en: s.en, unit_label: s.unit, kind: s.kind, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow()).id;
    const ins: { date: string; quantity: number; purchaseId: string }[] = [];
    for (const p of s.purchases) {
      const at = shanghaiAt(p.date, hm('11:00'));
      const purchase = await trx.insertInto('supply_purchases').values({ supply_id: supplyId, date: p.date, quantity: p.quantity, reason: p.reason ?? null, created_by: users.health, created_at: at }).returning('id').executeTakeFirstOrThrow();
      const quotes = await trx.insertInto('supply_quotes').values(p.quotes.map(([supplier, price]) => ({ purchase_id: purchase.id, supplier, unit_price: price }))).returning('id').execute();
      await trx.updateTable('supply_purchases').set({ chosen_quote_id: quotes[p.chosen]!.id }).where('id', '=', purchase.id).execute();
      ins.push({ date: p.date, quantity: p.quantity, purchaseId: purchase.id });
    }
    // Every four days from the first purchase, about an eighth of the stock to the next unit or gate.
    const movements: { supply_id: string; date: string; kind: string; quantity: number; purchase_id: string | null; unit_id: string | null; checkpoint_id: string | null; note: string; created_by: string | null; created_at: Date }[] = [];
    let stock = 0;
    let k = SUPPLIES.indexOf(s);
    for (let d = ins[0]!.date; d <= demoHealthTimeline.end; d = addDays(d, 1)) {
      for (const p of ins.filter((x) => x.date === d)) {
        stock += p.quantity;
        movements.push({ supply_id: supplyId, date: d, kind: 'in', quantity: p.quantity, purchase_id: p.purchaseId, unit_id: null, checkpoint_id: null, note: '采购入库', created_by: users.health, created_at: shanghaiAt(d, hm('15:00')) });
      }
      if (d === ins[0]!.date || (Date.parse(d) - Date.parse(ins[0]!.date)) % (4 * 86_400_000) !== 0) continue;
      const quantity = Math.floor(stock / 8);
      if (quantity < 1) continue;
      const target = TARGETS[k++ % TARGETS.length]!;
      stock -= quantity;
      movements.push({
        supply_id: supplyId, date: d, kind: 'out', quantity, purchase_id: null, unit_id: target.unit ? units.get(target.unit) || null : null, checkpoint_id: target.checkpoint ? (checkpoints.get(target.checkpoint) ?? null) : null,
        note: `发放至${target.unit ?? target.checkpoint}`, created_by: users.health, created_at: shanghaiAt(d, hm('09:30')),
      });
    }
    await trx.insertInto('supply_movements').values(movements).execute();
  }

  // Two or three vegetable supply points per community, open mornings and late afternoons every day.
  const everyDay = [1, 2, 3, 4, 5, 6, 7];
  const points = demoSites.filter((s) => s.kind === 'community').flatMap((s, i) =>
    ['东侧', '西侧', '北侧'].slice(0, i % 2 === 0 || s.code === 'CWXQ' ? 3 : 2).map((side, j) => ({
      site_id: siteIds.get(s.code)!, name: `${s.zh}蔬菜供应点（${side}）`, location: `${s.zh}${side}便民服务站`, goods: '蔬菜、水果、肉蛋、米面粮油',
      opening_hours: JSON.stringify(j === 2 ? [{ days: everyDay, from: '08:00', to: '10:00' }, { days: everyDay, from: '17:00', to: '19:00' }] : [{ days: everyDay, from: '07:00', to: '09:00' }, { days: everyDay, from: '16:00', to: '18:00' }]),
      phone: `0359-56${String(10 + i).padStart(2, '0')}${j + 1}0${j}`, created_at: shanghaiAt('2020-02-01', hm('08:00')), updated_at: shanghaiAt('2020-02-01', hm('08:00')),
    })),
  );
  await trx.insertInto('supply_points').values(points).execute();

  await trx
    .insertInto('donations')
    .values([
      { donor: '退休职工 王建国', amount: '2000.00', date: '2020-02-10', purpose: '疫情防控', note: '通过社区党支部捐赠', incident_id: incident.id, created_by: users.health, created_at: shanghaiAt('2020-02-10', hm('10:00')) },
      { donor: '退休职工 李秀英', amount: '1000.00', date: '2020-02-12', purpose: '疫情防控', note: '通过社区党支部捐赠', incident_id: incident.id, created_by: users.health, created_at: shanghaiAt('2020-02-12', hm('10:00')) },
    ])
    .execute();
  const tasks = ['卡口值守、测温登记', '为隔离家庭代购配送生活物资', '楼道、电梯消毒消杀', '协助网格员入户排查'];
  const volunteers = story.volunteers.map((code, i) => ({
    person_id: r.id(code), site_id: r.siteOf(code), task: tasks[i % tasks.length]!, available: i % 2 ? '每天 14:00–18:00' : '每天 08:00–12:00', incident_id: incident.id,
    created_at: shanghaiAt('2020-01-26', hm('09:00')), updated_at: shanghaiAt('2020-01-26', hm('09:00')),
  }));
  if (volunteers.length > 0) await trx.insertInto('volunteers').values(volunteers).execute();
}

/**
 * Gate traffic at the community gates from 23 January through 31 March: residents out in the
 * morning and back with a temperature; 翠微小区 allows one member per household out every two days;
 * outsiders without a pass and late arrivals are refused. The story's people stay home (but the
 * case and the gate neighbour pass the east gate together on 23 January).
 */
async function seedGateTraffic(r: Replay, registry: RegistryRow[], volume: DemoHealthVolume): Promise<number> {
  const { trx, story } = r;
  const rand = seededRandom(`demo-health-gate-${volume}`);
  const rows = await trx.selectFrom('checkpoints as c').innerJoin('sites as s', 's.id', 'c.site_id').leftJoin('devices as d', 'd.checkpoint_id', 'c.id').select(['c.code', 'c.id', 'c.site_id', 's.code as site', 'd.id as device']).where('s.kind', '=', 'community').execute();
  const gates = new Map<string, typeof rows>();
  for (const g of rows) gates.set(g.site, [...(gates.get(g.site) ?? []), g]);
  const storyCodes = new Set([story.caseCode, ...story.contacts.map((c) => c.code), ...story.returning.filter((x) => x.decision !== 'cleared').map((x) => x.code), ...story.fevers.map((f) => f.code)]);
  const pool = registry.filter((p) => p.proxy === null && p.site !== null && gates.has(p.site) && p.category !== 'visitor' && !storyCodes.has(p.code));
  type Ev = { gate: (typeof rows)[number]; person: string | null; direction: 'in' | 'out'; at: Date; reason: string | null; temperature: number | null };
  const evs: Ev[] = [];
  const temp = () => Math.round((36 + rand() * 0.9) * 10) / 10;
  const east = gates.get('CWXQ')![0]!;
  const neighbour = story.contacts.find((c) => c.type === 'gate')?.code;
  for (const [i, code] of [story.caseCode, neighbour].entries()) {
    if (!code) continue;
    evs.push({ gate: east, person: r.id(code), direction: 'out', at: shanghaiAt('2020-01-23', hm('07:52') + i * 4), reason: null, temperature: null });
    evs.push({ gate: east, person: r.id(code), direction: 'in', at: shanghaiAt('2020-01-23', hm('11:20') + i * 25), reason: null, temperature: temp() });
  }
  const lastOut = new Map<string, number>();
  const perDay = volume === 'full' ? 150 : 30;
  let day = 0;
  for (let d: string = demoHealthTimeline.start; d <= demoHealthTimeline.end; d = addDays(d, 1), day++) {
    for (let n = 0; n < perDay && pool.length > 0; n++) {
      const p = pool[Math.floor(rand() * pool.length)]!;
      const list = gates.get(p.site!)!;
      const gate = list[Math.floor(rand() * list.length)]!;
      const out = shanghaiAt(d, hm('08:00') + Math.floor(rand() * 180));
      const key = `${p.site}/${p.household}`;
      if (p.site === 'CWXQ' && p.household !== null && day - (lastOut.get(key) ?? -9) < 2) {
        evs.push({ gate, person: p.id, direction: 'out', at: out, reason: 'HOUSEHOLD_QUOTA', temperature: null });
        continue;
      }
      lastOut.set(key, day);
      evs.push({ gate, person: p.id, direction: 'out', at: out, reason: null, temperature: null });
      evs.push({ gate, person: p.id, direction: 'in', at: new Date(out.getTime() + (60 + Math.floor(rand() * 120)) * 60_000), reason: null, temperature: temp() });
    }
    for (let n = 0; n < 2; n++) {
      const list = [...gates.values()][Math.floor(rand() * gates.size)]!;
      evs.push({ gate: list[0]!, person: null, direction: 'in', at: shanghaiAt(d, hm('09:00') + Math.floor(rand() * 540)), reason: 'NO_PASS', temperature: temp() });
    }
    const late = pool.find((p) => p.site === 'CWXQ');
    if (late) evs.push({ gate: east, person: late.id, direction: 'in', at: shanghaiAt(d, hm('22:40')), reason: 'OUTSIDE_HOURS', temperature: temp() });
  }
  evs.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (let i = 0; i < evs.length; i += 5000) {
    const chunk = evs.slice(i, i + 5000);
    await sql`INSERT INTO gate_events (idempotency_key, checkpoint_id, site_id, device_id, person_id, credential, direction, decision, reason, temperature_c, at, recorded_at)
      SELECT * FROM unnest(
        ${chunk.map((_, k) => `demo-health-${String(i + k + 1).padStart(8, '0')}`)}::text[], ${chunk.map((e) => e.gate.id)}::uuid[], ${chunk.map((e) => e.gate.site_id)}::uuid[],
        ${chunk.map((e) => e.gate.device)}::uuid[], ${chunk.map((e) => e.person)}::uuid[], ${chunk.map((e) => (e.person ? 'person' : 'none'))}::text[],
        ${chunk.map((e) => e.direction)}::text[], ${chunk.map((e) => (e.reason ? 'deny' : 'allow'))}::text[], ${chunk.map((e) => e.reason)}::text[],
        ${chunk.map((e) => e.temperature)}::numeric[], ${chunk.map((e) => e.at.toISOString())}::timestamptz[], ${chunk.map((e) => e.at.toISOString())}::timestamptz[]
      )`.execute(trx);
  }
  return evs.length;
}
