/**
 * The personal-data registry (个人信息清单; PIPL art. 51(2) classification, issue 8 item 2, PI-1):
 * every database column that holds personal information, declared once with its class, whether it
 * is sensitive (PIPL art. 28), its purpose, its legal basis (PIPL art. 13), its retention and how
 * it is protected. test/db/personal-data-registry.test.ts compares it with the migrated schema: a
 * column that looks personal and is neither declared here nor listed in `notPersonal` fails CI,
 * and so does a declaration of a column that does not exist.
 *
 * Link columns (`*_person_id`, `user_id` …) are pseudonymous keys and are not listed one by one;
 * the values they point to are. A whole row that records where someone was (a gate event, a visit)
 * is declared through its person column.
 */
import type { Config } from '../config';

/** What kind of information about a person the column holds. */
export type PersonalDataClass = 'identity' | 'contact' | 'health' | 'whereabouts' | 'biometric' | 'general';

/** How the column is protected at rest and on display. */
export type Protection =
  /** AES-256-GCM bound to the column (src/server/crypto/personal-data.ts). */
  | 'encrypted'
  /** HMAC-SHA-256 of the normalised value, for exact search only. */
  | 'blind-index'
  /** Plaintext at rest, masked server-side in lists and exports (src/domain/access/mask.ts). */
  | 'masked'
  /** Plaintext; reachable only through the permissions of its module. */
  | 'plain';

/** The legal bases of PIPL art. 13 the platform relies on. */
export const legalBases = {
  '13(1)': { zh: '取得个人的同意', en: 'consent of the individual' },
  '13(2)': { zh: '订立、履行合同或按照依法制定的劳动规章制度和集体合同实施人力资源管理所必需', en: 'contract, or HR management under lawful labour rules' },
  '13(3)': { zh: '履行法定职责或者法定义务所必需（如《网络安全法》第二十一条：网络日志留存不少于六个月）', en: 'legal duty (e.g. Cybersecurity Law art. 21: network logs kept at least six months)' },
  '13(4)': { zh: '为应对突发公共卫生事件所必需', en: 'public health emergency' },
} as const;
export type LegalBasis = keyof typeof legalBases;

/** How long a value is kept and what ends it. */
export type Retention =
  /** While the person's record or the account exists (deleted or anonymised with it). */
  | { kind: 'account' }
  /** Until the job health-purge purges the incident: its retention_days after it closed. */
  | { kind: 'incident' }
  /** A number of days after the event, from a configuration key; the job deletes older rows. */
  | { kind: 'days'; setting: 'gateEventRetentionDays'; job: 'access-purge' }
  /** A fixed number of hours, enforced by a job. */
  | { kind: 'hours'; hours: number; job: string }
  /** As long as the business record it belongs to; deleted by hand with it (no automatic purge). */
  | { kind: 'record' }
  /** Kept with the security and audit logs (at least six months; never purged automatically today). */
  | { kind: 'log' };

export interface Text {
  zh: string;
  en: string;
}

export interface PersonalColumn {
  table: string;
  column: string;
  class: PersonalDataClass;
  /** Sensitive personal information, PIPL art. 28 (health, whereabouts, biometrics, specific identity). */
  sensitive: boolean;
  purpose: Text;
  legalBasis: LegalBasis[];
  retention: Retention;
  protection: Protection;
  /** A caveat worth knowing (e.g. kept after a purge). */
  note?: string;
}

// Shared declarations ---------------------------------------------------------------------------

const registryBasis: LegalBasis[] = ['13(2)', '13(1)'];
const emergency: LegalBasis[] = ['13(4)'];
const gateBasis: LegalBasis[] = ['13(2)', '13(4)', '13(1)'];
const securityLog: LegalBasis[] = ['13(3)'];
const gateRetention: Retention = { kind: 'days', setting: 'gateEventRetentionDays', job: 'access-purge' };

