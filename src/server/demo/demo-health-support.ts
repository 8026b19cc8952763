/**
 * The replay's surroundings (issue 7, item 10): prevention supplies bought over three quotes and
 * handed out, supply points, donations, volunteers, and the gate traffic at the community gates.
 */
import { sql } from 'kysely';
import { addDays } from '../../domain/notices/week';
import { seededRandom } from '../../domain/random';
import { findUnitByCode } from '../modules/units/units.repository';
import { demoSites } from './demo-access';
import { demoHealthTimeline, type DemoHealthVolume } from './demo-health-story';
import { hm, loadInBulk, shanghaiAt, type RegistryRow, type Replay } from './demo-health-replay';

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
export async function seedSupport(r: Replay, siteIds: Map<string, string>): Promise<void> {
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
export async function seedGateTraffic(r: Replay, registry: RegistryRow[], volume: DemoHealthVolume): Promise<number> {
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
  // The gates and devices were read above, the people from the registry: loaded with one check of their keys.
  const load = async () => {
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
  };
  await loadInBulk(trx, 'gate_events', load, sql<boolean>`t.idempotency_key LIKE 'demo-health-%'`, [['checkpoint_id', 'checkpoints'], ['site_id', 'sites'], ['device_id', 'devices'], ['person_id', 'people']]);
  return evs.length;
}
