import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { notify } from '../../src/server/modules/notifications/notify';
import type { NoticeDetail, NoticeReads, NoticeSummary, PublishResult, WeeklyContent } from '../../src/server/modules/notices/notices.schemas';
import type { Notification, NotificationList } from '../../src/server/modules/notifications/notifications.schemas';
import type { Caller, MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
const readers = ['manager', 'leader', 'clerk', 'viewer'] as const;
const supervisors = ['manager', 'leader'] as const;
const unknownId = '00000000-0000-4000-8000-000000000000';

/** The weekly notice of the week before the test clock's, published once by the job and shared. */
function weeklyNotice(m: MatrixContext): Promise<NoticeSummary> {
  return m.shared('weekly-notice', async () => {
    const res = await (await m.client('manager')).post('/api/notices/publish', { kind: 'weekly' });
    if (res.statusCode !== 200) throw new Error(`publish: ${res.statusCode} ${res.body}`);
    return json<PublishResult>(res).notice;
  });
}

/** A week of its own for each publication, long over, so calls never collide. */
function freshWeek(m: MatrixContext): string {
  const n = m.next();
  return `${1990 + Math.floor(n / 52)}-W${String((n % 52) + 1).padStart(2, '0')}`;
}

/** A fresh unread notification of the caller (any signed-in user has an inbox). */
async function notificationOf(m: MatrixContext, who: Caller): Promise<string> {
  const db = m.t.deps.database.db;
  const user = await db.selectFrom('users').select('id').where('username', '=', who ?? 'admin').executeTakeFirstOrThrow();
  const key = `matrix:${m.next()}`;
  await notify(db, { userId: user.id, kind: 'matrix.test', title: '矩阵测试', body: key, link: '/notices', dedupeKey: key, at: m.t.clock.now() });
  const row = await db.selectFrom('notifications').select('id').where('dedupe_key', '=', key).executeTakeFirstOrThrow();
  return row.id;
}

/** Matrix entries of the notice board and the inbox (appended to the matrix in route-matrix.ts). */
export const noticesMatrix: RouteCase[] = [
  {
    method: 'GET',
    url: '/api/notices',
    access: readers,
    build: async (m, _who, mode) => {
      if (mode === 'allowed') await weeklyNotice(m);
      return { url: '/api/notices?kind=weekly' };
    },
    check: async (res, m) => {
      const rows = json<{ rows: NoticeSummary[] }>(res).rows;
      expect(rows.map((r) => r.id)).toContain((await weeklyNotice(m)).id);
      expect(rows.every((r) => r.kind === 'weekly')).toBe(true);
    },
  },
  {
    method: 'GET',
    url: '/api/notices/:id',
    access: readers,
    build: async (m) => ({ url: `/api/notices/${(await weeklyNotice(m)).id}` }),
    check: (res, _m, who) => {
      const d = json<NoticeDetail>(res);
      expect(d.content.kind).toBe('weekly');
      const units = (d.content as WeeklyContent).units.map((u) => u.unit);
      if (who === 'clerk') expect(units.every((u) => u === 'DJ1')).toBe(true);
      if (who === 'leader') expect(units.every((u) => u.startsWith('DJ1'))).toBe(true);
    },
  },
  {
    method: 'POST',
    url: '/api/notices/:id/read',
    access: readers,
    build: async (m) => ({ url: `/api/notices/${(await weeklyNotice(m)).id}/read`, body: {} }),
    check: async (res, m) => expect(json(res)).toMatchObject({ id: (await weeklyNotice(m)).id, read: true }),
  },
  {
    method: 'GET',
    url: '/api/notices/:id/reads',
    access: supervisors,
    build: async (m) => ({ url: `/api/notices/${(await weeklyNotice(m)).id}/reads` }),
    check: (res, _m, who) => {
      const r = json<NoticeReads>(res);
      const names = [...r.read, ...r.unread].map((x) => x.username);
      expect(names).toContain('leader');
      if (who === 'leader') expect(names).not.toContain('manager');
      else expect(names).toEqual(expect.arrayContaining(['manager', 'clerk', 'viewer']));
    },
  },
  {
    method: 'GET',
    url: '/api/notices/:id/export.xlsx',
    access: readers,
    build: async (m) => ({ url: `/api/notices/${(await weeklyNotice(m)).id}/export.xlsx` }),
    check: (res) => {
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    },
  },
  {
    method: 'POST',
    url: '/api/notices/publish',
    access: supervisors,
    build: async (m) => ({ url: '/api/notices/publish', body: { kind: 'weekly', week: freshWeek(m) } }),
    check: (res, _m, _who, call) => expect(json(res)).toMatchObject({ published: true, period: (call.body as { week: string }).week, notice: { kind: 'weekly' } }),
  },
  {
    method: 'GET',
    url: '/api/notifications',
    access: 'authenticated',
    build: async () => ({ url: '/api/notifications?unread=true' }),
    check: (res) => {
      const body = json<NotificationList>(res);
      expect(body.rows.every((n) => n.readAt === null)).toBe(true);
      expect(body.unread).toBeGreaterThanOrEqual(body.rows.length);
    },
  },
  {
    method: 'POST',
    url: '/api/notifications/:id/read',
    access: 'authenticated',
    build: async (m, who, mode) => ({ url: `/api/notifications/${mode === 'anonymous' ? unknownId : await notificationOf(m, who)}/read`, body: {} }),
    check: (res) => expect(json<Notification>(res)).toMatchObject({ kind: 'matrix.test', readAt: expect.any(String) }),
  },
  {
    method: 'POST',
    url: '/api/notifications/read-all',
    access: 'authenticated',
    build: async (m, who, mode) => {
      if (mode !== 'anonymous') await notificationOf(m, who);
      return { url: '/api/notifications/read-all', body: {} };
    },
    check: (res) => {
      const r = json<{ updated: number; unread: number }>(res);
      expect(r.updated).toBeGreaterThanOrEqual(1);
      expect(r.unread).toBe(0);
    },
  },
];