type Spec = Omit<PersonalColumn, 'table' | 'column'>;
/** Declares several columns of one table that share most of their entry. */
function table(name: string, shared: Partial<Spec>, columns: Record<string, Partial<Spec>>): PersonalColumn[] {
  return Object.entries(columns).map(([column, own]) => {
    const e = { ...shared, ...own };
    if (!e.class || e.sensitive === undefined || !e.purpose || !e.legalBasis || !e.retention || !e.protection) throw new Error(`personal-data registry: ${name}.${column} is incomplete`);
    return { table: name, column, ...(e as Spec) };
  });
}

/** Health data of an incident: sensitive (医疗健康), public-health-emergency basis, purged with the incident. */
const healthShared = (purpose: Text): Partial<Spec> => ({ class: 'health', sensitive: true, purpose, legalBasis: emergency, retention: { kind: 'incident' }, protection: 'plain' });

const p = (zh: string, en: string): Text => ({ zh, en });

// The registry ----------------------------------------------------------------------------------

export const personalDataRegistry: readonly PersonalColumn[] = [
  // People and accounts.
  ...table('people', { legalBasis: registryBasis, retention: { kind: 'account' } }, {
    name: { class: 'identity', sensitive: false, protection: 'masked', purpose: p('识别人员：人员登记、出入、人力资源与对标记录', 'identify the person: registry, gates, HR and benchmarking records') },
    sex: { class: 'identity', sensitive: false, protection: 'plain', purpose: p('住户登记与隔离安排', 'household registry and quarantine arrangements') },
    id_number_enc: { class: 'identity', sensitive: true, protection: 'encrypted', purpose: p('核验身份（门岗、访客、黑名单）', 'verify identity at the gate, for visitors and the block list'), note: 'GB/T 45574-2025 no longer lists the ID number as sensitive; treated as such (encrypted, masked 6+4 or 1+1)' },
    id_number_bidx: { class: 'identity', sensitive: true, protection: 'blind-index', purpose: p('按身份证号精确查找', 'exact search by ID number') },
    phone_enc: { class: 'contact', sensitive: false, protection: 'encrypted', purpose: p('联系本人（访客、隔离、通知）', 'reach the person (visits, quarantine, notices)') },
    phone_bidx: { class: 'contact', sensitive: false, protection: 'blind-index', purpose: p('按手机号精确查找', 'exact search by phone') },
    photo_enc: { class: 'biometric', sensitive: true, protection: 'encrypted', purpose: p('门岗人工比对照片', 'the guard compares the face with the photo') },
  }),
  ...table('users', { class: 'identity', sensitive: false, legalBasis: ['13(2)'], retention: { kind: 'account' }, protection: 'plain' }, {
    username: { purpose: p('登录与审计中的账号名', 'sign-in name, named in the audit log') },
    display_name: { purpose: p('界面与通知中显示的姓名', 'the name shown in the interface and notices') },
    totp_secret_enc: { class: 'general', protection: 'encrypted', purpose: p('两步验证的密钥', 'the second sign-in factor (TOTP secret)') },
  }),
  ...table('sessions', { class: 'general', sensitive: false, legalBasis: securityLog, retention: { kind: 'log' }, protection: 'plain' }, {
    ip: { purpose: p('会话安全与登录审计', 'session security and sign-in audit') },
    user_agent: { purpose: p('用户可识别自己的会话并结束它', 'lets users recognise and end their own sessions') },
  }),
  ...table('login_failures', { class: 'general', sensitive: false, legalBasis: securityLog, retention: { kind: 'log' }, protection: 'plain' }, {
    ip: { purpose: p('登录失败锁定与按 IP 限流', 'lockout after failed sign-ins, per-IP limits') },
  }),
  ...table('audit_log', { sensitive: false, legalBasis: securityLog, retention: { kind: 'log' }, protection: 'plain' }, {
    actor_username: { class: 'identity', purpose: p('审计记录：谁做了什么', 'audit: who did what') },
    ip: { class: 'general', purpose: p('审计记录：从哪里操作', 'audit: from where') },
  }),
  ...table('idempotency_keys', { class: 'general', sensitive: false, legalBasis: ['13(2)'], retention: { kind: 'hours', hours: 24, job: 'idempotency-expire' }, protection: 'encrypted' }, {
    response_enc: { purpose: p('重复提交时原样返回第一次的应答（可能含个人信息）', 'replays the first answer to a resent request (may carry personal data)') },
  }),

  // Access control: passes, block list, vehicles, visits, gate events.
  ...table('passes', { class: 'identity', sensitive: false, legalBasis: gateBasis, retention: { kind: 'record' }, protection: 'encrypted' }, {
    token_enc: { purpose: p('补打通行证二维码', 'print the pass QR again'), note: 'visitor passes go with their visit (access-purge)' },
  }),
  ...table('block_list', { sensitive: false, legalBasis: ['13(2)', '13(3)'], retention: { kind: 'record' } }, {
    id_number_bidx: { class: 'identity', protection: 'blind-index', purpose: p('拦截未登记的黑名单人员', 'stop a blocked person who is not registered') },
    phone_bidx: { class: 'contact', protection: 'blind-index', purpose: p('拦截未登记的黑名单人员', 'stop a blocked person who is not registered') },
    reason: { class: 'general', protection: 'plain', purpose: p('列入黑名单的理由', 'why the person is blocked') },
  }),
  ...table('vehicles', { class: 'identity', sensitive: false, legalBasis: registryBasis, retention: { kind: 'record' } }, {
    plate: { protection: 'masked', purpose: p('车辆准入', 'vehicle access') },
    note: { class: 'general', protection: 'plain', purpose: p('车辆备注', 'notes on the vehicle') },
  }),
  ...table('gate_events', { legalBasis: gateBasis, retention: gateRetention }, {
    person_id: { class: 'whereabouts', sensitive: true, protection: 'masked', purpose: p('出入登记：谁何时经过哪个卡口（在场人数、疏散点名、流调）', 'gate log: who passed which gate when (occupancy, roll-call, contact tracing)') },
    temperature_c: { class: 'health', sensitive: true, protection: 'plain', legalBasis: ['13(4)'], purpose: p('门岗测温，发热拦截', 'temperature at the gate, fever stops entry'), note: 'shown only to health.read (PI-2)' },
    plate: { class: 'whereabouts', sensitive: true, protection: 'masked', purpose: p('车辆出入与消杀登记', 'vehicle passages and disinfection') },
  }),
  ...table('visits', { legalBasis: ['13(1)', '13(2)'], retention: gateRetention, sensitive: false, protection: 'plain' }, {
    visitor_person_id: { class: 'whereabouts', sensitive: true, purpose: p('访客预约：谁何时到访何处', 'visit booking: who visits where and when') },
    plate: { class: 'whereabouts', sensitive: true, protection: 'masked', purpose: p('访客车辆准入', 'the visitor’s vehicle') },
    purpose: { class: 'general', purpose: p('来访事由', 'why the visit') },
    decision_note: { class: 'general', purpose: p('审批意见', 'the host’s decision note') },
  }),

  // Health surveillance (issue 7): purged with the incident by health-purge.
  ...table('health_declarations', healthShared(p('每日健康申报（健康卡）', 'daily health declaration (health card)')), {
    temperature_c: {},
    symptoms: {},
    location_enc: { class: 'whereabouts', protection: 'encrypted', purpose: p('申报时所在地点', 'where the person is on the day') },
    risk_area_contact: { class: 'whereabouts', purpose: p('是否到过风险地区', 'whether the person was in a risk area') },
    case_contact: {},
    status: {},
  }),
  ...table('health_statuses', healthShared(p('健康码状态（红黄绿）及其依据，门岗据此放行', 'health status colour and its facts, used by the gate')), {
    status: {},
    rule: {},
    facts: {},
  }),
  ...table('health_status_contests', healthShared(p('对健康状态的申诉与复核', 'contests of a health status and their review')), {
    status: {},
    facts: {},
    reason: {},
    new_status: {},
    decision_note: {},
  }),
  ...table('abnormal_cases', healthShared(p('异常情况跟踪（台账）', 'abnormal cases (ledger and tracking card)')), {
    reason: {},
    temperature_c: {},
    classification: {},
    note: {},
    outcome: {},
    closure_note: {},
  }),
  ...table('case_follow_ups', healthShared(p('异常情况随访', 'follow-ups of a case')), { temperature_c: {}, condition: {}, action: {} }),
  ...table('exposures', healthShared(p('密切接触者追踪', 'contact tracing')), { type: { class: 'whereabouts' }, note: {} }),
  ...table('quarantines', healthShared(p('隔离观察', 'quarantine')), {
    status: {},
    place: { class: 'whereabouts' },
    facility: { class: 'whereabouts' },
    release_temperature_c: {},
    release_note: {},
  }),
  ...table('quarantine_follow_ups', healthShared(p('隔离期间每日随访', 'daily follow-ups in quarantine')), { temperature_c: {}, condition: {}, note: {} }),
  ...table('quarantine_notes', healthShared(p('隔离期间心理疏导等记录', 'counselling notes in quarantine')), { text: {} }),
  ...table('quarantine_supports', healthShared(p('隔离人员的生活与药品需求', 'supplies and medicine asked for in quarantine')), { request: {}, delivery_note: {} }),
  ...table('return_screenings', healthShared(p('返岗筛查', 'screening of returning staff')), { status: {}, items: {}, note: {} }),
  ...table('travel_records', { ...healthShared(p('行程（流调、风险地区匹配）', 'itineraries (tracing, risk-area matching)')), class: 'whereabouts' }, {
    region: {},
    address_enc: { protection: 'encrypted' },
    from_date: {},
    to_date: {},
    transport: {},
    transport_no: {},
  }),
  ...table('transfers', { sensitive: false, legalBasis: emergency, retention: { kind: 'record' }, protection: 'plain', purpose: p('转运记录', 'transfers (trips)') }, {
    driver: { class: 'identity' },
    from_place: { class: 'whereabouts', sensitive: true, note: 'kept after the incident purge (trips without their people); may name an address' },
    to_place: { class: 'whereabouts', sensitive: true, note: 'kept after the incident purge (trips without their people)' },
    note: { class: 'general' },
  }),

  // Support and results: names and contacts outside the person registry.
  ...table('donations', { class: 'identity', sensitive: false, legalBasis: ['13(1)'], retention: { kind: 'record' }, protection: 'plain', purpose: p('捐赠登记与致谢', 'record and thank the donor') }, {
    donor: { note: 'kept after the incident purge' },
    note: { class: 'general' },
  }),
  ...table('supply_points', { class: 'contact', sensitive: false, legalBasis: ['13(1)'], retention: { kind: 'record' }, protection: 'plain' }, {
    phone: { purpose: p('保供点的联系电话（公开页面）', 'the supply point’s contact phone (public page)'), note: 'may be a person’s mobile; published on purpose' },
  }),
  ...table('team_member_points', { class: 'general', sensitive: false, legalBasis: ['13(2)'], retention: { kind: 'record' }, protection: 'plain' }, {
    points: { purpose: p('班组成员计件工分（薪酬）', 'team members’ piece-rate points (pay)') },
  }),
];

