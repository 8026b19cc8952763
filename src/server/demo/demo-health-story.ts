/**
 * Who the 2020 health replay happens to (issue 7, item 10): the story, chosen from the access
 * demo's registry by a seeded random draw, with its fixed days, places and the ambulance's trips.
 * Pure: no database; demo-health.ts loads it.
 */
import { addDays } from '../../domain/notices/week';
import { seededRandom } from '../../domain/random';
import { demoSites } from './demo-access';

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
/** Where the contacts from work and the recovered case are observed. */
export const demoQuarantineFacility = '铝城宾馆集中隔离观察点';
const FACILITY = demoQuarantineFacility;
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

