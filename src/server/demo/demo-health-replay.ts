/**
 * The replay's records of people (issue 7, item 10): the confirmed case and its contacts, the
 * returning staff's screening, the quarantines' checks and care, the daily declarations and the
 * ambulance's trips. Each step writes in the caller's transaction; the shared functions
 * (openAbnormalCase, ensureQuarantine) run on a clock set to the replayed instant, so records and
 * audit rows carry 2020 dates.
 */
import { sql, type RawBuilder } from 'kysely';
import { addDays, startOfShanghaiDay } from '../../domain/notices/week';
import type { RequestContext, Tx } from '../context';
import { openAbnormalCase } from '../modules/health-cases/open-case';
import { coveredPeopleIds, type Incident } from '../modules/health-incidents/incident';
import { ensureQuarantine } from '../modules/health-quarantines/quarantine-schedule';
import { demoAmbulance, demoHealthTimeline, demoQuarantineFacility as FACILITY, type ContactType, type DemoHealthStory, type StoryPersonInput } from './demo-health-story';

/** A Shanghai wall-clock time on a date, as an instant. */
export const shanghaiAt = (date: string, minute: number): Date => new Date(startOfShanghaiDay(date).getTime() + minute * 60_000);
export const hm = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
/** The shared functions' clock during the replay. */
const replay = (at: Date) => ({ clock: { now: () => at } });

/** A person of the registry as the replay reads it. */
export type RegistryRow = StoryPersonInput & { id: string; site_id: string | null; user_id: string | null };
/** What every step of the replay works with. */
export interface Replay {
  trx: Tx;
  ctx: RequestContext;
  incident: Incident;
  story: DemoHealthStory;
  id: (code: string) => string;
  siteOf: (code: string) => string | null;
  users: { health: string | null; grid: string | null };
}

/** A reference the rows of a bulk load hold: column → the id of the referenced table. */
type Reference = [column: string, table: 'people' | 'users' | 'checkpoints' | 'sites' | 'devices'];

/**
 * Runs one of the replay's bulk loads without the per-row foreign-key triggers where the session may
 * switch them off (a superuser: always so on the embedded engine) and the table has no trigger of
 * its own (`session_replication_role = replica` would skip it too), then checks the loaded rows'
 * keys in one statement, so the guarantee stays: 288 000 declarations fire some 860 000 trigger
 * calls, half of their load's time, where the check costs a twentieth of it. Every key comes from a
 * row read in this transaction, so the check never fails in practice. On an error the transaction
 * is lost anyway, and the setting with it.
 */
export async function loadInBulk(trx: Tx, table: 'health_declarations' | 'gate_events', load: () => Promise<unknown>, loaded: RawBuilder<boolean>, references: Reference[]): Promise<void> {
  const [may] = (
    await sql<{ may: boolean }>`SELECT current_setting('is_superuser') = 'on'
      AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = ${table}::regclass AND NOT tgisinternal) AS may`.execute(trx)
  ).rows;
  if (!may?.may) return void (await load());
  await sql`SET LOCAL session_replication_role = replica`.execute(trx);
  await load();
  await sql`SET LOCAL session_replication_role = origin`.execute(trx);
  const joins = references.map(([column, target], i) => sql`LEFT JOIN ${sql.table(target)} ${sql.raw(`r${i}`)} ON ${sql.ref(`r${i}.id`)} = ${sql.ref(`t.${column}`)}`);
  const missing = references.map(([column], i) => sql`(${sql.ref(`t.${column}`)} IS NOT NULL AND ${sql.ref(`r${i}.id`)} IS NULL)`);
  const bad = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} t ${sql.join(joins, sql` `)} WHERE ${loaded} AND (${sql.join(missing, sql` OR `)})`.execute(trx);
  if (bad.rows[0]!.n > 0) throw new Error(`The demo health replay loaded ${bad.rows[0]!.n} row(s) of ${table} with a dangling reference`);
}

/** 24 January: the confirmed case, its card, and its 7 close contacts with their exposures, quarantines and cases. */
export async function replayCaseAndContacts(r: Replay): Promise<void> {
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
export async function replayScreening(r: Replay): Promise<void> {
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
export async function replayQuarantineCare(r: Replay): Promise<void> {
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
export async function replayDeclarations(r: Replay): Promise<number> {
  const { trx, ctx, incident, story, users } = r;
  const days = Math.round((Date.parse(demoHealthTimeline.end) - Date.parse(demoHealthTimeline.declarationsFrom)) / 86_400_000);
  // The ids grow with the person (in id order) and the day, the order of the insert (the incident
  // id's first 48 bits, then a running number, laid out as a version-4 uuid), so the primary key and
  // the (person, date) key fill at their right edge: 288 000 random uuids drawn from the engine and
  // scattered over the index cost about a second. Each row's hash and time are computed once
  // (OFFSET 0 keeps the lateral subquery from being inlined into every use).
  const prefix = incident.id.replace(/-/g, '').slice(0, 12);
  const insert = sql`INSERT INTO health_declarations (id, incident_id, person_id, date, temperature_c, symptoms, status, declared_by, on_behalf, created_at, updated_at)
    SELECT (${prefix} || '4' || substr(d.n, 1, 3) || '8' || substr(d.n, 4))::uuid, ${incident.id}, p.id, d.day, 36.0 + (get_byte(d.h, 1) % 13) / 10.0, '{}', 'green',
      p.user_id, p.proxy_person_id IS NOT NULL, d.at, d.at
    FROM (SELECT p.id, p.code, p.user_id, p.proxy_person_id, row_number() OVER (ORDER BY p.id) AS k FROM people p WHERE p.id IN ${coveredPeopleIds(incident.id)}) p
    CROSS JOIN LATERAL (
      SELECT s.day, x.n, x.h, (s.day + time '07:00' + make_interval(mins => get_byte(x.h, 2) * 180 / 255)) AT TIME ZONE 'Asia/Shanghai' AS at
      FROM (SELECT i, ${demoHealthTimeline.declarationsFrom}::date + i AS day FROM generate_series(0, ${days}) AS i) s
      CROSS JOIN LATERAL (SELECT lpad(to_hex(p.k * 100 + s.i), 18, '0') AS n, decode(md5(p.code || '/' || s.day::text), 'hex') AS h OFFSET 0) x
    ) d
    WHERE get_byte(d.h, 0) >= 8 AND NOT (p.id = ${r.id(story.caseCode)} AND d.day < '2020-02-21'::date)
    ORDER BY p.id, d.day`;
  // The incident's id is the one just inserted; the people's, from the people table; their accounts', from those people.
  await loadInBulk(trx, 'health_declarations', () => insert.execute(trx), sql<boolean>`t.incident_id = ${incident.id}`, [['person_id', 'people'], ['declared_by', 'users']]);
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
export async function replayTransfers(r: Replay): Promise<void> {
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
