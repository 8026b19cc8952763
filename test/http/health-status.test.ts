import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentView } from '../../src/server/modules/health-incidents/incidents.schemas';
import type { ContestView, DecideResult, RuleView, StatusView } from '../../src/server/modules/health-status/status.schemas';
import { accessFixtures, type AccessFixtures, type PersonFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { wzbwHealthAdmin } from '../helpers/users';

describe.each(engines)('health status rules, statuses and contests on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let health: Client;
  let grid: Client;
  let manager: Client;
  let leader: Client;
  let clerk: Client;
  let viewer: Client;
  let site: SiteFixture;
  let foreign: SiteFixture;
  let incident: IncidentView;

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    [health, grid, manager, leader, clerk, viewer] = await Promise.all([wzbwHealthAdmin(t), t.login('grid'), t.login('manager'), t.login('leader'), t.login('clerk'), t.login('viewer')]);
    site = await f.site({ unitCode: 'WZBW' });
    foreign = await f.site({ unitCode: 'YH1' });
    const res = await health.post('/api/health/incidents', { name: '新冠肺炎疫情防控', startDate: '2026-02-20', sites: [site.code] });
    expect(res.statusCode, res.body).toBe(201);
    incident = res.json() as IncidentView;
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  const errorOf = (res: { statusCode: number; json(): unknown }) => [res.statusCode, (res.json() as { error: { code: string } }).error?.code] as const;
  const rule = async (code: string) => ((await health.get('/api/health/rules')).json().rows as RuleView[]).find((r) => r.code === code)!;
  const statusOf = async (code: string, as = health): Promise<StatusView> => {
    const res = await as.get(`/api/health/status/${code}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as StatusView;
  };
  async function quarantine(personId: string): Promise<void> {
    await db().insertInto('quarantines').values({ incident_id: incident.id, person_id: personId, start_date: '2026-03-02', planned_end: '2026-03-16' }).execute();
  }
  async function contest(as: Client, person: string, reason = '已解除隔离'): Promise<ContestView> {
    const res = await as.post('/api/health/contests', { person, reason });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as ContestView;
  }

  it('lists the rules by priority and refuses invalid ones with their problems', async () => {
    const rows = (await grid.get('/api/health/rules')).json().rows as RuleView[];
    expect(rows.map((r) => r.code)).toEqual(['RED_CONFIRMED', 'RED_SUSPECTED', 'RED_CLOSE_CONTACT', 'RED_QUARANTINE', 'RED_HIGH_RISK_TRAVEL', 'YELLOW_FEVER', 'YELLOW_SYMPTOMS', 'YELLOW_RISK_TRAVEL']);
    expect(rows.find((r) => r.code === 'YELLOW_FEVER')).toMatchObject({ nameZh: '发热', status: 'yellow', priority: 60, when: { all: [{ fact: 'fever', op: '=', value: true }] }, enabled: true, version: 1 });
    expect((await manager.get('/api/health/rules')).statusCode).toBe(403);

    const base = { code: 'YELLOW_TEST', nameZh: '测试', nameEn: 'Test', status: 'yellow', priority: 90, when: { all: [{ fact: 'temperatureC', op: '>=', value: 38 }] } };
    const bad = await health.post('/api/health/rules', { ...base, code: 'bad code', status: 'blue', when: { all: [{ fact: 'mood', op: '=', value: 'sad' }, { fact: 'symptoms', op: '>=', value: 1 }] } });
    expect(errorOf(bad)).toEqual([422, 'RULE_INVALID']);
    expect(bad.json().error.details).toEqual([
      'status: must be one of green, yellow, red',
      'when.all[0].fact: unknown fact "mood"',
      'when.all[1].op: ">=" does not fit symptoms (use nonEmpty, empty, includes)',
      'code: 2–40 capital letters, digits or _, starting with a letter',
    ]);
    expect(errorOf(await health.post('/api/health/rules', { ...base, when: {} }))).toEqual([422, 'RULE_INVALID']);
    expect((await health.post('/api/health/rules', { ...base, code: 'DEFAULT_GREEN' })).json().error.details).toEqual(['code: DEFAULT_GREEN is reserved for "no rule matched"']);
    expect((await health.post('/api/health/rules', { ...base, code: 'REVIEW' })).json().error.details).toEqual(["code: REVIEW is reserved for a contest's decision"]);
    expect(errorOf(await health.post('/api/health/rules', { ...base, code: 'YELLOW_FEVER' }))).toEqual([409, 'RULE_EXISTS']);
    expect(errorOf(await health.post('/api/health/rules', { ...base, priority: 1.5 }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await grid.post('/api/health/rules', base))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await health.put('/api/health/rules/NO_SUCH', { ...base, code: undefined, version: 1 }))).toEqual([404, 'RULE_NOT_FOUND']);
  });

  it('the test bench: a fever at exactly 37.3 °C is yellow with its explanation, 37.2 is green; drafts and thresholds', async () => {
    const fever = await grid.post('/api/health/rules/test', { facts: { temperatureC: 37.3 } });
    expect(fever.statusCode, fever.body).toBe(200);
    expect(fever.json()).toMatchObject({
      status: 'yellow',
      rule: 'YELLOW_FEVER',
      explanation: { zh: '黄码：规则「发热」— 发热 = 是', en: 'Yellow: rule “Fever” — fever = yes' },
      matched: [{ rule: 'YELLOW_FEVER', status: 'yellow', clauses: [{ fact: 'fever', op: '=', value: true, actual: true }] }],
      facts: { temperatureC: 37.3, fever: true, symptoms: [] },
    });
    expect((await grid.post('/api/health/rules/test', { facts: { temperatureC: 37.2 } })).json()).toMatchObject({
      status: 'green',
      rule: 'DEFAULT_GREEN',
      matched: [],
      explanation: { zh: '绿码：未命中任何规则', en: 'Green: no rule matched' },
      facts: { temperatureC: 37.2, fever: false },
    });
    // The most severe colour wins; every matching rule is listed.
    const both = (await grid.post('/api/health/rules/test', { facts: { temperatureC: 38.1, inQuarantine: true, symptoms: ['cough'] } })).json();
    expect(both).toMatchObject({ status: 'red', rule: 'RED_QUARANTINE' });
    expect(both.matched.map((m: { rule: string }) => m.rule)).toEqual(['RED_QUARANTINE', 'YELLOW_FEVER', 'YELLOW_SYMPTOMS']);
    expect((await grid.post('/api/health/rules/test', { facts: { temperatureC: 37.3 }, feverThresholdC: 37.5 })).json()).toMatchObject({ status: 'green' });
    const draft = { code: 'RED_HOT', nameZh: '高热', nameEn: 'High fever', status: 'red', priority: 5, when: { all: [{ fact: 'temperatureC', op: '>=', value: 39 }] } };
    expect((await grid.post('/api/health/rules/test', { facts: { temperatureC: 39 }, rules: [draft] })).json()).toMatchObject({
      status: 'red',
      rule: 'RED_HOT',
      explanation: { en: 'Red: rule “High fever” — temperature (°C) ≥ 39 (actual 39)' },
    });
    const invalidDraft = await grid.post('/api/health/rules/test', { facts: {}, rules: [{ ...draft, when: { all: [{ fact: 'fever', op: 'in', value: true }] } }] });
    expect(errorOf(invalidDraft)).toEqual([422, 'RULE_INVALID']);
    expect(invalidDraft.json().error.details).toEqual(['rules[0].when.all[0].op: "in" does not fit fever (use =, !=)']);
    // Nothing is stored by the bench.
    expect(await db().selectFrom('health_rules').select('code').where('code', '=', 'RED_HOT').execute()).toEqual([]);
    expect((await manager.post('/api/health/rules/test', { facts: {} })).statusCode).toBe(403);
  });

  it('a rule change recomputes the statuses of the people the incident covers', async () => {
    const p = await f.person({ siteId: site.id });
    const q = await f.person({ siteId: site.id });
    const outside = await f.person({ siteId: foreign.id });
    await quarantine(p.id);
    const recomputed = await health.post('/api/health/rules/recompute');
    expect(recomputed.statusCode, recomputed.body).toBe(200);
    expect(recomputed.json()).toEqual({ recomputed: 2, changed: 2 });
    expect(await statusOf(p.code)).toMatchObject({ status: 'red', rule: 'RED_QUARANTINE', ruleName: { zh: '隔离观察中', en: 'In quarantine' }, facts: { inQuarantine: true }, incidentId: incident.id });
    expect(await db().selectFrom('health_statuses').select('person_id').where('person_id', '=', outside.id).execute()).toEqual([]);

    // A new rule paints the undeclared yellow; q has no other fact.
    const created = await health.post('/api/health/rules', { code: 'YELLOW_UNDECLARED', nameZh: '未申报', nameEn: 'Not declared', status: 'yellow', priority: 90, when: { all: [{ fact: 'declaredToday', op: '=', value: false }] } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ rule: { code: 'YELLOW_UNDECLARED', enabled: true, version: 1 }, recomputed: 2, changed: 1 });
    expect(await statusOf(q.code)).toMatchObject({ status: 'yellow', rule: 'YELLOW_UNDECLARED' });
    const off = await health.put('/api/health/rules/YELLOW_UNDECLARED', { nameZh: '未申报', nameEn: 'Not declared', status: 'yellow', priority: 90, when: { all: [{ fact: 'declaredToday', op: '=', value: false }] }, enabled: false, version: 1 });
    expect(off.json()).toMatchObject({ rule: { enabled: false, version: 2 }, recomputed: 2, changed: 1 });

    // Disabling the quarantine rule turns p green; a stale version is refused.
    const r = await rule('RED_QUARANTINE');
    const body = { nameZh: r.nameZh, nameEn: r.nameEn, status: r.status, priority: r.priority, when: r.when, enabled: false, version: r.version };
    expect(errorOf(await health.put('/api/health/rules/RED_QUARANTINE', { ...body, version: r.version + 5 }))).toEqual([409, 'STALE_VERSION']);
    expect(errorOf(await health.put('/api/health/rules/RED_QUARANTINE', { ...body, priority: 'high' }))).toEqual([400, 'VALIDATION_FAILED']);
    const disabled = await health.put('/api/health/rules/RED_QUARANTINE', body);
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ rule: { code: 'RED_QUARANTINE', enabled: false, version: r.version + 1 }, recomputed: 2, changed: 1 });
    expect(await statusOf(p.code)).toMatchObject({ status: 'green', rule: 'DEFAULT_GREEN', facts: { inQuarantine: true } });
    const changes = await db().selectFrom('audit_log').select(['actor_username', 'changes']).where('action', '=', 'health.rule.update').where('object_id', '=', 'RED_QUARANTINE').executeTakeFirstOrThrow();
    expect(changes).toEqual({ actor_username: 'health-wzbw', changes: { enabled: { old: true, new: false } } });
    const recomputes = await db().selectFrom('audit_log').select('details').where('action', '=', 'health.status.recompute').orderBy('seq').execute();
    expect(recomputes.map((a) => a.details)).toEqual([
      { trigger: 'by hand', recomputed: 2, changed: 2 },
      { trigger: 'rule YELLOW_UNDECLARED created', recomputed: 2, changed: 1 },
      { trigger: 'rule YELLOW_UNDECLARED changed', recomputed: 2, changed: 1 },
      { trigger: 'rule RED_QUARANTINE changed', recomputed: 2, changed: 1 },
    ]);
    const back = await health.put('/api/health/rules/RED_QUARANTINE', { ...body, enabled: true, version: r.version + 1 });
    expect(back.json()).toMatchObject({ rule: { enabled: true }, changed: 1 });
    expect(await statusOf(p.code)).toMatchObject({ status: 'red', rule: 'RED_QUARANTINE' });
  });

  it('explains a status: masked for others, whole for oneself, computed when none is stored, within the scope', async () => {
    const p = await f.person({ siteId: site.id, name: '欧阳明月' });
    const view = await statusOf(p.code, grid);
    expect(view).toMatchObject({ person: { code: p.code, name: '欧阳**' }, status: 'green', rule: 'DEFAULT_GREEN', ruleName: { zh: '未命中任何规则' }, explanation: { en: 'Green: no rule matched' }, contests: [] });
    expect(await db().selectFrom('health_statuses').select('status').where('person_id', '=', p.id).execute()).toEqual([{ status: 'green' }]);
    const outside = await f.person({ siteId: foreign.id });
    expect(errorOf(await health.get(`/api/health/status/${outside.code}`))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await manager.get(`/api/health/status/${p.code}`))).toEqual([403, 'FORBIDDEN']);
    // The leader's own record (E0001), unmasked; a user without a person record has none.
    const mine = await leader.get('/api/health/status/mine');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toMatchObject({ person: { code: 'E0001', name: '电解一厂厂长' }, status: 'green' });
    expect(errorOf(await viewer.get('/api/health/status/mine'))).toEqual([404, 'NO_PERSON']);
  });

  it('contests: by oneself, a household member or the grid worker, not by a stranger; overturned and upheld', async () => {
    // The leader (E0001) contests their own red status.
    const e0001 = await db().selectFrom('people').select('id').where('code', '=', 'E0001').executeTakeFirstOrThrow();
    await quarantine(e0001.id);
    // E0001 (DJ1) is not covered by the incident: drop the stored status so that the read computes it anew.
    await db().deleteFrom('health_statuses').where('person_id', '=', e0001.id).execute();
    expect((await leader.get('/api/health/status/mine')).json()).toMatchObject({ status: 'red' });
    const own = await contest(leader, 'E0001');
    expect(own).toMatchObject({ person: { code: 'E0001' }, incidentId: incident.id, status: 'red', rule: 'RED_QUARANTINE', facts: { inQuarantine: true }, submittedBy: 'leader', decision: null, version: 1 });
    expect(errorOf(await leader.post('/api/health/contests', { person: 'E0001', reason: '再次' }))).toEqual([422, 'CONTEST_OPEN']);
    // Outside the health administrator's scope (DJ1): not listed, not decidable.
    expect(((await health.get('/api/health/contests?state=open')).json().rows as ContestView[]).map((c) => c.id)).not.toContain(own.id);
    expect(errorOf(await health.post(`/api/health/contests/${own.id}/decide`, { decision: 'upheld', note: '维持', version: 1 }))).toEqual([404, 'CONTEST_NOT_FOUND']);

    // The clerk (E0002) contests for a member of their household; strangers cannot.
    const household = await f.household({ siteId: site.id });
    await db().updateTable('people').set({ household_id: household.id }).where('code', '=', 'E0002').execute();
    const member: PersonFixture = await f.person({ siteId: site.id, householdId: household.id, name: '王小明' });
    expect(errorOf(await viewer.post('/api/health/contests', { person: member.code, reason: '陌生人' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await manager.post('/api/health/contests', { person: member.code, reason: '无权' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await grid.post('/api/health/contests', { person: (await f.person({ siteId: foreign.id })).code, reason: '越权' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    const byHousehold = await contest(clerk, member.code, '家人代为申诉');
    expect(byHousehold).toMatchObject({ person: { code: member.code, name: '王**' }, status: 'green', rule: 'DEFAULT_GREEN', submittedBy: 'clerk' });

    // The grid worker contests a quarantined resident's red status; the administrator overturns it.
    const resident = await f.person({ siteId: site.id });
    await quarantine(resident.id);
    await health.post('/api/health/rules/recompute');
    const byGrid = await contest(grid, resident.code, '已出隔离点');
    const open = (await grid.get('/api/health/contests?state=open')).json().rows as ContestView[];
    expect(open.map((c) => c.id)).toEqual(expect.arrayContaining([byGrid.id, byHousehold.id]));
    const decide = (id: string, body: Record<string, unknown>) => health.post(`/api/health/contests/${id}/decide`, body);
    expect(errorOf(await decide(byGrid.id, { decision: 'overturned', note: '改判', version: 1 }))).toEqual([422, 'CONTEST_NEW_STATUS']);
    expect(errorOf(await decide(byGrid.id, { decision: 'overturned', newStatus: 'red', note: '改判', version: 1 }))).toEqual([422, 'CONTEST_NEW_STATUS']);
    expect(errorOf(await decide(byGrid.id, { decision: 'overturned', newStatus: 'green', validUntil: '2026-03-01', note: '改判', version: 1 }))).toEqual([422, 'CONTEST_VALID_UNTIL']);
    expect(errorOf(await decide(byGrid.id, { decision: 'overturned', newStatus: 'green', note: '改判', version: 2 }))).toEqual([409, 'STALE_VERSION']);
    expect(errorOf(await grid.post(`/api/health/contests/${byGrid.id}/decide`, { decision: 'upheld', note: 'x', version: 1 }))).toEqual([403, 'FORBIDDEN']);
    const overturned = await decide(byGrid.id, { decision: 'overturned', newStatus: 'yellow', note: '核实已解除隔离，观察一周', version: 1 });
    expect(overturned.statusCode, overturned.body).toBe(200);
    expect(overturned.json() as DecideResult).toMatchObject({
      decision: 'overturned',
      newStatus: 'yellow',
      validUntil: '2026-03-09',
      decisionNote: '核实已解除隔离，观察一周',
      reviewer: 'health-wzbw',
      version: 2,
      personStatus: { status: 'yellow', rule: 'REVIEW' },
    });
    const explained = await statusOf(resident.code);
    expect(explained).toMatchObject({ status: 'yellow', rule: 'REVIEW', ruleName: { zh: '申诉复核改判' }, facts: { inQuarantine: true } });
    expect(explained.explanation.zh).toBe('黄码：申诉复核改判，有效至 2026-03-09（规则判定：红码：规则「隔离观察中」— 隔离观察中 = 是）');
    expect(explained.contests).toMatchObject([{ id: byGrid.id, decision: 'overturned', submittedBy: 'grid', reviewer: 'health-wzbw' }]);
    expect(errorOf(await decide(byGrid.id, { decision: 'upheld', note: '再判', version: 2 }))).toEqual([409, 'CONTEST_DECIDED']);
    // A later recompute keeps the decision while it is valid.
    await health.post('/api/health/rules/recompute');
    expect(await statusOf(resident.code)).toMatchObject({ status: 'yellow', rule: 'REVIEW' });

    // Upheld: the status stays as it was.
    expect(errorOf(await decide(byHousehold.id, { decision: 'upheld', newStatus: 'red', note: '维持', version: 1 }))).toEqual([422, 'CONTEST_NEW_STATUS']);
    const upheld = await decide(byHousehold.id, { decision: 'upheld', note: '维持原判', version: 1 });
    expect(upheld.json()).toMatchObject({ decision: 'upheld', newStatus: null, validUntil: null, personStatus: { status: 'green', rule: 'DEFAULT_GREEN' } });
    expect(((await health.get('/api/health/contests?state=decided')).json().rows as ContestView[]).map((c) => c.id).sort()).toEqual([byHousehold.id, byGrid.id].sort());

    const audits = await db().selectFrom('audit_log').select(['action', 'actor_username', 'details']).where('object_id', '=', byGrid.id).orderBy('seq').execute();
    expect(audits).toEqual([
      { action: 'health.contest.submit', actor_username: 'grid', details: { person: resident.code, status: 'red', rule: 'RED_QUARANTINE', by: 'declarer' } },
      { action: 'health.contest.decide', actor_username: 'health-wzbw', details: { person: resident.code, decision: 'overturned', contested: 'red', newStatus: 'yellow', validUntil: '2026-03-09', status: 'yellow', rule: 'REVIEW' } },
    ]);
  });
});
