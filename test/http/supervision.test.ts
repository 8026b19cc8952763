import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJob } from '../../src/server/jobs/jobs';
import type { SupervisionDetail, SupervisionItem } from '../../src/server/modules/supervision/supervision.schemas';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

/** 09:00 in Shanghai on a day of 2026. */
const morningOf = (date: string) => new Date(`${date}T09:00:00+08:00`);

describe.each(engines)('supervision on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  let leader: Client;
  let clerk: Client;
  let viewer: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    manager = await t.login('manager');
    leader = await t.login('leader');
    clerk = await t.login('clerk');
    viewer = await t.login('viewer');
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  const unitId = async (code: string) => (await db().selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  async function attachment(name = '整改照片.jpg'): Promise<string> {
    const r = await db().insertInto('attachments').values({ file_name: name, mime_type: 'image/jpeg', size_bytes: 3, sha256: 'ba7816bf', content: Buffer.from('abc'), created_by: null }).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }
  async function problem(unit = 'DJ1', title = '阳极效应系数偏高'): Promise<string> {
    const r = await db().insertInto('problems').values({ source: 'other', unit_id: await unitId(unit), title, raised_at: t.clock.now() }).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }
  async function assign(body: Record<string, unknown>, as: Client = manager): Promise<SupervisionDetail> {
    const res = await as.post('/api/supervision', { unit: 'DJ1', title: '降低阳极效应系数', owner: 'E0002', dueDate: '2026-03-10', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  async function step(as: Client, item: { id: string; version: number }, action: string, extra: Record<string, unknown> = {}) {
    return as.post(`/api/supervision/${item.id}/transition`, { action, version: item.version, ...extra });
  }
  async function ok(as: Client, item: { id: string; version: number }, action: string, extra: Record<string, unknown> = {}): Promise<SupervisionDetail> {
    const res = await step(as, item, action, extra);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  async function list(as: Client, query = ''): Promise<SupervisionItem[]> {
    const res = await as.get(`/api/supervision${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { rows: SupervisionItem[] }).rows;
  }
  const notes = async (itemId: string) =>
    db()
      .selectFrom('notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .select(['u.username', 'n.kind', 'n.dedupe_key', 'n.created_at'])
      .where('n.ref_id', '=', itemId)
      .orderBy('n.created_at')
      .orderBy('n.kind')
      .orderBy('u.username')
      .execute();
  const kinds = async (itemId: string) => (await notes(itemId)).map((n) => `${n.kind}→${n.username}`);
  const events = async (itemId: string) => (await db().selectFrom('supervision_events').select(['action', 'from_state', 'to_state']).where('item_id', '=', itemId).orderBy('created_at').orderBy(sql`seq`).execute()).map((e) => e.action);
  const lightsJob = () => findJob('supervision-lights')!;
  const runAt = (date: string) => lightsJob().run(t.deps, morningOf(date));

  it('assigning writes the item, its first event, the owner notification and an audit row', async () => {
    const item = await assign({ reviewer: 'leader', description: '3月10日前完成槽况排查' });
    expect(item).toMatchObject({
      number: expect.any(Number),
      unit: 'DJ1',
      title: '降低阳极效应系数',
      description: '3月10日前完成槽况排查',
      owner: { code: 'E0002', name: '电解一厂统计员', username: 'clerk' },
      supervisor: { username: 'manager' },
      reviewer: { username: 'leader' },
      dueDate: '2026-03-10',
      yellowDays: 3,
      state: 'assigned',
      light: 'green',
      daysLeft: 8,
      escalatedAt: null,
      closedAt: null,
      allowedActions: ['cancel'],
      version: 1,
    });
    expect(item.events).toEqual([expect.objectContaining({ action: 'assign', from: null, to: 'assigned', note: '3月10日前完成槽况排查', by: { username: 'manager', name: '集团经理' } })]);
    expect(await kinds(item.id)).toEqual(['supervision.assigned→clerk']);
    const audit = await db().selectFrom('audit_log').select(['actor_username', 'object_id', 'details']).where('action', '=', 'supervision.create').execute();
    expect(audit).toEqual([expect.objectContaining({ actor_username: 'manager', object_id: item.id })]);
    expect(audit[0]!.details).toMatchObject({ owner: 'E0002', reviewer: 'leader', dueDate: '2026-03-10', yellowDays: 3 });
    // The owner sees the item, with the steps that are theirs.
    expect((await list(clerk)).find((r) => r.id === item.id)).toMatchObject({ allowedActions: ['accept'] });

    // Inputs the server refuses, each with its code.
    const refuse = async (body: Record<string, unknown>, status: number, code: string, as: Client = manager) => {
      const res = await as.post('/api/supervision', { unit: 'DJ1', title: 'x', owner: 'E0002', dueDate: '2026-03-10', ...body });
      expect([res.statusCode, res.json().error.code], res.body).toEqual([status, code]);
    };
    await refuse({ owner: 'E9999' }, 404, 'PERSON_NOT_FOUND');
    await refuse({ reviewer: 'clerk' }, 422, 'REVIEWER_NOT_ELIGIBLE');
    await refuse({ reviewer: 'nobody' }, 404, 'USER_NOT_FOUND');
    await refuse({ dueDate: '2026-03-01' }, 422, 'DUE_DATE_PAST');
    await refuse({ unit: undefined }, 422, 'UNIT_REQUIRED');
    await refuse({ unit: 'YH1' }, 404, 'UNIT_NOT_FOUND', leader);
    await refuse({ owner: 'E0101' }, 404, 'PERSON_NOT_FOUND', leader);
    await refuse({ problem: '00000000-0000-4000-8000-000000000000' }, 404, 'PROBLEM_NOT_FOUND');
    await refuse({ yellowDays: 61 }, 400, 'VALIDATION_FAILED');
    expect((await clerk.post('/api/supervision', { unit: 'DJ1', title: 'x', owner: 'E0002', dueDate: '2026-03-10' })).statusCode).toBe(403);
  });

  it('with a fake clock the lights turn yellow and red on the right days, in the list and by the job', async () => {
    const item = await assign({ title: '电流效率攻关', dueDate: '2026-03-10', yellowDays: 3 });
    const lightOn = async (date: string) => {
      t.clock.set(morningOf(date));
      // A session of that day (the test's sessions would have timed out).
      return (await list(await t.login('manager'), '?unit=DJ1')).find((r) => r.id === item.id)!;
    };
    try {
      expect(await lightOn('2026-03-06')).toMatchObject({ light: 'green', daysLeft: 4 });
      expect(await lightOn('2026-03-07')).toMatchObject({ light: 'yellow', daysLeft: 3 });
      expect(await lightOn('2026-03-10')).toMatchObject({ light: 'yellow', daysLeft: 0 });
      expect(await lightOn('2026-03-11')).toMatchObject({ light: 'red', daysLeft: -1 });
      // Just before and after midnight in Shanghai (16:00 UTC).
      t.clock.set(new Date('2026-03-10T15:59:00Z'));
      const late = await t.login('manager');
      expect((await list(late, '?light=yellow')).map((r) => r.id)).toContain(item.id);
      t.clock.set(new Date('2026-03-10T16:00:00Z'));
      expect((await list(late, '?light=red')).map((r) => r.id)).toContain(item.id);
      expect((await list(late, '?light=yellow')).map((r) => r.id)).not.toContain(item.id);
    } finally {
      t.clock.set(new Date('2026-03-02T01:00:00Z'));
    }

    const job = lightsJob();
    expect(job.schedule).toBe('10 * * * *');
    const stored = async () => db().selectFrom('supervision_items').select(['light', 'escalated_at', 'version']).where('id', '=', item.id).executeTakeFirstOrThrow();

    await runAt('2026-03-06');
    expect((await stored()).light).toBe('green');
    expect(await kinds(item.id)).toEqual(['supervision.assigned→clerk']);

    // 7 March: yellow, announced once to the owner and the supervisor; no reminder that day.
    await runAt('2026-03-07');
    await runAt('2026-03-07');
    expect(await stored()).toMatchObject({ light: 'yellow', escalated_at: null, version: 1 });
    expect(await kinds(item.id)).toEqual(['supervision.assigned→clerk', 'supervision.yellow→clerk', 'supervision.yellow→manager']);
    expect(await events(item.id)).toEqual(['assign', 'light.yellow']);

    // 8 March: one reminder each, however often the job runs.
    // (The first test's item is due the same day: counts cover both.)
    expect(await runAt('2026-03-08')).toMatchObject({ reminders: 4, notified: 4, escalated: 0 });
    expect(await runAt('2026-03-08')).toMatchObject({ reminders: 0, notified: 0, changed: 0 });
    expect((await kinds(item.id)).filter((k) => k.startsWith('supervision.reminder'))).toEqual(['supervision.reminder→clerk', 'supervision.reminder→manager']);

    // 11 March: red, announced, and escalated once to DJ1's unit leader.
    await runAt('2026-03-11');
    const again = await runAt('2026-03-11');
    expect(again).toMatchObject({ notified: 0, escalated: 0, changed: 0 });
    const s = await stored();
    expect(s.light).toBe('red');
    expect(s.escalated_at?.toISOString()).toBe(morningOf('2026-03-11').toISOString());
    expect(await events(item.id)).toEqual(['assign', 'light.yellow', 'light.red', 'escalate']);
    expect((await kinds(item.id)).filter((k) => /red|escalated/.test(k))).toEqual(['supervision.escalated→leader', 'supervision.red→clerk', 'supervision.red→manager']);

    // 12 and 13 March: a reminder a day, no second escalation.
    await runAt('2026-03-12');
    await runAt('2026-03-13');
    await runAt('2026-03-13');
    const all = await notes(item.id);
    expect(all.filter((n) => n.kind === 'supervision.escalated')).toHaveLength(1);
    expect(all.filter((n) => n.kind === 'supervision.reminder').map((n) => n.dedupe_key.split(':')[2])).toEqual(['2026-03-08', '2026-03-08', '2026-03-12', '2026-03-12', '2026-03-13', '2026-03-13']);
    expect((await events(item.id)).filter((e) => e === 'escalate')).toHaveLength(1);

    // The list shows the escalation; the job's runs that changed something are audited.
    expect((await list(manager)).find((r) => r.id === item.id)).toMatchObject({ escalatedAt: morningOf('2026-03-11').toISOString() });
    const audits = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'supervision.lights').orderBy('seq').execute();
    expect(audits.length).toBeGreaterThanOrEqual(5);
    expect(audits.every((a) => a.actor_username === null)).toBe(true);
    expect(audits.at(-1)!.details).toMatchObject({ today: '2026-03-13', reminders: 4, escalated: 0 });
  });

  it('escalates to the supervisor when the unit has no leader', async () => {
    const item = await assign({ unit: 'YH1', owner: 'E0101', title: '氧化铝回收率攻关', dueDate: '2026-03-05', yellowDays: 0 });
    await runAt('2026-03-06');
    // E0101 has no account: the supervisor hears of everything.
    expect((await kinds(item.id)).sort()).toEqual(['supervision.escalated→manager', 'supervision.red→manager']);
  });

  it('the whole path: assign → accept → start → report with evidence → reject → report → approve (销号)', async () => {
    const item = await assign({ reviewer: 'leader', dueDate: '2026-03-20' });
    // Only the owner accepts; an illegal step names the allowed ones.
    const byManager = await step(manager, item, 'accept');
    expect([byManager.statusCode, byManager.json().error.code]).toEqual([403, 'SUPERVISION_NOT_YOUR_STEP']);
    const illegal = await step(clerk, item, 'report', { note: 'x', attachments: [await attachment()] });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().error).toMatchObject({ code: 'SUPERVISION_ACTION_NOT_ALLOWED', message: 'Cannot report an item that is assigned; allowed: accept, cancel', details: { state: 'assigned', allowed: ['accept', 'cancel'], allowedForYou: ['accept'] } });

    let cur = await ok(clerk, item, 'accept', { note: '收到' });
    expect(cur).toMatchObject({ state: 'accepted', version: 2, allowedActions: ['start'] });
    // A stale version is refused.
    expect((await step(clerk, item, 'start')).statusCode).toBe(409);
    expect((await step(clerk, item, 'start')).json().error.code).toBe('STALE_VERSION');
    cur = await ok(clerk, cur, 'start');
    expect(cur.state).toBe('acting');

    // A report needs evidence that exists.
    const noEvidence = await step(clerk, cur, 'report', { note: '已完成' });
    expect([noEvidence.statusCode, noEvidence.json().error.code]).toEqual([422, 'SUPERVISION_EVIDENCE_REQUIRED']);
    const unknown = await step(clerk, cur, 'report', { note: '已完成', attachments: ['00000000-0000-4000-8000-000000000001'] });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([422, 'ATTACHMENT_NOT_FOUND']);
    const photo = await attachment('槽况排查记录.pdf');
    cur = await ok(clerk, cur, 'report', { note: '已完成排查', attachments: [photo] });
    expect(cur).toMatchObject({ state: 'reported', allowedActions: [] });
    expect(cur.events.at(-1)).toMatchObject({ action: 'report', from: 'acting', to: 'reported', note: '已完成排查', attachments: [{ id: photo, fileName: '槽况排查记录.pdf', mimeType: 'image/jpeg', size: 3 }], by: { username: 'clerk' } });
    expect(await kinds(item.id)).toContain('supervision.report→leader');

    // Only the reviewer approves or rejects: not the owner, not the supervisor who named a reviewer.
    for (const who of [clerk, manager]) {
      const res = await step(who, cur, 'approve');
      expect([res.statusCode, res.json().error.code]).toEqual([403, 'SUPERVISION_NOT_YOUR_STEP']);
    }
    const noReason = await step(leader, cur, 'reject');
    expect([noReason.statusCode, noReason.json().error.code]).toEqual([422, 'SUPERVISION_NOTE_REQUIRED']);
    cur = await ok(leader, cur, 'reject', { note: '缺少整改前后对比数据' });
    expect(cur).toMatchObject({ state: 'acting', allowedActions: [] });
    expect(await kinds(item.id)).toContain('supervision.reject→clerk');

    cur = await ok(clerk, cur, 'report', { note: '补充对比数据', attachments: [photo, await attachment('对比.xlsx')] });
    const closed = await ok(leader, cur, 'approve', { note: '同意销号' });
    expect(closed).toMatchObject({ state: 'closed', light: 'done', closedAt: t.clock.now().toISOString(), allowedActions: [] });
    expect(closed.events.map((e) => e.action)).toEqual(['assign', 'accept', 'start', 'report', 'reject', 'report', 'approve']);
    expect(await kinds(item.id)).toContain('supervision.approve→clerk');
    // Finished: nothing more, not even cancel.
    const after = await step(manager, closed, 'cancel', { note: 'x' });
    expect(after.json().error).toMatchObject({ code: 'SUPERVISION_ACTION_NOT_ALLOWED', details: { allowed: [] } });

    // Each step has its audit row; refused steps left none.
    const audits = await db().selectFrom('audit_log').select(['action', 'actor_username']).where('object_id', '=', item.id).orderBy('seq').execute();
    expect(audits.map((a) => `${a.action}:${a.actor_username}`)).toEqual([
      'supervision.create:manager',
      'supervision.accept:clerk',
      'supervision.start:clerk',
      'supervision.report:clerk',
      'supervision.reject:leader',
      'supervision.report:clerk',
      'supervision.approve:leader',
    ]);
  });

  it('approve without evidence is refused (销号 needs the reported evidence)', async () => {
    const item = await assign({});
    // A reported item whose report carried no file (e.g. data from before the rule).
    await db().updateTable('supervision_items').set({ state: 'reported' }).where('id', '=', item.id).execute();
    const res = await step(manager, item, 'approve');
    expect([res.statusCode, res.json().error.code]).toEqual([422, 'SUPERVISION_EVIDENCE_REQUIRED']);
    expect(await db().selectFrom('audit_log').select('seq').where('object_id', '=', item.id).where('action', '=', 'supervision.approve').execute()).toEqual([]);
    // The supervisor cancels it, with a reason; the viewer may not change anything.
    expect((await step(viewer, item, 'cancel', { note: '重复' })).statusCode).toBe(403);
    expect(await ok(manager, item, 'cancel', { note: '重复下达' })).toMatchObject({ state: 'cancelled', light: 'done' });
  });

  it('the reviewer is the supervisor when none is named; an owner without an account is stood in for', async () => {
    const item = await assign({ unit: 'YH1', owner: 'E0101', dueDate: '2026-03-30' });
    expect(item.allowedActions).toEqual(['accept', 'cancel']);
    let cur = await ok(manager, item, 'accept');
    cur = await ok(manager, cur, 'start');
    cur = await ok(manager, cur, 'report', { note: '完成', attachments: [await attachment()] });
    expect(cur.allowedActions).toEqual(['approve', 'reject', 'cancel']);
    expect((await ok(manager, cur, 'approve')).state).toBe('closed');
  });

  it('closing the last open item of a problem closes the problem', async () => {
    const problemId = await problem();
    const a = await assign({ problem: problemId, unit: undefined, owner: 'E0002', reviewer: 'leader' });
    const b = await assign({ problem: problemId, owner: 'E0001', title: '复核' }, leader);
    expect(a).toMatchObject({ unit: 'DJ1', problemId });
    expect((await list(manager, `?problem=${problemId}`)).map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    const status = async () => (await db().selectFrom('problems').select('status').where('id', '=', problemId).executeTakeFirstOrThrow()).status;
    const through = async (owner: Client, reviewer: Client, item: SupervisionDetail) => {
      let cur = await ok(owner, item, 'accept');
      cur = await ok(owner, cur, 'start');
      cur = await ok(owner, cur, 'report', { note: '已整改', attachments: [await attachment()] });
      return ok(reviewer, cur, 'approve');
    };
    await through(clerk, leader, a);
    expect(await status()).toBe('open');
    await through(leader, leader, b);
    expect(await status()).toBe('verified');
    expect((await db().selectFrom('audit_log').select('object_id').where('action', '=', 'problem.close').execute()).map((r) => r.object_id)).toEqual([problemId]);
    // A closed problem takes no new items.
    const res = await manager.post('/api/supervision', { problem: problemId, title: 'x', owner: 'E0002', dueDate: '2026-03-10' });
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'PROBLEM_NOT_ACTIVE']);
  });

  it('data scope: the clerk of DJ1 does not see a YH1 item; the parties to an item see it wherever it is', async () => {
    const yh1 = await assign({ unit: 'YH1', owner: 'E0101', title: '氧化铝一厂督办' });
    expect((await list(clerk)).map((r) => r.unit)).not.toContain('YH1');
    expect((await list(leader)).map((r) => r.id)).not.toContain(yh1.id);
    expect((await list(viewer)).map((r) => r.id)).toContain(yh1.id);
    const hidden = await clerk.get(`/api/supervision/${yh1.id}`);
    expect([hidden.statusCode, hidden.json().error.code]).toEqual([404, 'SUPERVISION_ITEM_NOT_FOUND']);
    expect((await step(clerk, yh1, 'accept')).statusCode).toBe(404);
    expect((await clerk.get('/api/supervision?unit=YH1')).statusCode).toBe(404);
    // The leader named as reviewer of a YH1 item sees that one.
    const reviewed = await assign({ unit: 'YH1', owner: 'E0101', reviewer: 'leader', title: '需电解一厂厂长审核' });
    const leaderRows = await list(leader);
    expect(leaderRows.map((r) => r.id)).toContain(reviewed.id);
    expect(leaderRows.map((r) => r.id)).not.toContain(yh1.id);
    expect((await leader.get(`/api/supervision/${reviewed.id}`)).statusCode).toBe(200);
    // Filters: state and unit subtree.
    expect((await list(manager, '?unit=YH1&state=assigned')).map((r) => r.id)).toEqual(expect.arrayContaining([yh1.id, reviewed.id]));
    expect((await list(manager, '?state=closed')).every((r) => r.state === 'closed')).toBe(true);
    expect((await list(manager, '?state=open')).every((r) => r.state !== 'closed' && r.state !== 'cancelled')).toBe(true);
  });
});
