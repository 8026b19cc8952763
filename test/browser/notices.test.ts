import { describe, expect, it } from 'vitest';
import { chromiumPath, demoBrowser } from '../helpers/browser';

describe.skipIf(!chromiumPath)('notice board and notifications (Chromium)', { timeout: 120_000 }, () => {
  const web = demoBrowser('nt');
  const { signedIn, sessionOf, untilVisible } = web;

  it('the manager publishes last week’s notice, opens it as a bulletin (read receipt sent), and the clerk follows the bell to it', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/notices`);
    await untilVisible(page, '每周一 8:00 自动发布');
    await page.getByRole('button', { name: '发布上周通报' }).click();
    const published = page.waitForResponse((r) => r.url().endsWith('/api/notices/publish'));
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s?定/ }).first().click();
    const answer = await published;
    expect(answer.status()).toBe(200);
    const { notice } = (await answer.json()) as { notice: { id: string; period: string } };
    await untilVisible(page, new RegExp(`${notice.period} 周通报`));
    // Published twice: nothing new.
    await page.getByRole('button', { name: '发布上周通报' }).click();
    const again = page.waitForResponse((r) => r.url().endsWith('/api/notices/publish'));
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s?定/ }).first().click();
    expect(((await (await again).json()) as { published: boolean }).published).toBe(false);
    await untilVisible(page, '此前已发布，未重复发布');

    const read = page.waitForResponse((r) => r.url().endsWith(`/api/notices/${notice.id}/read`));
    await page.locator('.ant-alert').getByRole('link', { name: '查看' }).click();
    await page.waitForURL(`**/notices/${notice.id}`);
    expect((await read).status()).toBe(200);
    await expect.poll(() => page.locator('.notice-title h1').innerText()).toMatch(/周\s*通\s*报|周通报/);
    await expect.poll(() => page.locator('.notice-title').innerText()).toContain(notice.period.split('-W')[0]!);
    await expect(page.getByRole('link', { name: '导出 Excel' }).getAttribute('href')).resolves.toBe(`/api/notices/${notice.id}/export.xlsx`);
    await expect.poll(() => page.getByRole('button', { name: '打印' }).isEnabled()).toBe(true);
    // The supervisor's receipts: the manager has read it, the clerk not yet.
    await untilVisible(page, '已读（1）');
    await expect.poll(() => page.locator('.ant-card').filter({ hasText: '阅读情况' }).innerText()).toMatch(/clerk/);

    const clerk = await signedIn('clerk');
    const bell = clerk.getByRole('button', { name: /通知：\d+ 条未读/ });
    const unread = async () => Number(/(\d+)/.exec((await bell.getAttribute('aria-label')) ?? '')?.[1] ?? -1);
    await expect.poll(unread).toBeGreaterThan(0);
    const before = await unread();
    await bell.click();
    await clerk.locator('.ant-popover').getByText(`周通报 ${notice.period}`).first().click();
    await clerk.waitForURL(`**/notices/${notice.id}`);
    await untilVisible(clerk, '仅列出您数据范围内的单位');
    // Following the link read the notification (and the notice's receipt).
    await expect.poll(unread).toBe(before - 1);
  });
});
