import { describe, expect, it } from 'vitest';
import { chromiumPath, demoBrowser } from '../helpers/browser';

describe.skipIf(!chromiumPath)('benchmarking journeys (Chromium)', { timeout: 120_000 }, () => {
  const web = demoBrowser('bm');
  const { sessionOf, untilVisible } = web;


  it('the clerk enters and submits, the leader approves, and the scorecard changes', async () => {
    const clerk = await sessionOf('clerk');
    await clerk.goto(`${web.url}/entry?unit=DJ1&period=2020-03`);
    await clerk.getByLabel('实际值 DJ_AL_OUT').fill('26000');
    await clerk.getByLabel('实际值 DJ_DC_KWH').fill('335400000');
    await clerk.getByLabel('实际值 DJ_AC_KWH').fill('345800000');
    const saved = clerk.waitForResponse((r) => r.url().endsWith('/api/entry') && r.request().method() === 'PUT');
    await clerk.getByRole('button', { name: '保存' }).first().click();
    expect((await saved).status()).toBe(200);
    // The derived DC power per tonne is computed at once: 335 400 000 ÷ 26 000 = 12 900.
    await untilVisible(clerk, /12,?900/);
    const submitted = clerk.waitForResponse((r) => r.url().endsWith('/api/entry/submit'));
    await clerk.getByRole('button', { name: '提交审核' }).click();
    const ok = clerk.getByRole('button', { name: /^(确定|确 定|提交|OK)$/ });
    if (await ok.count()) await ok.last().click();
    expect((await submitted).status()).toBe(200);
    await untilVisible(clerk, '已提交');

    const leader = await sessionOf('leader');
    await leader.goto(`${web.url}/entry?unit=DJ1&period=2020-03`);
    await untilVisible(leader, '已提交');
    const approved = leader.waitForResponse((r) => r.url().endsWith('/api/entry/approve'));
    await leader.getByRole('button', { name: '审核通过' }).click();
    await leader.getByRole('dialog').getByRole('button', { name: /^(确定|确 定|审核通过|OK)$/ }).last().click();
    expect((await approved).status()).toBe(200);

    await leader.goto(`${web.url}/scorecard?unit=DJ1&period=2020-03&scope=period`);
    await untilVisible(leader, '铝液直流电耗');
    await untilVisible(leader, /12,?900/);
    // 26 000 t beats every earlier month: a record.
    await untilVisible(leader, '创历史新高');
  });

  it('the scorecard shows the newspaper’s logistics records, in English too', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/scorecard?unit=WL&period=2020-02&scope=period`);
    await untilVisible(page, '铁路运量');
    await untilVisible(page, /552,?300/);
    await untilVisible(page, /117\.5/);
    await untilVisible(page, /7,?268/);
    await page.getByRole('button', { name: 'English' }).first().click();
    await untilVisible(page, 'Rail freight volume');
  });

  it('an import with a bad row shows the error report, which downloads', async () => {
    const page = await sessionOf('clerk');
    await page.goto(`${web.url}/imports`);
    await untilVisible(page, '数据导入');
    const csv = '单位编码,指标编码,期间,实际值\nDJ1,DJ_AL_OUT,2020-03,21000\nDJ1,DJ_DC_KWH_T,2020-03,12900\n';
    const checked = page.waitForResponse((r) => r.url().endsWith('/api/imports'));
    await page.locator('input[type=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    expect((await checked).status()).toBe(422);
    await untilVisible(page, /没有导入任何数据/);
    await untilVisible(page, /computed from its inputs/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载错误报告' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  });

  it('the monthly report renders and prints to A4', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/report?period=2020-02`);
    // The manager switched to English in an earlier journey: the choice is kept per user.
    await untilVisible(page, /对标月报|Monthly benchmarking report/);
    await untilVisible(page, /铁路周转量|Rail freight turnover/);
    await page.emulateMedia({ media: 'print' });
    await expect.poll(() => page.getByRole('menu').first().isVisible().catch(() => false), { timeout: 10_000 }).toBe(false);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    expect(pdf.length).toBeGreaterThan(20_000);
  });
});
