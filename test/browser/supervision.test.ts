import { describe, expect, it } from 'vitest';
import { chromiumPath, demoBrowser, pickIn } from '../helpers/browser';

/** A date `days` from today in Shanghai, YYYY-MM-DD. */
const inDays = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!chromiumPath)('supervision sheet (Chromium)', { timeout: 120_000 }, () => {
  const web = demoBrowser('sv');
  const { sessionOf, untilVisible } = web;

  it('the manager assigns an item to the clerk; the clerk sees it green with days left and accepts it', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/supervision`);
    await untilVisible(page, '紧急事项督办表');
    await page.getByRole('button', { name: '下达督办' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#supervision-assign-unit').fill('DJ1');
    await page.locator('.ant-select-tree-title').filter({ hasText: /^DJ1 / }).first().click();
    await dialog.getByLabel('督办事项').fill('浏览器测试：槽况排查');
    await pickIn(page, dialog.getByLabel('责任人'), 'E0002');
    const due = inDays(10);
    await dialog.getByLabel('完成时限').fill(due);
    await dialog.getByLabel('完成时限').press('Enter');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/supervision') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: '下达督办' }).click();
    expect((await created).status()).toBe(201);
    await untilVisible(page, '下达督办');

    const clerk = await sessionOf('clerk');
    await clerk.goto(`${web.url}/supervision`);
    const row = clerk.locator('tr.ant-table-row').filter({ hasText: '浏览器测试：槽况排查' });
    await expect.poll(() => row.innerText()).toMatch(/绿灯/);
    await expect.poll(() => row.innerText()).toMatch(/剩 10 天/);
    await row.getByRole('button', { name: /打开督办事项 #\d+/ }).click();
    await untilVisible(clerk, '办理过程');
    const accepted = clerk.waitForResponse((r) => r.url().includes('/transition'));
    await clerk.getByRole('button', { name: '接收' }).click();
    expect((await accepted).status()).toBe(200);
    await untilVisible(clerk, '开始办理');
    await expect.poll(() => clerk.locator('.ant-drawer').innerText()).toMatch(/已接收/);
  });
});
