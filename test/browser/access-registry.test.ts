import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Pass } from '../../src/server/modules/passes/passes.schemas';
import type { PersonList } from '../../src/server/modules/people/people.schemas';
import { chromiumPath, confirmWith, demoBrowser, pickIn } from '../helpers/browser';

const phone = { width: 390, height: 844 };
const maskedId = /^\d\*{15}[\dX]{2}$/;
const maskedPhone = /^1\d{2}\*{4}\d{4}$/;

describe.skipIf(!chromiumPath)('the access registry pages (Chromium, small access demo)', { timeout: 240_000 }, () => {
  const web = demoBrowser('access-registry', { env: { PACESETTER_DEMO_ACCESS: 'small' } });
  const { signedIn, sessionOf, untilVisible } = web;

  /** An image on the page has loaded (a broken image has naturalWidth 0). */
  const loaded = (page: Page, selector: string) =>
    expect.poll(() => page.locator(selector).first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 20_000 }).toBe(true);

  it('the access administrator finds a guard (masked ID and phone), unmasks the ID with a reason, issues a pass, prints its card and revokes it', async () => {
    const page = await signedIn('access');
    // A guard of 武装保卫部 (the demo's first people are the security department's guards).
    const listed = (await (await page.request.get(`${web.url}/api/people?q=P00002`)).json()) as PersonList;
    const guard = listed.items[0]!;
    expect(guard.idNumber).toMatch(maskedId);
    expect(guard.phone).toMatch(maskedPhone);

    // Search the registry by name: the row shows the masked ID number and phone.
    await page.goto(`${web.url}/access/people`);
    await page.getByLabel('姓名/编码').fill(guard.name);
    await page.getByLabel('姓名/编码').press('Enter');
    const row = page.locator('.ant-table-row').filter({ hasText: guard.code });
    await expect.poll(() => row.count()).toBe(1);
    const rowText = await row.innerText();
    expect(rowText).toContain(guard.idNumber!);
    expect(rowText).toContain(guard.phone!);
    const before = await page.content();

    // The drawer: unmask the ID number with a reason; the full value is shown, with the audit note.
    await row.click();
    const drawer = page.locator('.ant-drawer').filter({ hasText: guard.code });
    await expect.poll(() => drawer.getByTestId('person-id-number').innerText()).toBe(guard.idNumber);
    await drawer.getByRole('button', { name: '显示完整号码' }).first().click();
    const dialog = page.getByRole('dialog').filter({ hasText: '查看理由' });
    await dialog.getByLabel('查看理由').fill('核对门岗值班人员身份');
    const unmasked = page.waitForResponse((r) => r.url().endsWith('/unmask'));
    await dialog.getByRole('button', { name: '显示' }).click();
    expect((await unmasked).status()).toBe(200);
    const full = await page.getByTestId('unmasked-value').innerText();
    expect(full).toMatch(/^\d{17}[\dX]$/);
    expect(full[0]).toBe(guard.idNumber![0]);
    expect(full.slice(-2)).toBe(guard.idNumber!.slice(-2));
    await untilVisible(page, '本次查看已记入审计日志。');
    // Before the unmasking, nothing on the page held the full number; after closing, nothing does.
    expect(before).not.toContain(full);
    await page.getByRole('dialog').filter({ hasText: '本次查看已记入审计日志' }).locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    await expect.poll(() => page.getByTestId('unmasked-value').count()).toBe(0);
    expect(await page.content()).not.toContain(full);
    // The API still answers the masked value.
    const again = (await (await page.request.get(`${web.url}/api/people/${guard.id}`)).json()) as { idNumber: string };
    expect(again.idNumber).toBe(guard.idNumber);

    // The exact search by the full ID number (the server's blind index) finds the guard alone.
    // Close the drawer first. Escape reaches it only once the closing dialog has given the focus
    // back, which on a loaded machine can take a moment: press again until it has closed.
    await expect
      .poll(async () => {
        if (await drawer.isVisible()) await page.keyboard.press('Escape');
        return drawer.isVisible();
      })
      .toBe(false);
    await page.getByLabel('姓名/编码').fill('');
    await page.getByLabel('姓名/编码').press('Enter');
    await page.getByPlaceholder('输入完整号码').fill(full);
    const exact = page.waitForResponse((r) => r.url().includes('/api/people?') && r.url().includes('idNumber='));
    await page.getByPlaceholder('输入完整号码').press('Enter');
    expect(((await (await exact).json()) as PersonList).items.map((p) => p.code)).toEqual([guard.code]);
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(1);
    // The full number is only in the search box, never in the address.
    expect(page.url()).not.toContain(full);
    await page.locator('.ant-table-row').filter({ hasText: guard.code }).click();

    // Issue a pass for 新材料厂区 from the drawer.
    await drawer.getByRole('button', { name: '发放通行证' }).click();
    const issue = page.getByRole('dialog').filter({ hasText: '发放通行证' });
    await pickIn(page, issue.getByRole('combobox').first(), '新材料厂区');
    // A multiple select stays open after a pick, over the fields below it: close it first.
    await issue.locator('.ant-modal-title').click();
    await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()).toBe(0);
    await issue.getByRole('switch').click(); // essential
    const issued = page.waitForResponse((r) => r.url().endsWith('/api/passes') && r.request().method() === 'POST');
    await issue.getByRole('button', { name: '发放', exact: true }).click();
    const answer = await issued;
    expect(answer.status(), await answer.text()).toBe(201);
    const pass = (await answer.json()) as Pass;
    expect(pass.sites.map((s) => s.code)).toEqual(['XCL-PLANT']);
    expect(pass.essential).toBe(true);
    const passRow = drawer.locator('.ant-table-row').filter({ hasText: String(pass.number) });
    await expect.poll(() => passRow.innerText()).toMatch(/新材料厂区[\s\S]*必要人员[\s\S]*有效/);

    // The print sheet of that pass: its card with the masked name and the QR image loaded.
    await page.goto(`${web.url}/access/passes/print?ids=${pass.id}`);
    const card = page.getByTestId('pass-card');
    await expect.poll(() => card.count()).toBe(1);
    const cardText = await card.innerText();
    expect(cardText).toContain(`No. ${pass.number}`);
    expect(cardText).toContain(pass.personName);
    expect(pass.personName).toMatch(/^.\*+$/u);
    expect(cardText).not.toContain(guard.name);
    expect(cardText).toContain('新材料厂区');
    expect(cardText).toContain(`${pass.validFrom} – ${pass.validTo}`);
    await loaded(page, '.registry-card-qr');
    await untilVisible(page, '共 1 张，1 页（每页 8 张）');

    // Revoke it from the site's pass list: a reason, then the final confirmation.
    await page.goto(`${web.url}/access/passes?site=XCL-PLANT&person=${guard.code}`);
    const listRow = page.locator('.ant-table-row').filter({ hasText: String(pass.number) });
    await listRow.getByRole('button', { name: '吊销' }).click();
    const reason = page.getByRole('dialog').filter({ hasText: '吊销不可撤销' });
    await reason.getByLabel('原因').fill('调离岗位');
    await reason.getByRole('button', { name: '吊销' }).click();
    const revoked = page.waitForResponse((r) => r.url().endsWith(`/api/passes/${pass.id}/revoke`));
    await confirmWith(page, '确定吊销');
    expect((await revoked).status()).toBe(200);
    await expect.poll(() => listRow.innerText()).toContain('已吊销');
  });

  it('the access administrator binds a gate device (the token shown once, with its link and QR code) and closes the site after a confirmation', async () => {
    const page = await sessionOf('access');
    await page.goto(`${web.url}/access/sites/XCL-PLANT`);
    await untilVisible(page, '新材料正门');
    const gateRow = page.locator('.ant-table-row').filter({ hasText: 'XCL-G1' });
    await gateRow.locator('.ant-table-row-expand-icon').click();
    await page.getByRole('button', { name: '绑定新设备' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '设备名称' });
    await dialog.getByLabel('设备名称').fill('正门值班手机 9');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/checkpoints/XCL-G1/devices') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: '生成令牌' }).click();
    const { token } = (await (await created).json()) as { token: string };
    expect(token).toMatch(/^dev_/);
    await untilVisible(page, '令牌只显示这一次');
    expect(await page.getByTestId('device-link').innerText()).toContain(`${web.url}/gate?device=${token}`);
    await loaded(page, 'img[alt="绑定链接的二维码"]');
    await page.getByRole('button', { name: '我已保存，关闭' }).click();
    // The device is listed; the token is gone from the page.
    await expect.poll(() => page.locator('.ant-table-row').filter({ hasText: '正门值班手机 9' }).count()).toBe(1);
    expect(await page.content()).not.toContain(token);

    // Closing the site asks first and says what it does; then every gate applies it.
    await page.getByRole('tab', { name: /管控设置/ }).click();
    await page.locator('.ant-radio-button-wrapper').filter({ hasText: '封闭' }).click();
    await untilVisible(page, /除标记为“必要人员”的通行证外/);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => page.locator('.ant-modal-confirm').last().innerText()).toMatch(/将管控级别由“管控”改为“封闭”？[\s\S]*除标记为“必要人员”的通行证外/);
    const patched = page.waitForResponse((r) => r.url().endsWith('/api/sites/XCL-PLANT') && r.request().method() === 'PATCH');
    await confirmWith(page, '确认修改');
    const site = (await (await patched).json()) as { accessLevel: string; version: number };
    expect(site.accessLevel).toBe('closed');
    await expect.poll(() => page.locator('h3').first().locator('xpath=..').innerText()).toContain('封闭');
  });

  it('on a phone, the guard sees their own pass: a big QR code, the masked name, sites and validity', async () => {
    const page = await signedIn('guard', phone);
    const mine = (await (await page.request.get(`${web.url}/api/my/passes`)).json()) as { person: { code: string } | null; rows: Pass[] };
    expect(mine.person?.code).toBe('P00001');
    const active = mine.rows.find((p) => p.status === 'active')!;
    expect(active).toBeDefined();
    await page.goto(`${web.url}/my/pass`);
    const card = page.getByTestId('my-pass').filter({ hasText: `通行证 ${active.number}` });
    await expect.poll(() => card.count()).toBe(1);
    const text = await card.innerText();
    expect(text).toContain(active.personName);
    expect(active.personName).toMatch(/^.\*+$/u);
    expect(text).toContain('有效');
    expect(text).toContain(`有效期 ${active.validFrom} 至 ${active.validTo}`);
    expect(text).toContain(active.sites[0]!.nameZh);
    await loaded(page, '.registry-my-pass-qr');
    // Big: the QR code takes most of the phone's width.
    const box = await card.locator('.registry-my-pass-qr').boundingBox();
    expect(box!.width).toBeGreaterThan(phone.width * 0.6);
  });
});
