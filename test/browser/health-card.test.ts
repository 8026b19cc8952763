import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { DeclarationList, DeclarationResult, MyDeclarations } from '../../src/server/modules/health-declarations/declarations.schemas';
import type { IncidentView } from '../../src/server/modules/health-incidents/incidents.schemas';
import { chromiumPath, demoBrowser } from '../helpers/browser';

const phone = { width: 390, height: 844 };

describe.skipIf(!chromiumPath)('the health card (Chromium, small access and health demo)', { timeout: 300_000 }, () => {
  const web = demoBrowser('health-card', { env: { PACESETTER_DEMO_ACCESS: 'small', PACESETTER_DEMO_HEALTH: 'small' } });
  const { signedIn, sessionOf, untilVisible } = web;

  /** Emergency mode on: the demo's incident, or one over every site started here (as the health admin). */
  async function ensureIncident(page: Page): Promise<IncidentView> {
    const active = (await (await page.request.get(`${web.url}/api/health/incidents/active`)).json()) as IncidentView | null;
    if (active) return active;
    const sites = (await (await page.request.get(`${web.url}/api/sites`)).json()) as { rows: { code: string }[] };
    const csrf = ((await (await page.request.get(`${web.url}/api/auth/me`)).json()) as { csrfToken: string }).csrfToken;
    const created = await page.request.post(`${web.url}/api/health/incidents`, {
      headers: { 'x-csrf-token': csrf },
      data: { name: '浏览器测试应急事件', startDate: '2020-01-24', sites: sites.rows.map((s) => s.code) },
    });
    expect(created.status()).toBe(201);
    return (await created.json()) as IncidentView;
  }

  /** No page is wider than the phone (nothing to scroll sideways). */
  const fitsPhone = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(1);

  it('a grid worker declares a fever (38.2 °C) on a phone, for himself and on behalf of a resident, sees the yellow or red status with its explanation, and the health admin finds the new FEVER case in the ledger', async () => {
    const admin = await signedIn('health');
    await ensureIncident(admin);
    await admin.context().close();

    const page = await signedIn('grid', phone);
    const explained = (colour: string) => (colour === 'red' ? /红码：/ : /黄码：规则「发热」— 发热 = 是/);
    const declared = (p: Page) => p.waitForResponse((r) => r.url().endsWith('/api/health/declarations') && r.request().method() === 'POST');

    // The own card, when the demo links the grid worker to a covered person.
    const mine = (await (await page.request.get(`${web.url}/api/health/declarations/mine`)).json()) as MyDeclarations;
    if (mine.person && mine.covered) {
      await page.goto(`${web.url}/health/card`);
      await untilVisible(page, `今日填报 · ${mine.today}`);
      await fitsPhone(page);
      await page.getByLabel('体温', { exact: true }).fill('38.2');
      await page.getByLabel('咳嗽').check();
      const sent = declared(page);
      await page.getByRole('button', { name: /提交健康卡|更新今日填报/ }).click();
      const response = await sent;
      expect([200, 201]).toContain(response.status());
      const own = (await response.json()) as DeclarationResult;
      expect(['yellow', 'red']).toContain(own.status);
      expect(own.abnormalCaseId).not.toBeNull();
      const status = page.getByTestId('health-status');
      await expect.poll(() => status.getAttribute('data-colour')).toBe(own.status);
      // The rule and the facts that gave the colour, and a calm word that someone will call.
      await expect.poll(() => status.innerText()).toMatch(explained(own.status));
      await untilVisible(page, '健康管理人员会与您联系');
      await fitsPhone(page);
    }

    // On behalf of a resident who has not declared today, from the grid worker's list on the phone.
    const missing = (await (await page.request.get(`${web.url}/api/health/declarations?state=missing&pageSize=100`)).json()) as DeclarationList;
    const resident = missing.rows.find((r) => r.status === 'green' || r.status === null) ?? missing.rows[0]!;
    await page.goto(`${web.url}/health/declarations?state=missing&q=${resident.code}`);
    const card = page.getByTestId('declaration-card').filter({ hasText: resident.code });
    await expect.poll(() => card.count()).toBe(1);
    await fitsPhone(page);
    await card.getByRole('button', { name: '代填' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('体温', { exact: true }).fill('38.2');
    const sent = declared(page);
    await dialog.getByRole('button', { name: '提交健康卡' }).click();
    const response = await sent;
    expect(response.status()).toBe(201);
    const answer = (await response.json()) as DeclarationResult;
    expect(['yellow', 'red']).toContain(answer.status);
    expect(answer.abnormalCaseId).not.toBeNull();
    const status = dialog.getByTestId('health-status');
    await expect.poll(() => status.getAttribute('data-colour')).toBe(answer.status);
    expect(await status.innerText()).toContain(answer.status === 'red' ? '红码' : '黄码');
    await expect.poll(() => status.innerText()).toMatch(explained(answer.status));
    await dialog.getByRole('button', { name: '完成' }).click();

    // The list has it as declared on behalf, the fever in red.
    await page.goto(`${web.url}/health/declarations?state=declared&q=${resident.code}`);
    const done = page.getByTestId('declaration-card').filter({ hasText: resident.code });
    await expect.poll(() => done.count()).toBe(1);
    expect(await done.innerText()).toContain('38.2 °C');
    expect(await done.innerText()).toContain('代填');
    expect(await done.locator('[data-fever]').count()).toBe(1);
    await fitsPhone(page);

    // The health admin finds the FEVER case in the ledger, by the person's code.
    const ledger = await sessionOf('health');
    await ledger.goto(`${web.url}/health/cases?q=${resident.code}`);
    const caseRow = ledger.locator('.ant-table-row').filter({ hasText: resident.code });
    await expect.poll(() => caseRow.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await caseRow.first().innerText()).toContain('发热');
  });

  it('the rules test bench: 37.3 °C is yellow by the fever rule, 37.2 °C is green', async () => {
    const page = await signedIn('health');
    await ensureIncident(page);
    await page.goto(`${web.url}/health/rules`);
    await untilVisible(page, '规则试算台');
    // The rules table lists the fever rule with its condition in words.
    const feverRule = page.locator('.ant-table-row').filter({ hasText: 'YELLOW_FEVER' });
    await expect.poll(() => feverRule.innerText()).toContain('发热 = 是');
    const result = page.getByTestId('bench-result');
    const temperature = page.getByLabel('体温', { exact: true });

    await temperature.fill('37.3');
    await expect.poll(() => result.getAttribute('data-colour')).toBe('yellow');
    await expect.poll(() => result.innerText()).toContain('YELLOW_FEVER');
    expect(await result.innerText()).toContain('黄码');

    await temperature.fill('37.2');
    await expect.poll(() => result.getAttribute('data-colour')).toBe('green');
    await expect.poll(() => result.innerText()).toContain('DEFAULT_GREEN');
    expect(await result.innerText()).toContain('绿码');
  });
});
