import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../src/server/modules/imports/imports.schemas';
import type { Checkpoint, Site } from '../../src/server/modules/sites/sites.schemas';
import { accessFixtures, validIdNumber, validPhone } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { multipartBody } from './route-matrix';

// Imports of sites and checkpoints (issue 6); the test's codes carry the prefix TI-.
describe.each(engines)('access-control imports on %s', (engine) => {
  let t: TestApp;
  let access: Client;
  let clerk: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    access = await t.login('access');
    clerk = await t.login('clerk');
  });
  afterAll(() => t?.close());

  async function upload(client: Client, kind: string, filename: string, content: string | Buffer, dryRun = false) {
    const form = multipartBody({ kind, ...(dryRun ? { dryRun: 'true' } : {}), file: { filename, content } });
    return t.app.inject({ method: 'POST', url: '/api/imports', payload: form.payload, headers: { 'content-type': form.contentType, cookie: `ps_session=${client.cookie}`, 'x-csrf-token': client.csrf! } });
  }
  const site = async (code: string) => (await access.get(`/api/sites/${code}`)).json() as Site;
  const checkpoint = async (code: string) => (await access.get(`/api/checkpoints/${code}`)).json() as Checkpoint;
  const state = async () => {
    const db = t.deps.database.db;
    return {
      sites: await db.selectFrom('sites').select(['code', 'name_zh', 'kind', 'access_level', 'unit_id', 'version']).orderBy('code').execute(),
      checkpoints: await db.selectFrom('checkpoints').select(['code', 'name_zh', 'site_id', 'opening_hours', 'version']).orderBy('code').execute(),
    };
  };

  it('sites from a CSV with Chinese headers and words; the same file again changes nothing', async () => {
    const csv = ['编码,名称,类型,管控级别,单位编码,英文名称', 'TI-CX,翠溪北区,小区,开放,WZBW,Cuixi North', 'TI-CW,翠微小区,社区,管控,,', 'TI-PL,电解厂区,厂区,封闭,WZBW,'].join('\r\n');
    // TI-CW has no unit cell: the access administrator's scope needs one for a new site.
    const missing = await upload(access, 'sites', '小区.csv', csv);
    expect(missing.statusCode).toBe(422);
    expect((missing.json() as ImportResult).errors).toEqual([{ row: 3, column: '单位编码', value: '', message: 'required: a new site needs a unit within your scope' }]);

    const res = await upload(access, 'sites', '小区.csv', csv.replace('TI-CW,翠微小区,社区,管控,,', 'TI-CW,翠微小区,社区,管控,WZBW,'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'sites', rows: 3, inserted: 3, updated: 0, unchanged: 0, dryRun: false, errors: [] });
    expect(await site('TI-CX')).toMatchObject({ nameZh: '翠溪北区', nameEn: 'Cuixi North', kind: 'community', accessLevel: 'open', unit: 'WZBW', version: 1 });
    expect(await site('TI-CW')).toMatchObject({ kind: 'community', accessLevel: 'restricted', nameEn: null });
    expect(await site('TI-PL')).toMatchObject({ kind: 'plant', accessLevel: 'closed' });
    const audit = await t.deps.database.db.selectFrom('audit_log').select(['details']).where('action', '=', 'import.sites').where('result', '=', 'success').execute();
    expect(audit).toMatchObject([{ details: { rows: 3, inserted: 3 } }]);

    const before = await state();
    const again = await upload(access, 'sites', '小区.csv', csv.replace('TI-CW,翠微小区,社区,管控,,', 'TI-CW,翠微小区,社区,管控,WZBW,'));
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await state()).toEqual(before);
  });

  it('sites with English headers: a changed access level is updated and audited; an empty unit keeps the unit', async () => {
    await accessFixtures(t.deps).site({ code: 'TI-EN', nameZh: '翠溪北区', nameEn: 'Cuixi North', kind: 'community', accessLevel: 'open' });
    const res = await upload(access, 'sites', 'sites.csv', 'code,name,kind,access_level,unit_code\nTI-EN,翠溪北区,community,restricted,\nTI-NEW,New site,plant,open,WZBW');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    // Without a name_en column the English name stays.
    expect(await site('TI-EN')).toMatchObject({ accessLevel: 'restricted', unit: 'WZBW', nameEn: 'Cuixi North', version: 2 });
    const level = await t.deps.database.db.selectFrom('audit_log').select(['actor_username', 'changes', 'details']).where('action', '=', 'site.access-level').where('object_id', '=', 'TI-EN').execute();
    expect(level).toMatchObject([{ actor_username: 'access', changes: { accessLevel: { old: 'open', new: 'restricted' } }, details: { via: 'import' } }]);
  });

  it('sites from a GBK-encoded CSV (as Excel in Chinese saves it)', async () => {
    const gbk = iconv.encode(['编码,名称,类型,管控级别,单位编码', 'TI-GBK,翠微明辉小区,小区,限行,WZBW'].join('\r\n'), 'gbk');
    const res = await upload(access, 'sites', '明辉.csv', gbk);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 1, errors: [] });
    expect(await site('TI-GBK')).toMatchObject({ nameZh: '翠微明辉小区', kind: 'community', accessLevel: 'restricted' });
  });

  it('a sites file with bad rows commits nothing and names every bad cell', async () => {
    const f = accessFixtures(t.deps);
    await f.site({ code: 'TI-DJ1', unitCode: 'DJ1' });
    const before = await state();
    const csv = [
      '编码,名称,类型,管控级别,单位编码',
      'TI-OK,好小区,小区,开放,WZBW', // row 2: fine alone
      'TI-A,甲,村庄,开放,WZBW', // 3: unknown kind
      'TI-B,乙,小区,半开放,WZBW', // 4: unknown level
      'TI-C,丙,小区,开放,DJ1', // 5: unit outside the scope
      'TI BAD,丁,小区,开放,WZBW', // 6: bad code
      'TI-OK,重复,小区,开放,WZBW', // 7: duplicate of row 2
      'TI-DJ1,别人的,小区,开放,WZBW', // 8: an existing site outside the scope
      'TI-E,,小区,开放,WZBW', // 9: no name
    ].join('\n');
    const res = await upload(access, 'sites', 'bad.csv', csv);
    expect(res.statusCode).toBe(422);
    const body = res.json() as ImportResult;
    expect(body).toMatchObject({ kind: 'sites', rows: 8, inserted: 0, updated: 0, unchanged: 0 });
    expect(body.errors.map((e) => [e.row, e.column, e.value])).toEqual([
      [3, '类型', '村庄'],
      [4, '管控级别', '半开放'],
      [5, '单位编码', 'DJ1'],
      [6, '编码', 'TI BAD'],
      [7, '编码', 'TI-OK'],
      [8, '编码', 'TI-DJ1'],
      [9, '名称', ''],
    ]);
    expect(body.errors[0]!.message).toMatch(/community\/小区/);
    expect(body.errors[4]!.message).toBe('duplicates row 2');
    expect(body.errors[5]!.message).toMatch(/outside your scope/);
    expect(await state()).toEqual(before);
    // A missing required column is reported before any row.
    const noLevel = await upload(access, 'sites', 'x.csv', 'code,name,kind\nTI-X,x,plant');
    expect(noLevel.statusCode).toBe(422);
    expect((noLevel.json() as ImportResult).errors.map((e) => e.column)).toContain('access_level');
    // Importing sites needs access.write besides import.run.
    expect((await upload(clerk, 'sites', 'x.csv', 'code,name,kind,access_level,unit_code\nTI-X,x,plant,open,DJ1')).statusCode).toBe(403);
  });

  it('checkpoints with opening hours from Chinese and English headers; bad rows commit nothing', async () => {
    const f = accessFixtures(t.deps);
    for (const code of ['TI-S1', 'TI-S2', 'TI-S3']) await f.site({ code });
    await f.site({ code: 'TI-S-DJ1', unitCode: 'DJ1' });
    const csv = ['卡口编码,名称,小区编码,开放时间', 'TI-S1-E,东门,TI-S1,06:00-22:00；23:00-05:00', 'TI-S1-W,西门,TI-S1,', 'TI-S2-1,1号门,TI-S2,7:30~19:00'].join('\n');
    const res = await upload(access, 'checkpoints', '卡口.csv', csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'checkpoints', rows: 3, inserted: 3, errors: [] });
    expect(await checkpoint('TI-S1-E')).toMatchObject({ nameZh: '东门', site: 'TI-S1', openingHours: [{ from: '06:00', to: '22:00' }, { from: '23:00', to: '05:00' }], vehicles: true, version: 1 });
    expect(await checkpoint('TI-S1-W')).toMatchObject({ openingHours: null });
    expect(await checkpoint('TI-S2-1')).toMatchObject({ site: 'TI-S2', openingHours: [{ from: '07:30', to: '19:00' }] });
    expect((await upload(access, 'checkpoints', '卡口.csv', csv)).json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });

    // English headers; without an opening_hours column the hours stay; a new site moves the gate.
    const en = await upload(access, 'checkpoints', 'gates.csv', 'code,name,site_code\nTI-S1-E,East gate,TI-S3');
    expect(en.json()).toMatchObject({ updated: 1 });
    expect(await checkpoint('TI-S1-E')).toMatchObject({ nameZh: 'East gate', site: 'TI-S3', openingHours: [{ from: '06:00', to: '22:00' }, { from: '23:00', to: '05:00' }], version: 2 });

    const before = await state();
    const bad = ['code,name,site_code,opening_hours', 'TI-OK-1,好门,TI-S1,06:00-22:00', 'TI-B1,坏门,TI-S1,25:00-06:00', 'TI-B2,坏门,TI-S1,06:00-06:00', 'TI-B3,坏门,TI-S-DJ1,', 'TI-B4,坏门,TI-NOPE,', 'TI-B5,坏门,TI-S1,早上'].join('\n');
    const res2 = await upload(access, 'checkpoints', 'bad.csv', bad);
    expect(res2.statusCode).toBe(422);
    const body = res2.json() as ImportResult;
    expect(body.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'opening_hours'],
      [4, 'opening_hours'],
      [5, 'site_code'],
      [6, 'site_code'],
      [7, 'opening_hours'],
    ]);
    expect(body.errors[0]!.message).toMatch(/HH:MM-HH:MM/);
    expect(body.errors[1]!.message).toMatch(/the same time/);
    expect(body.errors[2]!.message).toBe('no site TI-S-DJ1 in your scope');
    expect(await state()).toEqual(before);
  });

  it('people go to the registry (kind=people): Chinese headers, a household made on the way, a pass for the site; a bad row rejects the file', async () => {
    const f = accessFixtures(t.deps);
    const s = await f.site({ code: 'TI-PS' });
    const id = validIdNumber(4242);
    const csv = ['人员编码,姓名,证件类型,证件号码,手机号,类别,单位编码,小区编码,户号', `TI-P1,张三,身份证,${id},${validPhone(4242)},居民,,TI-PS,1-2-301`].join('\n');
    const res = await upload(access, 'people', '人员.csv', csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'people', rows: 1, inserted: 1, errors: [] });
    const db = t.deps.database.db;
    const person = await db.selectFrom('people').select(['id', 'name', 'category', 'site_id', 'household_id', 'id_number_enc']).where('code', '=', 'TI-P1').executeTakeFirstOrThrow();
    expect(person).toMatchObject({ name: '张三', category: 'resident', site_id: s.id });
    expect(Buffer.from(person.id_number_enc!).includes(Buffer.from(id))).toBe(false);
    expect(await db.selectFrom('households').select('code').where('id', '=', person.household_id!).executeTakeFirstOrThrow()).toEqual({ code: '1-2-301' });
    const passes = await db.selectFrom('passes').innerJoin('pass_sites', 'pass_sites.pass_id', 'passes.id').select(['passes.status', 'pass_sites.site_id']).where('passes.person_id', '=', person.id).execute();
    expect(passes).toEqual([{ status: 'active', site_id: s.id }]);

    const before = await db.selectFrom('people').select('code').orderBy('code').execute();
    const bad = await upload(access, 'people', 'people.csv', ['code,name,category,site_code', 'TI-P2,李四,resident,TI-PS', 'TI-P3,王五,martian,TI-PS'].join('\n'));
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as ImportResult).errors.map((e) => [e.row, e.column])).toEqual([[3, 'category']]);
    expect(await db.selectFrom('people').select('code').orderBy('code').execute()).toEqual(before);
    expect((await upload(clerk, 'people', 'x.csv', 'code,name,category\nTI-P9,x,resident')).statusCode).toBe(403);
  });

  it('templates of the new kinds carry their headers', async () => {
    const zh = await access.get('/api/imports/template?kind=sites&format=csv&lang=zh');
    expect(zh.statusCode).toBe(200);
    expect(zh.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('编码,名称,类型,管控级别,单位编码,英文名称');
    const en = await access.get('/api/imports/template?kind=checkpoints&format=csv&lang=en');
    expect(en.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('code,name,site_code,opening_hours');
    const people = await access.get('/api/imports/template?kind=people&format=csv&lang=zh');
    expect(people.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('人员编码,姓名,证件类型,证件号码,手机号,类别,单位编码,小区编码,户号');
    const peopleEn = await access.get('/api/imports/template?kind=people&format=csv&lang=en');
    expect(peopleEn.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('code,name,id_type,id_number,phone,category,unit_code,site_code,household');
    const xlsx = await access.get('/api/imports/template?kind=sites&format=xlsx&lang=zh');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
  });
});
