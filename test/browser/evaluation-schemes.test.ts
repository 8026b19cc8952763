import { describe, expect, it } from 'vitest';
import { chromiumPath, confirmWith, demoBrowser } from '../helpers/browser';

describe.skipIf(!chromiumPath)('scheme editor, cadres, history and control charts (Chromium)', { timeout: 120_000 }, () => {
  const web = demoBrowser('es');
  const { sessionOf, untilVisible } = web;

  it("the results show each plant head's coefficient, and a row opens the unit's history", async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/evaluations?scheme=2020-ALUMINA&period=2020-02`);
    await untilVisible(page, '干部系数');
    await untilVisible(page, '氧化铝二厂厂长');
    const row = page.locator('tr.ant-table-row').filter({ hasText: 'YH2' });
    const history = page.waitForResponse((r) => r.url().includes('/api/evaluations/history') && r.url().includes('unit=YH2'));
    await row.getByRole('button', { name: /考核历史/ }).click();
    expect((await history).status()).toBe(200);
    await untilVisible(page, /的考核历史/);
    await expect.poll(() => page.locator('.ant-drawer tr.ant-table-row').filter({ hasText: '2020-02' }).count()).toBeGreaterThan(0);
  });

  it('the scheme editor previews a score live and shows the server\'s problems at their fields', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/evaluations?scheme=2020-ALUMINA&tab=schemes`);
    await untilVisible(page, '考核项目');
    const water = page.locator('tr.ant-table-row').filter({ hasText: 'YH_WATER_T' });
    // 2.45 lies halfway between good (2.4, 80) and average (2.5, 60): 70.
    await water.getByPlaceholder('试算值').fill('2.45');
    await expect.poll(() => water.innerText()).toMatch(/得分 70/);
    // Good 2.2 is better than excellent 2.3: the tiers no longer run one way.
    await water.locator('.ant-form-item').filter({ hasText: '良好' }).locator('input').fill('2.2');
    await page.getByRole('button', { name: '保存方案' }).click();
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/evaluation-schemes/2020-ALUMINA') && r.request().method() === 'PUT');
    await confirmWith(page, '保存方案');
    expect((await saved).status()).toBe(422);
    await untilVisible(page, /方案有 \d+ 处问题/);
    await expect.poll(() => water.innerText()).toContain('五档标准值必须从优秀到较差单调排列');
  });

  it('the control chart explains the February 2020 signal of 电解一厂 in words', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/control-chart?unit=DJ1&indicator=DJ_DC_KWH_T&rules=WE1`);
    await untilVisible(page, '判异结果');
    await untilVisible(page, /2020-02：.*低于下控制限/);
    await expect.poll(() => page.getByRole('img', { name: /控制图/ }).locator('canvas').count()).toBeGreaterThan(0);
  });
});
