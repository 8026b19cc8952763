import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumPath, demoBrowser } from '../helpers/browser';

describe.skipIf(!chromiumPath)('target-setting journeys (Chromium)', { timeout: 120_000 }, () => {
  const web = demoBrowser('targets');
  const { sessionOf, untilVisible } = web;

  /** The table row of an indicator (the first: an opened month table below has rows of its own). */
  const rowOf = (page: Page, code: string) => page.locator('tr.ant-table-row', { hasText: code }).first();
  const savedTargets = (page: Page) => page.waitForResponse((r) => r.url().endsWith('/api/targets') && r.request().method() === 'PUT');

  it('the manager raises the anode first-grade rate from the assistant’s proposal, and the scorecard follows', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/targets?unit=TS&year=2020`);
    // The newspaper's target for the carbon division: first-grade rate ≥ 60 %.
    await expect.poll(() => rowOf(page, 'TS_FIRST_GRADE').innerText(), { timeout: 20_000 }).toMatch(/60\.0[\s\S]*两公司下达：阳极一级品率 ≥ 60%/);

    await page.getByRole('button', { name: '设定目标 TS_FIRST_GRADE' }).click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByText('目标测算助手').isVisible()).toBe(true);
    // The bases side by side: last year 59.3 %, December 61.5 %, the plan in force 60 %.
    await expect.poll(() => drawer.getByRole('radio', { name: /上年实绩/ }).isVisible(), { timeout: 20_000 }).toBe(true);
    const bases = await drawer.getByRole('radiogroup', { name: '测算依据' }).innerText();
    expect(bases).toMatch(/上年实绩\s*59\.3 %\s*2019/);
    expect(bases).toMatch(/上期水平\s*61\.5 %\s*2019-12/);
    expect(bases).toMatch(/现行计划\s*60\.0 %\s*2020/);
    expect(bases).toMatch(/选定标杆\s*暂无数据/);
    expect(await drawer.getByRole('img', { name: /各测算依据对比条形图/ }).count()).toBe(1);

    await drawer.getByRole('radio', { name: /上年实绩/ }).check();
    await drawer.getByLabel('改善幅度', { exact: true }).fill('2');
    // 59.3 × 1.02 = 60.486 → 60.5, as the server's assistant rounds it.
    await expect.poll(() => drawer.getByTestId('target-proposal').innerText()).toBe('60.5 %');
    await drawer.getByRole('button', { name: '采用建议' }).click();
    expect(await drawer.getByLabel('保底值', { exact: true }).inputValue()).toBe('59.3');
    expect(await drawer.getByLabel('目标值', { exact: true }).inputValue()).toBe('60.5');
    expect(await drawer.getByLabel('奋斗值', { exact: true }).inputValue()).toBe('61.7');
    expect(await drawer.getByLabel('依据', { exact: true }).inputValue()).toBe('上年实绩改善 2%');

    const saved = savedTargets(page);
    await drawer.getByRole('button', { name: '保存' }).click();
    const response = await saved;
    expect(response.status()).toBe(200);
    expect(response.request().postDataJSON()).toEqual({
      unit: 'TS',
      targets: [{ indicator: 'TS_FIRST_GRADE', period: '2020', floor: 59.3, target: 60.5, stretch: 61.7, basis: '上年实绩改善 2%' }],
      spread: 'none',
    });
    await expect.poll(() => rowOf(page, 'TS_FIRST_GRADE').innerText(), { timeout: 20_000 }).toMatch(/59\.3\s+60\.5\s+61\.7\s+上年实绩改善 2%/);

    // The scorecard measures February against the new annual level.
    await page.goto(`${web.url}/scorecard?unit=TS&period=2020-02&scope=period`);
    await expect.poll(() => rowOf(page, 'TS_FIRST_GRADE').locator('td').nth(2).innerText(), { timeout: 20_000 }).toBe('60.5');
  });

  it('on a phone, an annual quantity is checked, spread equally to the months and shown month by month', async () => {
    const page = await sessionOf('manager', { width: 390, height: 844 });
    await page.goto(`${web.url}/targets?unit=TS&year=2020`);
    // The demo has monthly targets only: the year shows their sum.
    await expect.poll(() => rowOf(page, 'TS_ANODE_OUT').innerText(), { timeout: 20_000 }).toMatch(/由各月目标汇总/);
    await page.getByRole('button', { name: '设定目标 TS_ANODE_OUT' }).click();
    const drawer = page.getByRole('dialog');
    // December's tonnes go on a year's scale next to last year's total.
    await untilVisible(page, /月度值 12,022 × 12/);

    await drawer.getByLabel('保底值', { exact: true }).fill('147000');
    await drawer.getByLabel('目标值', { exact: true }).fill('150000');
    await drawer.getByLabel('奋斗值', { exact: true }).fill('10000000000000000');
    await drawer.getByLabel('依据', { exact: true }).fill('两公司下达产量计划');
    // By calendar days (the default): January 150 000 × 31 / 366, February × 29 / 366 (2020 is a leap year).
    await expect.poll(() => drawer.locator('tr', { hasText: '2020-01' }).innerText()).toMatch(/12,705/);
    await expect.poll(() => drawer.locator('tr', { hasText: '2020-02' }).innerText()).toMatch(/11,885/);

    // The server refuses a stretch beyond its limits: the answer says which field.
    let saved = savedTargets(page);
    await drawer.getByRole('button', { name: '保存' }).click();
    expect((await saved).status()).toBe(400);
    await expect.poll(() => drawer.getByRole('alert').filter({ hasText: '保存失败' }).innerText()).toMatch(/targets\/0\/stretch/);

    // Levels out of order are caught before anything is sent.
    await drawer.getByLabel('保底值', { exact: true }).fill('155000');
    await expect.poll(() => drawer.getByText('保底值不能优于目标值。').isVisible()).toBe(true);
    await drawer.getByLabel('保底值', { exact: true }).fill('147000');
    await drawer.getByLabel('奋斗值', { exact: true }).fill('153000');
    await drawer.getByRole('radio', { name: '平均分解' }).check();
    await expect.poll(() => drawer.locator('tr', { hasText: '2020-01' }).innerText()).toMatch(/12,250\s+12,500\s+12,750/);

    saved = savedTargets(page);
    await drawer.getByRole('button', { name: '保存' }).click();
    const response = await saved;
    expect(response.status()).toBe(200);
    expect(response.request().postDataJSON()).toMatchObject({ unit: 'TS', spread: 'equal', targets: [{ indicator: 'TS_ANODE_OUT', period: '2020', floor: 147_000, target: 150_000, stretch: 153_000 }] });
    const items = ((await response.json()) as { items: { period: string; target: number; basis: string }[] }).items;
    expect(items).toHaveLength(13);
    expect(items.find((i) => i.period === '2020-07')).toMatchObject({ target: 12_500, basis: '两公司下达产量计划（平均分解）' });

    // The year is the annual row now; the months are its twelfths.
    await expect.poll(() => rowOf(page, 'TS_ANODE_OUT').innerText(), { timeout: 20_000 }).toMatch(/150,000/);
    // On a phone the basis goes under the name, the floor and stretch under the target.
    const row = await rowOf(page, 'TS_ANODE_OUT').innerText();
    expect(row).toMatch(/两公司下达产量计划/);
    expect(row).toMatch(/147,000\s*~\s*153,000/);
    await rowOf(page, 'TS_ANODE_OUT').getByRole('button', { name: /展开/ }).click();
    await expect.poll(() => page.locator('tr', { hasText: '2020-07' }).first().innerText()).toMatch(/12,250\s+12,500\s+12,750\s+两公司下达产量计划（平均分解）/);
  });
});
