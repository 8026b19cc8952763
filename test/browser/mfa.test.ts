import { generateSync } from 'otplib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumPath, demoBrowser } from '../helpers/browser';

/** The code of a secret for the 30-second step `steps` after now (the server accepts ±1 step). */
const codeOf = (secret: string, steps = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

// Without Chromium the suite is skipped and global-setup says so loudly; under CI=true it fails the run instead.
describe.skipIf(!chromiumPath)('the second sign-in factor (Chromium)', { timeout: 240_000 }, () => {
  // The health administrator's role requires it here; the group manager may turn it on.
  const web = demoBrowser('mfa', { env: { MFA_REQUIRED_ROLES: 'health-admin' } });
  const { signedIn, sessionOf, untilVisible } = web;

  /** Reads the secret shown once, types the current code and confirms. */
  async function enrol(page: Page): Promise<string> {
    await page.getByRole('button', { name: '开始设置' }).click();
    const secretText = page.getByTestId('mfa-secret');
    await secretText.waitFor();
    // The QR code is drawn in the browser.
    await expect.poll(() => page.locator('img[src^="data:image/png"]').count()).toBe(1);
    const secret = (await secretText.innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByLabel('验证码').fill(codeOf(secret));
    const confirmed = page.waitForResponse((r) => r.url().endsWith('/api/auth/mfa/enrolment/confirm'));
    await page.getByRole('button', { name: '确认开启' }).click();
    expect((await confirmed).status()).toBe(200);
    return secret;
  }

  /** Signs in on a fresh page with the password, then the code the form asks for. */
  async function signInWithCode(username: string, code: string): Promise<{ page: Page; status: number }> {
    const page = await web.signedOut();
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('Demo#2020');
    const asked = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
    await page.locator('button[type=submit]').click();
    const first = await asked;
    expect([first.status(), ((await first.json()) as { error: { code: string } }).error.code]).toEqual([401, 'MFA_REQUIRED']);
    await page.getByLabel('验证码').fill(code);
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
    await page.locator('button[type=submit]').click();
    return { page, status: (await answered).status() };
  }

  it('the group manager turns it on from the account page; the next sign-in asks for the code, takes a fresh one and refuses a wrong one', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/account`);
    await untilVisible(page, '两步验证');
    await untilVisible(page, '未开启');
    const secret = await enrol(page);
    await untilVisible(page, '已开启');

    const wrong = await signInWithCode('manager', codeOf(secret, 1) === '000000' ? '111111' : '000000');
    expect(wrong.status).toBe(401);
    await untilVisible(wrong.page, /验证码/);
    await wrong.page.context().close();

    // The code of the next step: the one used to confirm cannot be used again.
    const right = await signInWithCode('manager', codeOf(secret, 1));
    expect(right.status).toBe(200);
    await right.page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await right.page.context().close();
  });

  it('a health administrator, whose role requires it, is sent to set it up first and gets in after', async () => {
    const page = await signedIn('health');
    await page.waitForURL((u) => u.pathname.startsWith('/mfa-setup'));
    await untilVisible(page, '请设置两步验证');
    // Nothing else answers until it is set up.
    const blocked = await page.request.get(`${web.url}/api/health/incidents`);
    expect([blocked.status(), ((await blocked.json()) as { error: { code: string } }).error.code]).toEqual([403, 'MFA_ENROLMENT_REQUIRED']);
    await enrol(page);
    await page.waitForURL((u) => !u.pathname.startsWith('/mfa-setup'));
    expect((await page.request.get(`${web.url}/api/health/incidents`)).status()).toBe(200);
  });
});
