import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CreatedDevice, GateEventRow } from '../../src/server/modules/gate/gate.schemas';
import type { Pass } from '../../src/server/modules/passes/passes.schemas';
import { chromiumPath, demoBrowser } from '../helpers/browser';

const phone = { width: 390, height: 844 };
const shanghaiDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
const dayOffset = (days: number) => shanghaiDate(new Date(Date.now() + days * 86_400_000));

describe.skipIf(!chromiumPath)('the gate app (Chromium, phone)', { timeout: 240_000 }, () => {
  const web = demoBrowser('gate', { env: { PACESETTER_DEMO_ACCESS: 'none' } });
  const { signedIn, untilVisible } = web;

  /** The access administrator's API calls, with the session's CSRF token. */
  async function adminApi(page: Page) {
    const { csrfToken } = (await (await page.request.get(`${web.url}/api/auth/me`)).json()) as { csrfToken: string };
    return async <T>(path: string, body?: unknown, expected = body === undefined ? 200 : 201): Promise<T> => {
      const response =
        body === undefined
          ? await page.request.get(`${web.url}${path}`)
          : await page.request.post(`${web.url}${path}`, { data: body, headers: { 'x-csrf-token': csrfToken } });
      expect(response.status(), `${path}: ${await response.text()}`).toBe(expected);
      return (await response.json()) as T;
    };
  }

  it('a guard binds a phone, scans a pass (ALLOW), a revoked pass (DENY), goes offline, records two scans and syncs them once with their times', async () => {
    // The access administrator sets up a site, its gate, two residents with passes and a device.
    const admin = await signedIn('access');
    const call = await adminApi(admin);
    await call('/api/sites', { code: 'GT-S1', nameZh: '测试小区', nameEn: 'Test Garden', kind: 'community', accessLevel: 'restricted', unit: 'WZBW', temperatureMode: 'optional' });
    await call('/api/checkpoints', { code: 'GT-S1-E', nameZh: '测试小区东门', nameEn: 'Test Garden, east gate', site: 'GT-S1' });
    await call('/api/people', { code: 'GT-P1', name: '张三丰', category: 'resident', site: 'GT-S1', phone: '13900001234' });
    await call('/api/people', { code: 'GT-P2', name: '李四', category: 'resident', site: 'GT-S1', phone: '13900005678' });
    const validity = { sites: ['GT-S1'], validFrom: dayOffset(-1), validTo: dayOffset(30) };
    const pass1 = await call<Pass>('/api/passes', { person: 'GT-P1', ...validity });
    const pass2 = await call<Pass>('/api/passes', { person: 'GT-P2', ...validity });
    const qr = async (id: string) => {
      const response = await admin.request.get(`${web.url}/api/passes/${id}/qr.png`);
      expect(response.headers()['content-type']).toBe('image/png');
      return response.body();
    };
    const [qr1, qr2] = [await qr(pass1.id), await qr(pass2.id)];
    const device = await call<CreatedDevice>('/api/checkpoints/GT-S1-E/devices', { name: '东门值班手机' });
    expect(device.token).toMatch(/^dev_/);

    // The guard's phone: the link binds the device and leaves the address bar. Its "camera" films
    // the second pass card (a canvas stream standing in for getUserMedia).
    const gate = await signedIn('guard', phone);
    await gate.addInitScript((card) => {
      navigator.mediaDevices.getUserMedia = async () => {
        const image = new Image();
        image.src = card;
        await image.decode();
        const canvas = Object.assign(document.createElement('canvas'), { width: 480, height: 480 });
        const context = canvas.getContext('2d')!;
        const draw = () => {
          context.fillStyle = '#fff';
          context.fillRect(0, 0, 480, 480);
          context.drawImage(image, 80, 80, 320, 320);
        };
        draw();
        setInterval(draw, 100);
        return canvas.captureStream(10);
      };
    }, `data:image/png;base64,${qr2.toString('base64')}`);
    await gate.goto(`${web.url}/gate?device=${device.token}`);
    await expect.poll(() => gate.getByTestId('gate-place').innerText()).toBe('测试小区东门 · 测试小区');
    expect(new URL(gate.url()).search).toBe('');
    expect(await gate.evaluate(() => window.localStorage.getItem('ps.gate.device'))).toBe(device.token);
    await untilVisible(gate, '值守：门岗值守员');
    // The signed snapshot has been fetched and verified.
    await expect.poll(() => gate.getByTestId('gate-snapshot-time').getAttribute('data-at')).not.toBe('');
    expect(await gate.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(1);

    const result = gate.getByTestId('gate-result');
    const scan = async (png: Buffer) => {
      await gate.getByTestId('gate-file').setInputFiles({ name: 'pass.png', mimeType: 'image/png', buffer: png });
      await untilVisible(gate, /^通行证 …/);
      await gate.getByRole('button', { name: '核验' }).click();
      await result.waitFor({ state: 'visible' });
      const shown = { decision: await result.getAttribute('data-decision'), offline: await result.getAttribute('data-offline'), text: await result.innerText() };
      await result.click();
      await result.waitFor({ state: 'hidden' });
      return shown;
    };

    // Online: the server's answer.
    const allowed = await scan(qr1);
    expect(allowed).toMatchObject({ decision: 'allow', offline: 'false' });
    expect(allowed.text).toContain('准许通行');
    expect(allowed.text).toContain('张** · 居民');

    // The camera reads the second pass card by itself.
    await gate.getByRole('button', { name: '打开摄像头' }).click();
    await untilVisible(gate, /^通行证 …/);
    expect(await gate.getByRole('button', { name: '打开摄像头' }).count()).toBe(0); // closed once read
    await gate.getByRole('button', { name: '核验' }).click();
    await result.waitFor({ state: 'visible' });
    expect(await result.getAttribute('data-decision')).toBe('allow');
    expect(await result.innerText()).toContain('李* · 居民');
    await result.click();
    await result.waitFor({ state: 'hidden' });

    await call(`/api/passes/${pass1.id}/revoke`, { reason: '通行证遗失' }, 200);
    const revoked = await scan(qr1);
    expect(revoked).toMatchObject({ decision: 'deny', offline: 'false' });
    expect(revoked.text).toContain('禁止通行');
    expect(revoked.text).toContain('通行证已作废，禁止通行');

    // A refresh now (the minute timer's work) brings the revocation into the offline list.
    const before = await gate.getByTestId('gate-snapshot-time').getAttribute('data-at');
    await gate.getByRole('button', { name: '立即同步' }).click();
    await expect.poll(() => gate.getByTestId('gate-snapshot-time').getAttribute('data-at')).not.toBe(before);

    // Offline: decided on the phone from the signed snapshot, queued in IndexedDB.
    await gate.context().setOffline(true);
    await expect.poll(() => gate.getByTestId('gate-online').innerText()).toBe('离线');
    const offlineFrom = Date.now();
    const offlineDenied = await scan(qr1);
    const offlineAllowed = await scan(qr2);
    const offlineTo = Date.now();
    expect(offlineDenied).toMatchObject({ decision: 'deny', offline: 'true' });
    expect(offlineDenied.text).toContain('通行证已作废，禁止通行');
    expect(offlineDenied.text).toContain('离线判定');
    expect(offlineAllowed).toMatchObject({ decision: 'allow', offline: 'true' });
    expect(offlineAllowed.text).toContain('李* · 居民');
    await expect.poll(() => gate.getByTestId('gate-queue').innerText()).toBe('2');
    const storedQueue = await gate.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('ps-gate');
          open.onsuccess = () => {
            const count = open.result.transaction('queue').objectStore('queue').count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => reject(count.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    expect(storedQueue).toBe(2);

    // The app shell reloads offline (service worker), with its queue.
    await gate.reload();
    await expect.poll(() => gate.getByTestId('gate-place').innerText()).toBe('测试小区东门 · 测试小区');
    await expect.poll(() => gate.getByTestId('gate-queue').innerText()).toBe('2');

    // Back online: the queue syncs and empties.
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // recorded later than scanned
    await gate.context().setOffline(false);
    await expect.poll(() => gate.getByTestId('gate-queue').innerText(), { timeout: 30_000 }).toBe('0');
    await expect.poll(() => gate.getByTestId('gate-last-sync').getAttribute('data-at')).not.toBe('');
    // A second sync sends nothing twice.
    await gate.getByRole('button', { name: '立即同步' }).click();

    const { rows } = await call<{ rows: GateEventRow[] }>(`/api/gate/events?checkpoint=GT-S1-E&date=${shanghaiDate(new Date())}`);
    const summary = rows.map((r) => `${r.decision}:${r.reason ?? '-'}:${r.offline ? 'offline' : 'online'}:${r.person?.code ?? '-'}`).sort();
    expect(summary).toEqual(['allow:-:offline:GT-P2', 'allow:-:online:GT-P1', 'allow:-:online:GT-P2', 'deny:PASS_REVOKED:offline:GT-P1', 'deny:PASS_REVOKED:online:GT-P1']);
    for (const row of rows.filter((r) => r.offline)) {
      const at = Date.parse(row.at);
      expect(at).toBeGreaterThanOrEqual(offlineFrom - 1_000);
      expect(at).toBeLessThanOrEqual(offlineTo + 1_000);
    }
    expect(new Set(rows.map((r) => r.id)).size).toBe(5);
  });

  it('a guard opens the gate app from the menu and binds the device by pasting its token', async () => {
    const admin = await signedIn('access');
    const call = await adminApi(admin);
    await call('/api/sites', { code: 'GT-S2', nameZh: '测试厂区', kind: 'plant', accessLevel: 'restricted', unit: 'WZBW', temperatureMode: 'required' });
    await call('/api/checkpoints', { code: 'GT-S2-G1', nameZh: '测试厂区正门', site: 'GT-S2' });
    const device = await call<CreatedDevice>('/api/checkpoints/GT-S2-G1/devices', { name: '正门平板' });

    const guard = await signedIn('guard');
    await guard.getByRole('link', { name: '卡口通行' }).click();
    await guard.waitForURL((u) => u.pathname === '/gate');
    await untilVisible(guard, '绑定设备');
    const field = guard.getByLabel('设备令牌');
    await field.fill('not-a-token');
    await guard.getByRole('button', { name: '绑定' }).click();
    await untilVisible(guard, '设备令牌格式不对：应以 dev_ 开头');
    await field.fill(`  ${device.token}\n`);
    await guard.getByRole('button', { name: '绑定' }).click();
    await expect.poll(() => guard.getByTestId('gate-place').innerText()).toBe('测试厂区正门 · 测试厂区');

    // Someone without a phone gives an ID number; this plant requires a temperature on entry.
    await guard.locator('.ant-segmented-item').filter({ hasText: '证件号' }).click();
    await guard.getByLabel('证件号码').fill('X1234567');
    await guard.getByRole('button', { name: '使用此证件号' }).click();
    await untilVisible(guard, '证件号 X*****67');
    await untilVisible(guard, '请先测量并输入体温');
    const check = guard.getByRole('button', { name: '核验' });
    expect(await check.isDisabled()).toBe(true);
    for (const key of ['3', '6', '.', '5', '5']) await guard.getByRole('group', { name: '体温（℃）' }).getByRole('button', { name: key, exact: true }).click();
    await expect.poll(() => guard.getByTestId('gate-temperature').innerText()).toBe('36.5 ℃');
    await check.click();
    const result = guard.getByTestId('gate-result');
    await result.waitFor({ state: 'visible' });
    expect(await result.getAttribute('data-decision')).toBe('deny');
    expect(await result.innerText()).toContain('无通行证，请回家取证');
  });
});
