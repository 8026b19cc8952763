import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Competition, Leaderboard } from '../../src/server/modules/competitions/competitions.schemas';
import type { Idea, IdeaSummary } from '../../src/server/modules/ideas/ideas.schemas';
import type { IdleAsset } from '../../src/server/modules/idle-assets/idle-assets.schemas';
import type { Earnings } from '../../src/server/modules/piece-rates/piece-rates.schemas';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

describe.each(engines)('results (competitions, piece rates, ideas, idle assets) on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  let leader: Client;
  let clerk: Client;
  let viewer: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [manager, leader, clerk, viewer] = await Promise.all([t.login('manager'), t.login('leader'), t.login('clerk'), t.login('viewer')]);
  });
  afterAll(() => t?.close());

  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  };
  const errorOf = (res: { statusCode: number; json(): unknown }) => (res.json() as { error: { code: string; message: string } }).error;
  const auditRows = (action: string) => t.deps.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();

  describe('labour competitions', () => {
    /** Values the test controls: DJ1 and YH1 in 2030 (no demo data there); March has only a suspect and an unapproved value. */
    async function seedValues() {
      const db = t.deps.database.db;
      const units = new Map((await db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
      const ind = await db.selectFrom('indicators').select('id').where('code', '=', 'DJ_AL_OUT').executeTakeFirstOrThrow();
      const row = (unit: string, period: string, value: number, status = 'approved', suspect = false) => ({ unit_id: units.get(unit)!, indicator_id: ind.id, period, value, status, suspect, created_at: t.clock.now(), updated_at: t.clock.now() });
      await db
        .insertInto('measurements')
        .values([row('DJ1', '2030-01', 100), row('DJ1', '2030-02', 110), row('DJ1', '2030-03', 1000, 'approved', true), row('YH1', '2030-01', 150), row('YH1', '2030-02', 150), row('YH1', '2030-03', 50, 'submitted')])
        .execute();
    }
    const body = {
      code: 'T-2030',
      nameZh: '测试竞赛',
      periodFrom: '2030-01-01',
      periodTo: '2030-03-31',
      status: 'running',
      aggregation: 'points',
      prizes: [{ rank: 1, nameZh: '一等奖', nameEn: 'First prize', amountYuan: '5000' }],
      participants: ['DJ1', 'YH1'],
      items: [
        { indicator: 'DJ_AL_OUT', method: 'add-deduct', weight: 60, params: { base: 250, basePoints: 10, perUnit: 0.1, cap: 10, floor: 0 } },
        { indicator: 'DJ_AL_OUT', method: 'pass-fail', weight: 40, params: { threshold: 250 } },
      ],
    };

    it('refuses bad competitions: an indicator twice, an end before the start, unknown units, a veto with points, an event without a reason', async () => {
      expect(errorOf(await manager.post('/api/competitions', body))).toMatchObject({ code: 'ITEM_DUPLICATE' });
      const fixed = { ...body, items: [body.items[0]!, { ...body.items[1]!, indicator: 'DJ_AE_COEF' }] };
      expect(errorOf(await manager.post('/api/competitions', { ...fixed, periodTo: '2029-12-31' }))).toMatchObject({ code: 'PERIOD_INVALID' });
      expect((await manager.post('/api/competitions', { ...fixed, participants: ['NOPE'] })).statusCode).toBe(404);
      expect((await manager.post('/api/competitions', { ...fixed, prizes: [{ rank: 1, nameZh: 'x', amountYuan: '1.234' }] })).statusCode).toBe(400);
      expect((await leader.post('/api/competitions', fixed)).statusCode).toBe(403);
      const events = '/api/competitions/2020-321/events';
      expect((await manager.post(events, { unit: 'YH1', date: '2020-03-01', points: 3, category: 'veto', reason: '事故' })).statusCode).toBe(400);
      expect((await manager.post(events, { unit: 'YH1', date: '2020-03-01', points: 1, category: 'assess', reason: '  ' })).statusCode).toBe(400);
      expect((await manager.post(events, { unit: 'YH1', date: '2020-03-01', points: 0.125, category: 'assess', reason: 'x' })).statusCode).toBe(400);
      expect(errorOf(await manager.post(events, { unit: 'YH1', date: '2021-01-01', points: 1, category: 'assess', reason: 'x' }))).toMatchObject({ code: 'EVENT_OUTSIDE_PERIOD' });
      expect(errorOf(await manager.post(events, { unit: 'DJ1', date: '2020-03-01', points: 1, category: 'assess', reason: 'x' }))).toMatchObject({ code: 'UNIT_NOT_FOUND' });
    });

    it('scores data items from approved, not suspect values plus events, hand-checked; a veto zeroes the unit and takes its prize', async () => {
      await seedValues();
      // One item per indicator: the add-deduct item here, pass-fail in the next test (after the update).
      const created = ok<Competition>(await manager.post('/api/competitions', { ...body, items: [body.items[0]!] }), 201);
      expect(created).toMatchObject({ code: 'T-2030', status: 'running', version: 1, items: [{ indicator: 'DJ_AL_OUT', method: 'add-deduct', weight: 60 }] });
      expect(created.participants.map((p) => p.unit).sort()).toEqual(['DJ1', 'YH1']);
      const events = '/api/competitions/T-2030/events';
      ok(await manager.post(events, { unit: 'DJ1', date: '2030-01-15', points: 2.5, category: 'strengthen', reason: '强化指标管控' }), 201);
      ok(await manager.post(events, { unit: 'DJ1', date: '2030-02-15', points: -0.25, category: 'supervise', reason: '现场监督扣分' }), 201);
      ok(await manager.post(events, { unit: 'YH1', date: '2030-03-01', points: 1, category: 'assess', reason: '考核加分' }), 201);

      let board = ok<Leaderboard>(await manager.get('/api/competitions/T-2030/leaderboard'));
      expect(board).toMatchObject({ months: ['2030-01', '2030-02'], period: '2030-01…2030-02' });
      // To date = January and February: in March nobody has a trusted value (a suspect 1000, a submitted 50).
      // DJ1: 100 + 110 = 210 → 10 + (210 − 250) × 0.1 = 6 points of 10 → 60 of 100;
      //      data = 60 × 60 ÷ 100 = 36; events 2.5 − 0.25 = 2.25; total 38.25.
      // YH1: 150 + 150 = 300 → 10 + 5 = 15, capped at 10 → 100; data = 60; events (all dates) 1; total 61.
      expect(board.rows.map((r) => [r.unit, r.dataScore, r.eventPoints, r.total, r.rank, r.prize?.amountYuan ?? null])).toEqual([
        ['YH1', 60, 1, 61, 1, '5000'],
        ['DJ1', 36, 2.25, 38.25, 2, null],
      ]);
      const dj1 = board.rows.find((r) => r.unit === 'DJ1')!;
      expect(dj1.items[0]).toMatchObject({ indicator: 'DJ_AL_OUT', value: 210, score: 60 });
      expect(dj1.items[0]!.explanation!.arithmetic).toContain('10 − (250 − 210) × 0.1');
      expect(dj1.arithmetic).toBe('data (60 × 60) ÷ 100 = 36; events +2.5 −0.25 = 2.25; 36 + 2.25 = 38.25');
      expect(dj1.events.map((e) => [e.points, e.category, e.createdBy])).toEqual([[2.5, 'strengthen', 'manager'], [-0.25, 'supervise', 'manager']]);

      // One month only: February has DJ1's 110 (10 − 14 points, floored at 0) and its −0.25.
      board = ok<Leaderboard>(await manager.get('/api/competitions/T-2030/leaderboard?period=2030-02'));
      expect(board.rows.find((r) => r.unit === 'DJ1')).toMatchObject({ dataScore: 0, eventPoints: -0.25, total: -0.25 });
      expect(errorOf(await manager.get('/api/competitions/T-2030/leaderboard?period=2031'))).toMatchObject({ code: 'PERIOD_OUTSIDE_COMPETITION' });

      ok(await manager.post(events, { unit: 'YH1', date: '2030-03-20', points: 0, category: 'veto', reason: '焙烧炉安全事故' }), 201);
      board = ok<Leaderboard>(await manager.get('/api/competitions/T-2030/leaderboard'));
      expect(board.rows.map((r) => [r.unit, r.total, r.rank, r.vetoed, r.prize?.nameZh ?? null])).toEqual([
        ['DJ1', 38.25, 1, false, '一等奖'],
        ['YH1', 0, 2, true, null],
      ]);
      expect(board.rows[1]).toMatchObject({ unvetoedTotal: 61, vetoReasons: ['焙烧炉安全事故'] });

      // Data scope: the leader of 电解一厂 sees its own row, ranked among all.
      const mine = ok<Leaderboard>(await leader.get('/api/competitions/T-2030/leaderboard'));
      expect(mine.rows.map((r) => [r.unit, r.rank])).toEqual([['DJ1', 1]]);
      // Audit: the creation and the four events, each in its own transaction.
      expect((await auditRows('competition.create')).map((a) => a.object_id)).toContain('T-2030');
      expect((await auditRows('competition.event')).filter((a) => a.object_id === 'T-2030')).toHaveLength(4);
    });

    it('updates with the version (a stale one is refused) and a closed competition takes no events', async () => {
      const c = ok<Competition>(await manager.get('/api/competitions/T-2030'));
      const put = { nameZh: c.nameZh, nameEn: 'Test', description: '', periodFrom: c.periodFrom, periodTo: c.periodTo, status: 'closed', aggregation: 'mean', prizes: c.prizes, participants: ['DJ1', 'YH1'], items: [{ indicator: 'DJ_AL_OUT', method: 'pass-fail', weight: 1, params: { threshold: 250 } }] };
      const updated = ok<Competition>(await manager.put('/api/competitions/T-2030', { ...put, version: c.version }));
      expect(updated).toMatchObject({ status: 'closed', aggregation: 'mean', version: c.version + 1, items: [{ method: 'pass-fail', weight: 1 }] });
      expect((await manager.put('/api/competitions/T-2030', { ...put, version: c.version })).statusCode).toBe(409);
      expect(errorOf(await manager.post('/api/competitions/T-2030/events', { unit: 'DJ1', date: '2030-01-02', points: 1, category: 'other', reason: 'x' }))).toMatchObject({ code: 'COMPETITION_CLOSED' });
      // pass-fail over the mean: DJ1 210 < 250 → 0, YH1 300 ≥ 250 → 100 (but vetoed).
      const board = ok<Leaderboard>(await manager.get('/api/competitions/T-2030/leaderboard'));
      expect(board.rows.find((r) => r.unit === 'DJ1')).toMatchObject({ dataScore: 0, total: 2.25 });
    });

    it('the demo "321" contest ranks the three alumina plants with its events', async () => {
      const list = ok<{ items: Competition[] }>(await viewer.get('/api/competitions')).items;
      expect(list.find((c) => c.code === '2020-321')).toMatchObject({ status: 'running', participants: [{ unit: 'YH1' }, { unit: 'YH2' }, { unit: 'YH3' }], items: [{ indicator: 'YH_POWER_KWH_T' }, { indicator: 'YH_WATER_T' }, { indicator: 'YH_DIGEST_YIELD' }] });
      const feb = ok<Leaderboard>(await viewer.get('/api/competitions/2020-321/leaderboard?period=2020-02'));
      expect(Object.fromEntries(feb.rows.map((r) => [r.unit, r.eventPoints]))).toEqual({ YH1: 0, YH2: -2, YH3: 1.5 });
      for (const r of feb.rows) {
        expect(r.total).toBe(Math.round((r.dataScore + r.eventPoints) * 100) / 100);
        expect(r.items.every((i) => i.score !== null && i.explanation !== null)).toBe(true);
      }
      expect(feb.rows.map((r) => r.rank)).toEqual([...feb.rows.map((r) => r.rank)].sort((a, b) => a - b));
      const year = ok<Leaderboard>(await viewer.get('/api/competitions/2020-321/leaderboard'));
      expect(Object.fromEntries(year.rows.map((r) => [r.unit, r.eventPoints]))).toEqual({ YH1: 2, YH2: 0, YH3: 1.5 });
      // To date: the data up to the latest month all three plants reported, every item scored.
      expect(year.months[0]).toBe('2020-01');
      expect(year.months.length).toBeGreaterThanOrEqual(2);
      expect(year.rows.every((r) => r.items.every((i) => i.score !== null))).toBe(true);
    });
  });

  describe('piece rates and quality prices', () => {
    it('earns 1 234.5 t × 12.30 ¥/t + grade prices = 23 184.35 yuan and shares it by points to the fen', async () => {
      const e = ok<Earnings>(await manager.get('/api/piece-rates/earnings?team=DJ1-DJ-A1&period=2020-02'));
      expect(e.lines.map((l) => [l.grade, l.quantity, l.rate, l.pieceAmount, l.qualityPrice, l.qualityAmount, l.amount])).toEqual([
        ['Al99.70', '234.5', '12.3', '2884.35', '0', '0.00', '2884.35'],
        ['Al99.85', '1000', '12.3', '12300.00', '8', '8000.00', '20300.00'],
      ]);
      expect(e).toMatchObject({ pieceTotal: '15184.35', qualityTotal: '8000.00', total: '23184.35', totalPoints: '40', rateDate: '2020-02-29', allocationProblem: null });
      expect(e.members.map((m) => [m.person, m.personName, m.points, m.amount])).toEqual([
        ['W0001', '一工区班长', '12', '6955.30'],
        ['W0002', '一工区电解工甲', '10', '5796.09'],
        ['W0003', '一工区电解工乙', '10', '5796.09'],
        ['W0004', '一工区多功能天车工', '8', '4636.87'],
      ]);
      const fen = e.members.reduce((a, m) => a + Math.round(Number(m.amount) * 100), 0);
      expect(fen).toBe(2318435);
      // The viewer may not read people: codes, no names.
      const v = ok<Earnings>(await viewer.get('/api/piece-rates/earnings?team=DJ1-DJ-A1&period=2020-02'));
      expect(v.members.map((m) => m.personName)).toEqual([null, null, null, null]);
      // The clerk's scope is 电解一厂 itself, not its work areas.
      expect(errorOf(await clerk.get('/api/piece-rates/earnings?team=DJ1-DJ-A1&period=2020-02'))).toMatchObject({ code: 'UNIT_NOT_FOUND' });
    });

    it('enters outputs and points with versions, within scope, and the earnings follow', async () => {
      const out = { team: 'DJ1-DJ-A1', period: '2020-03', product: '原铝液', grade: 'Al99.85', quantity: '1234.5' };
      const first = ok<{ id: string; version: number; quantity: string }>(await leader.put('/api/piece-rates/outputs', out));
      expect(first).toMatchObject({ quantity: '1234.5', version: 1 });
      expect(errorOf(await leader.put('/api/piece-rates/outputs', out))).toMatchObject({ code: 'OUTPUT_EXISTS' });
      expect((await leader.put('/api/piece-rates/outputs', { ...out, quantity: '1200', version: 1 })).statusCode).toBe(200);
      expect((await leader.put('/api/piece-rates/outputs', { ...out, quantity: '1300', version: 1 })).statusCode).toBe(409);
      expect((await leader.put('/api/piece-rates/outputs', { ...out, quantity: '1234.5', version: 2 })).statusCode).toBe(200);
      expect((await leader.put('/api/piece-rates/outputs', { ...out, quantity: '1e3' })).statusCode).toBe(400);
      expect((await leader.put('/api/piece-rates/outputs', { ...out, quantity: '-1' })).statusCode).toBe(400);
      expect((await clerk.put('/api/piece-rates/outputs', out)).statusCode).toBe(404);
      expect((await manager.put('/api/piece-rates/outputs', out)).statusCode).toBe(403);
      ok(await leader.put('/api/piece-rates/points', { team: 'DJ1-DJ-A1', period: '2020-03', person: 'W0001', points: '3' }));
      ok(await leader.put('/api/piece-rates/points', { team: 'DJ1-DJ-A1', period: '2020-03', person: 'W0002', points: '2.5' }));
      expect(errorOf(await leader.put('/api/piece-rates/points', { team: 'DJ1-DJ-A1', period: '2020-03', person: 'E0001', points: '1' }))).toMatchObject({ code: 'PERSON_NOT_IN_TEAM' });
      const e = ok<Earnings>(await leader.get('/api/piece-rates/earnings?team=DJ1-DJ-A1&period=2020-03'));
      // 1234.5 × 12.3 = 15184.35; 1234.5 × 8 = 9876.00 → 25060.35; by 3 : 2.5 → 13669.281… and 11391.068…
      expect(e).toMatchObject({ pieceTotal: '15184.35', qualityTotal: '9876.00', total: '25060.35' });
      expect(e.members.map((m) => m.amount)).toEqual(['13669.28', '11391.07']);
      const sheet = ok<{ outputs: { quantity: string; version: number }[]; points: { person: string }[] }>(await leader.get('/api/piece-rates/sheet?team=DJ1-DJ-A1&period=2020-03'));
      expect(sheet.outputs).toEqual([expect.objectContaining({ quantity: '1234.5', version: 3 })]);
      expect(sheet.points.map((p) => p.person)).toEqual(['W0001', 'W0002']);
      expect((await auditRows('team_output.put')).length).toBe(3);
    });

    it('keeps rates and prices from overlapping and changes them with versions', async () => {
      const rates = ok<{ items: { id: string; product: string; rate: string; version: number }[] }>(await manager.get('/api/piece-rates/rates?team=DJ1-DJ-A1')).items;
      expect(rates).toEqual([expect.objectContaining({ product: '原铝液', rate: '12.3', validFrom: '2020-01-01', validTo: null })]);
      expect(errorOf(await manager.post('/api/piece-rates/rates', { team: 'DJ1-DJ-A1', product: '原铝液', uom: 't', rate: '13', validFrom: '2021-01-01' }))).toMatchObject({ code: 'RATE_OVERLAP' });
      const ended = ok<{ version: number; validTo: string }>(await manager.put(`/api/piece-rates/rates/${rates[0]!.id}`, { product: '原铝液', uom: 't', rate: '12.30', validFrom: '2020-01-01', validTo: '2020-12-31', version: rates[0]!.version }));
      expect(ended).toMatchObject({ validTo: '2020-12-31', version: 2 });
      ok(await manager.post('/api/piece-rates/rates', { team: 'DJ1-DJ-A1', product: '原铝液', uom: 't', rate: '13.0500', validFrom: '2021-01-01' }), 201);
      expect((await leader.post('/api/piece-rates/rates', { team: 'DJ1-DJ-A1', product: '铝锭', uom: 't', rate: '1', validFrom: '2021-01-01' })).statusCode).toBe(403);
      const price = ok<{ id: string; price: string; version: number }>(await manager.post('/api/piece-rates/quality-prices', { product: '铝锭', grade: '等外', price: '-20.5', validFrom: '2020-01-01' }), 201);
      expect(price.price).toBe('-20.5');
      expect(errorOf(await manager.post('/api/piece-rates/quality-prices', { product: '铝锭', grade: '等外', price: '1', validFrom: '2020-06-01', validTo: '2020-05-01' }))).toMatchObject({ code: 'VALIDITY_INVALID' });
      expect((await manager.put(`/api/piece-rates/quality-prices/${price.id}`, { product: '铝锭', grade: '等外', price: '-21', validFrom: '2020-01-01', validTo: null, version: 9 })).statusCode).toBe(409);
    });

    it('exports the payroll as an xlsx that opens: codes and names, amounts adding up to the team total', async () => {
      const res = await manager.get('/api/piece-rates/earnings.xlsx?period=2020-02');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toBe('attachment; filename="pacesetter-payroll-2020-02.xlsx"');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0]!;
      const rows = sheet.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
      expect(sheet.getRow(1).values).toEqual([undefined, '期间 period', '班组 team', '班组名称 team name', '工号 person', '姓名 name', '工分 points', '金额 amount (yuan)', '计算 arithmetic']);
      expect(rows.map((r) => [r[1], r[3], r[4], r[6]])).toEqual([
        ['DJ1-DJ-A1', 'W0001', '一工区班长', 6955.3],
        ['DJ1-DJ-A1', 'W0002', '一工区电解工甲', 5796.09],
        ['DJ1-DJ-A1', 'W0003', '一工区电解工乙', 5796.09],
        ['DJ1-DJ-A1', 'W0004', '一工区多功能天车工', 4636.87],
      ]);
      expect(wb.worksheets[1]!.rowCount).toBe(4);
      expect((await auditRows('piece_rate.export')).at(-1)).toMatchObject({ object_id: '2020-02' });
    });
  });

  describe('ideas', () => {
    it('any signed-in user submits for their unit; reviewers start, adopt, implement; rejection needs a note', async () => {
      const idea = ok<Idea>(await clerk.post('/api/ideas', { title: '月报自动汇总', description: '用模板替代手工汇总', category: 'small-improvement' }), 201);
      expect(idea).toMatchObject({ unit: 'DJ1', submitter: 'E0002', submitterName: '电解一厂统计员', status: 'submitted', version: 1, benefitYuan: null, submittedAt: '2026-03-02T01:00:00.000Z' });
      expect((await clerk.post(`/api/ideas/${idea.id}/review`, { action: 'start', version: 1 })).statusCode).toBe(403);
      const started = ok<Idea>(await leader.post(`/api/ideas/${idea.id}/review`, { action: 'start', version: 1 }));
      expect(started).toMatchObject({ status: 'reviewing', reviewer: 'leader', version: 2 });
      expect((await leader.post(`/api/ideas/${idea.id}/review`, { action: 'adopt', version: 1 })).statusCode).toBe(409);
      expect(errorOf(await leader.post(`/api/ideas/${idea.id}/review`, { action: 'implement', version: 2 }))).toMatchObject({ code: 'IDEA_STATE' });
      expect((await leader.post(`/api/ideas/${idea.id}/review`, { action: 'adopt', benefitYuan: '12.345', version: 2 })).statusCode).toBe(400);
      const adopted = ok<Idea>(await leader.post(`/api/ideas/${idea.id}/review`, { action: 'adopt', benefitYuan: '1000.5', note: '采纳', version: 2 }));
      expect(adopted).toMatchObject({ status: 'adopted', benefitYuan: '1000.50', reviewNote: '采纳', adoptedAt: '2026-03-02T01:00:00.000Z' });
      const done = ok<Idea>(await leader.post(`/api/ideas/${idea.id}/review`, { action: 'implement', benefitYuan: '1200.25', version: 3 }));
      expect(done).toMatchObject({ status: 'implemented', benefitYuan: '1200.25', version: 4 });

      const other = ok<Idea>(await viewer.post('/api/ideas', { title: '食堂错峰就餐' }), 201);
      expect(other).toMatchObject({ unit: 'GRP', category: 'idea', submitter: 'viewer' });
      // The leader's scope is 电解一厂's subtree: GRP's idea does not exist for it.
      expect(errorOf(await leader.post(`/api/ideas/${other.id}/review`, { action: 'reject', version: 1 }))).toMatchObject({ code: 'IDEA_NOT_FOUND' });
      expect(errorOf(await manager.post(`/api/ideas/${other.id}/review`, { action: 'reject', version: 1 }))).toMatchObject({ code: 'NOTE_REQUIRED' });
      ok(await manager.post(`/api/ideas/${other.id}/review`, { action: 'reject', note: '已有同类安排', version: 1 }));

      const summary = ok<IdeaSummary>(await manager.get('/api/ideas/summary?year=2026'));
      expect(summary.rows).toEqual([
        { unit: 'GRP', unitName: expect.any(String), submitted: 1, adopted: 0, implemented: 0, rejected: 1, benefitYuan: '0.00' },
        { unit: 'DJ1', unitName: '电解一厂', submitted: 1, adopted: 1, implemented: 1, rejected: 0, benefitYuan: '1200.25' },
      ]);
      expect((await auditRows('idea.implement')).map((a) => a.object_id)).toEqual([idea.id]);
      const list = ok<{ items: Idea[] }>(await clerk.get('/api/ideas?year=2026')).items;
      expect(list.map((i) => i.unit)).toEqual(['DJ1']);
    });

    it('the demo year 2020: counts and benefit by unit, the leader seeing its own units only', async () => {
      const s = ok<IdeaSummary>(await manager.get('/api/ideas/summary?year=2020'));
      expect(s.total).toEqual({ submitted: 10, adopted: 6, implemented: 3, rejected: 1, benefitYuan: '873000.50' });
      expect(s.rows.find((r) => r.unit === 'YH1')).toMatchObject({ submitted: 2, adopted: 2, implemented: 1, benefitYuan: '410000.00' });
      const mine = ok<IdeaSummary>(await leader.get('/api/ideas/summary?year=2020'));
      expect(mine.rows.map((r) => r.unit).sort()).toEqual(['DJ1', 'DJ1-DJ-A1']);
      const adopted = ok<{ items: Idea[] }>(await viewer.get('/api/ideas?status=adopted&year=2020')).items;
      expect(adopted).toHaveLength(3);
    });
  });

  describe('idle assets', () => {
    it('lists the demo ledger and sums it by status and kind', async () => {
      const items = ok<{ items: IdleAsset[] }>(await viewer.get('/api/idle-assets')).items;
      expect(items.map((a) => [a.code, a.kind, a.status])).toEqual([
        ['IA-2020-01', 'line', 'in-progress'],
        ['IA-2020-02', 'building', 'planned'],
        ['IA-2020-03', 'equipment', 'in-progress'],
        ['IA-2020-04', 'equipment', 'idle'],
        ['IA-2020-05', 'vehicle', 'disposed'],
      ]);
      expect(items[0]).toMatchObject({ progress: 33, owner: 'E0102', plan: [{ done: true, overdue: false }, { done: false, overdue: true }, { done: false, overdue: true }] });
      const s = ok<{ total: number; byStatus: Record<string, number>; proceeds: string; idleBookValue: string; byKind: Record<string, { count: number }> }>(await viewer.get('/api/idle-assets/summary'));
      expect(s).toMatchObject({ total: 5, byStatus: { idle: 1, planned: 1, 'in-progress': 2, disposed: 1 }, proceeds: '312000.00', idleBookValue: '8270000.00' });
      expect(s.byKind.equipment!.count).toBe(2);
      expect(ok<{ items: IdleAsset[] }>(await leader.get('/api/idle-assets')).items.map((a) => a.code)).toEqual(['IA-2020-03']);
    });

    it('creates, plans, ticks steps off and disposes with proceeds; validation, scope and versions hold', async () => {
      const body = { code: 'IA-T-1', name: '铸造车间旧叉车', kind: 'vehicle', unit: 'DJ1-ZZ', originalValue: '180000', bookValue: '20000.5', idleSince: '2025-06-30', disposalRoute: 'sale', plan: [{ step: '评估', due: '2026-03-31' }, { step: '挂牌', due: '2026-04-30' }], owner: 'E0001' };
      expect(errorOf(await leader.post('/api/idle-assets', { ...body, bookValue: '200000' }))).toMatchObject({ code: 'BOOK_VALUE_ABOVE_ORIGINAL' });
      expect((await leader.post('/api/idle-assets', { ...body, kind: 'ship' })).statusCode).toBe(400);
      expect(errorOf(await leader.post('/api/idle-assets', { ...body, unit: 'YH1' }))).toMatchObject({ code: 'UNIT_NOT_FOUND' });
      expect((await clerk.post('/api/idle-assets', body)).statusCode).toBe(403);
      const a = ok<IdleAsset>(await leader.post('/api/idle-assets', body), 201);
      expect(a).toMatchObject({ status: 'planned', bookValue: '20000.50', progress: 0, ownerName: '电解一厂厂长', version: 1 });
      const stepped = ok<IdleAsset>(await leader.post(`/api/idle-assets/${a.id}/steps/0`, { done: true, version: 1 }));
      expect(stepped).toMatchObject({ status: 'in-progress', progress: 50, version: 2 });
      expect(errorOf(await leader.post(`/api/idle-assets/${a.id}/steps/5`, { done: true, version: 2 }))).toMatchObject({ code: 'STEP_NOT_FOUND' });
      expect((await leader.post(`/api/idle-assets/${a.id}/dispose`, { proceedsYuan: '25000', disposedOn: '2026-03-01', version: 1 })).statusCode).toBe(409);
      expect(errorOf(await leader.post(`/api/idle-assets/${a.id}/dispose`, { proceedsYuan: '25000', disposedOn: '2020-01-01', version: 2 }))).toMatchObject({ code: 'DISPOSED_BEFORE_IDLE' });
      const disposed = ok<IdleAsset>(await leader.post(`/api/idle-assets/${a.id}/dispose`, { proceedsYuan: '25000.10', disposedOn: '2026-03-01', note: '公开竞价', version: 2 }));
      expect(disposed).toMatchObject({ status: 'disposed', proceeds: '25000.10', disposedOn: '2026-03-01', note: '公开竞价' });
      expect(errorOf(await leader.post(`/api/idle-assets/${a.id}/dispose`, { proceedsYuan: '1', disposedOn: '2026-03-01', version: 3 }))).toMatchObject({ code: 'ASSET_DISPOSED' });
      expect(errorOf(await manager.put(`/api/idle-assets/${a.id}`, { ...body, code: undefined, version: 3 }))).toBeDefined();
      const s = ok<{ proceeds: string; byStatus: Record<string, number> }>(await manager.get('/api/idle-assets/summary'));
      expect(s).toMatchObject({ proceeds: '337000.10', byStatus: { disposed: 2 } });
      expect((await auditRows('idle_asset.dispose')).map((r) => r.object_id)).toEqual(['IA-T-1']);
    });

    it('updates an asset with its version; the status follows the plan', async () => {
      const [a] = ok<{ items: IdleAsset[] }>(await manager.get('/api/idle-assets?kind=building')).items;
      const put = { name: a!.name, kind: a!.kind, unit: a!.unit, originalValue: a!.originalValue, bookValue: a!.bookValue, idleSince: a!.idleSince, disposalRoute: 'sale', plan: [], owner: a!.owner, note: '改为出售', version: a!.version };
      const updated = ok<IdleAsset>(await manager.put(`/api/idle-assets/${a!.id}`, put));
      expect(updated).toMatchObject({ disposalRoute: 'sale', status: 'idle', plan: [], version: a!.version + 1 });
      expect((await manager.put(`/api/idle-assets/${a!.id}`, put)).statusCode).toBe(409);
    });
  });
});
