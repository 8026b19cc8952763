import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Measure, Problem, ProblemDetail } from '../../src/server/modules/problems/problems.schemas';
import type { Warning } from '../../src/server/modules/warnings/warnings.schemas';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { multipartBody } from './route-matrix';

type Indicator = { code: string; formula: string | null; direction: string; bandCentre: number | null };

describe.each(engines)('problems on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  let leader: Client;
  let clerk: Client;
  let viewer: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [manager, leader, clerk, viewer] = await Promise.all(['manager', 'leader', 'clerk', 'viewer'].map((u) => t.login(u))) as [Client, Client, Client, Client];
  });
  afterAll(() => t?.close());

  const ok = <T>(res: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  };
  const scan = async () => ok(await manager.post('/api/warnings/scan'));
  const problems = async (client: Client, query = '') => ok<{ rows: Problem[] }>(await client.get(`/api/problems${query}`)).rows;
  const firing = async () => ok<{ rows: Warning[] }>(await manager.get('/api/warnings?state=firing')).rows;
  const auditCount = async (action: string) => Number((await t.deps.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);
  async function upload(client: Client, filename: string, content: string | Buffer) {
    const form = multipartBody({ file: { filename, content } });
    const headers: Record<string, string> = { 'content-type': form.contentType };
    if (client.cookie) headers.cookie = `ps_session=${client.cookie}`;
    if (client.csrf) headers['x-csrf-token'] = client.csrf;
    return t.app.inject({ method: 'POST', url: '/api/attachments', headers, payload: form.payload });
  }
  const raisers = (rule: string) => rule === 'TARGET' || rule === 'GAP_WIDENING' || /^(WE|N)\d$/.test(rule);

  it('the demo has hand-raised problems with measures; the board lists them', async () => {
    const rows = await problems(manager);
    expect(rows.map((r) => r.source).sort()).toEqual(['audit', 'customer', 'instruction']);
    const instruction = rows.find((r) => r.source === 'instruction')!;
    expect(instruction).toMatchObject({ unit: 'DJ1', indicators: ['DJ_AE_COEF'], status: 'in-progress', severity: 'high', warningId: null, rule: null, measures: { total: 2, open: 2, overdue: 1 } });
    const detail = ok<ProblemDetail>(await manager.get(`/api/problems/${instruction.id}`));
    detail.measures.sort((a, b) => a.owner.code.localeCompare(b.owner.code));
    expect(detail.measures.map((m) => m.owner.code)).toEqual(['E0001', 'E0002']);
    expect(detail.measures[0]).toMatchObject({ coUnits: ['TS'], dueDate: '2026-04-30', progress: 40, overdue: false });
    expect(detail.measures[0]!.updates).toHaveLength(1);
    expect(detail.measures[1]).toMatchObject({ overdue: true });
  });

  it('a scan raises one open problem per unit and cause from firing performance warnings; a re-scan never duplicates', async () => {
    await scan();
    const expected = (await firing()).filter((w) => raisers(w.rule));
    expect(expected.length).toBeGreaterThan(5);
    const raised = await problems(manager, '?source=warning');
    expect(raised.length).toBe(expected.length);
    expect(raised.every((p) => p.status === 'open' && p.rule !== null && raisers(p.rule))).toBe(true);
    expect(new Set(raised.map((p) => `${p.unit}/${p.indicators[0]}/${p.rule}`)).size).toBe(raised.length);
    for (const w of expected) {
      const p = raised.find((x) => x.warningId === w.id)!;
      expect(p, `${w.unit}/${w.indicator}/${w.rule}`).toBeDefined();
      expect(p).toMatchObject({ unit: w.unit, indicators: [w.indicator], gapPeriod: w.period, verifyPeriods: 2, raisedBy: null });
      if (w.rule === 'TARGET') {
        expect(p.severity).toBe('high');
        expect(p.title).toContain('亮红灯');
        expect(p.description).toContain('目标值');
      }
    }
    // Data-quality warnings fire too, but raise nothing.
    expect((await firing()).some((w) => w.rule.startsWith('DQ_'))).toBe(true);
    expect(await auditCount('problem.raise')).toBe(raised.length);

    await scan();
    await t.deps.database.db.transaction().execute(async () => undefined);
    expect((await problems(manager, '?source=warning')).length).toBe(raised.length);
    expect(await auditCount('problem.raise')).toBe(raised.length);
    // The filters.
    const target = raised.find((p) => p.rule === 'TARGET')!;
    const byIndicator = await problems(manager, `?unit=${target.unit}&indicator=${target.indicators[0]}&status=open`);
    expect(byIndicator.map((p) => p.id)).toContain(target.id);
    expect(byIndicator.every((p) => p.unit === target.unit && p.indicators.includes(target.indicators[0]!))).toBe(true);
  });

  it('a measure clears the "red without a measure" condition of the TARGET warning', async () => {
    const target = (await problems(manager, '?source=warning&status=open')).find((p) => p.rule === 'TARGET')!;
    const bad = await manager.post(`/api/problems/${target.id}/measures`, { description: '整改', owner: 'NOPE', dueDate: '2026-05-31' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ error: { code: 'PERSON_NOT_FOUND' } });
    const m = ok<Measure>(await manager.post(`/api/problems/${target.id}/measures`, { description: '制定专项整改方案', owner: 'E0003', coUnits: ['GRP'], dueDate: '2026-05-31' }), 201);
    expect(m).toMatchObject({ owner: { code: 'E0003' }, coUnits: ['GRP'], status: 'open', progress: 0, overdue: false, version: 1 });
    const after = ok<ProblemDetail>(await manager.get(`/api/problems/${target.id}`));
    expect(after.status).toBe('in-progress');
    expect(after.measureCounts).toEqual({ total: 1, open: 1, overdue: 0 });
    await scan();
    const w = ok<{ rows: Warning[] }>(await manager.get(`/api/warnings?unit=${target.unit}&indicator=${target.indicators[0]}`)).rows.find((x) => x.id === target.warningId)!;
    expect(w.state).toBe('resolved');
    expect(w.facts).toMatchObject({ measure: true });
    // No second problem for that cause.
    expect((await problems(manager, `?unit=${target.unit}&indicator=${target.indicators[0]}&source=warning`)).filter((p) => p.rule === 'TARGET')).toHaveLength(1);

    // Progress updates move the measure; a done measure takes no more updates.
    const file = ok<{ id: string }>(await upload(manager, '方案.txt', '整改方案正文'), 201);
    const updated = ok<Measure>(await manager.post(`/api/measures/${m.id}/updates`, { note: '方案已下发', progress: 50, attachments: [file.id] }), 201);
    expect(updated).toMatchObject({ progress: 50, version: 2 });
    expect(updated.updates[0]).toMatchObject({ note: '方案已下发', progress: 50, createdBy: 'manager', attachments: [{ id: file.id, fileName: '方案.txt', mimeType: 'text/plain' }] });
    expect((await manager.post(`/api/measures/${m.id}/updates`, { note: 'x', attachments: ['00000000-0000-4000-8000-000000000000'] })).json()).toMatchObject({ error: { code: 'ATTACHMENT_NOT_FOUND' } });
    expect((await manager.put(`/api/measures/${m.id}`, { status: 'done', version: 1 })).statusCode).toBe(409);
    const done = ok<Measure>(await manager.put(`/api/measures/${m.id}`, { status: 'done', dueDate: '2026-06-30', version: 2 }));
    expect(done).toMatchObject({ status: 'done', dueDate: '2026-06-30', version: 3 });
    expect((await manager.post(`/api/measures/${m.id}/updates`, { note: '再补充' })).json()).toMatchObject({ error: { code: 'MEASURE_NOT_OPEN' } });
    expect(await auditCount('measure.create')).toBe(1);
    expect(await auditCount('measure.progress')).toBe(1);
    expect(await auditCount('measure.update')).toBe(1);
  });

  it('raises, edits and cancels a problem by hand, with validation and permissions', async () => {
    const body = { source: 'meeting', unit: 'DJ1', indicators: ['DJ_AE_COEF'], title: '月度例会：效应系数偏高', description: '例会通报', causeAnalysis: '', severity: 'medium' };
    expect((await viewer.post('/api/problems', body)).statusCode).toBe(403);
    expect((await clerk.post('/api/problems', { ...body, source: 'warning' })).statusCode).toBe(400);
    expect((await clerk.post('/api/problems', { ...body, title: '  ' })).statusCode).toBe(400);
    expect((await clerk.post('/api/problems', { ...body, indicators: ['NO_SUCH'] })).json()).toMatchObject({ error: { code: 'INDICATOR_NOT_FOUND' } });
    const p = ok<ProblemDetail>(await clerk.post('/api/problems', body), 201);
    expect(p).toMatchObject({ source: 'meeting', unit: 'DJ1', indicators: ['DJ_AE_COEF'], status: 'open', raisedBy: 'clerk', measures: [], version: 1 });
    expect((await clerk.put(`/api/problems/${p.id}`, { causeAnalysis: '槽况波动', version: 9 })).statusCode).toBe(409);
    const edited = ok<ProblemDetail>(await clerk.put(`/api/problems/${p.id}`, { causeAnalysis: '槽况波动', severity: 'high', version: 1 }));
    expect(edited).toMatchObject({ causeAnalysis: '槽况波动', severity: 'high', version: 2 });
    // Cancelling is for supervisors (supervision.write): the leader, not the clerk.
    expect((await clerk.post(`/api/problems/${p.id}/cancel`, { reason: '重复', version: 2 })).statusCode).toBe(403);
    expect((await leader.post(`/api/problems/${p.id}/cancel`, { reason: '', version: 2 })).statusCode).toBe(400);
    const cancelled = ok<ProblemDetail>(await leader.post(`/api/problems/${p.id}/cancel`, { reason: '与领导批示问题重复', version: 2 }));
    expect(cancelled).toMatchObject({ status: 'cancelled', closeReason: '与领导批示问题重复', version: 3 });
    expect((await clerk.put(`/api/problems/${p.id}`, { title: '改', version: 3 })).json()).toMatchObject({ error: { code: 'PROBLEM_NOT_ACTIVE' } });
    expect(await auditCount('problem.create')).toBe(1);
    expect(await auditCount('problem.update')).toBe(1);
    expect(await auditCount('problem.cancel')).toBe(1);
  });

  it("keeps to the caller's scope: the clerk of DJ1 neither sees nor raises YH1 problems", async () => {
    const all = await problems(manager);
    const yh1 = all.find((p) => p.unit === 'YH1' && p.source === 'audit')!;
    expect(yh1).toBeDefined();
    const mine = await problems(clerk);
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((p) => p.unit))).toEqual(new Set(['DJ1']));
    expect((await clerk.get(`/api/problems/${yh1.id}`)).statusCode).toBe(404);
    expect((await clerk.get('/api/problems?unit=YH1')).statusCode).toBe(404);
    const raise = await clerk.post('/api/problems', { source: 'audit', unit: 'YH1', title: '越权', severity: 'low' });
    expect(raise.statusCode).toBe(404);
    expect(raise.json()).toMatchObject({ error: { code: 'UNIT_NOT_FOUND' } });
    const measureId = ok<ProblemDetail>(await manager.get(`/api/problems/${yh1.id}`)).measures[0]!.id;
    expect((await clerk.post(`/api/measures/${measureId}/updates`, { note: '越权' })).statusCode).toBe(404);
    expect((await clerk.post(`/api/problems/${yh1.id}/measures`, { description: '越权', owner: 'E0002', dueDate: '2026-05-01' })).statusCode).toBe(404);
  });

  it('uploads and downloads attachments within limits and types', async () => {
    const a = ok<{ id: string; fileName: string; mimeType: string; size: number }>(await upload(clerk, '整改 报告1.csv', 'a,b\n1,2\n'), 201);
    expect(a).toMatchObject({ fileName: '整改 报告1.csv', mimeType: 'text/csv', size: 8 });
    const row = await t.deps.database.db.selectFrom('attachments').select(['sha256']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    const down = await clerk.get(`/api/attachments/${a.id}`);
    expect(down.statusCode).toBe(200);
    expect(down.body).toBe('a,b\n1,2\n');
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(down.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(down.headers['content-disposition']).toContain(encodeURIComponent('整改'));
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]);
    expect(ok<{ mimeType: string }>(await upload(clerk, 'photo.PNG', png), 201).mimeType).toBe('image/png');
    const exe = await upload(clerk, 'tool.exe', 'MZ');
    expect(exe.statusCode).toBe(415);
    expect(exe.json()).toMatchObject({ error: { code: 'UNSUPPORTED_FILE_TYPE' } });
    const fake = await upload(clerk, 'scan.pdf', 'not a pdf');
    expect(fake.statusCode).toBe(415);
    expect(fake.json()).toMatchObject({ error: { code: 'FILE_CONTENT_MISMATCH' } });
    const big = await upload(clerk, 'big.txt', Buffer.alloc(10 * 1024 * 1024 + 1, 0x61));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: { code: 'FILE_TOO_LARGE' } });
    expect((await upload(clerk, 'empty.txt', '')).statusCode).toBe(400);
    expect((await clerk.post('/api/attachments', {})).statusCode).toBe(415);
    expect((await upload(viewer, 'a.txt', 'x')).statusCode).toBe(403);
    expect((await viewer.get('/api/attachments/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    // A file on a YH1 measure is not the DJ1 clerk's to read; the viewer (all units) may.
    const yh1 = (await problems(manager, '?source=audit')).find((p) => p.unit === 'YH1')!;
    const measureId = ok<ProblemDetail>(await manager.get(`/api/problems/${yh1.id}`)).measures[0]!.id;
    const secret = ok<{ id: string }>(await upload(manager, 'yh1.txt', 'YH1 only'), 201);
    ok(await manager.post(`/api/measures/${measureId}/updates`, { note: '台账', progress: 70, attachments: [secret.id] }), 201);
    expect((await clerk.get(`/api/attachments/${secret.id}`)).statusCode).toBe(404);
    expect((await viewer.get(`/api/attachments/${secret.id}`)).body).toBe('YH1 only');
    expect(await auditCount('attachment.upload')).toBeGreaterThanOrEqual(4);
  });

  it('closes verified when the data show the gap closed for 2 months, else closed-unverified; a later scan promotes it', async () => {
    const { db } = t.deps.database;
    const indicators = ok<{ items: Indicator[] }>(await manager.get('/api/indicators')).items;
    const typed = new Map(indicators.filter((i) => !i.formula && i.direction !== 'band').map((i) => [i.code, i]));
    const warnings = new Map((await firing()).map((w) => [w.id, w]));
    // Red TARGET problems of typed indicators with a target (the demo's data end in 2020).
    const candidates = (await problems(manager, '?source=warning&status=open')).filter((p) => p.rule === 'TARGET' && typed.has(p.indicators[0]!) && typeof warnings.get(p.warningId!)?.facts.target === 'number');
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    const [first, second] = candidates as [Problem, Problem];
    const evidence = ok<{ id: string }>(await upload(leader, 'evidence.txt', '整改完成'), 201);

    // Closed now: no month after the gap has data yet.
    expect((await manager.post(`/api/problems/${first.id}/close`, { note: '已整改', attachments: [], version: first.version })).statusCode).toBe(400);
    const unverified = ok<ProblemDetail>(await manager.post(`/api/problems/${first.id}/close`, { note: '已整改', attachments: [evidence.id], version: first.version }));
    expect(unverified).toMatchObject({ status: 'closed-unverified', closeReason: '已整改' });
    expect(unverified.verification).toMatchObject({ by: 'closure', verified: false, rule: 'TARGET', required: 2, goodRun: 0 });
    expect((await manager.post(`/api/problems/${first.id}/close`, { note: '再关', attachments: [evidence.id], version: unverified.version })).json()).toMatchObject({ error: { code: 'PROBLEM_NOT_ACTIVE' } });

    /** Two good approved months after the gap (better than the target by 20 %). */
    async function goodMonths(p: Problem) {
      const ind = typed.get(p.indicators[0]!)!;
      const w = ok<{ rows: Warning[] }>(await manager.get(`/api/warnings?unit=${p.unit}&indicator=${ind.code}`)).rows.find((x) => x.id === p.warningId)!;
      const target = Number(w.facts.target);
      const good = ind.direction === 'higher' ? target * 1.2 + 1 : target * 0.8;
      const unit = await db.selectFrom('units').select('id').where('code', '=', p.unit).executeTakeFirstOrThrow();
      const indicator = await db.selectFrom('indicators').select('id').where('code', '=', ind.code).executeTakeFirstOrThrow();
      const [y, m] = p.gapPeriod!.split('-').map(Number) as [number, number];
      const months = [1, 2].map((k) => {
        const d = new Date(Date.UTC(y, m - 1 + k, 1));
        return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
      });
      for (const [k, period] of months.entries()) {
        const value = String(good * (1 + k / 1000));
        await db
          .insertInto('measurements')
          .values({ unit_id: unit.id, indicator_id: indicator.id, period, value, status: 'approved', created_at: t.clock.now(), updated_at: t.clock.now() })
          .onConflict((oc) => oc.columns(['unit_id', 'indicator_id', 'period']).doUpdateSet({ value, status: 'approved', suspect: false }))
          .execute();
      }
      return months;
    }
    const months1 = await goodMonths(first);
    const months2 = await goodMonths(second);
    t.clock.advance(60_000);

    // The second problem is closed after the data came: verified at once.
    const verified = ok<ProblemDetail>(await manager.post(`/api/problems/${second.id}/close`, { note: '整改见效', attachments: [evidence.id], version: second.version }));
    expect(verified.status, JSON.stringify(verified.verification)).toBe('verified');
    expect(verified.verification).toMatchObject({ verified: true, goodRun: expect.any(Number), evidence: { attachmentIds: [evidence.id], by: 'manager' } });
    expect(verified.verification.goodPeriods).toEqual(expect.arrayContaining(months2));

    // The first one is promoted by the next scan, which records what it checked.
    await scan();
    const promoted = ok<ProblemDetail>(await manager.get(`/api/problems/${first.id}`));
    expect(promoted.status, JSON.stringify(promoted.verification)).toBe('verified');
    expect(promoted.verification).toMatchObject({ by: 'scan', verified: true, required: 2 });
    expect(promoted.verification.goodPeriods).toEqual(expect.arrayContaining(months1));
    const audits = await db.selectFrom('audit_log').select(['action', 'actor_username', 'object_id']).where('object_id', 'in', [first.id, second.id]).orderBy('seq').execute();
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['problem.raise', 'problem.close', 'problem.evidence', 'problem.verify']));
    expect(audits.find((a) => a.action === 'problem.verify')!.actor_username).toBeNull();
    expect(audits.find((a) => a.action === 'problem.close' && a.object_id === second.id)!.actor_username).toBe('manager');

    // A hand-raised problem has no data cause: its approved evidence verifies it.
    const hand = (await problems(manager, '?source=customer'))[0]!;
    const closedHand = ok<ProblemDetail>(await leader.post(`/api/problems/${hand.id}/close`, { note: '客户回访满意', attachments: [evidence.id], version: hand.version }));
    expect(closedHand).toMatchObject({ status: 'verified', verification: { by: 'evidence', verified: true } });
    // The clerk (no supervision.write) cannot close.
    const other = (await problems(clerk, '?status=open'))[0];
    if (other) expect((await clerk.post(`/api/problems/${other.id}/close`, { note: 'x', attachments: [evidence.id], version: other.version })).statusCode).toBe(403);
  });
});
