import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { idCheckCharacter } from '../../domain/access/id-number';
import { seededRandom } from '../../domain/random';
import type { Deps, RequestContext, Tx } from '../context';
import { personalDataOf } from '../crypto/personal-data';
import { audit } from '../modules/audit/audit.service';
import { findUnitByCode } from '../modules/units/units.repository';
import { todayInShanghai } from '../modules/units/units.service';
import { findUserByUsername } from '../modules/users/users.repository';

/**
 * The demo's sites and people (issue 6): the communities the newspaper names (翠溪北区, 翠微小区,
 * 翠微明辉小区 and others) with grid cells, buildings and households; the two plant sites, 山西铝业
 * with five gates staffed by 50 guards in three shifts from 07:30; about 5 000 people with
 * encrypted ID numbers and phones and their passes; visitors, a block list, vehicles; and a week of
 * gate traffic up to now with the denials a real week has. Generated deterministically (seeded),
 * except the pass tokens, which are random like every pass token.
 */
export type DemoAccessVolume = 'full' | 'small';

interface DemoSite {
  code: string;
  zh: string;
  en: string;
  kind: 'community' | 'plant';
  accessLevel: 'open' | 'restricted' | 'closed';
  unit: string;
  buildings: number;
  temperatureMode?: 'off' | 'optional' | 'required';
  householdQuota?: { days: number; count: number };
  capacity?: number;
  gates: { code: string; zh: string; en: string; hours?: { from: string; to: string }[]; vehicles?: boolean }[];
}

export const demoSites: DemoSite[] = [
  { code: 'CXBQ', zh: '翠溪北区', en: 'Cuixi North', kind: 'community', accessLevel: 'open', unit: 'WZBW', buildings: 16, gates: [{ code: 'CXBQ-N', zh: '翠溪北区北门', en: 'Cuixi North, north gate' }, { code: 'CXBQ-S', zh: '翠溪北区南门', en: 'Cuixi North, south gate' }] },
  {
    code: 'CWXQ', zh: '翠微小区', en: 'Cuiwei', kind: 'community', accessLevel: 'restricted', unit: 'WZBW', buildings: 14, temperatureMode: 'required', householdQuota: { days: 2, count: 1 },
    gates: [{ code: 'CWXQ-E', zh: '翠微小区东门', en: 'Cuiwei, east gate', hours: [{ from: '06:00', to: '22:00' }] }],
  },
  { code: 'CWMH', zh: '翠微明辉小区', en: 'Cuiwei Minghui', kind: 'community', accessLevel: 'open', unit: 'WZBW', buildings: 12, gates: [{ code: 'CWMH-1', zh: '明辉小区大门', en: 'Minghui, main gate' }] },
  { code: 'CXNQ', zh: '翠溪南区', en: 'Cuixi South', kind: 'community', accessLevel: 'open', unit: 'WZBW', buildings: 12, gates: [{ code: 'CXNQ-1', zh: '翠溪南区大门', en: 'Cuixi South, main gate' }] },
  { code: 'FHY', zh: '汾河苑', en: 'Fenhe Garden', kind: 'community', accessLevel: 'open', unit: 'WZBW', buildings: 9, gates: [{ code: 'FHY-1', zh: '汾河苑大门', en: 'Fenhe Garden, main gate' }] },
  { code: 'LCXC', zh: '铝城新村', en: 'Aluminium Town New Village', kind: 'community', accessLevel: 'open', unit: 'WZBW', buildings: 9, gates: [{ code: 'LCXC-1', zh: '铝城新村大门', en: 'New Village, main gate' }] },
  {
    code: 'SXLY-PLANT', zh: '山西铝业厂区', en: 'Shanxi Aluminium plant site', kind: 'plant', accessLevel: 'restricted', unit: 'WZBW', buildings: 0, temperatureMode: 'required', capacity: 6000,
    gates: [
      { code: 'SXLY-G1', zh: '厂区东大门', en: 'East main gate' },
      { code: 'SXLY-G2', zh: '厂区西门', en: 'West gate' },
      { code: 'SXLY-G3', zh: '厂区南门', en: 'South gate' },
      { code: 'SXLY-G4', zh: '厂区北门', en: 'North gate', hours: [{ from: '06:00', to: '22:00' }] },
      { code: 'SXLY-G5', zh: '物流门', en: 'Logistics gate', vehicles: true },
    ],
  },
  {
    code: 'XCL-PLANT', zh: '新材料厂区', en: 'New Materials plant site', kind: 'plant', accessLevel: 'restricted', unit: 'WZBW', buildings: 0, temperatureMode: 'required', capacity: 3000,
    gates: [{ code: 'XCL-G1', zh: '新材料正门', en: 'Main gate' }, { code: 'XCL-G2', zh: '新材料货运门', en: 'Freight gate', vehicles: true }],
  },
];

