import ExcelJS from 'exceljs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from '../../src/domain/access/mask';
import { personalDataOf } from '../../src/server/crypto/personal-data';
import type { MappedRecord } from '../../src/server/imports/columns';
import { authService } from '../../src/server/modules/auth/auth.service';
import { RowChecker } from '../../src/server/modules/imports/imports.kinds';
import { importPeople, type PeopleImportKey } from '../../src/server/modules/people/people.import';
import type { Person, PersonList } from '../../src/server/modules/people/people.schemas';
import { accessFixtures, tokenHash, uniqueCode, validIdNumber, validPhone, type AccessFixtures, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { multipartBody } from './route-matrix';

type Res = { statusCode: number; body: string; json(): unknown };
const errorOf = (res: Res) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code] as const;
/** Breaks the check character of a valid ID number. */
const badChecksum = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
const png = (w = 2, h = 2) => PNG.sync.write(new PNG({ width: w, height: h }));

/** Rows of a people file as the import framework hands them over. */
function records(rows: Partial<Record<PeopleImportKey, string>>[], columns: PeopleImportKey[]): MappedRecord<PeopleImportKey>[] {
  return rows.map((cells, i) => ({ row: i + 2, get: (k) => cells[k] ?? '', has: (k) => columns.includes(k) }));
}
const allColumns: PeopleImportKey[] = ['code', 'name', 'id_type', 'id_number', 'phone', 'category', 'unit_code', 'site_code', 'household'];

