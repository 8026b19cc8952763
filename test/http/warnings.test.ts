import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJob } from '../../src/server/jobs/jobs';
import type { Scorecard } from '../../src/server/modules/scorecard/scorecard.schemas';
import type { ScanResult, Warning, WarningRule } from '../../src/server/modules/warnings/warnings.schemas';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

describe.each(engines)('warnings on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    manager = await t.login('manager');
  });
  afterAll(() => t?.close());

  async function scan(): Promise<ScanResult> {
    const res = await manager.post('/api/warnings/scan');
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  async function warnings(client: Client, query = ''): Promise<Warning[]> {
    const res = await client.get(`/api/warnings${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { rows: Warning[] }).rows;
  }
  const find = (rows: Warning[], unit: string, indicator: string, rule: string) => rows.find((w) => w.unit === unit && w.indicator === indicator && w.rule === rule);
  /** The warnings table and the suspect flags, as stored. */
  const snapshot = async () => ({
    warnings: await t.deps.database.db.selectFrom('warnings').selectAll().orderBy('id').execute(),
    suspect: (await t.deps.database.db.selectFrom('measurements').select('id').where('suspect', '=', true).orderBy('id').execute()).map((r) => r.id),
  });
  async function rankOf(unit: string, indicator: string, period: string) {
    const s = (await manager.get(`/api/scorecard?unit=${unit}&period=${period}`)).json() as Scorecard;
    return s.rows.find((r) => r.indicator === indicator)!;
  }
  const suspectOf = async (unit: string, indicator: string, period: string) =>
    (
      await t.deps.database.db
        .selectFrom('measurements as m')
        .innerJoin('units as u', 'u.id', 'm.unit_id')
        .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
        .select('m.suspect')
        .where('u.code', '=', unit)
        .where('i.code', '=', indicator)
        .where('m.period', '=', period)
        .executeTakeFirstOrThrow()
    ).suspect;

  it('the demo scan fires warnings of several codes, each explained by its facts', async () => {
    expect(await warnings(manager)).toEqual([]);
    const first = await scan();
    expect(first).toMatchObject({ updated: 0, unchanged: 0 });
    expect(first.created).toBeGreaterThan(50);
    expect(first.firing).toBeGreaterThan(20);
    const firing = await warnings(manager, '?state=firing');
    expect(new Set(firing.map((w) => w.rule))).toEqual(new Set(['TARGET', 'GAP_WIDENING', 'WE1', 'WE2', 'N2', 'DQ_MISSING']));

    // 电解一厂's DC power per tonne fell below its lower control limit in February 2020 (lower is better).
    const we1 = find(firing, 'DJ1', 'DJ_DC_KWH_T', 'WE1')!;
    expect(we1).toMatchObject({ state: 'firing', period: '2020-02', since: '2020-02-29T16:00:00.000Z', facts: { rule: 'WE1', side: 'below', favourable: true, points: ['2020-02'], baseline: '2017-01…2018-12' } });
    expect(we1.facts.definition).toMatch(/^One point beyond 3σ/);
    expect(we1.facts.value as number).toBeLessThan(we1.facts.lcl as number);
    expect(we1.facts.lcl as number).toBeCloseTo((we1.facts.mean as number) - 2.66 * (we1.facts.mrBar as number), 6);

    // Its March is not reported, and the deadline (10 April, Asia/Shanghai) has long passed.
    expect(find(firing, 'DJ1', 'DJ_AL_OUT', 'DQ_MISSING')).toMatchObject({ period: '2020-03', facts: { rule: 'DQ_MISSING', deadline: '2020-04-09T16:00:00.000Z', reported: false } });
    // No lost-time injuries month after month is a fact, not stuck data: the demo has no such rule for it.
    expect(find(firing, 'AQHB', 'AQ_LOST_TIME', 'DQ_STUCK')).toBeUndefined();
    expect(await suspectOf('AQHB', 'AQ_LOST_TIME', '2020-03')).toBe(false);
    // The gap to the benchmark got worse three months running.
    const gap = find(firing, 'JA', 'JA_OUTPUT_PER_HEAD', 'GAP_WIDENING')!;
    const gaps = gap.facts.gaps as number[];
    expect(gaps).toHaveLength(4);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeLessThan(gaps[i - 1]!);
    expect(gap.facts).toMatchObject({ benchmark: 'SXGF', required: 3 });
    // A red light without a measure: worse than the floor.
    const red = firing.find((w) => w.rule === 'TARGET')!;
    expect(red.facts).toMatchObject({ light: 'red', matched: 'any', measure: false });
    expect(red.facts.definition).toMatch(/green when the target is attained; yellow at or beyond the floor; red otherwise/);
    expect(red.facts.value).not.toBeNull();
    expect(red.facts.floor).not.toBeNull();
    // Each notice went out once (to the log, for now).
    expect(first.notified).toBe(first.firing);
    expect(t.logs.filter((l) => l.includes('"warning notice"')).length).toBe(first.notified);
  });

  it('scanning again, or by the hourly job, creates no duplicate and changes nothing', async () => {
    const before = await snapshot();
    // No body at all is as good as {}.
    const res = await manager.request('POST', '/api/warnings/scan');
    expect(res.statusCode, res.body).toBe(200);
    const again = res.json() as ScanResult;
    expect(again).toMatchObject({ created: 0, updated: 0, suspectMarked: 0, notified: 0 });
    expect(again.unchanged).toBe(before.warnings.length);
    const job = findJob('warnings-scan')!;
    expect(job.schedule).toBe('5 * * * *');
    expect(await job.run(t.deps, t.clock.now())).toMatchObject({ created: 0, updated: 0, suspectMarked: 0 });
    expect(await snapshot()).toEqual(before);
    const keys = before.warnings.map((w) => `${w.rule_id}/${w.unit_id}/${w.indicator_id}`);
    expect(new Set(keys).size).toBe(keys.length);
    // The scan asked for by a user is audited, the job's only when it changed something.
    const scans = await t.deps.database.db.selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'warning.scan').orderBy('seq').execute();
    expect(scans.map((s) => [s.actor_username, s.details?.reason])).toEqual([['manager', 'manual'], ['manager', 'manual']]);
  });

  it('DQ_MISSING waits for the reporting deadline: the 10th of the following month, Asia/Shanghai', async () => {
    const job = findJob('warnings-scan')!;
    const missing = async () => find(await warnings(manager, '?unit=DJ1&indicator=DJ_CURRENT_EFF'), 'DJ1', 'DJ_CURRENT_EFF', 'DQ_MISSING')!;
    await job.run(t.deps, t.clock.now());
    expect(await missing()).toMatchObject({ state: 'firing', period: '2020-03', facts: { period: '2020-03', reported: false } });
    // 9 April 2020, 20:00 in Shanghai: March is not due yet, and February was reported.
    await job.run(t.deps, new Date('2020-04-09T12:00:00Z'));
    expect(await missing()).toMatchObject({ state: 'resolved', period: '2020-02' });
    // 11 April, 08:00 in Shanghai: March is overdue.
    await job.run(t.deps, new Date('2020-04-11T00:00:00Z'));
    expect(await missing()).toMatchObject({ state: 'firing', period: '2020-03', since: '2020-04-09T16:00:00.000Z', facts: { deadline: '2020-04-09T16:00:00.000Z', overdueDays: 1 } });
    // Back to the test clock.
    await job.run(t.deps, t.clock.now());
    expect((await missing()).facts).toMatchObject({ period: '2020-03', overdueDays: Math.floor((t.clock.now().getTime() - Date.parse('2020-04-09T16:00:00Z')) / 86_400_000) });
  });

  it('scope: the DJ1 clerk sees only DJ1, the leader DJ1 and below, the viewer every unit', async () => {
    const clerk = await t.login('clerk');
    const own = await warnings(clerk);
    expect(own.length).toBeGreaterThan(5);
    expect(new Set(own.map((w) => w.unit))).toEqual(new Set(['DJ1']));
    const foreign = await clerk.get('/api/warnings?unit=YH1');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('UNIT_NOT_FOUND');
    expect((await warnings(await t.login('leader'))).every((w) => w.unit.startsWith('DJ1'))).toBe(true);
    const all = await warnings(await t.login('viewer'));
    expect(new Set(all.map((w) => w.unit)).size).toBeGreaterThan(5);
    expect(all.length).toBeGreaterThan(own.length);
    // Filters combine.
    expect((await warnings(clerk, '?indicator=DJ_DC_KWH_T&state=firing')).map((w) => w.rule).sort()).toEqual(['WE1', 'WE2']);
  });

  it('a DQ_RANGE warning holds the value back from ranks until the unit confirms it (audited)', async () => {
    // Two Bayer plants ranked on alumina output in February 2020.
    const [a, b] = [await rankOf('YH1', 'YH_AO_OUT', '2020-02'), await rankOf('YH2', 'YH_AO_OUT', '2020-02')];
    expect([a.rankOf, b.rankOf]).toEqual([2, 2]);
    const [hi, lo] = a.actual! > b.actual! ? (['YH1', 'YH2'] as const) : (['YH2', 'YH1'] as const);
    const low = Math.min(a.actual!, b.actual!);
    // The reasonable range is tightened to the lower plant's figure: the higher one is now outside.
    const ind = (await manager.get('/api/indicators/YH_AO_OUT')).json() as { version: number };
    expect((await manager.patch('/api/indicators/YH_AO_OUT', { version: ind.version, rangeMax: low })).statusCode).toBe(200);
    const result = await scan();
    expect(result.suspectMarked).toBeGreaterThan(0);
    const w = find(await warnings(manager, `?unit=${hi}&indicator=YH_AO_OUT&state=firing`), hi, 'YH_AO_OUT', 'DQ_RANGE')!;
    expect(w.suspectPeriods).toContain('2020-02');
    expect(w.facts).toMatchObject({ rule: 'DQ_RANGE', max: low, bound: low, side: 'above' });
    expect(await suspectOf(hi, 'YH_AO_OUT', '2020-02')).toBe(true);
    expect(await suspectOf(lo, 'YH_AO_OUT', '2020-02')).toBe(false);
    expect(await rankOf(hi, 'YH_AO_OUT', '2020-02')).toMatchObject({ rank: null, rankOf: 1 });
    expect(await rankOf(lo, 'YH_AO_OUT', '2020-02')).toMatchObject({ rank: 1, rankOf: 1 });

    // The DJ1 clerk may enter data, but not for that plant: the warning does not exist for it.
    const clerk = await t.login('clerk');
    const outside = await clerk.post(`/api/warnings/${w.id}/confirm`, { reason: '核实', version: w.version });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.code).toBe('WARNING_NOT_FOUND');
    // A statistician of the plant confirms, with a reason.
    const admin = await t.login('admin');
    const units = (await admin.get('/api/units')).json().items as { id: string; code: string }[];
    const created = await admin.post('/api/users', { username: `stat.${hi.toLowerCase()}`, displayName: '氧化铝厂统计员', unitId: units.find((u) => u.code === hi)!.id, roleCodes: ['unit-clerk'], password: 'Start#2026x' });
    expect(created.statusCode, created.body).toBe(201);
    const stat = await t.login(`stat.${hi.toLowerCase()}`, 'Start#2026x');
    expect((await stat.put('/api/auth/password', { currentPassword: 'Start#2026x', newPassword: 'Stat#2026pw!' })).statusCode).toBe(204);
    expect((await stat.post(`/api/warnings/${w.id}/confirm`, { reason: '', version: w.version })).statusCode).toBe(400);
    const stale = await stat.post(`/api/warnings/${w.id}/confirm`, { reason: '产量核实无误', version: w.version + 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const confirmed = await stat.post(`/api/warnings/${w.id}/confirm`, { reason: '产量核实无误', version: w.version });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ id: w.id, state: 'resolved', suspectPeriods: [], confirmedBy: `stat.${hi.toLowerCase()}`, confirmedReason: '产量核实无误', version: w.version + 1 });
    expect(await suspectOf(hi, 'YH_AO_OUT', '2020-02')).toBe(false);
    expect(await rankOf(hi, 'YH_AO_OUT', '2020-02')).toMatchObject({ rank: a.actual! > b.actual! ? a.rank : b.rank, rankOf: 2 });
    const row = await t.deps.database.db.selectFrom('audit_log').select(['actor_username', 'changes', 'details']).where('action', '=', 'warning.confirm').where('object_id', '=', w.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_username: `stat.${hi.toLowerCase()}`, changes: { state: { old: 'firing', new: 'resolved' } }, details: { reason: '产量核实无误', rule: 'DQ_RANGE', unit: hi } });
    // Confirmed values are not flagged again while they stay the same.
    const after = await scan();
    expect(after.suspectMarked).toBe(0);
    expect(find(await warnings(manager, `?unit=${hi}&indicator=YH_AO_OUT`), hi, 'YH_AO_OUT', 'DQ_RANGE')).toMatchObject({ state: 'resolved', confirmedReason: '产量核实无误' });
    expect(await suspectOf(hi, 'YH_AO_OUT', '2020-02')).toBe(false);
    // Only data-quality warnings hold values back, so only they can be confirmed.
    const chart = find(await warnings(manager, '?unit=DJ1&indicator=DJ_DC_KWH_T'), 'DJ1', 'DJ_DC_KWH_T', 'WE1')!;
    const refused = await (await t.login('leader')).post(`/api/warnings/${chart.id}/confirm`, { reason: 'x', version: chart.version });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('WARNING_NOT_CONFIRMABLE');
  });

  it('an approval runs the scan; a corrected value re-evaluated resolves its warning', async () => {
    const clerk = await t.login('clerk');
    const leader = await t.login('leader');
    const saved = await clerk.put('/api/entry', { unit: 'DJ1', period: '2020-03', values: [{ indicator: 'DJ_AL_OUT', value: 45_000, note: '新系列投产' }] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await clerk.post('/api/entry/submit', { unit: 'DJ1', period: '2020-03' })).statusCode).toBe(200);
    expect((await leader.post('/api/entry/approve', { unit: 'DJ1', period: '2020-03' })).statusCode).toBe(200);
    // No explicit scan: the approval ran it once committed.
    const rows = await warnings(clerk, '?indicator=DJ_AL_OUT');
    expect(find(rows, 'DJ1', 'DJ_AL_OUT', 'DQ_RANGE')).toMatchObject({ state: 'firing', period: '2020-03', suspectPeriods: ['2020-03'], facts: { value: 45_000, max: 40_000 } });
    expect(find(rows, 'DJ1', 'DJ_AL_OUT', 'DQ_MISSING')).toMatchObject({ state: 'resolved' });
    const scans = await t.deps.database.db.selectFrom('audit_log').select(['details']).where('action', '=', 'warning.scan').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(scans.details).toMatchObject({ reason: 'measurement.approve' });

    // The value was a typo: reopened, corrected, approved again.
    expect((await leader.post('/api/entry/reopen', { unit: 'DJ1', period: '2020-03', reason: '产量录入错误' })).statusCode).toBe(200);
    expect((await clerk.put('/api/entry', { unit: 'DJ1', period: '2020-03', values: [{ indicator: 'DJ_AL_OUT', value: 21_500, note: '更正录入错误' }] })).statusCode).toBe(200);
    expect((await clerk.post('/api/entry/submit', { unit: 'DJ1', period: '2020-03' })).statusCode).toBe(200);
    expect((await leader.post('/api/entry/approve', { unit: 'DJ1', period: '2020-03' })).statusCode).toBe(200);
    expect(find(await warnings(clerk, '?indicator=DJ_AL_OUT'), 'DJ1', 'DJ_AL_OUT', 'DQ_RANGE')).toMatchObject({ state: 'resolved', suspectPeriods: [], confirmedBy: null });
    expect(await suspectOf('DJ1', 'DJ_AL_OUT', '2020-03')).toBe(false);
  });

  it('hold periods delay firing: pending for the first month, firing once it held for two', async () => {
    const rules = ((await manager.get('/api/warning-rules?indicator=DJ_AE_COEF')).json() as { items: WarningRule[] }).items;
    const range = rules.find((r) => r.code === 'DQ_RANGE' && r.unit === null)!;
    const put = await manager.put(`/api/warning-rules/${range.id}`, { version: range.version, code: 'DQ_RANGE', params: {}, holdPeriods: 2 });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ holdPeriods: 2, version: range.version + 1, definition: expect.stringContaining('reasonable range') });

    const clerk = await t.login('clerk');
    const leader = await t.login('leader');
    const report = async (period: string, value: number) => {
      expect((await clerk.put('/api/entry', { unit: 'DJ1', period, values: [{ indicator: 'DJ_AE_COEF', value, note: '效应频发，待查' }] })).statusCode).toBe(200);
      expect((await clerk.post('/api/entry/submit', { unit: 'DJ1', period })).statusCode).toBe(200);
      expect((await leader.post('/api/entry/approve', { unit: 'DJ1', period })).statusCode).toBe(200);
      return find(await warnings(clerk, '?indicator=DJ_AE_COEF&state=' + (period === '2020-04' ? 'pending' : 'firing')), 'DJ1', 'DJ_AE_COEF', 'DQ_RANGE');
    };
    expect(await report('2020-04', 1.5)).toMatchObject({ state: 'pending', period: '2020-04', suspectPeriods: [], facts: { value: 1.5, max: 1 } });
    const firing = await report('2020-05', 1.6);
    expect(firing).toMatchObject({ state: 'firing', period: '2020-05', since: '2020-05-31T16:00:00.000Z', facts: { value: 1.6, max: 1 } });
    expect(firing!.suspectPeriods).toEqual(['2020-05']);

    // A disabled rule's warning is resolved by the next scan; its suspect value waits for confirmation.
    const current = ((await manager.get('/api/warning-rules?indicator=DJ_AE_COEF')).json() as { items: WarningRule[] }).items.find((r) => r.id === range.id)!;
    expect((await manager.put(`/api/warning-rules/${range.id}`, { version: current.version, code: 'DQ_RANGE', holdPeriods: 2, enabled: false })).json()).toMatchObject({ enabled: false });
    await scan();
    const retired = find(await warnings(clerk, '?indicator=DJ_AE_COEF&state=resolved'), 'DJ1', 'DJ_AE_COEF', 'DQ_RANGE')!;
    expect(retired).toMatchObject({ suspectPeriods: ['2020-05'], facts: { retired: expect.stringContaining('disabled') } });
    expect((await scan()).updated).toBe(0);
  });

  it('refuses bad rules with the field and a clear message (400), or the reason they do not fit (422)', async () => {
    const post = (body: object) => manager.post('/api/warning-rules', body);
    const stuck = await post({ indicator: 'DJ_AE_COEF', code: 'DQ_STUCK', params: { periods: 1 } });
    expect(stuck.statusCode).toBe(400);
    expect(stuck.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'body/params/periods', message: expect.stringMatching(/>=2/) })] });
    const unknownCode = await post({ indicator: 'DJ_AE_COEF', code: 'WE9' });
    expect(unknownCode.statusCode).toBe(400);
    expect(JSON.stringify(unknownCode.json().error.details)).toMatch(/WE1/);
    const extra = await post({ indicator: 'DJ_AE_COEF', code: 'WE1', params: { baselineMonths: 24, k: 3 } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.details).toEqual([expect.objectContaining({ path: 'body/params', keys: ['k'] })]);
    const colour = await post({ indicator: 'DJ_AE_COEF', code: 'TARGET', params: { lights: [{ light: 'blue', when: 'any' }] } });
    expect(colour.statusCode).toBe(400);
    expect(colour.json().error.details[0].path).toBe('body/params/lights/0/light');
    const mute = await post({ indicator: 'DJ_AE_COEF', code: 'DQ_STUCK', mute: [{ from: '2026-04-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }] });
    expect(mute.statusCode).toBe(400);
    expect(JSON.stringify(mute.json().error.details)).toMatch(/a mute window ends after it starts/);

    const noRange = await post({ indicator: 'DJ_DC_KWH_T', code: 'DQ_RANGE' });
    expect(noRange.statusCode).toBe(422);
    expect(noRange.json().error).toMatchObject({ code: 'WARNING_RULE_INVALID', message: expect.stringMatching(/DJ_DC_KWH_T has no reasonable range/) });
    expect((await post({ indicator: 'DJ_DC_KWH_T', code: 'DQ_MISSING' })).json().error.code).toBe('WARNING_RULE_INVALID');
    expect((await post({ indicator: 'NOPE', code: 'DQ_STUCK' })).json().error.code).toBe('INDICATOR_NOT_FOUND');
    expect((await post({ indicator: 'YH_AO_OUT', unit: 'DJ1', code: 'DQ_STUCK' })).json().error.code).toBe('INDICATOR_NOT_ASSIGNED');
    expect((await (await t.login('clerk')).post('/api/warning-rules', { indicator: 'DJ_AE_COEF', code: 'DQ_STUCK' })).statusCode).toBe(403);

    const made = await post({ indicator: 'DJ_CURRENT_EFF', unit: 'DJ1', code: 'N3', params: { baselineMonths: 12 } });
    expect(made.statusCode, made.body).toBe(201);
    const rule = made.json() as WarningRule;
    expect(rule).toMatchObject({ code: 'N3', params: { baselineMonths: 12, baselineFrom: null, screenRanges: false }, definition: expect.stringMatching(/^Six points in a row/) });
    const other = await manager.put(`/api/warning-rules/${rule.id}`, { version: rule.version, code: 'N4', params: {} });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('WARNING_RULE_CODE_FIXED');
    expect((await manager.put(`/api/warning-rules/${rule.id}`, { version: rule.version + 5, code: 'N3', params: {} })).statusCode).toBe(409);
    const audits = await t.deps.database.db.selectFrom('audit_log').select(['action', 'changes']).where('object_id', '=', rule.id).execute();
    expect(audits).toEqual([{ action: 'warning_rule.create', changes: expect.objectContaining({ code: { new: 'N3' }, unit: { new: 'DJ1' } }) }]);
  });
  it("an approver's own save is approved at once and runs the scan too", async () => {
    const leader = await t.login('leader');
    const saved = await leader.put('/api/entry', { unit: 'DJ1', period: '2020-08', values: [{ indicator: 'DJ_AL_OUT', value: 46_000, note: '新系列投产' }] });
    expect(saved.statusCode, saved.body).toBe(200);
    // No submit, no approve, no explicit scan.
    const scans = await t.deps.database.db.selectFrom('audit_log').select(['details']).where('action', '=', 'warning.scan').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(scans.details).toMatchObject({ reason: 'measurement.approve' });
    expect(find(await warnings(leader, '?indicator=DJ_AL_OUT'), 'DJ1', 'DJ_AL_OUT', 'DQ_RANGE')).toMatchObject({ state: 'firing', period: '2020-08', facts: { value: 46_000 } });
  });
});
