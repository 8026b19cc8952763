import { describe, expect, it } from 'vitest';
import { chromiumPath, demoBrowser } from '../helpers/browser';

const meter = 'DJ1-P-ZZ-01';
const lastAt = Date.parse('2020-03-02T00:00:00+08:00');

describe.skipIf(!chromiumPath)('energy views (Chromium, small energy demo)', { timeout: 240_000 }, () => {
  const web = demoBrowser('en', { env: { PACESETTER_DEMO_ENERGY: 'small' } });
  const { signedIn, sessionOf, untilVisible } = web;

  it('the leader of 电解一厂 uploads readings (a duplicate, a conflict and a bad row), sees the counts, the rows and the meter’s consumption', async () => {
    const page = await signedIn('leader');
    // The demo meter's last stored reading (2020-03-02 00:00) and its multiplier.
    const stored = (await (await page.request.get(`${web.url}/api/energy/readings?meter=${meter}&from=2020-03-01&to=2020-03-02`)).json()) as { rows: { at: string; value: number }[] };
    const last = stored.rows.at(-1)!;
    expect(Date.parse(last.at)).toBe(lastAt);
    const before = stored.rows.at(-2)!;
    const { multiplier } = (await (await page.request.get(`${web.url}/api/energy/meters/${meter}`)).json()) as { multiplier: number };
    expect(multiplier).toBe(10);
    const v0 = last.value;
    const csv = [
      '表计编码,时间,读数',
      `${meter},2020-03-02 00:15,${(v0 + 5).toFixed(2)}`,
      `${meter},2020-03-02 00:30,${(v0 + 10).toFixed(2)}`,
      `${meter},2020-03-02 00:45,${(v0 + 15).toFixed(2)}`,
      `${meter},2020-03-02 01:00,${(v0 + 20).toFixed(2)}`,
      // A resend of the stored reading: a duplicate. Another value for a stored time: a conflict.
      `${meter},2020-03-02 00:00,${v0}`,
      `${meter},${new Date(Date.parse(before.at) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')},${before.value + 1}`,
      `${meter},2020-03-02 01:15,abc`,
    ].join('\n');

    await page.goto(`${web.url}/energy/readings/upload`);
    await untilVisible(page, '表计编码, 时间, 读数');
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/energy/readings/csv'));
    await page.locator('input[type=file]').setInputFiles({ name: 'readings.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const answer = await answered;
    expect(answer.status()).toBe(200);
    const body = (await answer.json()) as { accepted: number; duplicates: number; rejected: { row: number; message: string }[] };
    expect([body.accepted, body.duplicates, body.rejected.map((r) => r.row)]).toEqual([4, 1, [7, 8]]);
    const result = page.locator('.ant-card, .plain-card').filter({ hasText: '上传结果' });
    await expect.poll(() => result.innerText()).toMatch(/已接收\s*4/);
    const text = await result.innerText();
    expect(text).toMatch(/收到\s*7/);
    expect(text).toMatch(/重复\s*1/);
    expect(text).toMatch(/冲突\s*1/);
    expect(text).toMatch(/错误\s*1/);
    // The rejected rows with their file row and message.
    const badRow = result.locator('tr').filter({ hasText: 'finite number' });
    await expect.poll(() => badRow.innerText()).toMatch(/^8\s+错误/);
    await expect.poll(() => result.locator('tr').filter({ hasText: 'conflict' }).innerText()).toMatch(/^7\s+冲突/);

    // The meter's hour 00:00–01:00 of 2 March: four quarter-hours of 5 register units × 10.
    await page.goto(`${web.url}/energy/meters/${meter}?from=2020-03-02&to=2020-03-02&interval=hour`);
    await untilVisible(page, '1号混合炉');
    await expect.poll(() => page.getByText(/合计 [\d,]+ kWh/).first().innerText()).toBe(`合计 ${20 * multiplier} kWh`);
    await expect.poll(() => page.getByRole('tabpanel').locator('.ant-table-row').first().innerText()).toMatch(/^2020-03-02 00:00\s+200\s/);
    await page.getByRole('tab', { name: '原始读数' }).click();
    await expect.poll(() => page.getByRole('tabpanel').locator('.ant-table-row').count()).toBe(5);
    // Shown in Beijing time, whatever the browser's zone.
    expect(await page.getByRole('tabpanel').locator('.ant-table-row').last().innerText()).toMatch(/^2020-03-02 01:00:00\s/);

    // The exchange of 27 February (old register's final reading, new one's initial).
    await untilVisible(page, '换表记录');
    await expect.poll(() => page.locator('.ant-card, .plain-card').filter({ hasText: '换表记录' }).innerText()).toMatch(/2020-02-27 10:07:00\s+4,321,000\s+3\.2/);
  });

  it('the quality heatmap shows 电解一厂’s incomplete days, and the manager sees the stuck meter of 第二氧化铝厂 with its findings', async () => {
    const leader = await sessionOf('leader');
    await leader.goto(`${web.url}/energy/quality`);
    await expect.poll(() => leader.getByRole('img', { name: 'DJ1 数据质量热力图' }).count()).toBe(1);
    const flagged = leader.locator('.ant-card, .plain-card').filter({ hasText: '可疑或质量偏低的表计日' });
    await expect.poll(() => flagged.innerText()).toContain('完整率不足');
    // The leader may confirm a suspect day: the drawer offers it.
    await flagged.locator('.ant-table-row').first().click();
    await untilVisible(leader, '确认理由');

    const manager = await sessionOf('manager');
    await manager.goto(`${web.url}/energy/quality?unit=YH2&month=2020-02`);
    const stuck = manager.locator('.ant-card, .plain-card').filter({ hasText: '可疑或质量偏低的表计日' }).locator('.ant-table-row').filter({ hasText: 'YH2-W-03' }).filter({ hasText: '读数停滞' });
    await expect.poll(() => stuck.count()).toBeGreaterThan(0);
    const days = await stuck.allInnerTexts();
    expect(days.some((d) => d.includes('2020-02-21'))).toBe(true);
    await stuck.filter({ hasText: '2020-02-21' }).click();
    const drawer = manager.locator('.ant-drawer');
    await expect.poll(() => drawer.innerText()).toMatch(/读数停滞[\s\S]*个区间/);
    // The group manager does not enter data: no confirmation.
    expect(await drawer.getByText('确认理由').count()).toBe(0);
  });

  it('the dashboard shows the totals, the flows to the workshops and the per-tonne trends; the meter tree fits a phone', async () => {
    const page = await sessionOf('leader');
    await page.goto(`${web.url}/energy`);
    await untilVisible(page, '各单位能耗');
    await expect.poll(() => page.locator('.ant-card, .plain-card').filter({ hasText: '各单位能耗' }).innerText()).toMatch(/电解一厂[\s\S]*kWh/);
    await expect.poll(() => page.getByRole('img', { name: /能流图/ }).count()).toBe(1);
    await untilVisible(page, /单耗趋势/);

    const phone = await sessionOf('leader', { width: 390, height: 844 });
    await phone.goto(`${web.url}/energy/meters`);
    await untilVisible(phone, 'DJ1-AIR-MAIN');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(1);
  });

  it('the leader opens the compressed-air leak in the anomaly list and sees its evidence: baseline, R² and the CUSUM over its threshold', async () => {
    const page = await sessionOf('leader');
    await page.goto(`${web.url}/energy/anomalies`);
    const row = page.locator('.ant-table-row').filter({ hasText: '基线漂移' }).filter({ hasText: /DJ1-AIR/ });
    await expect.poll(() => row.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await row.first().getByText('查看证据').click();
    const drawer = page.locator('.ant-drawer');
    await expect.poll(() => drawer.getByTestId('baseline').innerText()).toMatch(/能耗 = [\d.,]+ × 产量 \+ [\d.,-]+ · R² = 0\.\d+/);
    await expect.poll(() => drawer.getByRole('img', { name: /异常证据图/ }).count()).toBe(1);
    expect(await drawer.innerText()).toContain('CUSUM 阈值');

    // The warning notice (预警通报) reached the unit's leader: the bell leads to the same evidence,
    // and the evidence to the problem the anomaly raised.
    const fresh = await signedIn('leader');
    const bell = fresh.getByRole('button', { name: /通知：\d+ 条未读/ });
    await bell.click();
    await fresh.locator('.ant-popover').getByText(/预警通报/).first().click();
    await fresh.waitForURL(/\/energy\/anomalies\?id=/);
    const evidence = fresh.locator('.ant-drawer');
    await expect.poll(() => evidence.getByTestId('baseline').innerText()).toMatch(/R² = 0\.\d+/);
    await evidence.getByRole('link', { name: '查看问题' }).click();
    await fresh.waitForURL(/\/problems\?id=/);
    await expect.poll(() => fresh.locator('.ant-drawer-title').innerText()).toMatch(/^#\d+ .*(电解一厂|DJ1)/);
  });
});