describe.each(engines)('the people registry on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let access: Client;
  let admin: Client;
  let guard: Client;
  let leader: Client;
  let site: SiteFixture;
  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    [access, admin, guard, leader] = await Promise.all([t.login('access'), t.login('admin'), t.login('guard'), t.login('leader')]);
    site = await f.site({ nameZh: '翠溪北区' });
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  const pd = () => personalDataOf(t.deps.config);
  const auditRows = (action: string) => db().selectFrom('audit_log').select(['object_id', 'changes', 'details', 'actor_username']).where('action', '=', action).orderBy('seq').execute();
  async function register(body: Record<string, unknown>, as: Client = access): Promise<Person> {
    const res = await as.post('/api/people', { code: uniqueCode('RG'), name: '张三丰', category: 'resident', site: site.code, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Person;
  }

  it('registers a resident: ID number and phone are ciphertext at rest, masked in every response, found by blind index', async () => {
    const id = validIdNumber(8242);
    const phone = '13912345678';
    const p = await register({ sex: 'male', idNumber: id.toLowerCase(), phone: '+86 139-1234-5678', household: '3-2-401' });
    expect(p).toMatchObject({ category: 'resident', sex: 'male', idType: 'resident-id', idNumber: maskIdNumber(id, '1+2'), phone: '139****5678', site: site.code, household: '3-2-401', unitId: null, hasPhoto: false, version: 1 });
    expect(p.idNumber).toMatch(/^\d\*{15}[\dX]{2}$/);

    // The raw columns: AES-GCM ciphertext (no plaintext bytes), the blind index of the normalised value.
    const raw = await db().selectFrom('people').select(['id_number_enc', 'id_number_bidx', 'phone_enc', 'phone_bidx', 'household_id']).where('id', '=', p.id).executeTakeFirstOrThrow();
    for (const [column, plain] of [[raw.id_number_enc!, id], [raw.phone_enc!, phone]] as const) {
      const sealed = Buffer.from(column); // bytea: a Buffer on PostgreSQL, a Uint8Array on PGlite
      expect(sealed.length).toBe(1 + 12 + 16 + plain.length); // format byte, IV, tag, ciphertext
      expect(sealed.includes(Buffer.from(plain))).toBe(false);
      expect(sealed.includes(Buffer.from(plain.slice(0, 8)))).toBe(false);
      expect(sealed.toString('latin1')).not.toContain(plain.slice(-6));
    }
    expect(pd().decryptText('people.id_number', raw.id_number_enc!)).toBe(id);
    expect(raw.id_number_bidx).toBe(pd().blindIndex('people.id_number', id));
    expect(raw.phone_bidx).toBe(pd().blindIndex('people.phone', phone));
    // …and the blind index finds the person.
    const byBidx = await db().selectFrom('people').select('code').where('id_number_bidx', '=', pd().blindIndex('people.id_number', id)).execute();
    expect(byBidx.map((r) => r.code)).toEqual([p.code]);
    const household = await db().selectFrom('households').select(['code', 'site_id']).where('id', '=', raw.household_id!).executeTakeFirstOrThrow();
    expect(household).toEqual({ code: '3-2-401', site_id: site.id });
    expect((await auditRows('household.create')).map((a) => a.object_id)).toContain(raw.household_id);

    // Exact search by ID number and phone (any typed form), and the other filters.
    const find = async (query: string) => ((await access.get(`/api/people?${query}`)).json() as PersonList).items.map((x) => x.code);
    expect(await find(`idNumber=${id.slice(0, 6)}-${id.slice(6)}`)).toEqual([p.code]);
    expect(await find('phone=139%201234%205678')).toEqual([p.code]);
    expect(await find(`idNumber=${badChecksum(id)}`)).toEqual([]);
    expect(await find(`site=${site.code}&household=3-2-401`)).toEqual([p.code]);
    expect(await find(`q=${encodeURIComponent('张三')}&category=resident&site=${site.code}`)).toContain(p.code);
    expect(await find(`q=${p.code.slice(0, 6).toLowerCase()}`)).toContain(p.code);
    expect(await find('category=visitor')).not.toContain(p.code);

    // No response, no audit row and no log line carries the plain values.
    const bodies = [
      (await access.get(`/api/people/${p.id}`)).body,
      (await access.get('/api/people')).body,
      (await access.get(`/api/people?idNumber=${id}`)).body,
      (await admin.get('/api/people?pageSize=500')).body,
    ];
    for (const body of bodies) {
      expect(body).toContain(p.code);
      expect(body).not.toContain(id);
      expect(body).not.toContain(phone);
    }
    expect(JSON.parse(bodies[0]!)).toMatchObject({ idNumber: maskIdNumber(id), phone: maskPhone(phone) });
    const audits = await db().selectFrom('audit_log').select(['changes', 'details']).where('object_id', '=', p.id).execute();
    expect(JSON.stringify(audits)).not.toContain(id.slice(-8));
    expect(JSON.stringify(audits)).not.toContain(phone.slice(-8));
    expect(JSON.stringify(audits)).not.toContain('张三丰');
    expect(t.logs.join('\n')).not.toContain(id);
  });

  it('lists people in pages with a total, and keeps the unfiltered shape (every person in scope)', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await register({ code: `RGPAGE${i}`, name: `分页${i}` }));
    const page = (await access.get('/api/people?q=RGPAGE&pageSize=2&page=2')).json() as PersonList;
    expect(page).toMatchObject({ total: 3 });
    expect(page.items.map((x) => x.code)).toEqual(['RGPAGE2']);
    const all = (await access.get('/api/people')).json() as PersonList;
    expect(all.total).toBe(all.items.length);
    expect(all.items.map((x) => x.code)).toEqual(expect.arrayContaining(made.map((x) => x.code)));
    // The leader (DJ1's subtree) does not see people of a WZBW site: not listed, and 404 by id.
    const leaders = (await leader.get('/api/people')).json() as PersonList;
    expect(leaders.items.map((x) => x.code)).not.toContain('RGPAGE0');
    expect(errorOf(await leader.get(`/api/people/${made[0]!.id}`))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await leader.get(`/api/people?site=${site.code}`))).toEqual([404, 'SITE_NOT_FOUND']);
  });

  it('masks ID numbers 6+4 when the setting says so', async () => {
    const id = validIdNumber(8777);
    const p = await register({ idNumber: id });
    await db().insertInto('settings').values({ key: 'access.idMask', value: JSON.stringify({ style: '6+4' }), updated_at: new Date() }).execute();
    try {
      const shown = (await access.get(`/api/people/${p.id}`)).json() as Person;
      expect(shown.idNumber).toBe(`${id.slice(0, 6)}********${id.slice(-4)}`);
      const listed = ((await access.get(`/api/people?idNumber=${id}`)).json() as PersonList).items[0]!;
      expect(listed.idNumber).toBe(maskIdNumber(id, '6+4'));
    } finally {
      await db().deleteFrom('settings').where('key', '=', 'access.idMask').execute();
    }
    expect(((await access.get(`/api/people/${p.id}`)).json() as Person).idNumber).toBe(maskIdNumber(id, '1+2'));
  });

  it('unmasks with personal.unmask and a reason: the full value, an audit row with the field and the reason, never the value', async () => {
    const id = validIdNumber(8001);
    const p = await register({ idNumber: id, phone: '13800138000' });
    const res = await access.post(`/api/people/${p.id}/unmask`, { field: 'idNumber', reason: '核实访客身份' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ value: id });
    expect((await access.post(`/api/people/${p.id}/unmask`, { field: 'phone', reason: 'call the family' })).json()).toEqual({ value: '13800138000' });
    const rows = (await auditRows('person.unmask')).filter((r) => r.object_id === p.id);
    expect(rows.map((r) => r.details)).toEqual([
      { field: 'idNumber', reason: '核实访客身份' },
      { field: 'phone', reason: 'call the family' },
    ]);
    expect(rows.every((r) => r.actor_username === 'access')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(id);
    expect(JSON.stringify(rows)).not.toContain('13800138000');

    // Without a reason (or a too short one): 422, and nothing audited.
    expect(errorOf(await access.post(`/api/people/${p.id}/unmask`, { field: 'idNumber' }))).toEqual([422, 'REASON_REQUIRED']);
    expect(errorOf(await access.post(`/api/people/${p.id}/unmask`, { field: 'idNumber', reason: ' ab ' }))).toEqual([422, 'REASON_REQUIRED']);
    // Without the permission: 403 (the system administrator writes people but does not unmask them; nor do guards).
    expect(errorOf(await admin.post(`/api/people/${p.id}/unmask`, { field: 'idNumber', reason: '核实访客身份' }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await guard.post(`/api/people/${p.id}/unmask`, { field: 'phone', reason: '核实访客身份' }))).toEqual([403, 'FORBIDDEN']);
    expect((await auditRows('person.unmask')).filter((r) => r.object_id === p.id)).toHaveLength(2);
    // A person without a phone has nothing to unmask.
    const bare = await register({ phone: null });
    expect(errorOf(await access.post(`/api/people/${bare.id}/unmask`, { field: 'phone', reason: '核实访客身份' }))).toEqual([404, 'VALUE_NOT_FOUND']);
  });

  it('refuses invalid ID numbers and phones with codes naming the problem, and a second person with the same ID number', async () => {
    const id = validIdNumber(8131);
    const post = (body: Record<string, unknown>) => access.post('/api/people', { code: uniqueCode('RGX'), name: '李四', category: 'visitor', site: site.code, ...body });
    const checksum = await post({ idNumber: badChecksum(id) });
    expect(errorOf(checksum)).toEqual([422, 'ID_NUMBER_CHECKSUM']);
    expect((checksum.json() as { error: { message: string } }).error.message).toMatch(/check character/);
    expect(errorOf(await post({ idNumber: id.slice(0, 17) }))).toEqual([422, 'ID_NUMBER_LENGTH']);
    expect(errorOf(await post({ idNumber: `${id.slice(0, 10)}1332${id.slice(14)}` }))).toEqual([422, 'ID_NUMBER_BIRTH_DATE']);
    expect(errorOf(await post({ idNumber: `${id.slice(0, 16)}AB` }))).toEqual([422, 'ID_NUMBER_CHARACTERS']);
    expect(errorOf(await post({ phone: '12345' }))).toEqual([422, 'PHONE_INVALID']);
    // Other documents are not checked as mainland IDs.
    const passport = await post({ idType: 'passport', idNumber: 'e1234 5678' });
    expect(passport.statusCode, passport.body).toBe(201);
    expect((passport.json() as Person).idNumber).toBe(maskIdNumber('E12345678'));
    expect(errorOf(await post({ idType: 'passport', idNumber: 'E12345678' }))).toEqual([409, 'ID_NUMBER_TAKEN']);
    expect((await post({ idNumber: id })).statusCode).toBe(201);
    expect(errorOf(await post({ idNumber: id }))).toEqual([409, 'ID_NUMBER_TAKEN']);
    expect(errorOf(await admin.post('/api/people', { code: uniqueCode('RGX'), name: '李四', category: 'visitor', household: '1-1-101' }))).toEqual([422, 'HOUSEHOLD_NEEDS_SITE']);
    expect(errorOf(await post({ proxyPerson: 'NOBODY' }))).toEqual([404, 'PROXY_PERSON_NOT_FOUND']);
  });

  it('access.write registers residents, visitors and contractors, and only the registry fields of employees; person.write everything', async () => {
    const wzbw = (await db().selectFrom('units').select('id').where('code', '=', 'WZBW').executeTakeFirstOrThrow()).id;
    expect(errorOf(await access.post('/api/people', { code: uniqueCode('RGE'), name: '王五', unitId: wzbw }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await access.post('/api/people', { code: uniqueCode('RGE'), name: '王五', unitId: wzbw, category: 'contractor', cadre: true }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await guard.post('/api/people', { code: uniqueCode('RGE'), name: '王五', category: 'visitor', site: site.code }))).toEqual([403, 'FORBIDDEN']);
    // The system administrator registers an employee of WZBW …
    const employee = (await admin.post('/api/people', { code: uniqueCode('RGE'), name: '王五', unitId: wzbw })).json() as Person;
    expect(employee).toMatchObject({ category: 'employee', unit: 'WZBW', idNumber: null });
    // … the access administrator adds the registry fields, but cannot rename or move the employee.
    const phone = validPhone(55);
    const withPhone = await access.patch(`/api/people/${employee.id}`, { version: 1, phone, idNumber: validIdNumber(55), site: site.code });
    expect(withPhone.statusCode, withPhone.body).toBe(200);
    expect(withPhone.json()).toMatchObject({ phone: maskPhone(phone), site: site.code, idType: 'resident-id', version: 2 });
    expect(errorOf(await access.patch(`/api/people/${employee.id}`, { version: 2, name: '王六' }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await access.patch(`/api/people/${employee.id}`, { version: 2, category: 'contractor' }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await access.patch(`/api/people/${employee.id}`, { version: 1, phone }))).toEqual([409, 'STALE_VERSION']);
    // A resident is the access administrator's to rename; making one an employee is not.
    const resident = await register({});
    expect((await access.patch(`/api/people/${resident.id}`, { version: 1, name: '张三' })).json()).toMatchObject({ name: '张三', version: 2 });
    expect(errorOf(await access.patch(`/api/people/${resident.id}`, { version: 2, category: 'employee' }))).toEqual([403, 'FORBIDDEN']);
    // Registered on someone's behalf; clearing fields with null.
    const elder = await register({ proxyPerson: resident.code, phone: validPhone(56) });
    expect(elder.proxyPerson).toBe(resident.code);
    const cleared = (await access.patch(`/api/people/${elder.id}`, { version: 1, phone: null, proxyPerson: null })).json() as Person;
    expect(cleared).toMatchObject({ phone: null, proxyPerson: null, version: 2 });
    const raw = await db().selectFrom('people').select(['phone_enc', 'phone_bidx']).where('id', '=', elder.id).executeTakeFirstOrThrow();
    expect(raw).toEqual({ phone_enc: null, phone_bidx: null });
    const update = (await auditRows('person.update')).find((r) => r.object_id === elder.id);
    expect(update?.changes).toMatchObject({ phone: { old: '(personal)', new: '(changed)' } });
  });

  it('stores a photo encrypted and serves it to access.read within the scope, audited', async () => {
    const image = png(8, 8);
    const p = await register({ photo: image.toString('base64') });
    expect(p.hasPhoto).toBe(true);
    const raw = await db().selectFrom('people').select('photo_enc').where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(Buffer.from(raw.photo_enc!).includes(image.subarray(0, 16))).toBe(false);
    const res = await guard.get(`/api/people/${p.id}/photo`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.equals(image)).toBe(true);
    expect((await auditRows('person.photo.view')).filter((r) => r.object_id === p.id).map((r) => r.actor_username)).toEqual(['guard']);
    expect(errorOf(await leader.get(`/api/people/${p.id}/photo`))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await guard.get(`/api/people/${(await register({})).id}/photo`))).toEqual([404, 'PHOTO_NOT_FOUND']);
    expect(errorOf(await access.post('/api/people', { code: uniqueCode('RG'), name: '照片', category: 'visitor', site: site.code, photo: Buffer.from('GIF89a not a photo').toString('base64') }))).toEqual([422, 'PHOTO_INVALID']);
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(205 * 1024)]);
    expect(errorOf(await access.post('/api/people', { code: uniqueCode('RG'), name: '照片', category: 'visitor', site: site.code, photo: big.toString('base64') }))).toEqual([422, 'PHOTO_TOO_LARGE']);
  });

  it('exports the registry as xlsx with masked values only, audited', async () => {
    const other = await f.site();
    const ids = [validIdNumber(8601), validIdNumber(8602)];
    const phones = [validPhone(6001), validPhone(6002)];
    const people = [await register({ site: other.code, idNumber: ids[0], phone: phones[0], household: '9-9-909' }), await register({ site: other.code, idNumber: ids[1], phone: phones[1], category: 'visitor' })];
    const res = await access.get(`/api/people/export.xlsx?site=${other.code}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const values: string[][] = [];
    sheet.eachRow((row) => values.push(Array.from({ length: 11 }, (_, i) => row.getCell(i + 1).value ?? '').map(String)));
    expect(values[0]).toEqual(['人员编码', '姓名', '类别', '性别', '证件类型', '证件号码', '手机号', '单位编码', '小区编码', '户号', '代办人编码']);
    expect(values.slice(1)).toEqual([
      [people[0]!.code, '张三丰', 'resident', '', 'resident-id', maskIdNumber(ids[0]!), maskPhone(phones[0]!), '', other.code, '9-9-909', ''],
      [people[1]!.code, '张三丰', 'visitor', '', 'resident-id', maskIdNumber(ids[1]!), maskPhone(phones[1]!), '', other.code, '', ''],
    ]);
    const text = JSON.stringify(values);
    for (const plain of [...ids, ...phones]) expect(text).not.toContain(plain);
    const visitors = await access.get(`/api/people/export.xlsx?site=${other.code}&category=visitor`);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(visitors.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets[0]!.rowCount).toBe(2);
    const exports = (await auditRows('person.export')).map((r) => r.details);
    expect(exports).toContainEqual({ filters: { site: other.code }, rows: 2 });
  });

  it('imports people (Chinese words, households, passes for the site); a second run changes nothing', async () => {
    const s = await f.site();
    const n = 5000;
    const rows = Array.from({ length: n }, (_, i) => ({
      code: `IMP${i}`,
      name: `居民${i}`,
      id_type: i % 2 ? '身份证' : '',
      id_number: validIdNumber(20_000 + i),
      phone: i % 3 ? validPhone(20_000 + i) : '',
      category: i % 5 ? '居民' : '家属',
      site_code: s.code,
      household: `${(i % 40) + 1}-1-${Math.floor(i / 40) + 101}`,
    }));
    const accessActor = await actorOf('access');
    const run = async (data: typeof rows) => {
      const check = new RowChecker<PeopleImportKey>((k) => k);
      const started = Date.now();
      const counts = await db().transaction().execute((trx) => importPeople(trx, t.deps, accessActor, t.clock.now(), records(data, allColumns), check));
      return { counts, errors: check.errors, ms: Date.now() - started };
    };
    const first = await run(rows);
    expect(first.errors).toEqual([]);
    expect(first.counts).toEqual({ inserted: n, updated: 0, unchanged: 0 });
    expect(first.ms).toBeLessThan(20_000);
    const stored = await db().selectFrom('people').select(['code', 'category', 'id_type', 'id_number_bidx', 'household_id']).where('site_id', '=', s.id).execute();
    expect(stored).toHaveLength(n);
    const one = stored.find((p) => p.code === 'IMP5')!;
    expect(one).toMatchObject({ category: 'family', id_type: 'resident-id', id_number_bidx: pd().blindIndex('people.id_number', validIdNumber(20_005)) });
    expect(Number((await db().selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', s.id).executeTakeFirstOrThrow()).n)).toBe(n);
    const passes = await db()
      .selectFrom('passes as pa')
      .innerJoin('pass_sites as x', 'x.pass_id', 'pa.id')
      .innerJoin('people as p', 'p.id', 'pa.person_id')
      .select(['p.code', 'pa.status', 'pa.valid_from', 'pa.valid_to', 'pa.token_hash', 'pa.token_enc'])
      .where('x.site_id', '=', s.id)
      .execute();
    expect(passes).toHaveLength(n);
    expect(new Set(passes.map((p) => p.token_hash)).size).toBe(n);
    expect(passes[0]).toMatchObject({ status: 'active', valid_from: '2026-03-02', valid_to: '2027-03-01' });
    expect(tokenHash(pd().decryptText('passes.token', passes[0]!.token_enc))).toBe(passes[0]!.token_hash);

    const again = await run(rows);
    expect(again.counts).toEqual({ inserted: 0, updated: 0, unchanged: n });
    expect(Number((await db().selectFrom('pass_sites').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', s.id).executeTakeFirstOrThrow()).n)).toBe(n);
    // A changed phone is an update; the masked view shows it.
    const changed = await run([{ ...rows[1]!, phone: '13700001111' }]);
    expect(changed.counts).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const imp1 = ((await access.get('/api/people?q=IMP1&pageSize=1')).json() as PersonList).items[0]!;
    expect(imp1).toMatchObject({ code: 'IMP1', phone: '137****1111', household: '2-1-101', site: s.code });
  });

  it('import: every bad row is reported and nothing is written', async () => {
    const s = await f.site();
    const accessActor = await actorOf('access');
    const before = Number((await db().selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const id = validIdNumber(8999);
    const data = [
      { code: 'BAD1', name: '甲', category: '居民', id_number: badChecksum(id), site_code: s.code },
      { code: 'BAD2', name: '乙', category: '居民', site_code: 'NO-SUCH-SITE' },
      { code: 'BAD3', name: '丙', category: '员工', unit_code: 'WZBW' },
      { code: 'BAD4', name: '丁', category: '居民', unit_code: 'DJ1' },
      { code: 'BAD5', name: '戊', category: '学生', site_code: s.code },
      { code: 'BAD6', name: '己', category: '访客', phone: '123', site_code: s.code },
      { code: 'OK1', name: '庚', category: '访客', id_number: id, site_code: s.code },
      { code: 'OK1', name: '辛', category: '访客', site_code: s.code },
      { code: 'OK2', name: '壬', category: 'visitor', id_number: id, site_code: s.code },
      { code: 'BAD7', name: '癸', category: 'visitor', unit_code: 'WZBW', household: '1-1-101' },
      { code: 'BAD8', name: '子', category: 'visitor', id_type: '护照', id_number: 'E1', site_code: s.code },
    ];
    const check = new RowChecker<PeopleImportKey>((k) => k);
    const counts = await db().transaction().execute((trx) => importPeople(trx, t.deps, accessActor, t.clock.now(), records(data, allColumns), check));
    expect(counts).toEqual({ inserted: 0, updated: 0, unchanged: 0 });
    expect(check.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'id_number'],
      [3, 'site_code'],
      [4, 'category'],
      [5, 'unit_code'],
      [6, 'category'],
      [7, 'phone'],
      [9, 'code'],
      [10, 'id_number'],
      [11, 'household'],
      [12, 'id_number'],
    ]);
    expect(check.errors[0]!.message).toMatch(/check character/);
    expect(check.errors[6]!.message).toBe('duplicates row 8');
    expect(check.errors[7]!.message).toBe('the same ID number as row 8');
    expect(Number((await db().selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(before);
  });

  it('imports a people file through POST /api/imports (kind=people, Chinese headers), all or nothing', async () => {
    const s = await f.site();
    const upload = (content: string) => {
      const form = multipartBody({ kind: 'people', file: { filename: 'people.csv', content } });
      return t.app.inject({ method: 'POST', url: '/api/imports', payload: form.payload, headers: { 'content-type': form.contentType, cookie: `ps_session=${access.cookie}`, 'x-csrf-token': access.csrf! } });
    };
    const [a, b] = [validIdNumber(8301), validIdNumber(8302)];
    const header = '人员编码,姓名,证件类型,证件号码,手机号,类别,单位编码,小区编码,户号';
    const good = [header, `HTTP1,赵一,身份证,${a},13911112222,居民,,${s.code},5-1-501`, `HTTP2,钱二,居民身份证,${b},,家属,,${s.code},5-1-501`, 'HTTP3,孙三,护照,G1234567,,访客,WZBW,,'].join('\r\n');
    const res = await upload(good);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'people', rows: 3, inserted: 3, updated: 0, unchanged: 0, errors: [] });
    const listed = ((await access.get(`/api/people?site=${s.code}`)).json() as PersonList).items;
    expect(listed.map((p) => [p.code, p.category, p.household, p.idNumber, p.phone])).toEqual([
      ['HTTP1', 'resident', '5-1-501', maskIdNumber(a), '139****2222'],
      ['HTTP2', 'family', '5-1-501', maskIdNumber(b), null],
    ]);
    const passes = (await access.get('/api/passes?person=HTTP1')).json() as { rows: { sites: { code: string }[]; status: string; validFrom: string; validTo: string }[] };
    expect(passes.rows).toMatchObject([{ sites: [{ code: s.code }], status: 'active', validFrom: '2026-03-02', validTo: '2027-03-01' }]);
    expect(((await access.get('/api/passes?person=HTTP3')).json() as { rows: unknown[] }).rows).toEqual([]);
    // One bad row: the file is refused as a whole, the error names the row and the problem.
    const bad = await upload([header, `HTTP4,李四,身份证,${badChecksum(validIdNumber(8303))},,居民,,${s.code},`, `HTTP5,周五,,,,访客,,${s.code},`].join('\r\n'));
    expect(bad.json()).toMatchObject({ inserted: 0, errors: [{ row: 2, column: '证件号码' }] });
    expect((await access.get('/api/people?q=HTTP5')).json()).toMatchObject({ items: [], total: 0 });
  });

  /** The actor of a demo user, as the guard builds it. */
  async function actorOf(username: string) {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'Demo#2020' } });
    const session = res.cookies.find((c) => c.name === 'ps_session')!.value;
    const actor = await authService(t.deps).resolveSession(session);
    if (!('actor' in actor)) throw new Error(`no actor for ${username}`);
    return actor.actor;
  }
});
