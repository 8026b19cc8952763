import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { fromMigratedPglite, projectRoot, startServer } from './cli';
import { personalDataInLog } from './log-scan';

/** Debian's Chromium, when there is one (global-setup finds it; under CI its absence fails). */
export const chromiumPath = inject('chromiumPath');
/** Every demo account's password (demo mode). */
const demoPassword = 'Demo#2020';

export interface DemoBrowser {
  /** The server's address (known once the suite has started). */
  readonly url: string;
  /** A fresh browser context without a session, in Chinese, on the sign-in page. */
  signedOut(viewport?: { width: number; height: number }): Promise<Page>;
  /** A fresh browser context signed in as a demo user (password Demo#2020), in Chinese. */
  signedIn(username: string, viewport?: { width: number; height: number }): Promise<Page>;
  /**
   * A fresh browser context with a demo user's session made through the API, on a blank page: for
   * tests that open their own page first. It skips the sign-in page and the home page that
   * `signedIn` goes through (about a second of CPU each on a loaded machine); signing in through the
   * page stays tested by the tests that use `signedIn`.
   */
  sessionOf(username: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** Waits until a text is visible on the page. */
  untilVisible(page: Page, text: string | RegExp): Promise<void>;
  /**
   * Sets the server's clock (suites made with `{ clock: true }`): from now on it reads `iso` plus
   * the time since. Sessions do not survive a jump of days: sign in again afterwards.
   */
  setClock(iso: string): void;
}

/**
 * One browser suite's fixtures, registered in the calling `describe`: builds the web app if
 * needed, starts the demo server on its own data directory and Chromium, closes all of it
 * afterwards, and screenshots a failing test's page (named after `prefix`). `env` adds server
 * environment variables (e.g. PACESETTER_DEMO_ENERGY).
 */
export function demoBrowser(prefix: string, options: { clock?: boolean; env?: Record<string, string> } = {}): DemoBrowser {
  const dir = mkdtempSync(path.join(tmpdir(), `ps-browser-${prefix}-`));
  const clockFile = path.join(dir, 'clock');
  let server: ReturnType<typeof startServer>;
  let url = '';
  let browser: Browser;
  let current: Page | null = null;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(projectRoot, 'scripts', 'build-web-if-needed.mjs')], { cwd: projectRoot, stdio: 'inherit' });
    // Request logs too (info): the log scan in afterAll reads every line the server wrote.
    // The server starts on a copy of a migrated data directory (global-setup.ts) and loads the demo.
    fromMigratedPglite(path.join(dir, 'data'));
    server = startServer({ LOG_LEVEL: 'info', ...options.env, DATA_DIR: path.join(dir, 'data'), ...(options.clock ? { PACESETTER_CLOCK_FILE: clockFile } : {}) });
    url = await server.url;
    browser = await chromium.launch({ executablePath: chromiumPath!, args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    // Issue 8 item 2: no ID number or phone number in any line the server logged during the suite.
    if (server) {
      const log = server.output();
      const findings = personalDataInLog(log);
      const lines = log.split('\n').length;
      if (findings.length) throw new Error(`personal data in the server log of the ${prefix} suite: ${findings.slice(0, 10).map((f) => `line ${f.line}: ${f.kind} ${f.masked}`).join('; ')}`);
      console.log(`log scan (${prefix}): ${lines} lines, no ID number or phone number`);
    }
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && current && !current.isClosed()) {
      const file = path.join(tmpdir(), `ps-browser-${prefix}-failure-${Date.now()}.png`);
      await current.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.error(`Browser test failed at ${current.url()}; screenshot: ${file}`);
    }
    await current?.context().close().catch(() => {});
    current = null;
  });

  async function blankPage(viewport = { width: 1366, height: 900 }): Promise<Page> {
    // Reduced motion: the app then opens dialogs and dropdowns without animating, and a click
    // cannot land while one is still animating in (antd ignores clicks then; CI lost several).
    const context = await browser.newContext({ viewport, locale: 'zh-CN', reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    current = page;
    return page;
  }

  async function signedOut(viewport?: { width: number; height: number }): Promise<Page> {
    const page = await blankPage(viewport);
    await page.goto(`${url}/login`);
    return page;
  }

  return {
    get url() {
      return url;
    },
    signedOut,
    async signedIn(username, viewport = { width: 1366, height: 900 }) {
      const page = await signedOut(viewport);
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(demoPassword);
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
      await page.locator('button[type=submit]').click();
      expect((await answered).status()).toBe(200);
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      return page;
    },
    async sessionOf(username, viewport) {
      const page = await blankPage(viewport);
      // The context's cookie jar keeps the session cookie the answer sets (page.request shares it).
      const answer = await page.request.post(`${url}/api/auth/login`, { data: { username, password: demoPassword } });
      expect(answer.status(), await answer.text()).toBe(200);
      return page;
    },
    untilVisible: (page, text) => expect.poll(() => page.getByText(text).first().isVisible(), { timeout: 20_000 }).toBe(true),
    setClock(iso) {
      if (!options.clock) throw new Error(`demoBrowser('${prefix}') was made without { clock: true }`);
      writeFileSync(clockFile, iso);
    },
  };
}

/**
 * Chooses `label` in an antd select (typing `search` first into a searchable one) and waits until
 * the select shows it. The option is taken from
 * the dropdown this select controls (aria-controls), never from another select's dropdown that is
 * still fading out, and the pick is retried if the dropdown closed before the click landed.
 */
export async function pickIn(page: Page, combobox: Locator, label: string, options: { search?: string } = {}): Promise<void> {
  const select = combobox.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  for (let attempt = 1; ; attempt++) {
    await combobox.click();
    // A searchable select lists what matches the typed text.
    if (options.search !== undefined) await combobox.fill(options.search);
    const listId = await combobox.getAttribute('aria-controls');
    const dropdown = listId ? page.locator('.ant-select-dropdown').filter({ has: page.locator(`[id="${listId}"]`) }) : page.locator('.ant-select-dropdown:visible');
    try {
      await dropdown.locator('.ant-select-item-option', { hasText: label }).first().click({ timeout: 5_000 });
      await expect.poll(() => select.textContent(), { timeout: 3_000 }).toContain(label);
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Presses a button of the open confirmation (Modal.confirm) and waits until it has closed. The
 * click waits for the opening animation to end and is repeated while the confirmation stays open:
 * on a loaded machine a click during the animation was seen to miss (CI, twice).
 */
export async function confirmWith(page: Page, button: string | RegExp): Promise<void> {
  const modal = page.locator('.ant-modal-confirm').last();
  await modal.waitFor({ state: 'visible' });
  await expect.poll(() => modal.evaluate((el) => /ant-zoom-(appear|enter)/.test(el.className))).toBe(false);
  const target = modal.getByRole('button', { name: button });
  for (let attempt = 1; ; attempt++) {
    await target.click();
    try {
      await target.waitFor({ state: 'hidden', timeout: 10_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e; // still open after three clicks: a real failure
    }
  }
}
