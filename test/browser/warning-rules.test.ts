import { describe, expect, it } from 'vitest';
import { chromiumPath, confirmWith, demoBrowser, pickIn } from '../helpers/browser';

describe.skipIf(!chromiumPath)('warning rules (预警规则) in the browser (Chromium)', { timeout: 150_000 }, () => {
  const web = demoBrowser('wr');
  const { sessionOf, untilVisible } = web;

  it('the manager adds a DQ_STUCK rule for DJ1, edits its hold periods, sees the server refuse a bad value at the field, and disables it after confirming', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/warnings`);
    await page.getByRole('link', { name: '预警规则' }).click();
    await page.waitForURL((u) => u.pathname === '/warnings/rules');
    await untilVisible(page, '请选择一个指标查看它的预警规则。');

    const listed = page.waitForResponse((r) => r.url().includes('/api/warning-rules?indicator=DJ_AE_COEF'));
    await pickIn(page, page.locator('#warning-rules-indicator'), 'DJ_AE_COEF', { search: 'DJ_AE_COEF' });
    expect((await listed).status()).toBe(200);
    const rows = page.locator('tr.ant-table-row');
    await expect.poll(() => rows.filter({ hasText: 'DQ_RANGE' }).count()).toBe(1);
    await untilVisible(page, '数值超出指标的合理范围（0 … 1）。');

    // Add: DQ_STUCK, 3 months, only DJ1.
    await page.getByRole('button', { name: '新增规则' }).click();
    await untilVisible(page, '新增预警规则：阳极效应系数 (DJ_AE_COEF)');
    await pickIn(page, page.locator('#warningRule_code'), 'DQ_STUCK', { search: 'DQ_STUCK' });
    await page.locator('#warningRule_unit').fill('DJ1');
    await page.locator('.ant-select-tree-title').filter({ hasText: /^DJ1 / }).first().click();
    await page.locator('#warningRule_params_periods').fill('3');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/warning-rules') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '保存' }).click();
    const answer = await created;
    expect(answer.status()).toBe(201);
    expect(await answer.json()).toMatchObject({ code: 'DQ_STUCK', unit: 'DJ1', params: { periods: 3 }, holdPeriods: 1 });
    await untilVisible(page, '已新增规则 DQ_STUCK');
    await untilVisible(page, /预警每小时自动扫描一次/);

    const mine = rows.filter({ hasText: 'DQ_STUCK' }).filter({ hasText: 'DJ1' });
    await expect.poll(() => mine.count()).toBe(1);
    await expect.poll(() => mine.innerText()).toContain('连续 3 个月数值相同。');
    await expect.poll(() => mine.innerText()).toContain('1 个月');

    // Edit: 30 hold periods is refused by the server at the field; 2 is saved.
    await mine.getByRole('button', { name: '编辑规则 DQ_STUCK' }).click();
    await untilVisible(page, '编辑预警规则：DQ_STUCK');
    const hold = page.locator('#warningRule_holdPeriods');
    await hold.fill('30');
    const refused = page.waitForResponse((r) => r.url().includes('/api/warning-rules/') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: '保存' }).click();
    expect((await refused).status()).toBe(400);
    const holdItem = page.locator('.ant-form-item').filter({ has: hold });
    await expect.poll(() => holdItem.locator('.ant-form-item-explain-error').innerText()).toBe('不能大于 24');

    await hold.fill('2');
    const saved = page.waitForResponse((r) => r.url().includes('/api/warning-rules/') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: '保存' }).click();
    expect((await saved).status()).toBe(200);
    await untilVisible(page, '已保存规则 DQ_STUCK');
    await expect.poll(() => mine.innerText()).toContain('2 个月');

    // Disabling asks first.
    await mine.getByRole('switch', { name: '启用规则 DQ_STUCK' }).click();
    const confirm = page.locator('.ant-modal-confirm');
    await expect.poll(() => confirm.locator('.ant-modal-confirm-title').innerText()).toBe('停用此规则？');
    await expect.poll(() => confirm.innerText()).toContain('阳极效应系数 (DJ_AE_COEF) 的 DQ_STUCK 规则不再评估');
    const disabled = page.waitForResponse((r) => r.url().includes('/api/warning-rules/') && r.request().method() === 'PUT');
    await confirmWith(page, '停用');
    expect((await disabled).status()).toBe(200);
    await untilVisible(page, '已停用规则 DQ_STUCK');
    await expect.poll(() => mine.getByRole('switch').getAttribute('aria-checked')).toBe('false');
  });

  it('the viewer reads the rules without edit buttons', async () => {
    const page = await sessionOf('viewer');
    const listed = page.waitForResponse((r) => r.url().includes('/api/warning-rules?indicator=DJ_AE_COEF'));
    await page.goto(`${web.url}/warnings/rules?indicator=DJ_AE_COEF`);
    expect((await listed).status()).toBe(200);
    await untilVisible(page, '您可以查看预警规则；修改规则需要指标维护权限。');
    const rows = page.locator('tr.ant-table-row');
    await expect.poll(() => rows.filter({ hasText: 'DQ_RANGE' }).count()).toBe(1);
    await expect.poll(() => rows.filter({ hasText: 'DQ_STUCK' }).filter({ hasText: 'DJ1' }).count()).toBe(1);
    await untilVisible(page, '数值超出指标的合理范围（0 … 1）。');
    expect(await page.getByRole('button', { name: '新增规则' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^编辑规则/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^上移规则/ }).count()).toBe(0);
    const switches = page.getByRole('switch');
    await expect.poll(() => switches.count()).toBeGreaterThan(0);
    for (const s of await switches.all()) expect(await s.isDisabled()).toBe(true);
  });
});