/** The token of the demo's gate devices, one per checkpoint (demo mode only, like the demo passwords). */
export const demoDeviceToken = (checkpoint: string) => `dev_demo-${checkpoint}`;

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志强海波晓东文斌立新红梅永刚俊峰凤霞晋宏亮春生小龙雪梅'];
const PRODUCTION_UNITS = ['YH1', 'YH1-BS', 'YH1-RC', 'YH2', 'YH2-RC', 'YH2-CP', 'YH3', 'JXYH', 'KY-SHS', 'WL', 'JA', 'DJ1', 'DJ1-DJ', 'DJ1-ZZ', 'DJ1-DJ-A1', 'DL', 'RD', 'RD-RH', 'TS', 'LJG'];
const XCL_UNITS = new Set(['DJ1', 'DJ1-DJ', 'DJ1-ZZ', 'DJ1-DJ-A1', 'DL', 'RD', 'RD-RH', 'TS', 'LJG']);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A Shanghai wall-clock time on a date, as an instant. */
function shanghai(date: string, minutesOfDay: number): Date {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + minutesOfDay * 60_000);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

interface DemoPerson {
  code: string;
  name: string;
  category: 'employee' | 'resident' | 'family' | 'contractor' | 'visitor';
  sex: 'male' | 'female';
  idNumber: string;
  phone: string | null;
  unit: string | null;
  site: string | null;
  household: string | null;
  proxy: string | null;
  plant: string | null;
}

/** Generates the registry: households first, then their members; guards, contractors and visitors. */
export function demoAccessPeople(volume: DemoAccessVolume): { people: DemoPerson[]; households: { site: string; building: string; code: string }[] } {
  const rand = seededRandom(`demo-access-${volume}`);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let serial = 0;
  const idNumber = (birthYear: number, sex: 'male' | 'female') => {
    const date = `${birthYear}${pad(1 + Math.floor(rand() * 12), 2)}${pad(1 + Math.floor(rand() * 28), 2)}`;
    const seq = pad(Math.floor(rand() * 50) * 2 + (sex === 'male' ? 1 : 0), 3).slice(-3);
    const first17 = `140882${date}${seq}`;
    return first17 + idCheckCharacter(first17);
  };
  const person = (p: Omit<DemoPerson, 'code' | 'name' | 'idNumber' | 'phone' | 'sex'> & { birthYear: number; phone?: boolean }): DemoPerson => {
    serial++;
    const sex = rand() < 0.5 ? 'male' : 'female';
    const given = pick(GIVEN) + (rand() < 0.7 ? pick(GIVEN) : '');
    return {
      code: `P${pad(serial, 5)}`,
      name: pick(SURNAMES) + given,
      sex,
      idNumber: idNumber(p.birthYear, sex),
      phone: p.phone === false ? null : `1${pick(['3', '5', '8'])}${pad(Math.floor(rand() * 1e9), 9)}`,
      category: p.category,
      unit: p.unit,
      site: p.site,
      household: p.household,
      proxy: p.proxy,
      plant: p.plant,
    };
  };
  const people: DemoPerson[] = [];
  const households: { site: string; building: string; code: string }[] = [];
  const scale = volume === 'full' ? 1 : 0.1;
  const plantOf = (unit: string) => (XCL_UNITS.has(unit) ? 'XCL-PLANT' : 'SXLY-PLANT');

  // 50 guards of the security department run the five plant gates (the guard account is one).
  for (let i = 0; i < (volume === 'full' ? 50 : 15); i++) people.push(person({ category: 'employee', unit: 'WZBW', site: null, household: null, proxy: null, plant: 'SXLY-PLANT', birthYear: 1970 + Math.floor(rand() * 30) }));
  for (const site of demoSites.filter((s) => s.kind === 'community')) {
    const buildings = Math.max(1, Math.round(site.buildings * scale));
    for (let b = 1; b <= buildings; b++) {
      for (let entrance = 1; entrance <= 2; entrance++) {
        for (let floor = 1; floor <= 6; floor++) {
          for (let door = 1; door <= 2; door++) {
            const household = `${b}-${entrance}-${floor}0${door}`;
            households.push({ site: site.code, building: String(b), code: household });
            const employee = rand() < 0.82;
            const headUnit = pick(PRODUCTION_UNITS);
            const head = person({ category: employee ? 'employee' : 'resident', unit: employee ? headUnit : null, site: site.code, household, proxy: null, plant: employee ? plantOf(headUnit) : null, birthYear: 1965 + Math.floor(rand() * 35) });
            people.push(head);
            if (rand() < 0.8) {
              const spouseWorks = employee && rand() < 0.3;
              const spouseUnit = pick(PRODUCTION_UNITS);
              people.push(person({ category: spouseWorks ? 'employee' : employee ? 'family' : 'resident', unit: spouseWorks ? spouseUnit : null, site: site.code, household, proxy: null, plant: spouseWorks ? plantOf(spouseUnit) : null, birthYear: 1965 + Math.floor(rand() * 35) }));
            }
            // Children and the elderly without a phone are registered on their behalf.
            if (rand() < 0.6) people.push(person({ category: employee ? 'family' : 'resident', unit: null, site: site.code, household, proxy: head.code, plant: null, birthYear: 2008 + Math.floor(rand() * 12), phone: false }));
            if (rand() < 0.25) people.push(person({ category: employee ? 'family' : 'resident', unit: null, site: site.code, household, proxy: head.code, plant: null, birthYear: 1935 + Math.floor(rand() * 20), phone: rand() < 0.3 }));
          }
        }
      }
    }
  }
  for (let i = 0; i < Math.round(120 * scale); i++) people.push(person({ category: 'contractor', unit: null, site: null, household: null, proxy: null, plant: 'SXLY-PLANT', birthYear: 1970 + Math.floor(rand() * 30) }));
  for (let i = 0; i < Math.round(20 * Math.max(scale, 0.5)); i++) people.push(person({ category: 'visitor', unit: null, site: null, household: null, proxy: null, plant: null, birthYear: 1960 + Math.floor(rand() * 40) }));
  return { people, households };
}

