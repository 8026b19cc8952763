/**
 * The soak run's traffic (see bench/soak.ts): signed-in sessions over fetch (keep-alive), one
 * operation per request class, and the record of every answer: latency, errors, and the writes
 * the server acknowledged, which bench/soak.ts later looks for in the database.
 */
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';

export const requestClasses = ['gate scan', 'gate scan replay', 'scorecard', 'group analysis', 'data entry', 'import', 'problem list', 'people list'] as const;
export type RequestClass = (typeof requestClasses)[number];

export interface ClassStats {
  latencies: number[];
  errors: number;
}

export interface ErrorRecord {
  cls: RequestClass;
  status: number | string;
  code: string;
  message: string;
  count: number;
}

/** Every answer, by class; errors are every non-2xx answer or failed request (the soak expects none). */
export class Recorder {
  readonly stats = new Map<RequestClass, ClassStats>(requestClasses.map((c) => [c, { latencies: [], errors: 0 }]));
  readonly errors = new Map<string, ErrorRecord>();

  ok(cls: RequestClass, ms: number): void {
    this.stats.get(cls)!.latencies.push(ms);
  }

  fail(cls: RequestClass, ms: number, status: number | string, code: string, message: string): void {
    const s = this.stats.get(cls)!;
    s.latencies.push(ms);
    s.errors++;
    const k = `${cls}|${status}|${code}`;
    const e = this.errors.get(k);
    if (e) e.count++;
    else this.errors.set(k, { cls, status, code, message: message.slice(0, 300), count: 1 });
  }

  get errorCount(): number {
    let n = 0;
    for (const s of this.stats.values()) n += s.errors;
    return n;
  }
}

export interface Session {
  username: string;
  cookie: string;
  csrf: string;
}

export interface Answer {
  status: number;
  body: unknown;
  ms: number;
}

/** One HTTP call: JSON or a form in, parsed JSON (or null) out, timed to the last byte. */
export async function call(base: string, method: string, path: string, o: { session?: Session; bearer?: string; json?: unknown; form?: FormData } = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (o.session) {
    headers.cookie = `ps_session=${o.session.cookie}`;
    if (method !== 'GET') headers['x-csrf-token'] = o.session.csrf;
  }
  if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
  let body: string | FormData | undefined;
  if (o.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.json);
  } else if (o.form) body = o.form;
  const t0 = performance.now();
  const res = await fetch(base + path, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  const ms = performance.now() - t0;
  return { status: res.status, body: parseBody(text), ms };
}

/** JSON when the answer is JSON, else the start of the text. */
function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 300);
  }
}

/** Signs in through POST /api/auth/login, as a browser would: the session cookie and the CSRF token. */
export async function login(base: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${text.slice(0, 300)}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => /^(?:__Host-)?ps_session=([^;]*)/.exec(c)?.[1])
    .find((v) => v);
  if (!cookie) throw new Error(`login ${username}: no session cookie`);
  return { username, cookie, csrf: (JSON.parse(text) as { csrfToken: string }).csrfToken };
}

/** The error code and message of an error body `{ error: { code, message } }`, or what there is. */
export function errorOf(body: unknown): { code: string; message: string } {
  const e = (body as { error?: { code?: string; message?: string } } | null)?.error;
  if (e) return { code: e.code ?? '?', message: e.message ?? '' };
  return { code: '?', message: typeof body === 'string' ? body : JSON.stringify(body ?? null) };
}

/**
 * At most `max` calls in any `windowMs`: keeps one user's writes inside the server's per-user write
 * limit (600 a minute in production), which a soak must not trip.
 */
export class Budget {
  private readonly times: number[] = [];
  constructor(
    private readonly max: number,
    private readonly windowMs = 60_000,
  ) {}
  take(now = performance.now()): boolean {
    while (this.times.length && this.times[0]! <= now - this.windowMs) this.times.shift();
    if (this.times.length >= this.max) return false;
    this.times.push(now);
    return true;
  }
}

export interface TypedIndicator {
  code: string;
  precision: number;
  rangeMin: number | null;
  rangeMax: number | null;
  target: number | null;
}

/** A value for an indicator that its reasonable range accepts, varied by `n`, with at most two decimals. */
export function valueFor(ind: TypedIndicator, n: number): number {
  const frac = ((n * 7919) % 1000) / 1000; // deterministic spread over [0, 1)
  let lo: number;
  let hi: number;
  if (ind.rangeMin !== null && ind.rangeMax !== null) [lo, hi] = [ind.rangeMin, ind.rangeMax];
  else {
    const base = Math.abs(ind.target ?? ind.rangeMin ?? ind.rangeMax ?? 100) || 100;
    [lo, hi] = [Math.max(ind.rangeMin ?? -Infinity, base * 0.9), Math.min(ind.rangeMax ?? Infinity, base * 1.1)];
  }
  const decimals = Math.min(Math.max(ind.precision, 0), 2);
  const scale = 10 ** decimals;
  // Inside the range by a margin, so rounding never leaves it.
  const inner = lo + (hi - lo) * (0.05 + 0.9 * frac);
  return Math.round(inner * scale) / scale;
}

/** An xlsx of measurements for one unit and month, with the Chinese headers of the import template. */
export async function measurementWorkbook(unit: string, period: string, values: { indicator: string; value: number }[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('实绩');
  ws.addRow(['单位编码', '指标编码', '期间', '实际值', '备注']);
  for (const v of values) ws.addRow([unit, v.indicator, period, v.value, '压测导入']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Months from `from` (YYYY-MM), `count` of them. */
export function months(from: string, count: number): string[] {
  const [y, m] = from.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const k = y * 12 + (m - 1) + i;
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

export const runId = randomBytes(4).toString('hex');

/** Percentile of sorted numbers (nearest rank). */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))]!;
}
