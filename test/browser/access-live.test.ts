import { describe, expect, it } from 'vitest';
import { chromiumPath, confirmWith, demoBrowser, pickIn } from '../helpers/browser';

interface LiveApi {
  date: string;
  sites: { site: string; nameZh: string; inside: number }[];
}
interface RollCallApi {
  count: number;
  rows: { person: string; name: string }[];
}
interface RosterApi {
  date: string;
  rows: { checkpoint: string; shift: string; guards: { code: string; name: string }[] }[];
}

const plant = 'SXLY-PLANT';
// The server's clock: today (Asia/Shanghai) at 11:00, when the day shift is inside the plant and
// the morning's traffic is on the dashboard, whatever the hour the suite runs at.
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

describe.skipIf(!chromiumPath)('access live views (Chromium, small access demo)', { timeout: 300_000 }, () => {
  // Sessions last a week: the server's 11:00 may be hours from the browser's time.
  const web = demoBrowser('access-live', { clock: true, env: { PACESETTER_DEMO_ACCESS: 'small', SESSION_MAX_HOURS: '168' } });
  web.setClock(`${today}T03:00:00Z`);
  const { signedIn, sessionOf, untilVisible } = web;

  it('the manager sees every demo site with the inside counts of GET /api/access/live, the traffic chart and the printable roll-call', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/access`);
    for (const name of ['山西铝业厂区', '新材料厂区', '翠溪北区', '翠微小区', '翠微明辉小区']) await untilVisible(page, name);
    // The plant's "inside now" on its card is the API's.
    await expect
      .poll(async () => {
        const live = (await (await page.request.get(`${web.url}/api/access/live`)).json()) as LiveApi;
        const shown = Number(await page.getByTestId(`inside-${plant}`).innerText());
        const api = live.sites.find((s) => s.site === plant)!.inside;
        return api > 0 && shown === api;
      })
      .toBe(true);
    expect(await page.getByTestId('last-refresh').innerText()).toMatch(/\d\d:\d\d:\d\d 更新/);
    // The plant is chosen by default: its traffic by hour and checkpoint is drawn on a canvas.
    const chart = page.getByRole('img', { name: /分时段通行量柱状图/ });
    await expect.poll(() => chart.locator('canvas').count()).toBeGreaterThan(0);
    await untilVisible(page, '拒绝原因分布');
    await expect.poll(() => page.getByRole('img', { name: '拒绝原因分布柱状图' }).locator('canvas').count()).toBeGreaterThan(0);

    // The roll-call: everybody inside, by unit, with a tick box each and a print button.
    await page.goto(`${web.url}/access/roll-call?site=${plant}`);
    await untilVisible(page, '山西铝业厂区 场内人员点名表');
    const rollCall = (await (await page.request.get(`${web.url}/api/access/roll-call?site=${plant}`)).json()) as RollCallApi;
    expect(rollCall.count).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('roll-call-count').innerText()).toBe(`场内 ${rollCall.count} 人`);
    await expect.poll(() => page.locator('.live-table tbody tr').count()).toBe(rollCall.count);
    expect(await page.locator('.live-table input[type=checkbox]').count()).toBe(rollCall.count);
    expect(await page.locator('.live-table').first().innerText()).toContain(rollCall.rows[0]!.name);
    const print = page.getByRole('button', { name: '打印点名表' });
    expect(await print.isVisible()).toBe(true);
    // On paper: the sheet without the app's frame and buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await print.isVisible()).toBe(false);
    expect(await page.locator('.live-sheet').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    // On a phone the dashboard fits the screen's width.
    const phone = await sessionOf('manager', { width: 390, height: 844 });
    await phone.goto(`${web.url}/access?site=${plant}`);
    await untilVisible(phone, '最近拒绝记录');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(1);
  });

  it('the access administrator registers a visitor, approves the visit and sees its pass QR', async () => {
    const page = await signedIn('access');
    const roster = (await (await page.request.get(`${web.url}/api/duty/roster?site=${plant}`)).json()) as RosterApi;
    const host = roster.rows.find((r) => r.guards.length > 0)!.guards[0]!;
    const visitor = `测试访客${Date.now() % 10_000}`;

    await page.goto(`${web.url}/access/visits`);
    await page.getByRole('button', { name: '登记访客' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByLabel('访客姓名').fill(visitor);
    await drawer.getByLabel('手机号', { exact: true }).fill('13912345678');
    await pickIn(page, drawer.getByLabel('被访人'), host.code, { search: host.code });
    await pickIn(page, drawer.getByLabel('小区/厂区'), '山西铝业厂区');
    await drawer.getByLabel('来访事由').fill('设备检修洽谈');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/visits') && r.request().method() === 'POST');
    await drawer.getByRole('button', { name: '提交预约' }).click();
    const answer = await created;
    expect(answer.status()).toBe(201);
    const visit = (await answer.json()) as { id: string; status: string; host: { code: string } };
    expect([visit.status, visit.host.code]).toEqual(['pending', host.code]);

    const row = page.locator('.ant-table-row').filter({ hasText: visitor });
    await expect.poll(() => row.innerText()).toContain('待审批');
    const approved = page.waitForResponse((r) => r.url().endsWith(`/api/visits/${visit.id}/approve`));
    await row.getByRole('button', { name: '批准' }).click();
    expect((await approved).status()).toBe(200);
    await expect.poll(() => row.innerText()).toContain('已批准');
    await row.getByRole('button', { name: '通行码' }).click();
    const qr = page.getByRole('img', { name: `${visitor} 的通行二维码` });
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
    const { passId } = (await (await page.request.get(`${web.url}/api/visits/${visit.id}`)).json()) as { passId: string };
    expect(await qr.getAttribute('src')).toBe(`/api/passes/${passId}/qr.png`);
  });

  it('the access administrator blocks a phone number and takes it off the list with a reason and a confirmation', async () => {
    const page = await sessionOf('access');
    await page.goto(`${web.url}/access/block-list`);
    await page.getByRole('button', { name: '加入名单' }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '对象' });
    await modal.getByText('按手机号').click();
    await modal.getByLabel('手机号', { exact: true }).fill('13800138000');
    await modal.getByLabel('原因', { exact: true }).fill('冒用他人通行证');
    const added = page.waitForResponse((r) => r.url().endsWith('/api/block-list') && r.request().method() === 'POST');
    await modal.getByRole('button', { name: '加入', exact: true }).click();
    const answer = await added;
    expect(answer.status()).toBe(201);
    const entry = (await answer.json()) as { id: string; byPhone: boolean; site: null | object; active: boolean };
    expect([entry.byPhone, entry.site, entry.active]).toEqual([true, null, true]);

    const row = page.locator('.ant-table-row').filter({ hasText: '冒用他人通行证' });
    await expect.poll(() => row.innerText()).toMatch(/按手机号[\s\S]*全部小区\/厂区[\s\S]*生效中/);
    await row.getByRole('button', { name: '移出名单' }).click();
    await page.locator('.ant-modal-confirm').getByLabel('移出理由').fill('核实为误报');
    const removed = page.waitForResponse((r) => r.url().endsWith(`/api/block-list/${entry.id}/remove`));
    await confirmWith(page, '移出名单');
    expect((await removed).status()).toBe(200);
    await expect.poll(() => row.count()).toBe(0);
    const list = (await (await page.request.get(`${web.url}/api/block-list?removed=true`)).json()) as { rows: { id: string; removedAt: string | null }[] };
    expect(list.rows.find((r) => r.id === entry.id)?.removedAt).toBeTruthy();
  });

  it('the access administrator sees today’s roster of the plant with the guards’ names and who is on duty now', async () => {
    const page = await signedIn('access');
    const roster = (await (await page.request.get(`${web.url}/api/duty/roster?site=${plant}`)).json()) as RosterApi;
    expect(roster.date).toBe(today);
    const cell = roster.rows.find((r) => r.guards.length > 0)!;
    await page.goto(`${web.url}/access/duty?site=${plant}`);
    await untilVisible(page, `${today} 排班表`);
    const shown = page.getByTestId(`duty-${cell.checkpoint}-${cell.shift}`);
    await expect.poll(() => shown.innerText()).toContain(cell.guards[0]!.name);
    for (const g of cell.guards) expect(await shown.innerText()).toContain(g.name);
    // At 11:00 the day shift is on duty: its cells are marked.
    await expect.poll(() => page.locator('.live-duty-now').count()).toBeGreaterThan(0);
    await untilVisible(page, '在岗');
  });
});
