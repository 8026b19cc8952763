import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumPath, demoBrowser } from '../helpers/browser';

describe.skipIf(!chromiumPath)('drill-down journeys (Chromium)', { timeout: 120_000 }, () => {
  const web = demoBrowser('dd');
  const { signedIn, sessionOf } = web;

  const shows = (scope: Page | ReturnType<Page['getByRole']>, text: string | RegExp) =>
    expect.poll(() => scope.getByText(text).first().isVisible(), { timeout: 20_000 }).toBe(true);

  it('the actual of a formula drills down to its inputs, and an input to its source and history', async () => {
    // Some history first: DJ1's leader reopens February with a reason and corrects the output.
    const leader = await signedIn('leader');
    const { csrfToken } = (await (await leader.request.get(`${web.url}/api/auth/me`)).json()) as { csrfToken: string };
    const headers = { 'x-csrf-token': csrfToken };
    const reopened = await leader.request.post(`${web.url}/api/entry/reopen`, { headers, data: { unit: 'DJ1', period: '2020-02', reason: '复核产量' } });
    expect(reopened.status()).toBe(200);
    const saved = await leader.request.put(`${web.url}/api/entry`, {
      headers,
      data: { unit: 'DJ1', period: '2020-02', values: [{ indicator: 'DJ_AL_OUT', value: 20900, note: '按计量复核更正' }] },
    });
    expect(saved.status()).toBe(200);
    await leader.context().close();

    const page = await sessionOf('manager');
    await page.goto(`${web.url}/scorecard?unit=DJ1&period=2020-02`);
    // 268 613 271 kWh ÷ 20 900 t = 12 852.3 kWh/t
    await page.getByRole('button', { name: /^铝液直流电耗实际值 12,?852，查看数据来源$/ }).click();
    const drawer = page.getByRole('dialog');
    await shows(drawer, 'DJ_DC_KWH / DJ_AL_OUT');
    await shows(drawer, /= 268,?613,?271 \/ 20,?900 = 12,?852/);
    await shows(drawer, '公式计算');
    // The formula's history shows its inputs' changes.
    await shows(drawer, '保存并审核通过（输入项：原铝产量）');
    await expect.poll(() => drawer.getByRole('button', { name: '查看直流电量（DJ_DC_KWH）的数据来源' }).isVisible()).toBe(true);

    await drawer.getByRole('button', { name: '查看原铝产量（DJ_AL_OUT）的数据来源' }).click();
    await shows(drawer, '手工填报');
    await shows(drawer, '按计量复核更正');
    await shows(drawer, /^leader$/);
    const history = drawer.locator('.ant-timeline');
    await shows(history, '保存并审核通过');
    await shows(history, /20,?907 → 20,?900/);
    await shows(history, '重新打开');
    await shows(history, '审核通过 → 退回');
    expect(await history.getByText('leader', { exact: true }).count()).toBe(2);

    // The breadcrumb leads back to the formula.
    await drawer.getByRole('button', { name: '铝液直流电耗 · 2020-02' }).click();
    await shows(drawer, 'DJ_DC_KWH / DJ_AL_OUT');
    await drawer.getByRole('button', { name: '查看直流电量（DJ_DC_KWH）的数据来源' }).click();
    await shows(drawer, '演示数据');
    await shows(drawer, /268,?613,?271/);
  });

  it('a heatmap cell of the group analysis opens where its number comes from', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/analysis?period=2020-02&scope=period`);
    const heatmap = page.getByRole('img', { name: '各单位各指标与目标差距的热力图' });
    await expect.poll(() => heatmap.locator('canvas').first().isVisible(), { timeout: 20_000 }).toBe(true);
    const requested: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/entry/detail?')) requested.push(r.url());
    });
    const drawer = page.getByRole('dialog');
    // The canvas has no elements to click, and most unit × indicator cells are empty: read the
    // chart's canvases back (ECharts draws the cells on a layer of their own) and click the middle
    // of the first cell drawn, a block of at least 6 × 6 pixels that is coloured (a gap to target,
    // red to green) or #d9d9d9 (no target). Empty cells and grid lines are white or lighter, and
    // labels are grey strokes.
    const findCell = () =>
      heatmap.evaluate((chart) => {
        for (const c of chart.querySelectorAll('canvas')) {
          const { width, height } = c;
          const px = c.getContext('2d')!.getImageData(0, 0, width, height).data;
          const coloured = (x: number, y: number) => {
            const i = (y * width + x) * 4;
            const [r, g, b, a] = [px[i]!, px[i + 1]!, px[i + 2]!, px[i + 3]!];
            return a > 200 && (Math.max(r, g, b) - Math.min(r, g, b) > 15 || [r, g, b].every((v) => Math.abs(v - 0xd9) <= 2));
          };
          const rect = c.getBoundingClientRect();
          const scale = width / rect.width;
          for (let y = 0; y < height; y++)
            for (let x = 0; x < width; x++)
              if (coloured(x, y)) {
                let right = x;
                while (right + 1 < width && coloured(right + 1, y)) right++;
                let bottom = y;
                while (bottom + 1 < height && coloured(x, bottom + 1)) bottom++;
                if (right - x >= 5 * scale && bottom - y >= 5 * scale) return { x: rect.left + (x + right) / 2 / scale, y: rect.top + (y + bottom) / 2 / scale };
              }
        }
        return null;
      });
    // ECharts draws on a later animation frame: read again until the cells are there.
    let cell: Awaited<ReturnType<typeof findCell>> = null;
    await expect.poll(async () => (cell = await findCell()) !== null, { message: 'a cell drawn on the heat map' }).toBe(true);
    await page.mouse.click(cell!.x, cell!.y);
    await drawer.waitFor({ state: 'visible', timeout: 20_000 });
    await expect.poll(() => requested.length).toBeGreaterThan(0);
    // The drawer shows the cell last asked for.
    const query = new URL(requested.at(-1)!).searchParams;
    expect(query.get('period')).toBe('2020-02');
    await shows(drawer, query.get('indicator')!);
    await shows(drawer, '数据溯源');
    await shows(drawer, '修改记录');
    await expect.poll(() => drawer.getByRole('button', { name: '打开该单位的对标看板' }).isVisible()).toBe(true);
    await drawer.getByRole('button', { name: '打开该单位的对标看板' }).click();
    await page.waitForURL((u) => u.pathname === '/scorecard' && u.searchParams.get('unit') === query.get('unit'));
  });

  it('a weak spot year to date shows the months it is made of, and one month further down', async () => {
    const page = await sessionOf('manager');
    await page.goto(`${web.url}/analysis?period=2020-02&scope=ytd`);
    await page.getByRole('button', { name: /^人均利润实际值 0\.36，查看数据来源$/ }).first().click();
    const drawer = page.getByRole('dialog');
    await shows(drawer, '构成月份');
    // (130 + 140)万元 ÷ average (755, 744) people: the ratio of the window's totals, as the scorecard has it.
    await shows(drawer, /= 270\.0 \/ 750 = 0\.360/);
    await drawer.getByRole('button', { name: '查看人均利润 2020-01 的数据来源' }).click();
    await shows(drawer, /= 130\.0 \/ 755 = 0\.172/);
    await shows(drawer, '演示数据');
    await drawer.getByRole('button', { name: '人均利润 · 2020-02 累计' }).click();
    await shows(drawer, '构成月份');
  });
});
