import { describe, expect, it } from 'vitest';
import { chromiumPath, demoBrowser, pickIn } from '../helpers/browser';

/** Yuan text ('1,234.56' or '1234.56', not negative) in fen, exactly. */
const fen = (text: string) => {
  const [whole = '0', part = ''] = text.replace(/[,\s¥]/g, '').split('.');
  return BigInt(whole) * 100n + BigInt((part + '00').slice(0, 2));
};

describe.skipIf(!chromiumPath)('result orientation: competitions, piece rates, ideas, idle assets (Chromium)', { timeout: 120_000 }, () => {
  const web = demoBrowser('results');
  const { signedIn, sessionOf, untilVisible } = web;
  const ideaTitle = `电解槽边部加料口防粘改进 ${Date.now() % 100_000}`;
  let ideaYear = 0;

  it('the manager reads the 2020-321 leaderboard, a row explained item by item', async () => {
    const page = await sessionOf('manager');
    const answered = page.waitForResponse((r) => r.url().includes('/api/competitions/2020-321/leaderboard'));
    await page.goto(`${web.url}/competitions`);
    const response = await answered;
    expect(response.status()).toBe(200);
    const board = (await response.json()) as { rows: { unit: string; unitName: string; rank: number; total: number; arithmetic: string; events: { reason: string }[] }[] };
    expect(board.rows.map((r) => r.unit).sort()).toEqual(['YH1', 'YH2', 'YH3']);
    await pickIn(page, page.getByRole('combobox', { name: '竞赛' }), '焙烧“321”指标竞赛');

    // The ranking: rows in rank order, each with its total.
    const rows = page.locator('tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(3);
    for (const [i, r] of board.rows.entries()) {
      await expect.poll(() => rows.nth(i).innerText()).toContain(r.unitName);
      expect(r.rank).toBeGreaterThanOrEqual(i === 0 ? 1 : board.rows[i - 1]!.rank);
    }
    const first = board.rows[0]!;
    expect(first.rank).toBe(1);

    // The first row explained: the arithmetic, every item, and its add/deduct events.
    await rows.nth(0).locator('.ant-table-row-expand-icon').click();
    await untilVisible(page, first.arithmetic);
    await untilVisible(page, 'YH_POWER_KWH_T');
    for (const e of first.events) await untilVisible(page, e.reason);
  });

  it('the piece-rate earnings of 一工区 for 2020-02 are allocated to the members to the fen', async () => {
    const page = await sessionOf('manager');
    const answered = page.waitForResponse((r) => r.url().includes('/api/piece-rates/earnings') && r.url().includes('team=DJ1-DJ-A1') && r.url().includes('period=2020-02'));
    await page.goto(`${web.url}/piece-rates`);
    const response = await answered;
    expect(response.status()).toBe(200);
    const earnings = (await response.json()) as { total: string; members: { person: string; amount: string }[] };
    expect(earnings.members.map((m) => m.person)).toEqual(['W0001', 'W0002', 'W0003', 'W0004']);
    expect(earnings.members.reduce((s, m) => s + fen(m.amount), 0n)).toBe(fen(earnings.total));

    // On the page: the member table's amounts add up to the total in its summary row.
    const members = page.locator('.ant-table').filter({ hasText: '分配金额（元）' });
    const memberRows = members.locator('tr.ant-table-row');
    await expect.poll(() => memberRows.count()).toBe(4);
    let shown = 0n;
    for (let i = 0; i < 4; i++) {
      const cells = await memberRows.nth(i).locator('td').allInnerTexts();
      shown += fen(cells[3]!);
    }
    const summary = members.locator('.ant-table-summary tr').first();
    await expect.poll(() => summary.innerText()).toContain(earnings.total);
    expect(shown).toBe(fen(earnings.total));
  });

  it('the clerk submits an idea on a phone', async () => {
    const page = await sessionOf('clerk', { width: 375, height: 812 });
    await page.goto(`${web.url}/ideas`);
    const submit = page.getByRole('button', { name: '提交金点子' });
    await submit.waitFor();
    const box = await submit.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await page.getByLabel('标题').fill(ideaTitle);
    await page.getByLabel('内容说明').fill('在加料口加装耐高温防粘衬板，减少清理次数。');
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/ideas') && r.request().method() === 'POST');
    await submit.click();
    const answer = await posted;
    expect(answer.status()).toBe(201);
    const idea = (await answer.json()) as { unit: string; submittedAt: string; status: string };
    expect(idea).toMatchObject({ unit: 'DJ1', status: 'submitted' });
    ideaYear = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date(idea.submittedAt)));
    await untilVisible(page, '已提交，谢谢！');
    // The board turns to the idea's year: the clerk sees it there.
    await expect.poll(() => page.locator('tr.ant-table-row').filter({ hasText: ideaTitle }).count()).toBe(1);
  });

  it('the manager adopts the idea with its benefit', async () => {
    const page = await signedIn('manager');
    expect(ideaYear).toBeGreaterThan(2000);
    await page.goto(`${web.url}/ideas?year=${ideaYear}&unit=DJ1`);
    const row = page.locator('tr.ant-table-row').filter({ hasText: ideaTitle });
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole('button', { name: /^采\s*纳$/ }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: ideaTitle });
    await dialog.getByLabel('评审意见').fill('成本低，先在一工区试用');
    await dialog.getByLabel('效益（元）').fill('12345.6');
    const reviewed = page.waitForResponse((r) => r.url().includes('/review') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: /OK|确\s*定/ }).click();
    const answer = await reviewed;
    expect(answer.status()).toBe(200);
    expect(await answer.json()).toMatchObject({ status: 'adopted', benefitYuan: '12345.60' });
    await expect.poll(() => row.innerText()).toMatch(/已采纳[\s\S]*12345\.60/);
  });

  it('the evaluation results show each unit\'s adopted ideas and their benefit, linked to the ideas page', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/evaluations?scheme=2020-ALUMINA&period=2020-02`);
    await untilVisible(page, '金点子（2020）');
    // YH1: one implemented (360,000) and one adopted (50,000) idea in the demo.
    const yh1 = page.getByTestId('ideas-YH1');
    await expect.poll(() => yh1.innerText()).toBe('2 条 · ¥410000.00');
    await yh1.click();
    await page.waitForURL((u) => u.pathname === '/ideas' && u.searchParams.get('unit') === 'YH1' && u.searchParams.get('year') === '2020');
    await untilVisible(page, '焙烧炉燃烧器改造降低煤气单耗');
  });

  it('the manager registers an idle asset with a two-step plan, the server\'s objection shown at its field', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/idle-assets`);
    await untilVisible(page, 'IA-2020-01');
    await page.getByRole('button', { name: '登记闲置资产' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.locator('#idle-asset_code').fill('IA-T-0001');
    await drawer.locator('#idle-asset_name').fill('氧化铝一厂闲置 3# 分解槽搅拌机');
    await pickIn(page, drawer.locator('#idle-asset_kind'), '设备');
    await drawer.locator('#idle-asset_unit').fill('YH1');
    await page.locator('.ant-select-tree-title').filter({ hasText: /^YH1 / }).first().click();
    await drawer.locator('#idle-asset_originalValue').fill('860000');
    await drawer.locator('#idle-asset_bookValue').fill('900000.5');
    await drawer.locator('#idle-asset_idleSince').fill('2019-11-30');
    await pickIn(page, drawer.locator('#idle-asset_disposalRoute'), '调剂');
    await drawer.locator('#idle-asset_owner').fill('E0101');
    await drawer.getByRole('button', { name: '增加步骤' }).click();
    await drawer.getByRole('button', { name: '增加步骤' }).click();
    await drawer.getByLabel('步骤 1', { exact: true }).fill('技术鉴定');
    await drawer.getByLabel('计划完成日 1', { exact: true }).fill('2020-04-30');
    await drawer.getByLabel('步骤 2', { exact: true }).fill('调剂至氧化铝三厂');
    await drawer.getByLabel('计划完成日 2', { exact: true }).fill('2020-06-30');

    // The book value above the original: the server refuses, the form says so at the field.
    let saved = page.waitForResponse((r) => r.url().endsWith('/api/idle-assets') && r.request().method() === 'POST');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    expect((await saved).status()).toBe(422);
    await expect.poll(() => drawer.locator('.ant-form-item').filter({ has: page.locator('#idle-asset_bookValue') }).innerText()).toContain('净值不能高于原值');

    await drawer.locator('#idle-asset_bookValue').fill('312000.50');
    saved = page.waitForResponse((r) => r.url().endsWith('/api/idle-assets') && r.request().method() === 'POST');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    const created = await saved;
    expect(created.status()).toBe(201);
    expect(await created.json()).toMatchObject({ code: 'IA-T-0001', unit: 'YH1', owner: 'E0101', status: 'planned', bookValue: '312000.50', plan: [{ step: '技术鉴定', due: '2020-04-30', done: false }, { step: '调剂至氧化铝三厂', due: '2020-06-30', done: false }] });
    await untilVisible(page, '已登记 IA-T-0001');

    // In the ledger: planned, with both steps in its plan.
    const row = page.locator('tr.ant-table-row').filter({ hasText: 'IA-T-0001' });
    await expect.poll(() => row.innerText()).toMatch(/已计划/);
    await expect.poll(() => row.innerText()).toMatch(/调剂/);
    await row.locator('.ant-table-row-expand-icon').click();
    await untilVisible(page, '技术鉴定');
    await untilVisible(page, '调剂至氧化铝三厂');

    // Edited: the second step moves a month later (PUT with the version).
    await row.getByRole('button', { name: /^编辑 氧化铝一厂闲置/ }).click();
    await expect.poll(() => drawer.getByLabel('计划完成日 2', { exact: true }).inputValue()).toBe('2020-06-30');
    await drawer.getByLabel('计划完成日 2', { exact: true }).fill('2020-07-31');
    const put = page.waitForResponse((r) => r.url().includes('/api/idle-assets/') && r.request().method() === 'PUT');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    const edited = await put;
    expect(edited.status()).toBe(200);
    expect(await edited.json()).toMatchObject({ version: 2, plan: [{ due: '2020-04-30' }, { due: '2020-07-31' }] });
    await untilVisible(page, '2020-07-31');
  });
});
