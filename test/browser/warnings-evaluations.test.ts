import { describe, expect, it } from 'vitest';
import { chromiumPath, demoBrowser } from '../helpers/browser';

describe.skipIf(!chromiumPath)('warnings and evaluation journeys (Chromium)', { timeout: 120_000 }, () => {
  const web = demoBrowser('we');
  const { sessionOf, untilVisible } = web;


  it('the manager scans, sees firing target and control-chart warnings, and reads why', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/warnings`);
    await untilVisible(page, '目标预警');
    const scanned = page.waitForResponse((r) => r.url().endsWith('/api/warnings/scan'));
    await page.getByRole('button', { name: '立即扫描' }).click();
    const scan = await scanned;
    expect(scan.status()).toBe(200);
    const counts = (await scan.json()) as { firing: number; rules: number };
    expect(counts.firing).toBeGreaterThan(0);
    await untilVisible(page, new RegExp(`扫描完成：${counts.rules} 条规则`));

    // Only firing warnings of DJ1 (电解一厂).
    await page.locator('#warnings-state').click();
    await page.locator('.ant-select-item-option[title="触发中"]').click();
    await page.locator('#warnings-unit').fill('DJ1');
    const listed = page.waitForResponse((r) => r.url().includes('/api/warnings?') && r.url().includes('unit=DJ1'));
    await page.locator('.ant-select-tree-title').filter({ hasText: /^DJ1 / }).first().click();
    expect((await listed).status()).toBe(200);
    await untilVisible(page, '目标灯');

    const we1 = page.locator('tr.ant-table-row').filter({ hasText: 'DJ_DC_KWH_T' }).filter({ hasText: 'WE1' });
    await expect.poll(() => we1.count()).toBe(1);
    await expect.poll(() => we1.innerText()).toMatch(/2020-02/);
    await expect.poll(() => we1.innerText()).toMatch(/触发中/);
    await expect.poll(() => page.locator('tr.ant-table-row').filter({ hasText: 'TARGET' }).count()).toBeGreaterThan(0);

    // The explanation: the value against the control limits, in words, with the rule's definition.
    await we1.locator('.ant-table-row-expand-icon').click();
    await untilVisible(page, /2020-02 数值 [\d,.]+，中心线（均值）[\d,.]+，控制上限 [\d,.]+/);
    await untilVisible(page, /One point beyond 3σ/);
  });

  it('the evaluation of 2020-02 ranks YH2 first with grade A, and explains an item', async () => {
    const page = await sessionOf('manager');
    const answered = page.waitForResponse((r) => r.url().includes('/api/evaluations/results') && r.url().includes('scheme=2020-ALUMINA') && r.url().includes('period=2020-02'));
    await page.goto(`${web.url}/evaluations?scheme=2020-ALUMINA&period=2020-02`);
    const results = await answered;
    expect(results.status()).toBe(200);
    const body = (await results.json()) as { rows: { unit: string; rank: number | null; grade: string | null; items: { explanation: { arithmetic: string } | null }[] }[] };
    const yh2 = body.rows.find((row) => row.unit === 'YH2');
    expect(yh2).toMatchObject({ rank: 1, grade: 'A' });

    const row = page.locator('tr.ant-table-row').filter({ hasText: 'YH2' });
    await expect.poll(() => row.innerText()).toMatch(/^\s*1 \/ \d+/);
    await expect.poll(() => row.locator('.ant-tag').first().innerText()).toBe('A');
    await untilVisible(page, '得分排名');
    await expect.poll(() => page.getByRole('img', { name: '各单位得分排名条形图' }).locator('canvas').count()).toBeGreaterThan(0);

    await row.locator('.ant-table-row-expand-icon').click();
    const arithmetic = yh2!.items.find((item) => item.explanation)?.explanation?.arithmetic;
    expect(arithmetic).toBeTruthy();
    await untilVisible(page, arithmetic!);
  });
});
