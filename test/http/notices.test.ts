import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, jobSchedules } from '../../src/server/config';
import { findJob } from '../../src/server/jobs/jobs';
import type { NoticeDetail, NoticeReads, NoticeSummary, PublishResult, WeeklyContent, DailyContent } from '../../src/server/modules/notices/notices.schemas';
import type { Notification, NotificationList } from '../../src/server/modules/notifications/notifications.schemas';
import { createTestApp, testConfig, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

/**
 * The notice board with a fake clock. The test clock reads Monday 2 March 2026, 09:00 in Shanghai:
 * the weekly notice reports on 2026-W09, Monday 23 February to Sunday 1 March.
 */
describe.each(engines)('notices on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  let leader: Client;
  let clerk: Client;
  let viewer: Client;
  const ids: Record<string, string> = {};

  const db = () => t.deps.database.db;
  const idOf = async (table: 'units' | 'people' | 'users' | 'indicators', column: 'code' | 'username', value: string) =>
    ((await db().selectFrom(table as 'units').select('id').where(column as 'code', '=', value).executeTakeFirstOrThrow()) as { id: string }).id;

  beforeAll(async () => {
    t = await createTestApp(engine);
    [manager, leader, clerk, viewer] = await Promise.all([t.login('manager'), t.login('leader'), t.login('clerk'), t.login('viewer')]);
    for (const code of ['DJ1', 'YH1', 'GRP']) ids[code] = await idOf('units', 'code', code);
    for (const code of ['E0001', 'E0101']) ids[code] = await idOf('people', 'code', code);
    for (const u of ['manager', 'leader', 'clerk', 'viewer']) ids[u] = await idOf('users', 'username', u);
    ids.DJ_AL_OUT = await idOf('indicators', 'code', 'DJ_AL_OUT');

    // Warnings that fire on Wednesday 25 February (the hourly scan, run as of then).
    await findJob('warnings-scan')!.run(t.deps, new Date('2026-02-25T02:00:00Z'));

    // The problem loop of the week, as the problems and supervision modules store it.
    const problem = (v: { unit: string; title: string; status?: string; raised: string; closed?: string | null }) =>
      db()
        .insertInto('problems')
        .values({ source: 'meeting', unit_id: ids[v.unit]!, title: v.title, status: v.status ?? 'open', raised_at: v.raised, closed_at: v.closed ?? null, raised_by: ids.manager!, created_at: v.raised, updated_at: v.raised })
        .returning(['id', 'number'])
        .executeTakeFirstOrThrow();
    const raised = await problem({ unit: 'DJ1', title: '槽电压波动大', raised: '2026-02-24T02:00:00Z' });
    await problem({ unit: 'YH1', title: '焙烧炉热耗偏高', status: 'verified', raised: '2026-01-20T02:00:00Z', closed: '2026-02-26T03:00:00Z' });
    await problem({ unit: 'DJ1', title: '上月登记的问题', raised: '2026-02-10T02:00:00Z' });
    ids.raised = raised.id;
    await db().insertInto('measures').values({ problem_id: raised.id, description: '调整槽电压设定', owner_person_id: ids.E0001!, due_date: '2026-03-03', created_by: ids.leader!, created_at: '2026-02-24T03:00:00Z', updated_at: '2026-02-24T03:00:00Z' }).execute();

    const item = (v: { unit: string; title: string; owner: string; due: string; state: string; created: string; closed?: string | null }) =>
      db()
        .insertInto('supervision_items')
        .values({ unit_id: ids[v.unit]!, title: v.title, owner_person_id: ids[v.owner]!, supervisor_user_id: ids.manager!, due_date: v.due, state: v.state, closed_at: v.closed ?? null, created_by: ids.manager!, created_at: v.created, updated_at: v.created })
        .returning('id')
        .executeTakeFirstOrThrow();
    ids.closedItem = (await item({ unit: 'DJ1', title: '阳极更换计划销号', owner: 'E0001', due: '2026-02-27', state: 'closed', created: '2026-02-10T02:00:00Z', closed: '2026-02-26T06:00:00Z' })).id;
    ids.lateItem = (await item({ unit: 'YH1', title: '焙烧炉检修', owner: 'E0101', due: '2026-02-25', state: 'acting', created: '2026-02-12T02:00:00Z' })).id;
    ids.newItem = (await item({ unit: 'DJ1', title: '电流效率提升方案', owner: 'E0001', due: '2026-03-04', state: 'assigned', created: '2026-02-25T02:00:00Z' })).id;
    // Its assignment is the first event (the supervision module writes one per step).
    await db().insertInto('supervision_events').values({ item_id: ids.newItem, action: 'assign', to_state: 'assigned', created_by: ids.manager!, created_at: '2026-02-25T02:00:00Z' }).execute();

    // A record: DJ1's January output, approved on Tuesday 24 February, beats every month before.
    await db()
      .insertInto('measurements')
      .values({ unit_id: ids.DJ1!, indicator_id: ids.DJ_AL_OUT!, period: '2026-01', value: '39000', status: 'approved', source: 'entry', entered_by: ids.clerk!, approved_by: ids.leader!, approved_at: '2026-02-24T08:00:00Z', created_at: '2026-02-20T08:00:00Z', updated_at: '2026-02-24T08:00:00Z' })
      .execute();
  });
  afterAll(() => t?.close());

  async function list(client: Client, kind = 'weekly'): Promise<NoticeSummary[]> {
    const res = await client.get(`/api/notices?kind=${kind}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { rows: NoticeSummary[] }).rows;
  }
  async function detail(client: Client, id: string): Promise<NoticeDetail> {
    const res = await client.get(`/api/notices/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as NoticeDetail;
  }
  const weekly = (d: NoticeDetail) => d.content as WeeklyContent;
  const notices = (kind: string) => db().selectFrom('notices').selectAll().where('kind', '=', kind).execute();
  let weeklyId = '';

  it('the weekly-notice job publishes the previous week once: a second run and the publish endpoint publish nothing', async () => {
    const job = findJob('weekly-notice')!;
    expect(job.schedule).toBe('0 8 * * 1');
    const first = await job.run(t.deps, t.clock.now());
    expect(first).toMatchObject({ published: true, period: '2026-W09' });
    weeklyId = first.noticeId as string;
    expect(await job.run(t.deps, t.clock.now())).toEqual({ published: false, period: '2026-W09', noticeId: weeklyId });
    // An hour later, still Monday: the same week, nothing new.
    expect(await job.run(t.deps, new Date(t.clock.now().getTime() + 3_600_000))).toMatchObject({ published: false, period: '2026-W09' });
    const res = await manager.post('/api/notices/publish', { kind: 'weekly' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ published: false, period: '2026-W09', notice: { id: weeklyId, kind: 'weekly', period: '2026-W09' } });
    expect((await notices('weekly')).map((n) => n.period)).toEqual(['2026-W09']);
    const audits = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'notice.publish').execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_username: null, details: { period: '2026-W09' } });

    // The other way round: published by hand first, the job finds it.
    const byHand = await manager.post('/api/notices/publish', { kind: 'weekly', week: '2026-W08' });
    expect(byHand.statusCode, byHand.body).toBe(200);
    const w08 = byHand.json() as PublishResult;
    expect(w08).toMatchObject({ published: true, period: '2026-W08', notice: { title: '周通报 2026-W08（2026-02-16 至 2026-02-22）', read: false } });
    expect(await job.run(t.deps, new Date('2026-02-23T00:00:00Z'))).toEqual({ published: false, period: '2026-W08', noticeId: w08.notice.id });
    expect((await manager.post('/api/notices/publish', { kind: 'weekly', week: '2026-W08' })).json()).toMatchObject({ published: false, notice: { id: w08.notice.id } });
    expect((await notices('weekly')).length).toBe(2);
  });

  it('refuses a week that is not over or does not exist, and callers without supervision.write', async () => {
    const current = await manager.post('/api/notices/publish', { kind: 'weekly', week: '2026-W10' });
    expect(current.statusCode).toBe(422);
    expect(current.json().error.code).toBe('NOTICE_WEEK_NOT_OVER');
    const none = await manager.post('/api/notices/publish', { kind: 'weekly', week: '2021-W53' });
    expect(none.statusCode).toBe(422);
    expect(none.json().error.code).toBe('NOTICE_WEEK_INVALID');
    expect((await manager.post('/api/notices/publish', { kind: 'daily' })).statusCode).toBe(400);
    expect((await clerk.post('/api/notices/publish', { kind: 'weekly', week: '2026-W07' })).statusCode).toBe(403);
    expect((await notices('weekly')).length).toBe(2);
  });

  it('lists the weekly notices newest first with the read state', async () => {
    const rows = await list(viewer);
    expect(rows.map((r) => r.period)).toEqual(['2026-W09', '2026-W08']);
    expect(rows[0]).toEqual({ id: weeklyId, kind: 'weekly', period: '2026-W09', title: '周通报 2026-W09（2026-02-23 至 2026-03-01）', publishedAt: '2026-03-02T01:00:00.000Z', read: false });
  });

  it("the notice names the week's problems, closed and overdue items, red lights, warnings and records", async () => {
    const c = weekly(await detail(manager, weeklyId));
    expect(c).toMatchObject({ period: '2026-W09', monday: '2026-02-23', sunday: '2026-03-01' });
    // Raised by hand at a meeting, and raised by the warnings that fired on the 25th.
    expect(c.newProblems.filter((p) => p.source !== 'warning').map((p) => [p.unit, p.title])).toEqual([['DJ1', '槽电压波动大']]);
    expect(c.newProblems.filter((p) => p.source === 'warning').length).toBeGreaterThan(0);
    expect(c.newProblems.every((p) => p.raisedAt >= '2026-02-22T16:00:00.000Z' && p.raisedAt < '2026-03-01T16:00:00.000Z')).toBe(true);
    expect(c.newProblems.map((p) => p.title)).not.toContain('上月登记的问题');
    expect(c.closedProblems.map((p) => [p.unit, p.title, p.status])).toEqual([['YH1', '焙烧炉热耗偏高', 'verified']]);
    expect(c.newItems.map((i) => [i.unit, i.title, i.owner])).toEqual([['DJ1', '电流效率提升方案', '电解一厂厂长']]);
    expect(c.closedItems.map((i) => [i.unit, i.title, i.closedAt])).toEqual([['DJ1', '阳极更换计划销号', '2026-02-26T06:00:00.000Z']]);
    // Due Wednesday 25 February, still acting: it went red on the 26th and is red now (5 days late on 2 March).
    expect(c.overdueItems.map((i) => [i.unit, i.title, i.overdueDays])).toEqual([['YH1', '焙烧炉检修', 5]]);
    expect(c.redItems.map((i) => i.id)).toEqual([ids.lateItem]);
    expect(c.warnings.length).toBeGreaterThan(10);
    expect(c.warnings.every((w) => w.firedAt === '2026-02-25T02:00:00.000Z')).toBe(true);
    expect(c.warnings.find((w) => w.unit === 'DJ1' && w.indicator === 'DJ_DC_KWH_T' && w.rule === 'WE1')).toMatchObject({ indicatorZh: '铝液直流电耗', state: 'firing' });
    expect(c.records).toEqual([expect.objectContaining({ unit: 'DJ1', indicator: 'DJ_AL_OUT', period: '2026-01', value: 39000, direction: 'higher' })]);
    expect(c.records[0]!.previousBest).toBeLessThan(39000);
    expect(c.totals).toMatchObject({ newProblems: c.newProblems.length, closedProblems: 1, verifiedProblems: 1, newItems: 1, closedItems: 1, overdueItems: 1, redItems: 1, records: 1, warnings: c.warnings.length });
    const dj1 = c.units.find((u) => u.unit === 'DJ1')!;
    expect(dj1).toMatchObject({ unitZh: '电解一厂', newProblems: c.newProblems.filter((p) => p.unit === 'DJ1').length, closedItems: 1, newItems: 1, records: 1, redItems: 0 });
    expect(c.units.find((u) => u.unit === 'YH1')).toMatchObject({ closedProblems: 1, verifiedProblems: 1, overdueItems: 1, redItems: 1 });
    // The week before had none of this.
    const w08 = (await list(manager)).find((r) => r.period === '2026-W08')!;
    expect(weekly(await detail(manager, w08.id)).totals).toMatchObject({ newProblems: 0, closedProblems: 0, closedItems: 0, records: 0, warnings: 0 });
  });

  it('a weekly notice shows each reader the units in their data scope only', async () => {
    const all = weekly(await detail(manager, weeklyId));
    const own = weekly(await detail(clerk, weeklyId));
    const lines = (c: WeeklyContent) => [...c.newProblems, ...c.closedProblems, ...c.newItems, ...c.closedItems, ...c.overdueItems, ...c.redItems, ...c.warnings, ...c.records];
    expect(new Set(lines(own).map((l) => l.unit))).toEqual(new Set(['DJ1']));
    expect(own.units.map((u) => u.unit)).toEqual(['DJ1']);
    expect(own.closedProblems).toEqual([]);
    expect(own.redItems).toEqual([]);
    expect(own.totals).toMatchObject({ units: 1, newProblems: all.newProblems.filter((p) => p.unit === 'DJ1').length, redItems: 0, warnings: all.warnings.filter((w) => w.unit === 'DJ1').length });
    const leaderView = weekly(await detail(leader, weeklyId));
    expect(lines(leaderView).every((l) => l.unit.startsWith('DJ1'))).toBe(true);
    expect(weekly(await detail(viewer, weeklyId)).totals).toEqual(all.totals);
    // Anonymous and users without problem.read get nothing.
    expect((await t.anonymous().get(`/api/notices/${weeklyId}`)).statusCode).toBe(401);
    expect((await (await t.login('admin')).get(`/api/notices/${weeklyId}`)).statusCode).toBe(403);
  });

  it('read receipts: idempotent, listed for supervisors (read and not read), and the notification is read too', async () => {
    const first = await clerk.post(`/api/notices/${weeklyId}/read`);
    expect(first.statusCode, first.body).toBe(200);
    const readAt = (first.json() as { readAt: string }).readAt;
    expect(readAt).toBe(t.clock.now().toISOString());
    t.clock.advance(60_000);
    expect((await clerk.post(`/api/notices/${weeklyId}/read`)).json()).toEqual({ id: weeklyId, read: true, readAt });
    expect((await list(clerk)).find((r) => r.id === weeklyId)!.read).toBe(true);
    expect((await list(leader)).find((r) => r.id === weeklyId)!.read).toBe(false);
    expect(await detail(clerk, weeklyId)).toMatchObject({ read: true, readAt });
    const audits = await db().selectFrom('audit_log').select('actor_username').where('action', '=', 'notice.read').execute();
    expect(audits.map((a) => a.actor_username)).toEqual(['clerk']);
    // The clerk's notification of the notice is read with it.
    const inbox = (await clerk.get('/api/notifications')).json() as NotificationList;
    expect(inbox.rows.find((n) => n.kind === 'notice.weekly' && n.link === `/notices/${weeklyId}`)!.readAt).toBe(readAt);

    const reads = (await manager.get(`/api/notices/${weeklyId}/reads`)).json() as NoticeReads;
    expect(reads.read.map((r) => [r.username, r.readAt])).toEqual([['clerk', readAt]]);
    expect(reads.unread.map((r) => r.username).sort()).toEqual(['leader', 'manager', 'viewer']);
    // The leader sees the readers of DJ1's subtree only.
    const leaderReads = (await leader.get(`/api/notices/${weeklyId}/reads`)).json() as NoticeReads;
    expect([...leaderReads.read, ...leaderReads.unread].map((r) => r.username).sort()).toEqual(['clerk', 'leader']);
    expect((await clerk.get(`/api/notices/${weeklyId}/reads`)).statusCode).toBe(403);
    expect((await clerk.post('/api/notices/00000000-0000-4000-8000-000000000000/read')).statusCode).toBe(404);
  });

  it('exports the notice as an xlsx: one sheet per section, Chinese bold headers, the unit rows of the reader', async () => {
    const res = await manager.get(`/api/notices/${weeklyId}/export.xlsx`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toBe('attachment; filename="pacesetter-notice-2026-W09.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['汇总', '新增问题', '关闭问题', '新增督办', '销号督办', '本周逾期', '当前红灯', '预警', '创纪录']);
    const summary = wb.getWorksheet('汇总')!;
    expect(summary.getRow(1).values).toEqual([undefined, '单位代码', '单位', '新增问题', '关闭问题', '其中验证闭环', '新增督办', '销号督办', '本周逾期', '当前红灯', '预警', '创纪录']);
    expect(summary.getRow(1).font?.bold).toBe(true);
    expect(summary.getColumn(2).width).toBe(20);
    const units = summary.getColumn(1).values.slice(2).map(String);
    expect(units).toContain('DJ1');
    expect(units).toContain('YH1');
    expect(units.at(-1)).toBe('合计');
    expect(wb.getWorksheet('关闭问题')!.getRow(2).values).toEqual([undefined, 'YH1', '第一氧化铝厂', expect.any(Number), '焙烧炉热耗偏高', '验证闭环', '2026-01-20 10:00', '2026-02-26 11:00']);
    expect(wb.getWorksheet('创纪录')!.getRow(2).getCell(6).value).toBe(39000);

    const own = new ExcelJS.Workbook();
    await own.xlsx.load((await clerk.get(`/api/notices/${weeklyId}/export.xlsx`)).rawPayload as unknown as ArrayBuffer);
    expect(own.getWorksheet('汇总')!.getColumn(1).values.slice(2).map(String)).toEqual(['DJ1', '合计']);
    expect(own.getWorksheet('关闭问题')!.rowCount).toBe(1);
  });

  it('the daily digest: own measures and items, due soon, red lights in scope; once per user and day; quiet users get none', async () => {
    const job = findJob('daily-digest')!;
    expect(job.schedule).toBe('30 7 * * *');
    // A reader at the limestone mine: nothing owned, nothing red, no warning there.
    const created = await (await t.login('admin')).post('/api/users', { username: 'mine.viewer', displayName: '石灰石矿', unitId: await idOf('units', 'code', 'KY-SHS'), roleCodes: ['viewer'], password: 'Start#2026x' });
    expect(created.statusCode, created.body).toBe(201);
    const at = t.clock.now();
    const first = await job.run(t.deps, at);
    // manager, leader, clerk, viewer and the mine's reader read problems; the mine's has nothing to say.
    expect(first).toEqual({ day: '2026-03-02', readers: 5, published: 4, existing: 0, quiet: 1 });
    expect(await job.run(t.deps, new Date(at.getTime() + 3_600_000))).toEqual({ day: '2026-03-02', readers: 5, published: 0, existing: 4, quiet: 1 });
    expect((await notices('daily')).length).toBe(4);
    expect((await notices('daily')).map((n) => n.recipient_user_id)).not.toContain(created.json().id);

    const mine = await list(leader, 'daily');
    expect(mine.map((r) => [r.kind, r.period, r.title])).toEqual([['daily', '2026-03-02', '每日提醒 2026-03-02']]);
    const d = (await detail(leader, mine[0]!.id)).content as DailyContent;
    // The leader (E0001) owns the week's measure and one of the demo problems' measures.
    expect(d.measures.map((m) => [m.description, m.dueDate, m.daysLeft])).toEqual([
      ['调整槽电压设定', '2026-03-03', 1],
      ['优化下料控制参数，逐槽核查设定值', '2026-04-30', 59],
    ]);
    expect(d.items.map((i) => [i.title, i.daysLeft, i.light])).toEqual([['电流效率提升方案', 2, 'yellow']]);
    expect(d.dueSoon.map((s) => [s.type, s.dueDate])).toEqual([
      ['measure', '2026-03-03'],
      ['item', '2026-03-04'],
    ]);
    expect(d.redItems).toEqual([]);
    // The clerk (E0002) owns a demo measure that is past due.
    const clerks = (await detail(clerk, (await list(clerk, 'daily'))[0]!.id)).content as DailyContent;
    expect(clerks.measures.map((m) => [m.dueDate, m.daysLeft])).toEqual([['2026-02-20', -10]]);
    expect(clerks.dueSoon).toEqual([]);
    const managers = (await detail(manager, (await list(manager, 'daily'))[0]!.id)).content as DailyContent;
    expect(managers.redItems.map((i) => [i.unit, i.title])).toEqual([['YH1', '焙烧炉检修']]);
    expect(managers.measures).toEqual([]);
    // Someone else's digest does not exist for you.
    expect((await manager.get(`/api/notices/${mine[0]!.id}`)).statusCode).toBe(404);
    expect((await list(clerk, 'daily')).map((r) => r.period)).toEqual(['2026-03-02']);
    // Without a kind: the weekly notices and your own digests.
    expect((await leader.get('/api/notices')).json().rows.map((r: NoticeSummary) => r.kind)).toEqual(['daily', 'weekly', 'weekly']);

    // The next day is a new digest.
    const next = await job.run(t.deps, new Date('2026-03-03T00:00:00Z'));
    expect(next).toMatchObject({ day: '2026-03-03', published: 4, existing: 0, quiet: 1 });
  });

  it('the inbox: own notifications only, unread count, read one (idempotent) and read all', async () => {
    const inbox = async (q = '') => {
      const res = await leader.get(`/api/notifications${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as NotificationList;
    };
    const all = await inbox();
    expect(all.rows.map((n) => n.kind).sort()).toEqual(['notice.daily', 'notice.daily', 'notice.weekly', 'notice.weekly']);
    expect(all.unread).toBe(4);
    expect(all.rows[0]).toMatchObject({ kind: 'notice.daily', title: '每日提醒 2026-03-03', readAt: null });
    expect(all.rows[0]!.link).toMatch(/^\/notices\/[0-9a-f-]{36}$/);
    expect(all.rows[0]!.body).toContain('我的措施 2');

    const target = all.rows[1]!;
    const read = await leader.post(`/api/notifications/${target.id}/read`);
    expect(read.statusCode, read.body).toBe(200);
    const readAt = (read.json() as Notification).readAt;
    expect(readAt).toBe(t.clock.now().toISOString());
    t.clock.advance(60_000);
    expect(((await leader.post(`/api/notifications/${target.id}/read`)).json() as Notification).readAt).toBe(readAt);
    expect((await inbox('?unread=true')).rows.map((n) => n.id)).not.toContain(target.id);
    expect((await inbox('?unread=true')).unread).toBe(3);
    // Someone else's notification is not found.
    expect((await manager.post(`/api/notifications/${target.id}/read`)).statusCode).toBe(404);
    expect((await manager.get('/api/notifications')).json().rows.every((n: Notification) => !all.rows.some((x) => x.id === n.id))).toBe(true);

    const readAll = await leader.post('/api/notifications/read-all');
    expect(readAll.json()).toEqual({ updated: 3, unread: 0 });
    expect((await leader.post('/api/notifications/read-all')).json()).toEqual({ updated: 0, unread: 0 });
    expect((await inbox('?unread=true')).rows).toEqual([]);
    expect((await t.anonymous().get('/api/notifications')).statusCode).toBe(401);
  });

  it('runs of the job and the endpoint at the same time still publish a week once', async () => {
    const job = findJob('weekly-notice')!;
    // Monday 9 February 2026, 08:00 in Shanghai: the job reports on 2026-W06.
    const at = new Date('2026-02-09T00:00:00Z');
    const results = await Promise.all([job.run(t.deps, at), job.run(t.deps, at), manager.post('/api/notices/publish', { kind: 'weekly', week: '2026-W06' }).then((r) => r.json() as PublishResult)]);
    expect(results.filter((r) => r.published === true)).toHaveLength(1);
    expect(new Set(results.map((r) => ('noticeId' in r ? r.noticeId : (r as PublishResult).notice.id))).size).toBe(1);
    expect((await notices('weekly')).filter((n) => n.period === '2026-W06')).toHaveLength(1);
  });
});

describe('notice job schedules', () => {
  it('come from PACESETTER_WEEKLY_NOTICE_CRON and PACESETTER_DAILY_DIGEST_CRON; a bad pattern stops the start', () => {
    expect(jobSchedules({})).toEqual({ weeklyNotice: '0 8 * * 1', dailyDigest: '30 7 * * *' });
    expect(testConfig({ PACESETTER_WEEKLY_NOTICE_CRON: '0 9 * * 1' }).schedules).toEqual({ weeklyNotice: '0 9 * * 1', dailyDigest: '30 7 * * *' });
    expect(() => testConfig({ PACESETTER_DAILY_DIGEST_CRON: 'every morning' })).toThrow(ConfigError);
    const before = process.env.PACESETTER_WEEKLY_NOTICE_CRON;
    process.env.PACESETTER_WEEKLY_NOTICE_CRON = '30 17 * * 5';
    try {
      // The scheduler reads the job's schedule at start-up, from the environment.
      expect(findJob('weekly-notice')!.schedule).toBe('30 17 * * 5');
    } finally {
      if (before === undefined) delete process.env.PACESETTER_WEEKLY_NOTICE_CRON;
      else process.env.PACESETTER_WEEKLY_NOTICE_CRON = before;
    }
    expect(findJob('weekly-notice')!.schedule).toBe(before ?? '0 8 * * 1');
  });
});
