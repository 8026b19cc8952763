import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumPath, confirmWith, demoBrowser, pickIn } from '../helpers/browser';

describe.skipIf(!chromiumPath)('benchmark library and selections (Chromium)', { timeout: 120_000 }, () => {
  const web = demoBrowser('bl');
  const { sessionOf, untilVisible } = web;

  const expandRow = (page: Page, name: string | RegExp) => page.getByRole('row', { name }).first().locator('.ant-table-row-expand-icon').click();

  it('the library lists the national standard and peer values; a new benchmark gets a value', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/benchmarks`);
    await untilVisible(page, 'GB 21346-2013 先进值');
    await untilVisible(page, '行业先进');

    // Filtering by kind leaves the three grades of GB 21346 among the industry benchmarks, and no peer.
    await pickIn(page, page.getByRole('combobox', { name: '标杆类型' }), '行业先进');
    await expect.poll(() => page.getByRole('row', { name: /GB21346-/ }).count()).toBe(3);
    expect(await page.getByRole('row', { name: /中州分公司/ }).count()).toBe(0);
    await pickIn(page, page.getByRole('combobox', { name: '标杆类型' }), '对标单位');

    // 中州分公司's power per tonne of alumina, in kWh/t with the indicator's one decimal.
    await expandRow(page, /中州分公司/);
    await untilVisible(page, '吨氧化铝电耗');
    await untilVisible(page, '252.0');
    await untilVisible(page, '244.0');

    await page.getByRole('button', { name: '新增标杆' }).click();
    const create = page.getByRole('dialog');
    await create.getByLabel('标杆编码').fill('WORLD-AO');
    await create.getByLabel('中文名称').fill('世界一流氧化铝企业');
    await pickIn(page, create.getByRole('combobox', { name: '标杆类型' }), '世界一流');
    await create.getByLabel('来源').fill('国际铝协（演示）');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/benchmarks') && r.request().method() === 'POST');
    await create.getByRole('button', { name: /保\s*存/ }).click();
    const createdAnswer = await created;
    expect(createdAnswer.status()).toBe(201);
    expect(await createdAnswer.json()).toMatchObject({ code: 'WORLD-AO', kind: 'world', nameZh: '世界一流氧化铝企业', values: [] });

    // The values dialog follows at once.
    // (Dialogs are found by their text: a build made under vitest has NODE_ENV=test, where antd's
    // generated ids, and so aria-labelledby, are all the same.)
    const values = page.getByRole('dialog').filter({ hasText: '编辑标杆值' });
    await expect.poll(() => values.isVisible()).toBe(true);
    await pickIn(page, values.getByLabel('指标'), 'YH_POWER_KWH_T', { search: 'YH_POWER_KWH_T' });
    await values.getByLabel('期间').fill('2020');
    await values.getByLabel('标杆值').fill('230.5');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/benchmarks/WORLD-AO/values') && r.request().method() === 'PUT');
    await values.getByRole('button', { name: /保\s*存/ }).click();
    expect((await saved).status()).toBe(200);
    await untilVisible(page, '已保存 1 项标杆值');

    await pickIn(page, page.getByRole('combobox', { name: '标杆类型' }), '世界一流');
    await expect.poll(() => page.getByRole('row', { name: /WORLD-AO/ }).count()).toBe(1);
    await expandRow(page, /WORLD-AO/);
    await untilVisible(page, '230.5');
    await untilVisible(page, '国际铝协（演示）');
  });

  it('two 口径 are declared comparable after a confirmation', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/benchmarks?tab=comparable`);
    await untilVisible(page, '还没有声明可比的口径');
    await page.getByLabel('口径 A').fill('AC');
    await page.getByLabel('口径 B').fill('AC');
    await page.getByRole('button', { name: '声明可比' }).click();
    await untilVisible(page, '请选择两个不同的口径');

    await page.getByLabel('口径 B').fill('DC');
    await page.getByRole('button', { name: '声明可比' }).click();
    const confirm = page.getByRole('dialog').filter({ hasText: '确认声明口径可比？' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    const declared = page.waitForResponse((r) => r.url().endsWith('/api/comparable-scopes') && r.request().method() === 'POST');
    await confirmWith(page, '声明可比');
    expect((await declared).status()).toBe(200);
    await untilVisible(page, '已声明 AC 与 DC 可比');
    await expect.poll(() => page.getByRole('row', { name: /AC.*DC/ }).count()).toBe(1);
  });

  it('a stage moves with a reason, a refusal of the server is shown, and the history grows', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/selections?unit=YH2`);
    await untilVisible(page, '中州分公司');
    await untilVisible(page, '吨氧化铝新水单耗');
    const row = page.getByRole('row', { name: /YH_WATER_T/ });
    await expect.poll(() => row.getByText('选标', { exact: true }).isVisible()).toBe(true);

    await page.getByRole('button', { name: '调整 YH_WATER_T' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('label', { hasText: /^对标$/ }).click();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await untilVisible(page, '请填写理由');

    // The server's refusal (here a peer of another class) is shown in the dialog, in its words too.
    await page.route('**/api/benchmark-selections', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: { code: 'PEER_CLASS_MISMATCH', message: 'Peer class 400kA differs from the unit’s bayer' } }) })
        : route.fallback(),
    );
    await dialog.getByLabel('理由').fill('新水单耗连续两个月接近山东分公司水平，进入对标');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await untilVisible(page, '该对标单位的对标分组与本单位不同，不能选用');
    await untilVisible(page, 'Peer class 400kA differs from the unit’s bayer');
    await page.unroute('**/api/benchmark-selections');

    const saved = page.waitForResponse((r) => r.url().endsWith('/api/benchmark-selections') && r.request().method() === 'PUT');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    const answer = await saved;
    expect(answer.status()).toBe(200);
    expect(((await answer.json()) as { stage: string; history: unknown[] }).history).toHaveLength(2);
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => row.getByText('对标', { exact: true }).isVisible()).toBe(true);

    await expandRow(page, /YH_WATER_T/);
    await untilVisible(page, '2 次变动');
    await untilVisible(page, '新水单耗连续两个月接近山东分公司水平，进入对标');
    await untilVisible(page, '山东分公司新水单耗');
  });
});
