import { describe, expect, it } from 'vitest';
import { chromiumPath, demoBrowser, pickIn } from '../helpers/browser';

describe.skipIf(!chromiumPath)('energy data-quality warning (Chromium, small energy demo)', { timeout: 240_000 }, () => {
  const web = demoBrowser('enq', { env: { PACESETTER_DEMO_ENERGY: 'small' } });
  const { sessionOf, untilVisible } = web;

  it('the group manager opens 第二氧化铝厂’s EN_QUALITY warning: the stuck meter, its days and fault, and the way to the heatmap', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/energy/anomalies?unit=YH2`);
    const row = page.locator('.ant-table-row').filter({ hasText: '数据质量' });
    await expect.poll(() => row.count(), { timeout: 60_000 }).toBe(1);
    expect(await row.innerText()).toContain('YH2-W-03（读数停滞 EQ_STUCK，2020-02-20…2020-02-22）');
    await row.getByText('查看证据').click();
    const drawer = page.locator('.ant-drawer');
    await untilVisible(page, '可疑数据待确认的表计');
    const meter = drawer.locator('.ant-table-row').filter({ hasText: 'YH2-W-03' });
    await expect.poll(() => meter.innerText()).toMatch(/2020-02-20、2020-02-21、2020-02-22\s+读数停滞/);
    expect(await meter.getByRole('link').getAttribute('href')).toBe('/energy/meters/YH2-W-03');
    const heatmap = drawer.getByRole('link', { name: '在数据质量热力图中查看并确认' });
    expect(await heatmap.getAttribute('href')).toBe('/energy/quality?unit=YH2&month=2020-02');
    await heatmap.click();
    await page.waitForURL(/\/energy\/quality\?unit=YH2&month=2020-02$/);
  });

  it('the rules editor adds an EN_QUALITY rule: the unit is required, the days checked default to 31, the rule is said in words', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/warnings/rules`);
    await untilVisible(page, '请选择一个指标查看它的预警规则。');
    await pickIn(page, page.locator('#warning-rules-indicator'), 'YH_POWER_KWH', { search: 'YH_POWER_KWH' });
    const rows = page.locator('tr.ant-table-row');
    // The demo's rule for 第二氧化铝厂.
    await expect.poll(() => rows.filter({ hasText: 'EN_QUALITY' }).filter({ hasText: 'YH2' }).count()).toBe(1);
    await expect.poll(() => rows.filter({ hasText: 'EN_QUALITY' }).first().innerText()).toContain('最近 31 个有数据的日子');

    await page.getByRole('button', { name: '新增规则' }).click();
    await pickIn(page, page.locator('#warningRule_code'), 'EN_QUALITY', { search: 'EN_QUALITY' });
    await expect.poll(() => page.locator('#warningRule_params_lookbackDays').inputValue()).toBe('31');
    await page.locator('#warningRule_params_lookbackDays').fill('14');
    // Without a unit the form refuses before the server does.
    await page.getByRole('button', { name: '保存' }).click();
    await untilVisible(page, '数据质量预警须选定单位（检查该单位及下级单位的表计）。');
    await page.locator('#warningRule_unit').fill('YH1');
    await page.locator('.ant-select-tree-title').filter({ hasText: /^YH1 / }).first().click();
    const created = page.waitForResponse((r) => r.url().endsWith('/api/warning-rules') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '保存' }).click();
    const answer = await created;
    expect(answer.status()).toBe(201);
    expect(await answer.json()).toMatchObject({ code: 'EN_QUALITY', unit: 'YH1', params: { lookbackDays: 14 } });
    await expect.poll(() => rows.filter({ hasText: 'EN_QUALITY' }).filter({ hasText: 'YH1' }).innerText()).toContain('最近 14 个有数据的日子');
  });
});
