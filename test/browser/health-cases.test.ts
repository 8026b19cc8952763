import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CaseLedger } from '../../src/server/modules/health-cases/cases.schemas';
import type { IncidentView } from '../../src/server/modules/health-incidents/incidents.schemas';
import type { Quarantine, QuarantinePage } from '../../src/server/modules/health-quarantines/quarantines.schemas';
import type { PersonList } from '../../src/server/modules/people/people.schemas';
import { chromiumPath, demoBrowser, pickIn } from '../helpers/browser';

const phone = { width: 390, height: 844 };
const shanghaiDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
// The server's clock: today (Asia/Shanghai) at 11:00, whatever the hour the suite runs at, so that
// "yesterday" and "today" are the same days for the test, the browser and the server.
const today = shanghaiDate.format(new Date());
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const yesterday = addDays(today, -1);

describe.skipIf(!chromiumPath)('abnormal cases, contacts and quarantines (Chromium, small access and health demo)', { timeout: 300_000 }, () => {
  // Sessions last a week: the server's 11:00 may be hours from the browser's time.
  const web = demoBrowser('health-cases', { clock: true, env: { PACESETTER_DEMO_ACCESS: 'small', PACESETTER_DEMO_HEALTH: 'small', SESSION_MAX_HOURS: '168' } });
  web.setClock(`${today}T03:00:00Z`);
  const { signedIn, untilVisible } = web;

  const getJson = async <T>(page: Page, path: string): Promise<T> => {
    const r = await page.request.get(`${web.url}${path}`);
    expect(r.status(), await r.text()).toBe(200);
    return (await r.json()) as T;
  };

  /** The active incident; one over 翠微小区 is started when the demo has none. */
  async function ensureIncident(page: Page): Promise<IncidentView> {
    const active = await getJson<IncidentView | null>(page, '/api/health/incidents/active');
    if (active) return active;
    const csrf = await page.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { csrfToken: string }).csrfToken);
    const created = await page.request.post(`${web.url}/api/health/incidents`, { headers: { 'x-csrf-token': csrf }, data: { name: '浏览器测试疫情', startDate: addDays(today, -7), sites: ['CWXQ'] } });
    expect(created.status(), await created.text()).toBe(201);
    return (await created.json()) as IncidentView;
  }

  /** Two 翠微小区 residents without any case or quarantine yet (the demo's contacts are left alone). */
  async function freshPair(page: Page): Promise<[{ code: string; name: string }, { code: string; name: string }]> {
    const people = await getJson<PersonList>(page, '/api/people?site=CWXQ&category=resident&page=1&pageSize=500');
    const quarantined = await getJson<QuarantinePage>(page, '/api/health/quarantines?status=all&site=CWXQ&pageSize=200');
    const cases = await getJson<CaseLedger>(page, '/api/health/cases?incident=all&site=CWXQ&pageSize=200');
    const taken = new Set([...quarantined.rows.map((r) => r.person.code), ...cases.rows.map((r) => r.person.code)]);
    const free = people.items.filter((p) => p.unit === null && !taken.has(p.code)).reverse();
    expect(free.length).toBeGreaterThanOrEqual(2);
    return [free[0]!, free[1]!];
  }

  it('the health administrator records a close contact on a tracking card; the contact’s quarantine shows 14 days × 2 checks, today’s due, and a check recorded on a phone turns done', async () => {
    const page = await signedIn('health');
    const incident = await ensureIncident(page);
    expect(incident.settings.followUpDays).toBe(14);
    expect(incident.settings.followUpPerDay).toBe(2);
    const [source, contact] = await freshPair(page);

    // A case opened by hand for the source (the API; the page's own form is the same call).
    const csrf = await page.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { csrfToken: string }).csrfToken);
    const opened = await page.request.post(`${web.url}/api/health/cases`, { headers: { 'x-csrf-token': csrf }, data: { person: source.code, reason: 'OTHER', note: '浏览器测试：手工登记' } });
    expect(opened.status(), await opened.text()).toBe(201);
    const { id: caseId, number } = (await opened.json()) as { id: string; number: number };

    // The ledger lists it (masked name, code, reason); its card opens from the row.
    await page.goto(`${web.url}/health/cases?q=${source.code}`);
    const row = page.locator('.ant-table-row').filter({ hasText: source.code });
    await expect.poll(() => row.count()).toBe(1);
    const rowText = await row.innerText();
    expect(rowText).toContain('其他');
    expect(rowText).toContain('跟踪中');
    expect(rowText).not.toContain(source.name);
    await row.getByRole('button', { name: '跟踪卡' }).click();
    await page.waitForURL(`**/health/cases/${caseId}`);
    await untilVisible(page, `异常情况跟踪卡 No. ${number}`);
    await untilVisible(page, '发现异常');

    // Record the exposure through the card: the contact, yesterday, household, close.
    await page.getByRole('button', { name: '添加接触者' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '传染源' });
    await pickIn(page, dialog.getByLabel('接触者', { exact: true }), contact.code, { search: contact.code });
    const date = dialog.getByLabel('接触日期');
    await date.click();
    await date.fill(yesterday);
    await date.press('Enter');
    await expect.poll(() => date.inputValue()).toBe(yesterday);
    const created = page.waitForResponse((r) => r.url().endsWith('/api/health/exposures') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: '保存' }).click();
    const answer = await created;
    expect(answer.status(), await answer.text()).toBe(201);
    const { quarantineId } = (await answer.json()) as { quarantineId: string | null };
    expect(quarantineId).toMatch(/^[0-9a-f-]{36}$/);
    // The card's timeline now names the contact.
    await untilVisible(page, new RegExp(`接触者 .+（${contact.code}）`));

    // The contact's quarantine, on a phone: every day from the day after the exposure through day 14, 2 checks a day.
    await page.setViewportSize(phone);
    await page.getByRole('button', { name: '打开隔离观察' }).click();
    await page.waitForURL(`**/health/quarantines/${quarantineId}`);
    const cells = page.getByTestId('check-cell');
    await expect.poll(() => cells.count()).toBe(28);
    const slots = await cells.evaluateAll((els) => els.map((el) => ({ date: el.getAttribute('data-date'), slot: el.getAttribute('data-slot'), state: el.getAttribute('data-state') })));
    const days = [...new Set(slots.map((s) => s.date))];
    expect(days).toEqual(Array.from({ length: 14 }, (_v, i) => addDays(yesterday, i + 1)));
    for (const d of days) expect(slots.filter((s) => s.date === d).map((s) => s.slot)).toEqual(['1', '2']);
    // Today's two checks are due and stand out; the rest are planned.
    expect(slots.filter((s) => s.state === 'due').map((s) => `${s.date}#${s.slot}`)).toEqual([`${today}#1`, `${today}#2`]);
    expect(slots.filter((s) => s.state === 'planned')).toHaveLength(26);
    const firstDue = page.locator(`[data-testid="check-cell"][data-date="${today}"][data-slot="1"]`);
    expect(await firstDue.getAttribute('class')).toContain('check-due');
    expect(await firstDue.evaluate((el) => getComputedStyle(el).borderTopColor)).toBe('rgb(22, 119, 255)');
    // The API says the same.
    const api = await getJson<Quarantine>(page, `/api/health/quarantines/${quarantineId}`);
    expect(api.followUps).toHaveLength(28);
    expect(api.window).toEqual({ start: today, end: addDays(yesterday, 14) });

    // Record the first due check at 390 px: the form fits the screen; the cell turns done.
    await firstDue.click();
    const form = page.getByRole('dialog').filter({ hasText: `登记随访：${today} 第 1 次` });
    await form.waitFor({ state: 'visible' });
    const box = await form.locator('.ant-modal-container, .ant-modal-content').first().boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(phone.width);
    await form.getByLabel('体温（°C）').fill('36.6');
    const recorded = page.waitForResponse((r) => r.url().endsWith(`/api/health/quarantines/${quarantineId}/follow-ups`) && r.request().method() === 'POST');
    await form.getByRole('button', { name: '登记' }).click();
    const check = await recorded;
    expect(check.status(), await check.text()).toBe(200);
    expect(((await check.json()) as { fever: boolean }).fever).toBe(false);
    await expect.poll(() => firstDue.getAttribute('data-state')).toBe('done');
    expect(await firstDue.innerText()).toContain('36.6 °C');
    const after = await cells.evaluateAll((els) => els.map((el) => el.getAttribute('data-state')));
    expect(after.filter((s) => s === 'done')).toHaveLength(1);
    expect(after.filter((s) => s === 'due')).toHaveLength(1);
    expect(after).toHaveLength(28);
    await untilVisible(page, '已随访 1 · 今日待随访 1 · 漏访 0 · 待随访 26');
  });
});
