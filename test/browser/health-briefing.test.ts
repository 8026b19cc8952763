import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Briefing } from '../../src/server/modules/health-briefing/briefing.schemas';
import type { IncidentView } from '../../src/server/modules/health-incidents/incidents.schemas';
import type { PublicPoints, SupplyPoint } from '../../src/server/modules/health-supplies/supply-points.schemas';
import { chromiumPath, demoBrowser } from '../helpers/browser';

const phone = { width: 390, height: 844 };
const shanghaiDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const today = shanghaiDate.format(new Date());
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** The day the issue names: the demo's transfers reach 22 trips and 55 person-trips by then. */
const demoDay = '2020-03-16';
const demoStart = '2020-01-24';

describe.skipIf(!chromiumPath)('the daily briefing and the public supply points (Chromium, small access and health demo)', { timeout: 300_000 }, () => {
  const web = demoBrowser('health-briefing', { env: { PACESETTER_DEMO_ACCESS: 'small', PACESETTER_DEMO_HEALTH: 'small' } });
  const { signedIn, untilVisible } = web;

  const getJson = async <T>(page: Page, path: string): Promise<T> => {
    const r = await page.request.get(`${web.url}${path}`);
    expect(r.status(), await r.text()).toBe(200);
    return (await r.json()) as T;
  };
  const csrfOf = (page: Page) => page.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { csrfToken: string }).csrfToken);

  /** The active incident; one over 翠微小区 starting a week ago is switched on when the demo has none. */
  async function ensureIncident(page: Page): Promise<IncidentView> {
    const active = await getJson<IncidentView | null>(page, '/api/health/incidents/active');
    if (active) return active;
    const created = await page.request.post(`${web.url}/api/health/incidents`, { headers: { 'x-csrf-token': await csrfOf(page) }, data: { name: '浏览器测试疫情', startDate: addDays(today, -7), sites: ['CWXQ'] } });
    expect(created.status(), await created.text()).toBe(201);
    return (await created.json()) as IncidentView;
  }

  it('the health administrator reads the briefing of 16 March 2020 (figures as the API has them), steps a day back, downloads the xlsx and prints it on A4 without the menu', async () => {
    const page = await signedIn('health');
    const incident = await ensureIncident(page);
    const isDemo = incident.startDate === demoStart;
    const date = isDemo ? demoDay : addDays(today, -1);
    const b = await getJson<Briefing>(page, `/api/health/briefings/daily?date=${date}`);
    expect(b.date).toBe(date);
    if (isDemo) {
      // The figures: 22 trips and 55 person-trips in total by 16 March 2020.
      expect(b.transfers.tripsTotal).toBe(22);
      expect(b.transfers.personTripsTotal).toBe(55);
    }

    await page.goto(`${web.url}/health/briefing?date=${date}`);
    const sheet = page.getByTestId('briefing-sheet');
    const [y, m, d] = date.split('-').map(Number);
    await expect.poll(() => sheet.locator('h1').innerText()).toBe(`${b.incident.name}碰头会日报 — ${y}年${m}月${d}日`);
    // The headline figures: the day's value and the running total, as the API computed them.
    await expect.poll(() => page.getByTestId('briefing-transfers-total').innerText()).toBe(`累计 ${b.transfers.tripsTotal} 车次 / ${b.transfers.personTripsTotal} 人次`);
    const transfers = await page.getByTestId('figure-transfers').innerText();
    expect(transfers.replace(/\s+/g, ' ')).toContain(`${b.transfers.trips} 车次 ${b.transfers.personTrips} 人次`);
    const declarations = (await page.getByTestId('figure-declarations').innerText()).replace(/\s+/g, ' ');
    expect(declarations).toContain(`${b.declarationsDone} / ${b.declarationsDue}`);
    expect(declarations).toContain(`累计申报 ${b.totals.declarationsDone} 人次`);
    expect(await page.getByTestId('figure-quarantine').innerText()).toContain(String(b.inQuarantine));
    expect(await page.getByTestId('figure-gate').innerText()).toContain(`累计进 ${b.totals.gate.entries} · 出 ${b.totals.gate.exits} · 劝返 ${b.totals.gate.denied}`);
    // The tables: one row per community and unit of the answer.
    await expect.poll(() => page.getByTestId('briefing-sites').locator('tbody tr').count()).toBe(b.bySite.length);
    if (b.byUnit.length > 0) await expect.poll(() => page.getByTestId('briefing-units').locator('tbody tr').count()).toBe(b.byUnit.length);
    if (isDemo) expect(await page.getByTestId('briefing-sites').innerText()).toContain('翠微小区');
    // Both charts drawn (the trend and the communities).
    await expect.poll(() => sheet.locator('canvas').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);

    // The previous day, then back (the address keeps the day).
    await page.getByRole('button', { name: '前一天' }).click();
    await page.waitForURL((u) => u.searchParams.get('date') === addDays(date, -1));
    await expect.poll(() => sheet.locator('h1').innerText()).toContain(`${Number(addDays(date, -1).slice(8))}日`);
    await page.getByRole('button', { name: '后一天' }).click();
    await page.waitForURL((u) => u.searchParams.get('date') === date);
    // The address changes before the page shows the day (react-router renders it in a transition):
    // wait for the day's title, or the download below may still belong to the day before.
    await expect.poll(() => sheet.locator('h1').innerText()).toBe(`${b.incident.name}碰头会日报 — ${y}年${m}月${d}日`);
    await expect.poll(() => page.getByTestId('briefing-transfers-total').innerText()).toBe(`累计 ${b.transfers.tripsTotal} 车次 / ${b.transfers.personTripsTotal} 人次`);

    // The xlsx the server makes for that day.
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载 Excel' }).click();
    const file = await downloaded;
    expect(file.suggestedFilename()).toBe(`pacesetter-briefing-${date}.xlsx`);
    const bytes = readFileSync((await file.path())!);
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip: the workbook

    // Print: the menu, the header and the page's buttons are hidden; the sheet and its charts are shown.
    await expect.poll(() => page.locator('.app-sider').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    await expect.poll(() => page.locator('.app-sider').isVisible()).toBe(false);
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '打印（A4）' }).isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    expect(await sheet.locator('canvas').first().isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    await page.emulateMedia({ media: 'screen' });
  });

  it('anyone opens the public supply points on a phone without signing in: 翠微小区’s points with their hours and an open-now tag, in Chinese or English', async () => {
    // Make sure 翠微小区 has a supply point (the demo has two or three).
    const admin = await signedIn('health');
    const points = await getJson<{ rows: SupplyPoint[] }>(admin, '/api/health/supply-points?site=CWXQ&active=true');
    if (points.rows.length === 0) {
      const created = await admin.request.post(`${web.url}/api/health/supply-points`, {
        headers: { 'x-csrf-token': await csrfOf(admin) },
        data: { site: 'CWXQ', name: '翠微小区蔬菜供应点', location: '3号楼南侧', goods: '蔬菜、肉蛋', openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '07:00', to: '19:00' }] },
      });
      expect(created.status(), await created.text()).toBe(201);
    }

    const browser = admin.context().browser()!;
    const context = await browser.newContext({ viewport: phone, locale: 'zh-CN', reducedMotion: 'reduce' });
    try {
      const page = await context.newPage();
      const answer = page.waitForResponse((r) => r.url().includes('/api/public/supply-points'));
      await page.goto(`${web.url}/supply-points`);
      const listed = (await (await answer).json()) as PublicPoints;
      // No sign-in: the page stays where it is.
      expect(new URL(page.url()).pathname).toBe('/supply-points');
      const cwxq = listed.sites.find((s) => s.site.code === 'CWXQ');
      expect(cwxq?.points.length).toBeGreaterThanOrEqual(1);
      // Nothing about anyone: only the points' own fields.
      for (const p of cwxq!.points) expect(Object.keys(p).sort()).toEqual(['goods', 'location', 'name', 'openNow', 'openingHours', 'phone']);

      const card = page.getByTestId('public-site-CWXQ');
      await expect.poll(() => card.isVisible()).toBe(true);
      const text = await card.innerText();
      expect(text).toContain('翠微小区');
      for (const p of cwxq!.points) expect(text).toContain(p.name);
      await expect.poll(() => card.getByTestId('public-point').count()).toBe(cwxq!.points.length);
      const openTags = await card.getByText('营业中', { exact: true }).count();
      expect(openTags).toBe(cwxq!.points.filter((p) => p.openNow).length);
      // Phone-sized: nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);

      // The language switch, as on the login page.
      await page.getByRole('button', { name: 'English' }).click();
      await untilVisible(page, 'Supply points');
      const english = await card.innerText();
      expect(english).toContain(cwxq!.site.nameEn ?? cwxq!.site.nameZh);
      expect(english).toMatch(/Open now|Closed/);
    } finally {
      await context.close();
    }
  });
});
