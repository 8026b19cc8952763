import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypesXml, deflatedEntry, deflatedZeros, writeZip } from '../../src/server/imports/test-fixtures';
import { sql } from 'kysely';
import { authService } from '../../src/server/modules/auth/auth.service';
import type { ImportProgress, ImportResult } from '../../src/server/modules/imports/imports.schemas';
import { importService } from '../../src/server/modules/imports/imports.service';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { multipartBody } from './route-matrix';

describe.each(engines)('imports on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  let clerk: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    manager = await t.login('manager');
    clerk = await t.login('clerk');
  });
  afterAll(() => t?.close());

  async function upload(client: Client, kind: string, filename: string, content: string | Buffer, dryRun = false, headers: Record<string, string> = {}) {
    const form = multipartBody({ kind, ...(dryRun ? { dryRun: 'true' } : {}), file: { filename, content } });
    return t.app.inject({ method: 'POST', url: '/api/imports', payload: form.payload, headers: { ...headers, 'content-type': form.contentType, cookie: `ps_session=${client.cookie}`, 'x-csrf-token': client.csrf! } });
  }
  const tableState = async () => {
    const db = t.deps.database.db;
    const count = async (table: 'indicators' | 'measurements' | 'targets' | 'benchmark_values' | 'units' | 'indicator_assignments') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { indicators: await count('indicators'), measurements: await count('measurements'), targets: await count('targets'), values: await count('benchmark_values'), units: await count('units'), sets: await count('indicator_assignments') };
  };

  it('indicators from a GBK CSV with Chinese headers and words; the same file twice leaves the same state', async () => {
    const csv = ['指标编码,指标名称,计量单位,方向,汇总方式,公式,精度,类别', 'IMP_GAS,天然气用量,m³,越小越好,求和,,0,能源', 'IMP_OUT,产品产量,t,越大越好,求和,,0,生产', 'IMP_GAS_T,吨产品气耗,m³/t,越小越好,公式,IMP_GAS / IMP_OUT,2,能源'].join('\r\n');
    const gbk = iconv.encode(csv, 'gbk');
    const first = await upload(manager, 'indicators', '指标.csv', gbk);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ kind: 'indicators', rows: 3, inserted: 3, updated: 0, errors: [] });
    const state = await tableState();
    const again = await upload(manager, 'indicators', '指标.csv', gbk);
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await tableState()).toEqual(state);
    const ind = (await manager.get('/api/indicators/IMP_GAS_T')).json();
    expect(ind).toMatchObject({ nameZh: '吨产品气耗', direction: 'lower', aggregation: 'formula', formula: 'IMP_GAS / IMP_OUT', category: 'energy', precision: 2 });
  });

  it('measurements from an xlsx with Chinese headers and numbers stored as text; submitted for a clerk', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('实绩');
    ws.addRow(['单位编码', '指标编码', '期间', '实际值', '备注']);
    ws.addRow(['DJ1', 'DJ_AL_OUT', '2020-03', ' 21,480 ', '']);
    ws.addRow(['DJ1', 'DJ_DC_KWH', '2020-03', '２７７，０００，０００', '']);
    ws.addRow(['DJ1', 'DJ_AE_COEF', '2020-03', 0.042, '']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(clerk, 'measurements', 'DJ1-2020-03.xlsx', xlsx);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 3, inserted: 3, errors: [] });
    const grid = (await clerk.get('/api/entry?unit=DJ1&period=2020-03')).json() as { rows: { indicator: string; value: number | null; status: string | null; source: string | null }[] };
    expect(grid.rows.find((r) => r.indicator === 'DJ_AL_OUT')).toMatchObject({ value: 21_480, status: 'submitted', source: 'import' });
    expect(grid.rows.find((r) => r.indicator === 'DJ_DC_KWH')).toMatchObject({ value: 277_000_000 });
    expect(grid.rows.find((r) => r.indicator === 'DJ_DC_KWH_T')?.value).toBeCloseTo(277_000_000 / 21_480, 6);
  });

  it('a file with bad rows commits nothing and reports every bad row as Excel numbers them', async () => {
    const before = await tableState();
    const csv = '\uFEFFunit_code,indicator_code,period,value,note\n' + ['DJ1,DJ_CURRENT_EFF,2020-03,92.5,', 'DJ1,DJ_DC_KWH_T,2020-03,12900,', 'DJ1,NOPE,2020-03,1,', 'YH1,YH_AO_OUT,2020-03,100,', 'DJ1,DJ_COST_T,2020-13,1,', 'DJ1,DJ_BATH_TEMP,2020-03,abc,', 'DJ1,DJ_AL9970_RATE,2020-03,150,'].join('\n');
    const res = await upload(clerk, 'measurements', 'bad.csv', csv);
    expect(res.statusCode).toBe(422);
    const body = res.json() as ImportResult;
    expect(body).toMatchObject({ kind: 'measurements', rows: 7, inserted: 0, updated: 0 });
    expect(body.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'indicator_code'],
      [4, 'indicator_code'],
      [5, 'unit_code'],
      [6, 'period'],
      [7, 'value'],
      [8, 'value'],
    ]);
    expect(body.errors[0]!.message).toMatch(/computed from its inputs/);
    expect(body.errors[5]!.message).toMatch(/reasonable range/);
    expect(await tableState()).toEqual(before);
  });

  it('a dry run checks and counts but keeps nothing', async () => {
    const before = await tableState();
    const res = await upload(manager, 'targets', 't.csv', '单位编码,指标编码,期间,保底值,目标值,奋斗值,依据\nDJ1,DJ_AL_OUT,2031,240000,250000,260000,测试\nDJ1,DJ_DC_KWH_T,2031-01,,12800,,测试', true);
    expect(res.json()).toMatchObject({ rows: 2, inserted: 2, dryRun: true, errors: [] });
    expect(await tableState()).toEqual(before);
  });

  it('benchmarks, units and assignments import, creating what is missing', async () => {
    const b = await upload(manager, 'benchmarks', 'b.csv', '标杆编码,标杆名称,类型,指标编码,期间,标杆值,口径,来源\nIAI-CN,IAI 中国平均,行业,DJ_AC_KWH_T,2015,12875,IAI,IAI 统计\nIAI-CN,IAI 中国平均,行业,DJ_AC_KWH_T,2016,12850,IAI,IAI 统计');
    expect(b.json()).toMatchObject({ inserted: 2, errors: [] });
    const admin = await t.login('admin');
    const u = await upload(admin, 'units', 'u.csv', '单位编码,单位名称,上级单位编码,类型,对标分组\nDJ2,电解二厂,XCL,厂,400kA\nDJ2-A,电解二厂一车间,DJ2,车间,');
    expect(u.json()).toMatchObject({ inserted: 2, errors: [] });
    const peerClass = async (code: string) => ((await admin.get('/api/units')).json().items as { code: string; peerClass: string }[]).find((x) => x.code === code)?.peerClass;
    expect(await peerClass('DJ2')).toBe('400kA');
    // A file without the 对标分组 column leaves the classes alone; with it, an empty cell clears one.
    expect((await upload(admin, 'units', 'u.csv', '单位编码,单位名称,上级单位编码,类型\nDJ2,电解二厂,XCL,厂')).json()).toMatchObject({ unchanged: 1 });
    expect(await peerClass('DJ2')).toBe('400kA');
    expect((await upload(admin, 'units', 'u.csv', 'code,name,parent_code,kind,peer_class\nDJ2,电解二厂,XCL,plant,')).json()).toMatchObject({ updated: 1 });
    expect(await peerClass('DJ2')).toBe('');
    expect((await upload(admin, 'units', 'u.csv', 'code,name,parent_code,kind,peer_class\nDJ2,电解二厂,XCL,plant,400kA')).json()).toMatchObject({ updated: 1 });
    const s = await upload(manager, 'assignments', 's.csv', 'unit_code,indicator_code,weight\nDJ2,DJ_AL_OUT,2\nDJ2,DJ_DC_KWH_T,');
    expect(s.json()).toMatchObject({ inserted: 2, errors: [] });
    expect((await manager.get('/api/indicator-sets/DJ2')).json().items).toEqual([expect.objectContaining({ indicator: 'DJ_AL_OUT', weight: 2 }), expect.objectContaining({ indicator: 'DJ_DC_KWH_T', weight: 1 })]);
    // A clerk may not import indicators.
    expect((await upload(clerk, 'indicators', 'x.csv', 'code,name,direction,aggregation,category\nX,X,higher,sum,production')).statusCode).toBe(403);
  });

  it('refuses hostile and wrong files with a clear message, within limits', async () => {
    const pdf = await upload(manager, 'targets', 'x.pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100, 0)]));
    expect(pdf.statusCode).toBe(422);
    expect(pdf.json().error.code).toBe('UNSUPPORTED_FILE_TYPE');
    const xls = await upload(manager, 'targets', 'x.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 0)]));
    expect(xls.json().error.code).toBe('UNSUPPORTED_FILE_TYPE');
    const zeros = await deflatedZeros(200 * 1024 * 1024);
    const bomb = writeZip([
      deflatedEntry('[Content_Types].xml', contentTypesXml()),
      deflatedEntry('xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'),
      { name: 'xl/worksheets/sheet1.xml', method: 8, data: zeros.data, crc32: zeros.crc, uncompressedSize: 200 * 1024 * 1024 },
    ]);
    const b = await upload(manager, 'targets', 'bomb.xlsx', bomb);
    expect(b.statusCode).toBe(422);
    expect(b.json().error.code).toBe('UNSAFE_FILE');
    const big = await upload(manager, 'targets', 'big.csv', Buffer.alloc(21 * 1024 * 1024, 'a'));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('FILE_TOO_LARGE');
  });

  it('templates come prefilled with the unit’s codes and the period', async () => {
    const res = await clerk.get('/api/imports/template?kind=measurements&unit=DJ1&period=2020-04');
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0]!.slice(1)).toEqual(['单位编码', '指标编码', '期间', '实际值', '备注']);
    expect(rows.slice(1).map((r) => r[2])).toContain('DJ_AL_OUT');
    expect(rows.slice(1).map((r) => r[2])).not.toContain('DJ_DC_KWH_T');
  });

  it('a file of several batches is checked as one: a bad row in the last batch keeps every row out; a re-import finds what earlier batches wrote as unchanged', async () => {
    // 12 000 rows: the rows reach the checks in batches of 5 000 while the file is read, and are written batch by batch.
    const months = Array.from({ length: 4000 }, (_, i) => `${2101 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const rowsOf = (change: (row: (string | number)[], i: number) => void) => {
      const rows = months.flatMap((m) => ['DJ_AL_OUT', 'DJ_DC_KWH', 'DJ_AC_KWH'].map((c, j): (string | number)[] => ['DJ1', c, m, 1000 + j]));
      rows.forEach(change);
      return rows;
    };
    const xlsxOf = async (rows: (string | number)[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('data');
      ws.addRow(['unit_code', 'indicator_code', 'period', 'value']);
      ws.addRows(rows);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const leader = await t.login('leader');
    const imported = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM measurements WHERE period >= '2101'`.execute(t.deps.database.db)).rows[0]!.n);
    // Row 3 (first batch) and row 12 001 (last batch) are bad: both are reported, nothing is kept.
    const bad = await upload(leader, 'measurements', 'bad.xlsx', await xlsxOf(rowsOf((row, i) => { if (i === 1 || i === 11_999) row[3] = 'abc'; })));
    expect(bad.statusCode, bad.body).toBe(422);
    expect((bad.json() as ImportResult).errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'value'],
      [12_001, 'value'],
    ]);
    expect(bad.json()).toMatchObject({ rows: 12_000, inserted: 0 });
    expect(await imported()).toBe(0);
    const good = await xlsxOf(rowsOf(() => {}));
    expect((await upload(leader, 'measurements', 'good.xlsx', good, true)).json()).toMatchObject({ rows: 12_000, inserted: 12_000, dryRun: true, errors: [] });
    expect(await imported()).toBe(0);
    expect((await upload(leader, 'measurements', 'good.xlsx', good)).json()).toMatchObject({ rows: 12_000, inserted: 12_000, errors: [] });
    expect(await imported()).toBe(12_000);
    expect((await upload(leader, 'measurements', 'good.xlsx', good)).json()).toMatchObject({ rows: 12_000, inserted: 0, updated: 0, unchanged: 12_000, errors: [] });
  });

  it('a database error in the middle of a streamed import keeps nothing, answers 500 and leaves the next import working', async () => {
    const db = t.deps.database.db;
    // A trigger that fails on one value, which only the second batch holds.
    await sql`CREATE FUNCTION test_refuse_value() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.value = 424242 THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`.execute(db);
    await sql`CREATE TRIGGER test_refuse_value BEFORE INSERT ON measurements FOR EACH ROW EXECUTE FUNCTION test_refuse_value()`.execute(db);
    try {
      const months = Array.from({ length: 4000 }, (_, i) => `${3001 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
      const rows = months.flatMap((m) => ['DJ_AL_OUT', 'DJ_DC_KWH', 'DJ_AC_KWH'].map((c, j) => `DJ1,${c},${m},${1000 + j}`));
      rows[7_000] = rows[7_000]!.replace(/,\d+$/, ',424242');
      const leader = await t.login('leader');
      const failed = await upload(leader, 'measurements', 'm.csv', `unit_code,indicator_code,period,value\n${rows.join('\n')}`);
      expect(failed.statusCode, failed.body).toBe(500);
      const kept = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM measurements WHERE period >= '3001'`.execute(db)).rows[0]!.n);
      expect(await kept()).toBe(0);
      // The lock and the connection are free again: the same user imports the next file.
      const next = await upload(leader, 'measurements', 'm.csv', 'unit_code,indicator_code,period,value\nDJ1,DJ_AL_OUT,3001-01,5');
      expect(next.json()).toMatchObject({ inserted: 1, errors: [] });
      expect(await kept()).toBe(1);
    } finally {
      await sql`DROP TRIGGER test_refuse_value ON measurements`.execute(db);
      await sql`DROP FUNCTION test_refuse_value()`.execute(db);
    }
  });

  it('while a large .xlsx is read and written, its progress counts the rows against those its worksheet declares, and never goes back', async () => {
    const db = t.deps.database.db;
    // On PostgreSQL a trigger holds the first batch's write for a second, so the polls surely see the read under way
    // (PGlite runs in this thread: a sleep there would hold the polls too).
    if (engine === 'postgres') {
      await sql`CREATE FUNCTION test_slow_value() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.value = 1515 THEN PERFORM pg_sleep(1); END IF; RETURN NEW; END $$`.execute(db);
      await sql`CREATE TRIGGER test_slow_value BEFORE INSERT ON measurements FOR EACH ROW EXECUTE FUNCTION test_slow_value()`.execute(db);
    }
    try {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('data');
      ws.addRow(['unit_code', 'indicator_code', 'period', 'value']);
      const months = Array.from({ length: 4000 }, (_, i) => `${4001 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
      ws.addRows(months.flatMap((m, i) => ['DJ_AL_OUT', 'DJ_DC_KWH', 'DJ_AC_KWH'].map((c, j) => ['DJ1', c, m, i === 0 && j === 0 ? 1515 : 1000 + j])));
      const file = Buffer.from(await wb.xlsx.writeBuffer());
      const leader = await t.login('leader');
      const id = `progress-xlsx-${engine}`;
      const states: ImportProgress[] = [];
      let finished = false;
      const running = upload(leader, 'measurements', 'big.xlsx', file, false, { 'x-import-id': id }).finally(() => (finished = true));
      while (!finished) {
        const res = await leader.get(`/api/imports/progress/${id}`);
        if (res.statusCode === 200) states.push(res.json());
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect((await running).json()).toMatchObject({ rows: 12_000, inserted: 12_000, errors: [] });
      const reading = states.filter((s) => s.phase === 'reading' && s.rows);
      if (engine === 'postgres') expect(reading.length).toBeGreaterThan(0);
      for (const s of reading) {
        // The worksheet declares A1:D12001: 12 000 data rows under the header.
        expect(s).toMatchObject({ expectedRows: 12_000, toWrite: null });
        expect(s.written).toBeLessThanOrEqual(s.rows!);
      }
      // Rows read and written only grow, and the phases come in order.
      const order = ['reading', 'writing', 'done'];
      for (let i = 1; i < states.length; i++) {
        const [a, b] = [states[i - 1]!, states[i]!];
        expect(order.indexOf(b.phase)).toBeGreaterThanOrEqual(order.indexOf(a.phase));
        if (a.phase !== b.phase) continue;
        expect(b.rows ?? 0).toBeGreaterThanOrEqual(a.rows ?? 0);
        expect(b.written ?? 0).toBeGreaterThanOrEqual(a.written ?? 0);
      }
    } finally {
      if (engine === 'postgres') {
        await sql`DROP TRIGGER test_slow_value ON measurements`.execute(db);
        await sql`DROP FUNCTION test_slow_value()`.execute(db);
      }
    }
  });

  it('reports where a running import stands to the user who sent it, and to nobody else', async () => {
    const months = Array.from({ length: 120 }, (_, i) => `${2031 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const csv = `unit_code,indicator_code,period,value\n${months.flatMap((m) => ['DJ_AL_OUT', 'DJ_DC_KWH', 'DJ_AC_KWH'].map((c, j) => `DJ1,${c},${m},${1000 + j}`)).join('\n')}`;
    const leader = await t.login('leader');
    const id = 'progress-test-0001';
    const seen: string[] = [];
    let finished = false;
    const running = upload(leader, 'measurements', 'm.csv', csv, false, { 'x-import-id': id }).finally(() => (finished = true));
    while (!finished) {
      const res = await leader.get(`/api/imports/progress/${id}`);
      if (res.statusCode === 200 && seen.at(-1) !== res.json().phase) seen.push(res.json().phase);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect((await running).json()).toMatchObject({ rows: 360, inserted: 360, errors: [] });
    const last = await leader.get(`/api/imports/progress/${id}`);
    expect(last.json()).toEqual({ phase: 'done', rows: 360, written: null, toWrite: null });
    // Whatever the polls caught came in order.
    const order = ['reading', 'checking', 'writing', 'done'];
    expect(seen.map((p) => order.indexOf(p))).toEqual([...seen.map((p) => order.indexOf(p))].sort((a, b) => a - b));
    expect(seen.every((p) => order.includes(p))).toBe(true);
    // Another user cannot read it; a malformed id is refused before anything runs.
    expect((await clerk.get(`/api/imports/progress/${id}`)).statusCode).toBe(404);
    const bad = await upload(leader, 'measurements', 'm.csv', csv, true, { 'x-import-id': 'a b' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/x-import-id/);
    // A refused file ends as failed.
    const failed = await upload(leader, 'measurements', 'm.csv', 'unit_code,indicator_code,period,value\nNOPE,DJ_AL_OUT,2031-01,1', false, { 'x-import-id': 'progress-test-0002' });
    expect(failed.statusCode).toBe(422);
    expect((await leader.get('/api/imports/progress/progress-test-0002')).json()).toMatchObject({ phase: 'failed', rows: 1 });
  });

  describe('one import at a time per user', () => {
    const csv = (period: string) => `unit_code,indicator_code,period,value\nDJ1,DJ_AL_OUT,${period},1000`;
    async function actorOf(username: string) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'Demo#2020' } });
      const resolved = await authService(t.deps).resolveSession(res.cookies.find((c) => c.name === 'ps_session')!.value);
      if (!('actor' in resolved)) throw new Error(`no actor for ${username}`);
      return resolved.actor;
    }
    const ctxOf = (actor: Awaited<ReturnType<typeof actorOf>>) => ({ actor, ip: null, userAgent: null, requestId: 'import-queue-test' });

    it('in one server: a second file of the same user while the first runs gives 409 IMPORT_IN_PROGRESS and writes nothing; another user is not held up', async () => {
      let release!: () => void;
      let entered!: () => void;
      const hookEntered = new Promise<void>((resolve) => (entered = resolve));
      let calls = 0;
      // The first import's after-commit work waits until the test releases it; later ones do not.
      const service = importService(t.deps, { afterMeasurementsImported: () => (calls++ === 0 ? new Promise<void>((resolve) => { release = resolve; entered(); }) : Promise.resolve()) });
      const leader = await actorOf('leader');
      const first = service.run(ctxOf(leader), leader, 'measurements', Buffer.from(csv('2041-01')), 'a.csv', false);
      await Promise.race([hookEntered, first.then((r) => { throw new Error(`the first import ended: ${JSON.stringify(r)}`); })]);
      const before = await tableState();
      await expect(service.run(ctxOf(leader), leader, 'measurements', Buffer.from(csv('2041-02')), 'b.csv', false)).rejects.toMatchObject({ statusCode: 409, code: 'IMPORT_IN_PROGRESS' });
      expect(await tableState()).toEqual(before);
      const other = await actorOf('manager');
      await expect(service.run(ctxOf(other), other, 'indicators', Buffer.from('code,name,uom,direction,aggregation,category\nQ_ONE,队列测试,t,越大越好,求和,生产'), 'i.csv', false)).resolves.toMatchObject({ inserted: 1, errors: [] });
      release();
      await expect(first).resolves.toMatchObject({ inserted: 1, errors: [] });
      // Once the first has finished, the same user imports again.
      await expect(service.run(ctxOf(leader), leader, 'measurements', Buffer.from(csv('2041-02')), 'b.csv', false)).resolves.toMatchObject({ inserted: 1, errors: [] });
    });

    it.runIf(engine === 'postgres')('across servers: while another server holds the import lock of the user, an upload gives 409 IMPORT_IN_PROGRESS and writes nothing', async () => {
      const leaderClient = await t.login('leader');
      const leader = await actorOf('leader');
      let release!: () => void;
      let locked!: () => void;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const holder = t.deps.database.db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(7262003, hashtext(${leader.userId}))`.execute(trx);
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await lockTaken;
      const before = await tableState();
      const refused = await upload(leaderClient, 'measurements', 'm.csv', csv('2042-01'));
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().error.code).toBe('IMPORT_IN_PROGRESS');
      expect(await tableState()).toEqual(before);
      release();
      await holder;
      const accepted = await upload(leaderClient, 'measurements', 'm.csv', csv('2042-01'));
      expect(accepted.statusCode, accepted.body).toBe(200);
    });
  });
});
