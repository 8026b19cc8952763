import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Measure, Problem, ProblemDetail } from '../../src/server/modules/problems/problems.schemas';
import { send, type MatrixContext, type RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
const readers = ['manager', 'leader', 'clerk', 'viewer'] as const;
const writers = ['manager', 'leader', 'clerk'] as const;
const supervisors = ['manager', 'leader'] as const;

/** A fresh hand-raised problem of DJ1 (raised by the manager). */
async function newProblem(m: MatrixContext): Promise<ProblemDetail> {
  const res = await (await m.client('manager')).post('/api/problems', { source: 'meeting', unit: 'DJ1', indicators: ['DJ_AE_COEF'], title: `矩阵问题${m.next()}`, severity: 'medium' });
  if (res.statusCode !== 201) throw new Error(`newProblem: ${res.statusCode} ${res.body}`);
  return json<ProblemDetail>(res);
}

async function newMeasure(m: MatrixContext): Promise<Measure> {
  const p = await newProblem(m);
  const res = await (await m.client('manager')).post(`/api/problems/${p.id}/measures`, { description: '矩阵措施', owner: 'E0001', dueDate: '2026-04-30' });
  if (res.statusCode !== 201) throw new Error(`newMeasure: ${res.statusCode} ${res.body}`);
  return json<Measure>(res);
}

async function newAttachment(m: MatrixContext): Promise<{ id: string }> {
  const res = await send(m.t, await m.client('manager'), 'POST', { url: '/api/attachments', multipart: { file: { filename: `evidence-${m.next()}.txt`, content: '整改证据' } } });
  if (res.statusCode !== 201) throw new Error(`newAttachment: ${res.statusCode} ${res.body}`);
  return json<{ id: string }>(res);
}

/** An attachment on a DJ1 measure update, so every reader of DJ1 may download it. */
async function linkedAttachment(m: MatrixContext): Promise<{ id: string }> {
  const measure = await newMeasure(m);
  const a = await newAttachment(m);
  const res = await (await m.client('manager')).post(`/api/measures/${measure.id}/updates`, { note: '附件', attachments: [a.id] });
  if (res.statusCode !== 201) throw new Error(`linkedAttachment: ${res.statusCode} ${res.body}`);
  return a;
}

/** Matrix entries of the problem and attachment routes (appended to the matrix in route-matrix.ts). */
export const problemsMatrix: RouteCase[] = [
  {
    method: 'GET',
    url: '/api/problems',
    access: readers,
    build: async () => ({ url: '/api/problems' }),
    check: (res, _m, who) => {
      const rows = json<{ rows: Problem[] }>(res).rows;
      expect(rows.length).toBeGreaterThan(0);
      if (who === 'clerk') expect(new Set(rows.map((r) => r.unit))).toEqual(new Set(['DJ1']));
      if (who === 'manager' || who === 'viewer') expect(rows.some((r) => r.unit === 'YH1')).toBe(true);
    },
  },
  {
    method: 'GET',
    url: '/api/problems/:id',
    access: readers,
    build: async (m) => {
      const p = await m.shared('problem', () => newProblem(m));
      return { url: `/api/problems/${p.id}`, fixture: p };
    },
    check: (res, _m, _who, call) => expect(json<ProblemDetail>(res)).toMatchObject({ id: (call.fixture as ProblemDetail).id, unit: 'DJ1', measures: [], supervisionItems: [] }),
  },
  {
    method: 'POST',
    url: '/api/problems',
    access: writers,
    status: 201,
    build: async (m) => ({ url: '/api/problems', body: { source: 'audit', unit: 'DJ1', title: `审计发现${m.next()}`, severity: 'low' } }),
    check: (res, _m, who) => expect(json<ProblemDetail>(res)).toMatchObject({ source: 'audit', unit: 'DJ1', status: 'open', raisedBy: who, version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/problems/:id',
    access: writers,
    build: async (m, _who, mode) => {
      const p = mode === 'allowed' ? await newProblem(m) : await m.shared('problem', () => newProblem(m));
      return { url: `/api/problems/${p.id}`, body: { causeAnalysis: '原因分析', version: p.version } };
    },
    check: (res) => expect(json<ProblemDetail>(res)).toMatchObject({ causeAnalysis: '原因分析', version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/problems/:id/cancel',
    access: supervisors,
    build: async (m, _who, mode) => {
      const p = mode === 'allowed' ? await newProblem(m) : await m.shared('problem', () => newProblem(m));
      return { url: `/api/problems/${p.id}/cancel`, body: { reason: '重复', version: p.version } };
    },
    check: (res) => expect(json<ProblemDetail>(res)).toMatchObject({ status: 'cancelled', closeReason: '重复' }),
  },
  {
    method: 'POST',
    url: '/api/problems/:id/close',
    access: supervisors,
    build: async (m, _who, mode) => {
      const p = mode === 'allowed' ? await newProblem(m) : await m.shared('problem', () => newProblem(m));
      const a = await m.shared('attachment', () => newAttachment(m));
      return { url: `/api/problems/${p.id}/close`, body: { note: '已整改', attachments: [a.id], version: p.version } };
    },
    check: (res) => expect(json<ProblemDetail>(res)).toMatchObject({ status: 'verified', closeReason: '已整改', verification: { by: 'evidence' } }),
  },
  {
    method: 'POST',
    url: '/api/problems/:id/measures',
    access: writers,
    status: 201,
    build: async (m) => {
      const p = await m.shared('problem', () => newProblem(m));
      return { url: `/api/problems/${p.id}/measures`, body: { description: '整改措施', owner: 'E0002', coUnits: ['TS'], dueDate: '2026-05-31' } };
    },
    check: (res) => expect(json<Measure>(res)).toMatchObject({ owner: { code: 'E0002' }, coUnits: ['TS'], dueDate: '2026-05-31', status: 'open', progress: 0 }),
  },
  {
    method: 'PUT',
    url: '/api/measures/:id',
    access: writers,
    build: async (m, _who, mode) => {
      const measure = mode === 'allowed' ? await newMeasure(m) : await m.shared('measure', () => newMeasure(m));
      return { url: `/api/measures/${measure.id}`, body: { dueDate: '2026-06-30', version: measure.version } };
    },
    check: (res) => expect(json<Measure>(res)).toMatchObject({ dueDate: '2026-06-30', version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/measures/:id/updates',
    access: writers,
    status: 201,
    build: async (m) => {
      const measure = await m.shared('measure', () => newMeasure(m));
      return { url: `/api/measures/${measure.id}/updates`, body: { note: '进展', progress: 30 } };
    },
    check: (res) => {
      const measure = json<Measure>(res);
      expect(measure.progress).toBe(30);
      expect(measure.updates.at(-1)).toMatchObject({ note: '进展', progress: 30 });
    },
  },
  {
    method: 'POST',
    url: '/api/attachments',
    access: writers,
    status: 201,
    build: async (m) => ({ url: '/api/attachments', multipart: { file: { filename: `证据${m.next()}.txt`, content: 'evidence' } } }),
    check: (res) => expect(json<{ mimeType: string; size: number }>(res)).toMatchObject({ mimeType: 'text/plain', size: 8 }),
  },
  {
    method: 'GET',
    url: '/api/attachments/:id',
    access: readers,
    build: async (m) => {
      const a = await m.shared('linked-attachment', () => linkedAttachment(m));
      return { url: `/api/attachments/${a.id}` };
    },
    check: (res) => {
      expect(res.body).toBe('整改证据');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment; /);
    },
  },
];