/**
 * Columns whose names look personal but are not, each with the reason. Keep it short: a real
 * personal column belongs in the registry, not here.
 */
export const notPersonal: readonly { table: string; column: string; reason: string }[] = [
  { table: 'api_tokens', column: 'name', reason: 'the label a user gives a token' },
  { table: 'attachments', column: 'file_name', reason: 'evidence file of a problem or supervision item (business document)' },
  { table: 'attachments', column: 'content', reason: 'evidence file of a problem or supervision item (business document)' },
  { table: 'buildings', column: 'name', reason: 'a building of a site' },
  { table: 'devices', column: 'name', reason: 'a gate device' },
  { table: 'duty_shifts', column: 'name', reason: 'a shift (e.g. 早班)' },
  { table: 'grid_cells', column: 'name', reason: 'a grid cell of a site' },
  { table: 'health_incidents', column: 'name', reason: 'the incident (e.g. 新冠肺炎疫情)' },
  { table: 'health_rules', column: 'condition', reason: 'a status rule’s condition (rules as data), not a person’s' },
  { table: 'idempotency_keys', column: 'fingerprint', reason: 'sha256 of a request, not a biometric' },
  { table: 'idle_assets', column: 'name', reason: 'an asset' },
  { table: 'reading_batches', column: 'file_name', reason: 'a meter-reading file' },
  { table: 'risk_areas', column: 'region', reason: 'the public list of risk areas' },
  { table: 'sites', column: 'temperature_mode', reason: 'a site setting' },
  { table: 'supply_points', column: 'name', reason: 'a supply point (public page)' },
  { table: 'supply_points', column: 'location', reason: 'where a supply point is (public page)' },
];