/** Inserts rows in chunks (a statement per chunk keeps the parameter count small). */
async function insertChunks<T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

export interface DemoAccessSeedResult {
  sites: number;
  people: number;
  passes: number;
  events: number;
}

/**
 * Loads the demo's access data in the caller's transaction, once (skips when the first site exists
 * or the volume is 'none'), and writes one audit row with the counts.
 */
export async function seedDemoAccess(trx: Tx, deps: Pick<Deps, 'clock' | 'config'>, ctx: RequestContext, volume: DemoAccessVolume | 'none'): Promise<DemoAccessSeedResult> {
  const none = { sites: 0, people: 0, passes: 0, events: 0 };
  if (volume === 'none') return none;
  if (await trx.selectFrom('sites').select('id').where('code', '=', demoSites[0]!.code).executeTakeFirst()) return none;
  const pd = personalDataOf(deps.config);
  const now = deps.clock.now();
  const today = todayInShanghai(now);
  const rand = seededRandom(`demo-access-traffic-${volume}`);

  // Sites, checkpoints, one device per checkpoint, grid cells and buildings.
  const siteIds = new Map<string, string>();
  const checkpointIds = new Map<string, { id: string; site: string; deviceId: string }>();
  for (const s of demoSites) {
    const unit = await findUnitByCode(trx, s.unit);
    const row = await trx
      .insertInto('sites')
      .values({
        code: s.code, name_zh: s.zh, name_en: s.en, kind: s.kind, access_level: s.accessLevel, unit_id: unit?.id ?? null,
        temperature_mode: s.temperatureMode ?? 'optional', household_quota_days: s.householdQuota?.days ?? null, household_quota_count: s.householdQuota?.count ?? 1,
        capacity: s.capacity ?? null, created_at: now, updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    siteIds.set(s.code, row.id);
    for (const g of s.gates) {
      const cp = await trx
        .insertInto('checkpoints')
        .values({ code: g.code, name_zh: g.zh, name_en: g.en, site_id: row.id, opening_hours: g.hours ? JSON.stringify(g.hours) : null, vehicles: g.vehicles ?? s.kind === 'plant', created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const device = await trx
        .insertInto('devices')
        .values({ checkpoint_id: cp.id, name: `${g.zh} 值守终端`, token_hash: sha256(demoDeviceToken(g.code)), created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      checkpointIds.set(g.code, { id: cp.id, site: s.code, deviceId: device.id });
    }
  }

  const { people, households } = demoAccessPeople(volume);
  const householdIds = new Map<string, string>();
  const buildingIds = new Map<string, string>();
  const gridIds = new Map<string, string>();
  for (const s of demoSites.filter((x) => x.kind === 'community')) {
    for (let g = 1; g <= 3; g++) {
      const row = await trx.insertInto('grid_cells').values({ site_id: siteIds.get(s.code)!, code: `G${g}`, name: `第${'一二三'[g - 1]}网格`, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
      gridIds.set(`${s.code}/${g}`, row.id);
    }
  }
  for (const h of households) {
    const key = `${h.site}/${h.building}`;
    if (!buildingIds.has(key)) {
      const grid = gridIds.get(`${h.site}/${((Number(h.building) - 1) % 3) + 1}`)!;
      const row = await trx.insertInto('buildings').values({ site_id: siteIds.get(h.site)!, grid_cell_id: grid, code: h.building, name: `${h.building}号楼`, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
      buildingIds.set(key, row.id);
    }
  }
  await insertChunks(households, 1000, async (chunk) => {
    const rows = await trx
      .insertInto('households')
      .values(chunk.map((h) => ({ site_id: siteIds.get(h.site)!, building_id: buildingIds.get(`${h.site}/${h.building}`)!, code: h.code, created_at: now, updated_at: now })))
      .returning(['id', 'site_id', 'code'])
      .execute();
    const siteCode = new Map([...siteIds].map(([code, id]) => [id, code]));
    for (const r of rows) householdIds.set(`${siteCode.get(r.site_id)}/${r.code}`, r.id);
  });

  // People, with encrypted ID numbers and phones; the guard account is the first guard.
  const unitIds = new Map<string, string>();
  for (const code of new Set(people.map((p) => p.unit).filter((u): u is string => u !== null))) {
    const u = await findUnitByCode(trx, code);
    if (u) unitIds.set(code, u.id);
  }
  const guardUser = await findUserByUsername(trx, 'guard');
  const personIds = new Map<string, string>();
  await insertChunks(people, 1000, async (chunk) => {
    const rows = await trx
      .insertInto('people')
      .values(
        chunk.map((p) => ({
          code: p.code, name: p.name, unit_id: p.unit ? (unitIds.get(p.unit) ?? null) : null, user_id: p === people[0] && guardUser ? guardUser.id : null,
          category: p.category, sex: p.sex, id_type: 'resident-id',
          id_number_enc: pd.encrypt('people.id_number', p.idNumber), id_number_bidx: pd.blindIndex('people.id_number', p.idNumber),
          phone_enc: p.phone ? pd.encrypt('people.phone', p.phone) : null, phone_bidx: p.phone ? pd.blindIndex('people.phone', p.phone) : null,
          site_id: p.site ? siteIds.get(p.site)! : null, household_id: p.household ? householdIds.get(`${p.site}/${p.household}`)! : null,
          created_at: now, updated_at: now,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    for (const r of rows) personIds.set(r.code, r.id);
  });
  for (const p of people.filter((x) => x.proxy)) {
    await trx.updateTable('people').set({ proxy_person_id: personIds.get(p.proxy!)! }).where('id', '=', personIds.get(p.code)!).execute();
  }
  // A grid worker for every grid cell, from the community services centre's residents.
  const workers = people.filter((p) => p.category === 'employee' && p.site !== null);
  let w = 0;
  for (const gridId of gridIds.values()) await trx.updateTable('grid_cells').set({ worker_person_id: personIds.get(workers[w++ % workers.length]!.code)! }).where('id', '=', gridId).execute();

  // Passes: home community and, for employees and contractors, their plant; a few revoked,
  // suspended or expired; guards and one in twenty employees are essential personnel.
  const yearStart = `${today.slice(0, 4)}-01-01`;
  const yearEnd = `${today.slice(0, 4)}-12-31`;
  type PassPlan = { person: DemoPerson; sites: string[]; status: 'active' | 'suspended' | 'revoked'; validTo: string; essential: boolean; windows: string | null };
  const plans: PassPlan[] = [];
  people.forEach((p, i) => {
    const sites = [p.site, p.plant].filter((s): s is string => s !== null);
    if (sites.length === 0) return;
    const r = rand();
    const status = r < 0.004 ? 'revoked' : r < 0.008 ? 'suspended' : 'active';
    const expired = rand() < 0.005;
    plans.push({
      person: p, sites, status, validTo: expired ? addDays(today, -20) : yearEnd,
      essential: p.unit === 'WZBW' || (p.category === 'employee' && i % 20 === 0),
      windows: p.category === 'contractor' ? JSON.stringify([{ days: [1, 2, 3, 4, 5, 6], from: '07:00', to: '19:00' }]) : null,
    });
  });
  const passIds = new Map<string, { id: string; plan: PassPlan }>();
  await insertChunks(plans, 1000, async (chunk) => {
    const rows = await trx
      .insertInto('passes')
      .values(
        chunk.map((pl) => {
          const token = randomBytes(18).toString('base64url');
          return {
            person_id: personIds.get(pl.person.code)!, token_hash: sha256(token), token_enc: pd.encrypt('passes.token', token),
            valid_from: yearStart, valid_to: pl.validTo, windows: pl.windows, essential: pl.essential, status: pl.status,
            status_reason: pl.status === 'revoked' ? '离职，收回通行证' : pl.status === 'suspended' ? '居家隔离期间暂停' : null,
            status_changed_at: pl.status === 'active' ? null : now, created_at: now, updated_at: now,
          };
        }),
      )
      .returning(['id', 'person_id'])
      .execute();
    rows.forEach((r, k) => passIds.set(chunk[k]!.person.code, { id: r.id, plan: chunk[k]! }));
  });
  const passSites = [...passIds.values()].flatMap(({ id, plan }) => plan.sites.map((s) => ({ pass_id: id, site_id: siteIds.get(s)! })));
  await insertChunks(passSites, 2000, (chunk) => trx.insertInto('pass_sites').values(chunk).execute());

  // Health: three red statuses; a block list of two; visitors with approved and pending visits.
  const employees = people.filter((p) => p.category === 'employee' && p.unit !== 'WZBW');
  const red = [employees[7]!, employees[70]!, employees[140 % employees.length]!];
  for (const p of red) await trx.insertInto('health_statuses').values({ person_id: personIds.get(p.code)!, status: 'red', rule: 'manual', facts: JSON.stringify({ note: '集中隔离观察' }), updated_at: now }).execute();
  const blocked = people.find((p) => p.category === 'contractor')!;
  await trx.insertInto('block_list').values({ person_id: personIds.get(blocked.code)!, reason: '违反厂区安全规定，禁止入厂', created_at: now }).execute();
  const outsider = '14088219800101001'; // an unregistered outsider, blocked by ID number only
  await trx.insertInto('block_list').values({ id_number_bidx: pd.blindIndex('people.id_number', outsider + idCheckCharacter(outsider)), site_id: siteIds.get('SXLY-PLANT')!, reason: '多次强行闯岗', created_at: now }).execute();
  const host = await trx.selectFrom('people').select('id').where('code', '=', 'E0003').executeTakeFirst();
  const visitors = people.filter((p) => p.category === 'visitor');
  const visitIds = new Map<string, { status: string; day: string; site: string }>();
  for (const [i, v] of visitors.entries()) {
    if (!host) break;
    const day = addDays(today, (i % 7) - 3);
    const status = i % 4 === 3 ? 'pending' : i % 7 === 5 ? 'rejected' : 'approved';
    const visit = await trx
      .insertInto('visits')
      .values({
        visitor_person_id: personIds.get(v.code)!, host_person_id: host.id, site_id: siteIds.get(i % 2 ? 'XCL-PLANT' : 'SXLY-PLANT')!,
        starts_at: shanghai(day, 9 * 60), ends_at: shanghai(day, 17 * 60), purpose: ['设备检修洽谈', '客户来访', '技术交流', '审计检查'][i % 4]!, status,
        decided_at: status === 'pending' ? null : now, created_at: now, updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    visitIds.set(v.code, { status, day, site: i % 2 ? 'XCL-PLANT' : 'SXLY-PLANT' });
    if (status === 'approved') {
      const token = randomBytes(18).toString('base64url');
      const pass = await trx
        .insertInto('passes')
        .values({ person_id: personIds.get(v.code)!, token_hash: sha256(token), token_enc: pd.encrypt('passes.token', token), valid_from: day, valid_to: day, windows: JSON.stringify([{ days: [1, 2, 3, 4, 5, 6, 7], from: '09:00', to: '17:00' }]), visit_id: visit.id, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('pass_sites').values({ pass_id: pass.id, site_id: siteIds.get(i % 2 ? 'XCL-PLANT' : 'SXLY-PLANT')! }).execute();
    }
  }

  // Vehicles: forty plates with plant permissions.
  const plates: string[] = [];
  for (let i = 0; i < 40; i++) {
    const plate = `晋M${'ABCDEFGHJK'[i % 10]}${pad(Math.floor(rand() * 10000), 4)}`;
    if (plates.includes(plate)) continue;
    plates.push(plate);
    const owner = employees[(i * 37) % employees.length]!;
    const v = await trx.insertInto('vehicles').values({ plate, owner_person_id: personIds.get(owner.code)!, kind: i % 5 === 0 ? 'truck' : 'car', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('vehicle_sites').values({ vehicle_id: v.id, site_id: siteIds.get(owner.plant ?? 'SXLY-PLANT')! }).execute();
  }

  // Duty: three shifts at the big plant site, its five gates staffed from 07:30, rotating daily.
  const plantId = siteIds.get('SXLY-PLANT')!;
  const shifts = [
    { code: 'D', name: '白班', starts: '07:30', ends: '15:30' },
    { code: 'M', name: '中班', starts: '15:30', ends: '23:30' },
    { code: 'N', name: '夜班', starts: '23:30', ends: '07:30' },
  ];
  const shiftIds: string[] = [];
  for (const s of shifts) shiftIds.push((await trx.insertInto('duty_shifts').values({ site_id: plantId, code: s.code, name: s.name, starts: s.starts, ends: s.ends, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id);
  const guards = people.filter((p) => p.unit === 'WZBW');
  const gates = demoSites.find((s) => s.code === 'SXLY-PLANT')!.gates;
  const perPost = guards.length >= 45 ? 3 : 1;
  const duty: { checkpoint_id: string; shift_id: string; date: string; person_id: string; created_at: Date }[] = [];
  for (let d = -7; d <= 7; d++) {
    const date = addDays(today, d);
    let k = ((d + 7) * gates.length) % guards.length;
    for (const shiftId of shiftIds) {
      for (const g of gates) {
        for (let slot = 0; slot < perPost; slot++) duty.push({ checkpoint_id: checkpointIds.get(g.code)!.id, shift_id: shiftId, date, person_id: personIds.get(guards[k++ % guards.length]!.code)!, created_at: now });
      }
    }
  }
  await insertChunks(duty, 1000, (chunk) => trx.insertInto('duty_assignments').values(chunk).execute());
  await trx.insertInto('duty_handovers').values({ checkpoint_id: checkpointIds.get('SXLY-G1')!.id, shift_id: shiftIds[0]!, date: addDays(today, -1), note: '东大门道闸抬杆偶有卡滞，已报设备科；夜班注意外来车辆登记。', created_at: now }).execute();

  const events = await seedDemoTraffic(trx, { now, today, rand, people, personIds, passIds, checkpointIds, siteIds, red: new Set(red.map((p) => p.code)), blocked: blocked.code, visitIds, plates, guardUserId: guardUser?.id ?? null });
  const result = { sites: demoSites.length, people: people.length, passes: passIds.size, events };
  await audit(trx, deps, ctx, { action: 'system.seed_demo_access', details: { ...result, households: households.length, checkpoints: checkpointIds.size } });
  return result;
}

interface TrafficInput {
  now: Date;
  today: string;
  rand: () => number;
  people: DemoPerson[];
  personIds: Map<string, string>;
  passIds: Map<string, { id: string; plan: { sites: string[]; status: string; validTo: string } }>;
  checkpointIds: Map<string, { id: string; site: string; deviceId: string }>;
  siteIds: Map<string, string>;
  red: Set<string>;
  blocked: string;
  visitIds: Map<string, { status: string; day: string; site: string }>;
  plates: string[];
  guardUserId: string | null;
}

/**
 * A week of gate events up to now: day-shift workers in around 07:30 and out around 15:30 at
 * their plant's gates, residents out and back at their community's gates; the denials follow from
 * the people's passes and states (revoked, suspended, expired, red, blocked, a pending visit, an
 * outsider without a pass, a fever, a household over its quota, a gate outside its hours).
 */
async function seedDemoTraffic(trx: Tx, t: TrafficInput): Promise<number> {
  type Ev = { key: string; cp: string; person: string | null; direction: 'in' | 'out'; at: Date; decision: 'allow' | 'deny'; reason: string | null; temperature: number | null; plate: string | null; disinfected: boolean | null };
  const evs: Ev[] = [];
  let n = 0;
  const gatesOf = (site: string) => [...t.checkpointIds].filter(([, c]) => c.site === site).map(([code]) => code);
  const temp = () => Math.round((36 + t.rand() * 0.9) * 10) / 10;
  const add = (e: Omit<Ev, 'key'>) => {
    if (e.at.getTime() <= t.now.getTime()) evs.push({ ...e, key: `demo-${pad(++n, 8)}` });
  };
  const passProblem = (code: string, date: string) => {
    const p = t.passIds.get(code);
    if (!p) return 'NO_PASS';
    if (p.plan.status === 'revoked') return 'PASS_REVOKED';
    if (p.plan.status === 'suspended') return 'PASS_SUSPENDED';
    if (date > p.plan.validTo) return 'PASS_EXPIRED';
    return null;
  };
  for (let d = -6; d <= 0; d++) {
    const date = addDays(t.today, d);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const workday = weekday >= 1 && weekday <= 5;
    const outsToday = new Set<string>();
    for (const p of t.people) {
      // Workers: in before their shift, out after it (guards and contractors too). Seven in ten
      // work days (07:30–15:30), two the middle shift (15:30–23:30), one nights (23:30–07:30).
      if (p.plant && (p.category === 'employee' || p.category === 'contractor') && t.rand() < (workday ? 0.85 : 0.2)) {
        const gates = gatesOf(p.plant);
        const cp = gates[Math.floor(t.rand() * Math.min(gates.length, 4))]!;
        const slot = p.category === 'contractor' ? 0 : Number(p.code.slice(1)) % 10;
        const start = slot < 7 ? 7 * 60 + 30 : slot < 9 ? 15 * 60 + 30 : 23 * 60 + 30;
        const inAt = shanghai(date, start - 35 + Math.floor(t.rand() * 35));
        const problem = p.code === t.blocked ? 'BLOCKED' : passProblem(p.code, date) ?? (t.red.has(p.code) ? 'HEALTH_RED' : null);
        const fever = !problem && t.rand() < 0.0004;
        const temperature = fever ? 37.4 + Math.round(t.rand() * 8) / 10 : temp();
        const reason = problem ?? (fever ? 'FEVER' : null);
        add({ cp, person: p.code, direction: 'in', at: inAt, decision: reason ? 'deny' : 'allow', reason, temperature, plate: null, disinfected: null });
        if (!reason) add({ cp, person: p.code, direction: 'out', at: shanghai(date, start + 8 * 60 + Math.floor(t.rand() * 40)), decision: 'allow', reason: null, temperature: null, plate: null, disinfected: null });
      }
      // Residents: a third go out in the morning and come back before noon.
      if (p.site && p.category !== 'employee' && t.rand() < 0.33) {
        const cp = gatesOf(p.site)[0]!;
        const restricted = p.site === 'CWXQ';
        const householdKey = `${p.site}/${p.household}`;
        const overQuota = restricted && outsToday.has(householdKey);
        const outAt = shanghai(date, 8 * 60 + Math.floor(t.rand() * 120));
        add({ cp, person: p.code, direction: 'out', at: outAt, decision: overQuota ? 'deny' : 'allow', reason: overQuota ? 'HOUSEHOLD_QUOTA' : null, temperature: null, plate: null, disinfected: null });
        if (!overQuota) {
          outsToday.add(householdKey);
          add({ cp, person: p.code, direction: 'in', at: shanghai(date, 10 * 60 + Math.floor(t.rand() * 120)), decision: 'allow', reason: null, temperature: restricted ? temp() : null, plate: null, disinfected: null });
        }
      }
    }
    // Outsiders without a pass (one in each two and a half hours from 08:00, so that every morning,
    // weekends too, has a denial at the plant), a pending visitor, a late arrival at a closed gate.
    for (let i = 0; i < 4; i++) add({ cp: 'SXLY-G1', person: null, direction: 'in', at: shanghai(date, 8 * 60 + i * 150 + Math.floor(t.rand() * 150)), decision: 'deny', reason: 'NO_PASS', temperature: temp(), plate: null, disinfected: null });
    for (const [code, v] of t.visitIds) {
      if (v.day !== date || v.status === 'rejected') continue;
      const approved = v.status === 'approved';
      add({ cp: gatesOf(v.site)[0]!, person: code, direction: 'in', at: shanghai(date, 9 * 60 + 30), decision: approved ? 'allow' : 'deny', reason: approved ? null : 'VISITOR_NOT_APPROVED', temperature: temp(), plate: null, disinfected: null });
      if (approved) add({ cp: gatesOf(v.site)[0]!, person: code, direction: 'out', at: shanghai(date, 16 * 60), decision: 'allow', reason: null, temperature: null, plate: null, disinfected: null });
    }
    const lateResident = t.people.find((p) => p.site === 'CWXQ' && p.category === 'resident');
    if (lateResident) add({ cp: 'CWXQ-E', person: lateResident.code, direction: 'in', at: shanghai(date, 22 * 60 + 40), decision: 'deny', reason: 'OUTSIDE_HOURS', temperature: temp(), plate: null, disinfected: null });
    // Trucks at the logistics gate, disinfected at entry.
    for (const [i, plate] of t.plates.entries()) {
      if (i % 3 !== 0 || !workday) continue;
      add({ cp: 'SXLY-G5', person: null, direction: 'in', at: shanghai(date, 9 * 60 + i * 7), decision: 'allow', reason: null, temperature: null, plate, disinfected: true });
      add({ cp: 'SXLY-G5', person: null, direction: 'out', at: shanghai(date, 13 * 60 + i * 7), decision: 'allow', reason: null, temperature: null, plate, disinfected: null });
    }
  }
  evs.sort((a, b) => a.at.getTime() - b.at.getTime());

  await insertChunks(evs, 5000, async (chunk) => {
    const cp = (code: string) => t.checkpointIds.get(code)!;
    await sql`INSERT INTO gate_events (idempotency_key, checkpoint_id, site_id, device_id, guard_user_id, person_id, pass_id, credential, direction, decision, reason, temperature_c, plate, disinfected, at)
      SELECT * FROM unnest(
        ${chunk.map((e) => e.key)}::text[], ${chunk.map((e) => cp(e.cp).id)}::uuid[], ${chunk.map((e) => t.siteIds.get(cp(e.cp).site)!)}::uuid[],
        ${chunk.map((e) => cp(e.cp).deviceId)}::uuid[], ${chunk.map((e) => (e.cp.startsWith('SXLY') ? t.guardUserId : null))}::uuid[],
        ${chunk.map((e) => (e.person ? t.personIds.get(e.person)! : null))}::uuid[], ${chunk.map((e) => (e.person ? (t.passIds.get(e.person)?.id ?? null) : null))}::uuid[],
        ${chunk.map((e) => (e.person ? (t.passIds.has(e.person) ? 'pass' : 'person') : 'none'))}::text[], ${chunk.map((e) => e.direction)}::text[],
        ${chunk.map((e) => e.decision)}::text[], ${chunk.map((e) => e.reason)}::text[], ${chunk.map((e) => e.temperature)}::numeric[],
        ${chunk.map((e) => e.plate)}::text[], ${chunk.map((e) => e.disinfected)}::boolean[], ${chunk.map((e) => e.at.toISOString())}::timestamptz[]
      )`.execute(trx);
  });
  // A fever or red status refused at a gate opened an abnormal case (one open case per person).
  await sql`INSERT INTO abnormal_cases (person_id, source, reason, source_ref, temperature_c, site_id, opened_at)
    SELECT DISTINCT ON (person_id) person_id, 'gate', reason, id, temperature_c, site_id, at FROM gate_events
    WHERE reason IN ('FEVER', 'HEALTH_RED') AND person_id IS NOT NULL AND idempotency_key LIKE 'demo-%'
    ORDER BY person_id, at`.execute(trx);
  return evs.length;
}
