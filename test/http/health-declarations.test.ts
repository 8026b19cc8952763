import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalDataOf } from '../../src/server/crypto/personal-data';
import type { DeclarationList, MyDeclarations, PersonTrend } from '../../src/server/modules/health-declarations/declarations.schemas';
import { accessFixtures, uniqueCode, type AccessFixtures, type PersonFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

describe.each(engines)('health declarations on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let health: Client;
  let grid: Client;
  let viewer: Client;
  let auditor: Client;
  let security: Client;
  let access: Client;
  let leader: Client;
  /** The incident's WZBW community, one outside it (WZBW too) and a YH1 community of the incident. */
  let site: SiteFixture;
  let uncovered: SiteFixture;
  let foreign: SiteFixture;
  /** One household: me (the viewer's person), kin (no account), cousin (the auditor's person). */
  let me: PersonFixture;
  let kin: PersonFixture;
  let cousin: PersonFixture;
  let incidentId: string;

  const today = '2026-03-02';
  const yesterday = '2026-03-01';
  // 2026-03-02 09:00 Asia/Shanghai, before the default due time 10:00.
  const nine = new Date('2026-03-02T01:00:00Z');

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    [health, grid, viewer, auditor, security, access, leader] = await Promise.all([
      t.login('health'), t.login('grid'), t.login('viewer'), t.login('auditor'), t.login('security'), t.login('access'), t.login('leader'),
    ]);
    site = await f.site({ unitCode: 'WZBW', nameZh: '翠微小区' });
    uncovered = await f.site({ unitCode: 'WZBW' });
    foreign = await f.site({ unitCode: 'YH1' });
    const household = await f.household({ siteId: site.id });
    me = await f.person({ name: '王小明', siteId: site.id, householdId: household.id });
    kin = await f.person({ name: '王大妈', siteId: site.id, householdId: household.id, category: 'family' });
    cousin = await f.person({ name: '李四', siteId: site.id, householdId: household.id });
    await link('viewer', me.id);
    await link('auditor', cousin.id);
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  const errorOf = (res: { statusCode: number; json(): unknown }) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code] as const;
  async function link(username: string, personId: string): Promise<void> {
    const user = await db().selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    // people.user_id is unique: the account's demo person (if any) lets go first.
    await db().updateTable('people').set({ user_id: null }).where('user_id', '=', user.id).execute();
    await db().updateTable('people').set({ user_id: user.id }).where('id', '=', personId).execute();
  }
  async function declare(client: Client, body: Record<string, unknown>, status = 201): Promise<{ id: string; status: string; abnormalCaseId: string | null }> {
    const res = await client.post('/api/health/declarations', { date: today, symptoms: [], ...body });
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as { id: string; status: string; abnormalCaseId: string | null };
  }
  const covered = (o: { name?: string; householdId?: string } = {}) => f.person({ siteId: site.id, ...o });

  it('needs an active incident', async () => {
    expect(errorOf(await grid.post('/api/health/declarations', { person: kin.code, date: today, temperatureC: 36.5, symptoms: [] }))).toEqual([422, 'NO_ACTIVE_INCIDENT']);
    expect(errorOf(await grid.get('/api/health/declarations'))).toEqual([422, 'NO_ACTIVE_INCIDENT']);
    const mine = (await viewer.get('/api/health/declarations/mine')).json() as MyDeclarations;
    expect(mine).toMatchObject({ today, person: { code: me.code, name: '王**' }, incident: null, covered: false, declaration: null, overdue: false });
  });

  describe('with an incident covering the community', () => {
    beforeAll(async () => {
      const row = await db().insertInto('health_incidents').values({ name: '新冠肺炎疫情防控', start_date: '2026-02-20' }).returning('id').executeTakeFirstOrThrow();
      incidentId = row.id;
      await db().insertInto('health_incident_sites').values([{ incident_id: incidentId, site_id: site.id }, { incident_id: incidentId, site_id: foreign.id }]).execute();
    });

    it('answers the contract: {id, status, abnormalCaseId}; 37.2 °C is no fever (green, no case)', async () => {
      const p = await covered();
      const res = await grid.post('/api/health/declarations', { person: p.code, date: today, temperatureC: 37.2, symptoms: [] });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json() as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['abnormalCaseId', 'id', 'status']);
      expect(body).toMatchObject({ status: 'green', abnormalCaseId: null });
      const row = await db().selectFrom('health_declarations').selectAll().where('id', '=', body.id as string).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ incident_id: incidentId, person_id: p.id, date: today, temperature_c: '37.2', symptoms: [], status: 'green', on_behalf: true, version: 1, location_enc: null });
      expect(await db().selectFrom('abnormal_cases').select('id').where('person_id', '=', p.id).execute()).toEqual([]);
      expect(await db().selectFrom('health_statuses').select(['status', 'rule', 'incident_id']).where('person_id', '=', p.id).executeTakeFirst()).toEqual({ status: 'green', rule: 'DEFAULT_GREEN', incident_id: incidentId });
    });

    it('37.3 °C opens a FEVER case from the declaration (yellow); a second fever while it is open notes it on the same case', async () => {
      const p = await covered();
      const first = await declare(grid, { person: p.code, temperatureC: 37.3 });
      expect(first.status).toBe('yellow');
      expect(first.abnormalCaseId).not.toBeNull();
      const kase = await db().selectFrom('abnormal_cases').selectAll().where('id', '=', first.abnormalCaseId!).executeTakeFirstOrThrow();
      expect(kase).toMatchObject({ person_id: p.id, source: 'declaration', reason: 'FEVER', source_ref: first.id, temperature_c: '37.3', incident_id: incidentId, site_id: site.id, status: 'open' });

      // The amendment the same day: 200, the same declaration, a new version; the open case gets a follow-up.
      const again = await declare(grid, { person: p.code, temperatureC: 38.1, symptoms: ['cough'] }, 200);
      expect(again).toEqual({ id: first.id, status: 'yellow', abnormalCaseId: first.abnormalCaseId });
      expect(await db().selectFrom('abnormal_cases').select('id').where('person_id', '=', p.id).execute()).toHaveLength(1);
      const notes = await db().selectFrom('case_follow_ups').select(['temperature_c', 'condition']).where('case_id', '=', first.abnormalCaseId!).execute();
      expect(notes).toEqual([{ temperature_c: '38.1', condition: `declaration: FEVER — declaration of ${today}` }]);
      expect(await db().selectFrom('health_declarations').select(['version', 'temperature_c', 'symptoms']).where('id', '=', first.id).executeTakeFirst()).toEqual({ version: 2, temperature_c: '38.1', symptoms: ['cough'] });
    });

    it('symptoms open a SYMPTOMS case and give yellow; contacts open CONTACT and RISK_TRAVEL cases, a red status HEALTH_RED', async () => {
      const sick = await covered();
      const s = await declare(grid, { person: sick.code, temperatureC: 36.6, symptoms: ['cough', 'fatigue'] });
      expect(s.status).toBe('yellow');
      expect(await db().selectFrom('abnormal_cases').select(['reason', 'source']).where('id', '=', s.abnormalCaseId!).executeTakeFirst()).toEqual({ reason: 'SYMPTOMS', source: 'declaration' });
      expect(await db().selectFrom('health_statuses').select('rule').where('person_id', '=', sick.id).executeTakeFirst()).toEqual({ rule: 'YELLOW_SYMPTOMS' });
      const contact = await covered();
      const c = await declare(grid, { person: contact.code, temperatureC: 36.6, caseContact: true, riskAreaContact: true });
      expect(await db().selectFrom('abnormal_cases').select('reason').where('id', '=', c.abnormalCaseId!).executeTakeFirst()).toEqual({ reason: 'CONTACT' });
      const traveller = await covered();
      const r = await declare(grid, { person: traveller.code, temperatureC: 36.6, riskAreaContact: true });
      expect(await db().selectFrom('abnormal_cases').select('reason').where('id', '=', r.abnormalCaseId!).executeTakeFirst()).toEqual({ reason: 'RISK_TRAVEL' });
      // Nothing declared, but the status is red (in quarantine): HEALTH_RED.
      const isolated = await covered();
      await db().insertInto('quarantines').values({ incident_id: incidentId, person_id: isolated.id, start_date: today, planned_end: '2026-03-16' }).execute();
      const red = await declare(grid, { person: isolated.code, temperatureC: 36.4 });
      expect(red.status).toBe('red');
      expect(await db().selectFrom('abnormal_cases').select('reason').where('id', '=', red.abnormalCaseId!).executeTakeFirst()).toEqual({ reason: 'HEALTH_RED' });
      expect(await db().selectFrom('health_declarations').select('status').where('id', '=', red.id).executeTakeFirst()).toEqual({ status: 'red' });
    });

    it('lets the person, a household member and the grid worker declare; anyone else gets 404', async () => {
      const self = await declare(viewer, { person: me.code, temperatureC: 36.5 });
      expect(await db().selectFrom('health_declarations').select(['on_behalf', 'declared_by']).where('id', '=', self.id).executeTakeFirst()).toMatchObject({ on_behalf: false });
      const family = await declare(viewer, { person: kin.code, temperatureC: 36.4 });
      expect(await db().selectFrom('health_declarations').select('on_behalf').where('id', '=', family.id).executeTakeFirst()).toEqual({ on_behalf: true });
      // The auditor's own person is in the same household: the auditor may amend the kin's card too.
      await declare(auditor, { person: kin.code, temperatureC: 36.3 }, 200);
      const stranger = await covered();
      for (const client of [viewer, security, access, leader]) {
        expect(errorOf(await client.post('/api/health/declarations', { person: stranger.code, date: today, temperatureC: 36.5, symptoms: [] }))).toEqual([404, 'PERSON_NOT_FOUND']);
      }
      // The grid worker's scope is WZBW: a YH1 resident is not theirs.
      const yh1 = await f.person({ siteId: foreign.id });
      expect(errorOf(await grid.post('/api/health/declarations', { person: yh1.code, date: today, temperatureC: 36.5, symptoms: [] }))).toEqual([404, 'PERSON_NOT_FOUND']);
      expect(errorOf(await grid.post('/api/health/declarations', { person: 'NOBODY', date: today, temperatureC: 36.5, symptoms: [] }))).toEqual([404, 'PERSON_NOT_FOUND']);
    });

    it('takes today or yesterday only, valid temperatures and known symptoms, and people the incident covers', async () => {
      const p = await covered();
      const late = await declare(grid, { person: p.code, date: yesterday, temperatureC: 37.5 });
      // Yesterday's fever opens a case and is kept on yesterday's card; today the person is green.
      expect(late.status).toBe('green');
      expect(late.abnormalCaseId).not.toBeNull();
      expect(await db().selectFrom('health_declarations').select(['date', 'status']).where('id', '=', late.id).executeTakeFirst()).toEqual({ date: yesterday, status: 'yellow' });
      for (const date of ['2026-02-28', '2026-03-03']) {
        expect(errorOf(await grid.post('/api/health/declarations', { person: p.code, date, temperatureC: 36.5, symptoms: [] }))).toEqual([422, 'DECLARATION_DATE']);
      }
      for (const bad of [{ temperatureC: 29.9 }, { temperatureC: 45.1 }, { temperatureC: 36.55 }, { symptoms: ['sneezing'] }, { symptoms: ['cough', 'cough'] }, { extra: true }]) {
        expect(errorOf(await grid.post('/api/health/declarations', { person: p.code, date: today, temperatureC: 36.5, symptoms: [], ...bad }))).toEqual([400, 'VALIDATION_FAILED']);
      }
      const outside = await f.person({ siteId: uncovered.id });
      expect(errorOf(await grid.post('/api/health/declarations', { person: outside.code, date: today, temperatureC: 36.5, symptoms: [] }))).toEqual([422, 'PERSON_NOT_COVERED']);
    });

    it('stores the location encrypted and audits who declared for whom without any value', async () => {
      const p = await covered();
      const d = await declare(grid, { person: p.code, temperatureC: 37.6, symptoms: ['sore-throat'], location: '翠微小区3栋2单元' });
      const row = await db().selectFrom('health_declarations').select('location_enc').where('id', '=', d.id).executeTakeFirstOrThrow();
      const sealed = Buffer.from(row.location_enc!);
      expect(sealed.includes(Buffer.from('翠微小区3栋2单元'))).toBe(false);
      expect(personalDataOf(t.deps.config).decryptText('health_declarations.location', sealed)).toBe('翠微小区3栋2单元');
      const log = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'health.declaration.submit').where('object_id', '=', d.id).execute();
      expect(log).toEqual([{ actor_username: 'grid', details: { person: p.code, date: today, amended: false, onBehalf: true } }]);
      const all = JSON.stringify(await db().selectFrom('audit_log').select(['details', 'changes']).where('action', 'like', 'health.%').execute());
      for (const secret of ['37.6', 'sore-throat', '翠微小区3栋']) expect(all).not.toContain(secret);
    });

    it('shows my card: today, overdue after the due time, status, history and my household', async () => {
      const mine = (await viewer.get('/api/health/declarations/mine')).json() as MyDeclarations;
      expect(mine).toMatchObject({
        today,
        person: { code: me.code, name: '王**' },
        incident: { name: '新冠肺炎疫情防控', dueTime: '10:00', feverThresholdC: 37.3 },
        covered: true,
        declaration: { date: today, temperatureC: 36.5, symptoms: [], location: null, status: 'green', onBehalf: false, version: 1 },
        overdue: false,
        status: { status: 'green', rule: 'DEFAULT_GREEN' },
        history: [{ date: today, temperatureC: 36.5, symptoms: [], status: 'green' }],
      });
      expect(mine.household).toHaveLength(2);
      expect(mine.household).toEqual(
        expect.arrayContaining([
          { code: kin.code, name: '王**', declaredToday: true },
          { code: cousin.code, name: '李*', declaredToday: false },
        ]),
      );
      // The cousin has not declared: overdue once it is past 10:00.
      expect(((await auditor.get('/api/health/declarations/mine')).json() as MyDeclarations).overdue).toBe(false);
      t.clock.set(new Date('2026-03-02T02:00:00Z'));
      try {
        // Fresh sessions: an hour later the old ones have been idle too long.
        const [lateCousin, lateMe] = [await t.login('auditor'), await t.login('viewer')];
        expect((await lateCousin.get('/api/health/declarations/mine')).json()).toMatchObject({ overdue: true, declaration: null, covered: true });
        expect(((await lateMe.get('/api/health/declarations/mine')).json() as MyDeclarations).overdue).toBe(false);
      } finally {
        t.clock.set(nine);
      }
      // No person record: an empty card.
      expect((await security.get('/api/health/declarations/mine')).json()).toMatchObject({ person: null, covered: false, history: [], household: [] });
    });

    describe('the missing list and reminders', () => {
      let block: SiteFixture;
      let people: Record<'a' | 'b' | 'c' | 'd' | 'e', PersonFixture>;
      let g1: string;

      beforeAll(async () => {
        block = await f.site({ unitCode: 'WZBW', code: uniqueCode('LS') });
        await db().insertInto('health_incident_sites').values({ incident_id: incidentId, site_id: block.id }).execute();
        const cell = async (code: string) => (await db().insertInto('grid_cells').values({ site_id: block.id, code, name: `网格${code}` }).returning('id').executeTakeFirstOrThrow()).id;
        const g1Id = await cell('G1');
        const g2Id = await cell('G2');
        g1 = 'G1';
        const house = async (gridId: string, code: string) => {
          const b = await db().insertInto('buildings').values({ site_id: block.id, grid_cell_id: gridId, code: `B${code}`, name: `${code}栋` }).returning('id').executeTakeFirstOrThrow();
          return (await db().insertInto('households').values({ site_id: block.id, building_id: b.id, code }).returning('id').executeTakeFirstOrThrow()).id;
        };
        const h1 = await house(g1Id, '1-101');
        const h2 = await house(g2Id, '2-201');
        const mk = (code: string, name: string, householdId: string | null) => f.person({ code: `${block.code}-${code}`, name, siteId: block.id, householdId });
        people = { a: await mk('A', '张三', h1), b: await mk('B', '张四', h1), c: await mk('C', '赵五', h2), d: await mk('D', '赵六', h2), e: await mk('E', '孙七', null) };
        await link('clerk', people.b.id);
        await declare(grid, { person: people.a.code, temperatureC: 37.3 });
        await declare(grid, { person: people.c.code, temperatureC: 36.8, symptoms: ['cough'] });
      });

      const list = async (query: string, client = grid) => {
        const res = await client.get(`/api/health/declarations?${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as DeclarationList;
      };

      it('counts and lists the covered people by site, grid cell, state and name, masked', async () => {
        const all = await list(`site=${block.code}`);
        expect(all).toMatchObject({ date: today, incident: { id: incidentId, dueTime: '10:00', feverThresholdC: 37.3 }, counts: { due: 5, done: 2, missing: 3, fever: 1 }, total: 5, page: 1, pageSize: 50 });
        expect(all.rows.map((r) => r.code)).toEqual(['A', 'B', 'C', 'D', 'E'].map((c) => `${block.code}-${c}`));
        expect(all.rows[0]).toEqual({
          code: people.a.code, name: '张*', site: { code: block.code, nameZh: expect.any(String) }, household: '1-101', gridCell: { code: 'G1', name: '网格G1' },
          declared: true, temperatureC: 37.3, fever: true, symptomsCount: 0, onBehalf: true, status: 'yellow', remindedAt: null,
        });
        expect(all.rows[2]).toMatchObject({ code: people.c.code, fever: false, symptomsCount: 1, gridCell: { code: 'G2' } });
        expect(all.rows[4]).toMatchObject({ code: people.e.code, household: null, gridCell: null, declared: false, temperatureC: null, status: null });

        const missing = await list(`site=${block.code}&state=missing`);
        expect(missing.rows.map((r) => r.code)).toEqual([people.b.code, people.d.code, people.e.code]);
        expect(missing.total).toBe(3);
        expect((await list(`site=${block.code}&state=declared`)).rows.map((r) => r.code)).toEqual([people.a.code, people.c.code]);
        const cell = await list(`site=${block.code}&grid=${g1}`);
        expect(cell.counts).toEqual({ due: 2, done: 1, missing: 1, fever: 1 });
        expect((await list(`site=${block.code}&q=赵`)).rows.map((r) => r.code)).toEqual([people.c.code, people.d.code]);
        expect((await list(`site=${block.code}&pageSize=2&page=2`)).rows.map((r) => r.code)).toEqual([people.c.code, people.d.code]);
        // Yesterday nobody here declared.
        expect((await list(`site=${block.code}&date=${yesterday}`)).counts).toEqual({ due: 5, done: 0, missing: 5, fever: 0 });
      });

      it('keeps to the scope: no YH1 residents for the grid worker, 404 for sites and grid cells outside it, 403 without health.declare', async () => {
        const yh1 = await f.person({ siteId: foreign.id });
        const everyone = await list('pageSize=500');
        expect(everyone.rows.map((r) => r.code)).toContain(people.a.code);
        expect(everyone.rows.map((r) => r.code)).not.toContain(yh1.code);
        expect(errorOf(await grid.get(`/api/health/declarations?site=${foreign.code}`))).toEqual([404, 'SITE_NOT_FOUND']);
        expect(errorOf(await grid.get(`/api/health/declarations?site=${block.code}&grid=G9`))).toEqual([404, 'GRID_NOT_FOUND']);
        expect(errorOf(await grid.get('/api/health/declarations?grid=G1'))).toEqual([404, 'GRID_NOT_FOUND']);
        expect(errorOf(await grid.get('/api/health/declarations?state=late'))).toEqual([400, 'VALIDATION_FAILED']);
        for (const client of [viewer, access, leader]) expect(errorOf(await client.get('/api/health/declarations'))).toEqual([403, 'FORBIDDEN']);
      });

      it('reminds who has not declared: reminders, notifications for account holders, audited', async () => {
        const res = await grid.post('/api/health/declarations/remind', { date: today, people: [people.a.code, people.b.code, people.d.code, people.e.code] });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toEqual({ reminded: 3, notified: 1, alreadyDeclared: 1 });
        const reminders = await db().selectFrom('health_reminders').select(['person_id', 'date', 'incident_id']).where('person_id', 'in', [people.a.id, people.b.id, people.d.id, people.e.id]).execute();
        expect(reminders.map((r) => r.person_id).sort()).toEqual([people.b.id, people.d.id, people.e.id].sort());
        expect(reminders.every((r) => r.date === today && r.incident_id === incidentId)).toBe(true);
        const clerk = await t.login('clerk');
        const inbox = (await clerk.get('/api/notifications')).json() as { rows: { kind: string; title: string; link: string | null }[] };
        expect(inbox.rows.filter((n) => n.kind === 'health.remind')).toEqual([expect.objectContaining({ title: `请填报健康卡（${today}）`, link: '/health/card' })]);
        const missing = await list(`site=${block.code}&state=missing`);
        expect(missing.rows.map((r) => r.remindedAt)).toEqual(['2026-03-02T01:00:00.000Z', '2026-03-02T01:00:00.000Z', '2026-03-02T01:00:00.000Z']);
        const log = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'health.declaration.remind').execute();
        expect(log).toEqual([{ actor_username: 'grid', details: { date: today, people: [people.b.code, people.d.code, people.e.code], notified: 1, alreadyDeclared: 1 } }]);

        const yh1 = await f.person({ siteId: foreign.id });
        const out = await grid.post('/api/health/declarations/remind', { date: today, people: [people.b.code, yh1.code] });
        expect(errorOf(out)).toEqual([404, 'PERSON_NOT_FOUND']);
        expect((out.json() as { error: { message: string } }).error.message).toContain(yh1.code);
        expect(errorOf(await grid.post('/api/health/declarations/remind', { date: '2026-02-01', people: [people.b.code] }))).toEqual([422, 'DECLARATION_DATE']);
        expect(errorOf(await grid.post('/api/health/declarations/remind', { date: today, people: [] }))).toEqual([400, 'VALIDATION_FAILED']);
        expect(errorOf(await viewer.post('/api/health/declarations/remind', { date: today, people: [people.b.code] }))).toEqual([403, 'FORBIDDEN']);
      });
    });

    it('gives a person’s trend, oldest first, within the scope', async () => {
      const p = await covered({ name: '周八' });
      await declare(grid, { person: p.code, date: yesterday, temperatureC: 36.9 });
      await declare(grid, { person: p.code, temperatureC: 37.4, symptoms: ['fever'] });
      const res = await health.get(`/api/health/people/${p.code}/declarations?days=7`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json() as PersonTrend).toEqual({
        person: { code: p.code, name: '周*' },
        from: '2026-02-24',
        to: today,
        feverThresholdC: 37.3,
        rows: [
          { date: yesterday, temperatureC: 36.9, symptoms: [], status: 'green', onBehalf: true },
          { date: today, temperatureC: 37.4, symptoms: ['fever'], status: 'yellow', onBehalf: true },
        ],
      });
      expect(((await grid.get(`/api/health/people/${p.code}/declarations?days=1`)).json() as PersonTrend).rows.map((r) => r.date)).toEqual([today]);
      const yh1 = await f.person({ siteId: foreign.id });
      expect(errorOf(await grid.get(`/api/health/people/${yh1.code}/declarations`))).toEqual([404, 'PERSON_NOT_FOUND']);
      expect(errorOf(await viewer.get(`/api/health/people/${me.code}/declarations`))).toEqual([403, 'FORBIDDEN']);
      expect(errorOf(await grid.get(`/api/health/people/${p.code}/declarations?days=0`))).toEqual([400, 'VALIDATION_FAILED']);
    });
  });
});