// The check -------------------------------------------------------------------------------------

export interface DbColumn {
  table: string;
  column: string;
  dataType: string;
}

const personalTokens = new Set([
  'name', 'username', 'phone', 'mobile', 'tel', 'email', 'passport', 'birth', 'birthday', 'sex', 'gender', 'photo', 'face', 'fingerprint',
  'temperature', 'symptom', 'symptoms', 'diagnosis', 'condition', 'address', 'location', 'place', 'region', 'plate', 'donor', 'driver', 'contact', 'ip',
]);
const personalPhrases = /(^|_)(id_number|id_no|id_card|display_name|user_agent)(_|$)/;

/**
 * Whether a column looks personal by its name or type: `_enc` ciphertext, `_bidx` blind indexes,
 * any bytea, or a name token such as name, phone, temperature, address, plate. uuid columns are
 * links, not values; name_zh and name_en are labels of things.
 */
export function looksPersonal(c: DbColumn): boolean {
  // name_zh / name_en are the bilingual labels of business objects (units, indicators, sites …).
  if (c.dataType === 'uuid' || /^name_(zh|en)$/.test(c.column)) return false;
  if (c.dataType === 'bytea' || /_(enc|bidx)$/.test(c.column) || personalPhrases.test(c.column)) return true;
  return c.column.split('_').some((t) => personalTokens.has(t));
}

