import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Donation, DonationList } from '../../src/server/modules/health-supplies/donations.schemas';
import type { Movement, Purchase, PurchaseCreated, Supply } from '../../src/server/modules/health-supplies/supplies.schemas';
import type { PublicPoints, SupplyPoint } from '../../src/server/modules/health-supplies/supply-points.schemas';
import type { Volunteer } from '../../src/server/modules/health-supplies/volunteers.schemas';
import { accessFixtures, type AccessFixtures, type CheckpointFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { wzbwHealthAdmin } from '../helpers/users';

describe.each(engines)('health supplies, supply points, donations and volunteers on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let health: Client;
  let grid: Client;
  let manager: Client;
  let site: SiteFixture;
  let foreign: SiteFixture;
  let gate: CheckpointFixture;
  let foreignGate: CheckpointFixture;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    health = await wzbwHealthAdmin(t);
    grid = await t.login('grid');
    manager = await t.login('manager');
    site = await f.site({ kind: 'community', unitCode: 'WZBW', nameZh: '翠微小区', nameEn: 'Cuiwei' });
    foreign = await f.site({ kind: 'community', unitCode: 'YH1' });
    gate = await f.checkpoint({ siteId: site.id });
    foreignGate = await f.checkpoint({ siteId: foreign.id });
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  const errorOf = (res: LightMyRequestResponse) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code] as const;
  const created = <T>(res: LightMyRequestResponse): T => {
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as T;
  };
  async function newSupply(kind = 'mask'): Promise<Supply> {
    n += 1;
    return created<Supply>(await health.post('/api/health/supplies', { code: `SUP-${n}`, nameZh: `医用口罩${n}`, unitLabel: '只', kind }));
  }
  const quotes = [
    { supplier: '甲医药公司', unitPrice: '2.50' },
    { supplier: '乙劳保商店', unitPrice: 2.2 },
    { supplier: '丙物资站', unitPrice: '2.8', note: '现货' },
  ];
  const buy = (supply: string, quantity: string | number, extra: Record<string, unknown> = {}) =>
    health.post('/api/health/supplies/purchases', { supply, date: '2026-03-01', quantity, quotes, chosen: 1, ...extra });
  /** Entries made one after another (the fake clock stands still unless moved; ties are ordered by kind, then at random). */
  const later = () => t.clock.advance(60_000);
  const stockOf = async (code: string) => ((await health.get('/api/health/supplies')).json() as { rows: Supply[] }).rows.find((s) => s.code === code)?.stock;

  it('adds supplies to the catalogue once per code; only health.write may, health.read may list', async () => {
    const s = await newSupply('alcohol');
    expect(s).toMatchObject({ code: `SUP-${n}`, nameZh: `医用口罩${n}`, nameEn: null, unitLabel: '只', kind: 'alcohol', stock: '0.00', lastPurchase: null, version: 1 });
    expect(errorOf(await health.post('/api/health/supplies', { code: s.code, nameZh: 'x', unitLabel: '瓶', kind: 'alcohol' }))).toEqual([409, 'SUPPLY_CODE_TAKEN']);
    expect(errorOf(await health.post('/api/health/supplies', { code: 'NEW-1', nameZh: 'x', unitLabel: '瓶', kind: 'vaccine' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await grid.post('/api/health/supplies', { code: 'NEW-2', nameZh: 'x', unitLabel: '瓶', kind: 'alcohol' }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await manager.get('/api/health/supplies'))).toEqual([403, 'FORBIDDEN']);
    expect(((await grid.get('/api/health/supplies')).json() as { rows: Supply[] }).rows.map((x) => x.code)).toContain(s.code);
    const log = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'supply.create').where('object_id', '=', s.id).executeTakeFirstOrThrow();
    expect(log).toEqual({ actor_username: 'health-wzbw', details: { code: s.code, nameZh: s.nameZh, unitLabel: '只', kind: 'alcohol' } });
  });

  it('buys from the lowest of three quotes without a reason; the stock receives the quantity', async () => {
    const s = await newSupply();
    const p = created<PurchaseCreated>(await buy(s.code, 1000));
    expect(p).toMatchObject({ supply: s.code, date: '2026-03-01', quantity: '1000', chosen: 1, lowest: 1, total: '2200.00', reason: null });
    const row = await db().selectFrom('supply_purchases').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    const chosenQuote = await db().selectFrom('supply_quotes').selectAll().where('id', '=', row.chosen_quote_id!).executeTakeFirstOrThrow();
    expect(chosenQuote).toMatchObject({ purchase_id: p.id, supplier: '乙劳保商店', unit_price: '2.2000' });
    expect(await stockOf(s.code)).toBe('1000.00');
    const listed = ((await health.get('/api/health/supplies')).json() as { rows: Supply[] }).rows.find((x) => x.code === s.code);
    expect(listed?.lastPurchase).toEqual({ date: '2026-03-01', unitPrice: '2.20', supplier: '乙劳保商店' });
    const log = await db().selectFrom('audit_log').select('details').where('action', '=', 'supply.purchase').where('object_id', '=', p.id).executeTakeFirstOrThrow();
    expect(log.details).toEqual({ supply: s.code, date: '2026-03-01', quantity: '1000', quotes: 3, supplier: '乙劳保商店', unitPrice: '2.2', total: '2200.00', lowestChosen: true, reason: null });
  });

  it('needs a reason when the chosen quote is not the lowest, at least 3 quotes, from distinct suppliers', async () => {
    const s = await newSupply();
    const noReason = await buy(s.code, 100, { chosen: 0 });
    expect(errorOf(noReason)).toEqual([422, 'QUOTE_REASON_REQUIRED']);
    expect(noReason.json().error.details).toMatchObject({ field: 'reason', lowest: 1 });
    expect(await stockOf(s.code)).toBe('0.00');
    const withReason = created<PurchaseCreated>(await buy(s.code, '100.5', { chosen: 0, reason: '最低价供应商无现货' }));
    // 100.5 × 2.50 exactly, not a binary float.
    expect(withReason).toMatchObject({ chosen: 0, lowest: 1, total: '251.25', reason: '最低价供应商无现货' });
    expect(errorOf(await buy(s.code, 10, { quotes: quotes.slice(0, 2), chosen: 0 }))).toEqual([422, 'QUOTES_TOO_FEW']);
    expect(errorOf(await buy(s.code, 10, { quotes: [...quotes.slice(0, 2), { supplier: ' 甲医药公司 ', unitPrice: 1 }], chosen: 2 }))).toEqual([422, 'QUOTES_DUPLICATE_SUPPLIER']);
    expect(errorOf(await buy(s.code, 10, { chosen: 3 }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await buy(s.code, 0))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await buy(s.code, '1.234'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await buy('NO-SUCH', 10))).toEqual([404, 'SUPPLY_NOT_FOUND']);
    // Equal lowest prices: choosing either needs no reason.
    const tie = [{ supplier: 'A', unitPrice: '3' }, { supplier: 'B', unitPrice: '3.00' }, { supplier: 'C', unitPrice: '4' }];
    expect(created<PurchaseCreated>(await buy(s.code, 1, { quotes: tie, chosen: 1 }))).toMatchObject({ lowest: 0, total: '3.00' });

    const listed = ((await grid.get(`/api/health/supplies/purchases?supply=${s.code}`)).json() as { rows: Purchase[] }).rows;
    expect(listed).toHaveLength(2);
    const reasoned = listed.find((p) => p.id === withReason.id)!;
    expect(reasoned).toMatchObject({ quantity: '100.50', total: '251.25', lowestChosen: false, reason: '最低价供应商无现货', createdBy: 'health-wzbw' });
    expect(reasoned.quotes).toEqual([
      { supplier: '乙劳保商店', unitPrice: '2.20', note: null, chosen: false, lowest: true },
      { supplier: '甲医药公司', unitPrice: '2.50', note: null, chosen: true, lowest: false },
      { supplier: '丙物资站', unitPrice: '2.80', note: '现货', chosen: false, lowest: false },
    ]);
    expect(listed.find((p) => p.id !== withReason.id)!.quotes.filter((q) => q.lowest).map((q) => q.supplier)).toEqual(['A', 'B']);
    expect(await stockOf(s.code)).toBe('101.50');
  });

  it('distributes to units and checkpoints in scope, never beyond the stock, with a running balance', async () => {
    const s = await newSupply();
    created(await buy(s.code, 100));
    later();
    const toUnit = created<Movement>(await health.post('/api/health/supplies/distributions', { supply: s.code, date: '2026-03-02', quantity: 30, unit: 'WZBW', note: '保卫部' }));
    expect(toUnit).toMatchObject({ kind: 'out', change: '-30.00', balance: '70.00', unit: { code: 'WZBW' }, checkpoint: null, note: '保卫部', createdBy: 'health-wzbw' });
    later();
    const toGate = created<Movement>(await health.post('/api/health/supplies/distributions', { supply: s.code, date: '2026-03-02', quantity: '20.5', checkpoint: gate.code }));
    expect(toGate).toMatchObject({ change: '-20.50', balance: '49.50', checkpoint: { code: gate.code, site: site.code }, unit: null });
    expect(await stockOf(s.code)).toBe('49.50');

    const beyond = await health.post('/api/health/supplies/distributions', { supply: s.code, date: '2026-03-02', quantity: 50, unit: 'WZBW' });
    expect(errorOf(beyond)).toEqual([422, 'STOCK_INSUFFICIENT']);
    expect(beyond.json().error.details).toEqual({ available: '49.50', date: '2026-03-02' });
    // Before the purchase's date there was nothing to give.
    const early = await health.post('/api/health/supplies/distributions', { supply: s.code, date: '2026-02-28', quantity: 1, unit: 'WZBW' });
    expect(errorOf(early)).toEqual([422, 'STOCK_INSUFFICIENT']);
    expect(early.json().error.details).toEqual({ available: '0.00', date: '2026-02-28' });

    expect(errorOf(await health.post('/api/health/supplies/distributions', { supply: s.code, date: '2026-03-02', quantity: 1, unit: 'WZBW', checkpoint: gate.code }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await health.post('/api/health/supplies/distributions', { supply: s.code, date: '2026-03-02', quantity: 1 }))).toEqual([400, 'VALIDATION_FAILED']);
    // Out of scope: the same 404 as an unknown code.
    expect(errorOf(await health.post('/api/health/supplies/distributions', { supply: s.code, date: '2026-03-02', quantity: 1, unit: 'YH1' }))).toEqual([404, 'UNIT_NOT_FOUND']);
    expect(errorOf(await health.post('/api/health/supplies/distributions', { supply: s.code, date: '2026-03-02', quantity: 1, unit: 'NOPE' }))).toEqual([404, 'UNIT_NOT_FOUND']);
    expect(errorOf(await health.post('/api/health/supplies/distributions', { supply: s.code, date: '2026-03-02', quantity: 1, checkpoint: foreignGate.code }))).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    expect(errorOf(await grid.post('/api/health/supplies/distributions', { supply: s.code, date: '2026-03-02', quantity: 1, unit: 'WZBW' }))).toEqual([403, 'FORBIDDEN']);

    // A count finds 0.5 more, then 10 spoilt; a correction may not take more than there is.
    created(await health.post('/api/health/supplies/adjustments', { supply: s.code, date: '2026-03-03', quantity: '0.5', note: '盘点多出' }));
    later();
    created(await health.post('/api/health/supplies/adjustments', { supply: s.code, date: '2026-03-03', quantity: -10, note: '受潮报废' }));
    expect(errorOf(await health.post('/api/health/supplies/adjustments', { supply: s.code, date: '2026-03-03', quantity: -40.01, note: '超出' }))).toEqual([422, 'STOCK_INSUFFICIENT']);
    expect(errorOf(await health.post('/api/health/supplies/adjustments', { supply: s.code, date: '2026-03-03', quantity: 0, note: '零' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await health.post('/api/health/supplies/adjustments', { supply: s.code, date: '2026-03-03', quantity: 1 }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await stockOf(s.code)).toBe('40.00');

    const moves = ((await grid.get(`/api/health/supplies/movements?supply=${s.code}`)).json() as { rows: Movement[] }).rows;
    expect(moves.map((m) => [m.date, m.kind, m.change, m.balance])).toEqual([
      ['2026-03-01', 'in', '100.00', '100.00'],
      ['2026-03-02', 'out', '-30.00', '70.00'],
      ['2026-03-02', 'out', '-20.50', '49.50'],
      ['2026-03-03', 'adjust', '0.50', '50.00'],
      ['2026-03-03', 'adjust', '-10.00', '40.00'],
    ]);
    // A date range keeps the balances of the whole history.
    const fromMarch3 = ((await health.get(`/api/health/supplies/movements?supply=${s.code}&from=2026-03-03`)).json() as { rows: Movement[] }).rows;
    expect(fromMarch3.map((m) => m.balance)).toEqual(['50.00', '40.00']);

    const summary = (await health.get('/api/health/supplies/distribution-summary?from=2026-03-02&to=2026-03-02')).json() as {
      totals: { supply: { code: string }; quantity: string }[];
      byUnit: { unit: { code: string }; supply: { code: string }; quantity: string }[];
      byCheckpoint: { checkpoint: { code: string; site: string }; supply: { code: string }; quantity: string }[];
    };
    expect(summary.totals.find((x) => x.supply.code === s.code)?.quantity).toBe('50.50');
    expect(summary.byUnit.filter((x) => x.supply.code === s.code)).toEqual([expect.objectContaining({ unit: expect.objectContaining({ code: 'WZBW' }), quantity: '30.00' })]);
    expect(summary.byCheckpoint.filter((x) => x.supply.code === s.code)).toEqual([expect.objectContaining({ checkpoint: expect.objectContaining({ code: gate.code, site: site.code }), quantity: '20.50' })]);
    const log = await db().selectFrom('audit_log').select('details').where('action', '=', 'supply.distribute').where('object_id', '=', toGate.id).executeTakeFirstOrThrow();
    expect(log.details).toEqual({ supply: s.code, date: '2026-03-02', quantity: '20.5', unit: null, checkpoint: gate.code, site: site.code });
  });

  it('lets exactly one of two concurrent distributions through when together they exceed the stock', async () => {
    const s = await newSupply();
    created(await buy(s.code, 100));
    const body = { supply: s.code, date: '2026-03-02', quantity: 60, unit: 'WZBW' };
    const results = await Promise.all([health.post('/api/health/supplies/distributions', body), health.post('/api/health/supplies/distributions', body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 422]);
    const refused = results.find((r) => r.statusCode === 422)!;
    expect(refused.json().error).toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { available: '40.00' } });
    expect(await stockOf(s.code)).toBe('40.00');
  });

  it('records donations with exact totals, by purpose and date range, under the active incident', async () => {
    const first = created<Donation>(await health.post('/api/health/donations', { donor: '某某商会', amount: 2000, date: '2026-02-10', purpose: '防疫物资' }));
    expect(first).toMatchObject({ donor: '某某商会', amount: '2000.00', date: '2026-02-10', purpose: '防疫物资', note: null, incident: null, createdBy: 'health-wzbw' });
    const incident = await db().insertInto('health_incidents').values({ name: '新冠肺炎疫情', start_date: '2026-01-24' }).returning('id').executeTakeFirstOrThrow();
    const second = created<Donation>(await health.post('/api/health/donations', { donor: '退休职工', amount: '1000', date: '2026-02-11' }));
    expect(second).toMatchObject({ amount: '1000.00', purpose: null, incident: { id: incident.id, name: '新冠肺炎疫情' } });
    await db().updateTable('health_incidents').set({ status: 'closed', closed_at: new Date() }).where('id', '=', incident.id).execute();

    const list = (await grid.get('/api/health/donations')).json() as DonationList;
    expect(list.totals).toEqual({ count: 2, amount: '3000.00', byPurpose: [{ purpose: '防疫物资', count: 1, amount: '2000.00' }, { purpose: null, count: 1, amount: '1000.00' }] });
    expect(list.rows.map((d) => d.id)).toEqual([second.id, first.id]);
    // Cents add up exactly (0.1 + 0.2 is not 0.30000000000000004 here).
    created(await health.post('/api/health/donations', { donor: 'A', amount: 0.1, date: '2026-03-01' }));
    created(await health.post('/api/health/donations', { donor: 'B', amount: '0.2', date: '2026-03-01' }));
    expect(((await health.get('/api/health/donations?from=2026-03-01&to=2026-03-01')).json() as DonationList).totals).toMatchObject({ count: 2, amount: '0.30' });
    expect(((await health.get('/api/health/donations?to=2026-02-10')).json() as DonationList).totals).toMatchObject({ count: 1, amount: '2000.00' });

    expect(errorOf(await health.post('/api/health/donations', { donor: 'x', amount: 0, date: '2026-03-01' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await health.post('/api/health/donations', { donor: 'x', amount: -5, date: '2026-03-01' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await health.post('/api/health/donations', { donor: 'x', amount: '10.005', date: '2026-03-01' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await grid.post('/api/health/donations', { donor: 'x', amount: 1, date: '2026-03-01' }))).toEqual([403, 'FORBIDDEN']);
    const log = await db().selectFrom('audit_log').select('details').where('action', '=', 'donation.create').where('object_id', '=', second.id).executeTakeFirstOrThrow();
    expect(log.details).toEqual({ amount: '1000', date: '2026-02-11', purpose: null, incident: incident.id });
    expect(JSON.stringify(log)).not.toContain('退休职工');
  });

  it('keeps supply points per site in scope and shows the active ones on a public page, open now by Asia/Shanghai time', async () => {
    const weekdays = [1, 2, 3, 4, 5];
    const shop = created<SupplyPoint>(
      await health.post('/api/health/supply-points', { site: site.code, name: '翠微超市', location: '3号楼底商', goods: '蔬菜、米面', openingHours: [{ days: weekdays, from: '08:00', to: '18:00' }], phone: '0351-1234567' }),
    );
    // The fake clock: Monday 2026-03-02 09:00 in Shanghai.
    expect(shop).toMatchObject({ site: { code: site.code, nameZh: '翠微小区' }, name: '翠微超市', active: true, openNow: true, version: 1 });
    const night = created<SupplyPoint>(await health.post('/api/health/supply-points', { site: site.code, name: '夜间药店', openingHours: [{ days: [7], from: '20:00', to: '10:00' }] }));
    // Sunday's night window runs into Monday 10:00.
    expect(night).toMatchObject({ location: null, goods: null, phone: null, openNow: true });
    const gone = created<SupplyPoint>(await health.post('/api/health/supply-points', { site: site.code, name: '已停业菜店', openingHours: [{ days: weekdays, from: '00:00', to: '23:59' }] }));
    expect((await health.post(`/api/health/supply-points/${gone.id}/deactivate`, {})).json()).toMatchObject({ active: false, openNow: false, version: 2 });
    expect(errorOf(await health.post(`/api/health/supply-points/${gone.id}/deactivate`, {}))).toEqual([409, 'SUPPLY_POINT_INACTIVE']);

    const anonymous = t.anonymous();
    const at = async (iso: string) => {
      t.clock.set(new Date(iso));
      const res = await anonymous.get(`/api/public/supply-points?site=${site.code}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as PublicPoints;
    };
    try {
      const monday = await at('2026-03-02T01:00:00Z');
      expect(monday).toMatchObject({ localDate: '2026-03-02', localTime: '09:00', weekday: 1 });
      expect(monday.sites.map((g) => g.site)).toEqual([{ code: site.code, nameZh: '翠微小区', nameEn: 'Cuiwei' }]);
      expect(monday.sites[0]!.points).toHaveLength(2);
      expect(monday.sites[0]!.points).toEqual(
        expect.arrayContaining([
          { name: '夜间药店', location: null, goods: null, openingHours: [{ days: [7], from: '20:00', to: '10:00' }], phone: null, openNow: true },
          { name: '翠微超市', location: '3号楼底商', goods: '蔬菜、米面', openingHours: [{ days: weekdays, from: '08:00', to: '18:00' }], phone: '0351-1234567', openNow: true },
        ]),
      );
      const open = (p: PublicPoints) => Object.fromEntries(p.sites[0]!.points.map((x) => [x.name, x.openNow]));
      // Sunday's night window runs into Monday 10:00; the supermarket opens at 08:00 on weekdays.
      expect(open(monday)).toEqual({ 夜间药店: true, 翠微超市: true });
      expect(open(await at('2026-03-02T02:00:00Z'))).toEqual({ 夜间药店: false, 翠微超市: true }); // Monday 10:00
      expect(open(await at('2026-03-02T10:00:00Z'))).toEqual({ 夜间药店: false, 翠微超市: false }); // Monday 18:00
      expect(open(await at('2026-03-07T23:30:00Z'))).toEqual({ 夜间药店: false, 翠微超市: false }); // Sunday 07:30
      expect(open(await at('2026-03-08T12:00:00Z'))).toEqual({ 夜间药店: true, 翠微超市: false }); // Sunday 20:00
      expect(JSON.stringify(monday)).not.toContain('已停业菜店');
    } finally {
      t.clock.set(new Date('2026-03-02T01:00:00Z'));
    }
    expect(errorOf(await anonymous.get('/api/public/supply-points?site=NO-SUCH'))).toEqual([404, 'SITE_NOT_FOUND']);

    // Editing needs the version; the list follows the scope.
    const put = { name: '翠微超市（临时）', location: null, goods: '蔬菜', openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '07:00', to: '21:00' }], phone: null };
    expect((await health.put(`/api/health/supply-points/${shop.id}`, { ...put, version: 1 })).json()).toMatchObject({ name: '翠微超市（临时）', goods: '蔬菜', location: null, version: 2 });
    expect(errorOf(await health.put(`/api/health/supply-points/${shop.id}`, { ...put, version: 1 }))).toEqual([409, 'STALE_VERSION']);
    const log = await db().selectFrom('audit_log').select('changes').where('action', '=', 'supply-point.update').where('object_id', '=', shop.id).executeTakeFirstOrThrow();
    expect(log.changes).toMatchObject({ name: { old: '翠微超市', new: '翠微超市（临时）' }, location: { old: '3号楼底商', new: null } });
    const listed = ((await grid.get(`/api/health/supply-points?site=${site.code}&active=true`)).json() as { rows: SupplyPoint[] }).rows;
    expect(listed.map((p) => p.name).sort()).toEqual(['夜间药店', '翠微超市（临时）']);

    const outside = await db().insertInto('supply_points').values({ site_id: foreign.id, name: '外单位供应点', opening_hours: '[]' }).returning('id').executeTakeFirstOrThrow();
    expect(((await health.get('/api/health/supply-points')).json() as { rows: SupplyPoint[] }).rows.map((p) => p.id)).not.toContain(outside.id);
    expect(errorOf(await health.get(`/api/health/supply-points?site=${foreign.code}`))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(errorOf(await health.post('/api/health/supply-points', { site: foreign.code, name: 'x', openingHours: [] }))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(errorOf(await health.put(`/api/health/supply-points/${outside.id}`, { ...put, version: 1 }))).toEqual([404, 'SUPPLY_POINT_NOT_FOUND']);
    expect(errorOf(await health.post(`/api/health/supply-points/${outside.id}/deactivate`, {}))).toEqual([404, 'SUPPLY_POINT_NOT_FOUND']);
    expect(errorOf(await health.post('/api/health/supply-points', { site: site.code, name: 'x', openingHours: [{ days: [1, 1], from: '08:00', to: '09:00' }] }))).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('registers volunteers in scope with masked names, and changes them with their version', async () => {
    const person = await f.person({ name: '王小明', siteId: site.id });
    const v = created<Volunteer>(await health.post('/api/health/volunteers', { person: person.code, site: site.code, task: '卡口测温', available: '工作日晚上' }));
    expect(v).toMatchObject({ person: { code: person.code, name: '王**' }, site: { code: site.code }, task: '卡口测温', available: '工作日晚上', active: true, version: 1 });
    const rows = ((await grid.get(`/api/health/volunteers?site=${site.code}`)).json() as { rows: Volunteer[] }).rows;
    expect(rows.map((r) => r.id)).toEqual([v.id]);
    expect(JSON.stringify(rows)).not.toContain('王小明');

    const changed = await health.put(`/api/health/volunteers/${v.id}`, { task: '送菜上门', available: null, active: false, version: 1 });
    expect(changed.json()).toMatchObject({ task: '送菜上门', available: null, active: false, version: 2 });
    expect(errorOf(await health.put(`/api/health/volunteers/${v.id}`, { task: 'x', available: null, active: true, version: 1 }))).toEqual([409, 'STALE_VERSION']);
    expect(((await health.get('/api/health/volunteers?active=true')).json() as { rows: Volunteer[] }).rows.map((r) => r.id)).not.toContain(v.id);
    const log = await db().selectFrom('audit_log').select(['changes', 'details']).where('action', '=', 'volunteer.update').where('object_id', '=', v.id).executeTakeFirstOrThrow();
    expect(log).toEqual({ changes: { task: { old: '卡口测温', new: '送菜上门' }, available: { old: '工作日晚上', new: null }, active: { old: true, new: false } }, details: { person: person.code } });

    // Out of scope: a YH1 resident, a YH1 site, another unit's volunteer.
    const stranger = await f.person({ siteId: foreign.id });
    expect(errorOf(await health.post('/api/health/volunteers', { person: stranger.code, task: 'x' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await health.post('/api/health/volunteers', { person: person.code, site: foreign.code, task: 'x' }))).toEqual([404, 'SITE_NOT_FOUND']);
    const theirs = await db().insertInto('volunteers').values({ person_id: stranger.id, task: '外单位' }).returning('id').executeTakeFirstOrThrow();
    expect(errorOf(await health.put(`/api/health/volunteers/${theirs.id}`, { task: 'x', available: null, active: true, version: 1 }))).toEqual([404, 'VOLUNTEER_NOT_FOUND']);
    expect(((await health.get('/api/health/volunteers')).json() as { rows: Volunteer[] }).rows.map((r) => r.id)).not.toContain(theirs.id);
    expect(errorOf(await grid.post('/api/health/volunteers', { person: person.code, task: 'x' }))).toEqual([403, 'FORBIDDEN']);
  });
});