export interface RegistryCheck {
  /** `table.column` that look personal and are neither declared nor listed as not personal. */
  undeclared: string[];
  /** Declared in the registry but not in the database. */
  missing: string[];
  /** Listed in notPersonal but not in the database. */
  staleNotPersonal: string[];
}

/** Compares the registry with the columns of a migrated database (information_schema.columns). */
export function checkPersonalDataRegistry(columns: readonly DbColumn[]): RegistryCheck {
  const key = (t: string, c: string) => `${t}.${c}`;
  const present = new Set(columns.map((c) => key(c.table, c.column)));
  const declared = new Set(personalDataRegistry.map((e) => key(e.table, e.column)));
  const allowed = new Set(notPersonal.map((e) => key(e.table, e.column)));
  return {
    undeclared: columns.filter((c) => looksPersonal(c) && !declared.has(key(c.table, c.column)) && !allowed.has(key(c.table, c.column))).map((c) => key(c.table, c.column)).sort(),
    missing: [...declared].filter((k) => !present.has(k)).sort(),
    staleNotPersonal: [...allowed].filter((k) => !present.has(k)).sort(),
  };
}

/** The tables whose rows a retention setting (in days) governs, e.g. gateEventRetentionDays → gate_events, visits. */
export function tablesRetainedBy(setting: 'gateEventRetentionDays'): string[] {
  return [...new Set(personalDataRegistry.filter((e) => e.retention.kind === 'days' && e.retention.setting === setting).map((e) => e.table))].sort();
}

/** The retention in days a setting gives under this configuration. */
export function retentionDays(config: Pick<Config, 'gateEventRetentionDays'>, setting: 'gateEventRetentionDays'): number {
  return config[setting];
}
