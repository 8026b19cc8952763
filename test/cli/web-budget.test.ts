import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/cli';

/** One row of `node scripts/web-budget.mjs --json`. */
interface PageFigure {
  page: string;
  module: string;
  routes: string[];
  files: string[];
  gzipBytes: number;
  budgetBytes: number;
  over: boolean;
}

interface BudgetReport {
  compression: string;
  loginBudgetBytes: number;
  pageBudgetBytes: number;
  /** Pages still over the page budget, with the most each may weigh (scripts/web-budget.mjs). */
  knownOverBytes: Record<string, number>;
  pages: PageFigure[];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

// Issue 9: the JavaScript budgets of the web app, checked on every `npm test`.
describe('web performance budget (gzip JavaScript per route)', () => {
  let report: BudgetReport;
  let exitCode: number | null;

  beforeAll(() => {
    // Like the browser suites: build dist/web when it is missing or older than its sources.
    execFileSync(process.execPath, [path.join(projectRoot, 'scripts', 'build-web-if-needed.mjs')], { cwd: projectRoot, stdio: 'inherit' });
    const run = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'web-budget.mjs'), '--json'], { cwd: projectRoot, encoding: 'utf8' });
    report = JSON.parse(run.stdout) as BudgetReport;
    exitCode = run.status;
  }, 240_000);

  it('finds every route page of router.tsx in the build', () => {
    expect(report.compression).toBe('gzip level 9');
    expect(report.pages.length).toBeGreaterThan(20);
    expect(report.pages.map((p) => p.module)).toEqual(expect.arrayContaining(['features/auth/login-page.tsx', 'app/app-layout.tsx', 'features/scorecard/scorecard-page.tsx']));
    // A page inside the signed-in frame also downloads the layout's chunk.
    const layout = report.pages.find((p) => p.module === 'app/app-layout.tsx')!;
    const scorecard = report.pages.find((p) => p.module === 'features/scorecard/scorecard-page.tsx')!;
    expect(scorecard.routes).toEqual(['/scorecard']);
    expect(scorecard.files).toEqual(expect.arrayContaining(layout.files));
  });

  it('keeps ECharts out of the sign-in page and loads it on a chart page (code splitting)', () => {
    const login = report.pages.find((p) => p.routes.includes('/login'))!;
    const scorecard = report.pages.find((p) => p.module === 'features/scorecard/scorecard-page.tsx')!;
    const echarts = (p: PageFigure) => p.files.filter((f) => /\/echarts-view-[^/]+\.js$/.test(f));
    expect(echarts(scorecard)).toHaveLength(1);
    expect(echarts(login)).toEqual([]);
  });

  it('loads one language, the health texts only with health pages, and no antd on the sign-in page', () => {
    const page = (module: string) => report.pages.find((p) => p.module === module)!;
    const login = report.pages.find((p) => p.routes.includes('/login'))!;
    const has = (p: PageFigure, chunk: RegExp) => p.files.some((f) => chunk.test(f));
    // Measured in Chinese, the default language: the English texts are a chunk nobody counts.
    expect(has(login, /\/zh-CN-[^/]+\.js$/)).toBe(true);
    expect(has(login, /\/en-US-[^/]+\.js$/)).toBe(false);
    expect(has(login, /\/antd-providers-[^/]+\.js$/)).toBe(false);
    expect(has(page('features/health/care/risk-areas-page.tsx'), /\/health-zh-CN-[^/]+\.js$/)).toBe(true);
    expect(has(page('features/scorecard/scorecard-page.tsx'), /\/health-zh-CN-[^/]+\.js$/)).toBe(false);
  });

  it('has the sign-in page under 250 KB', () => {
    const login = report.pages.find((p) => p.routes.includes('/login'))!;
    expect(report.loginBudgetBytes).toBe(250 * 1024);
    expect(login.gzipBytes).toBeLessThan(250 * 1024);
  });

  it('has every page under 700 KB, except the listed ones, which may not grow (and leave the list once under)', () => {
    expect(report.pageBudgetBytes).toBe(700 * 1024);
    const known = report.knownOverBytes;
    const over = report.pages.filter((p) => p.gzipBytes > p.budgetBytes && !(p.module in known)).map((p) => `${p.routes.join(' ') || p.module}: ${kb(p.gzipBytes)} of ${kb(p.budgetBytes)}`);
    expect(over, 'pages over budget (npm run budget shows what each downloads)').toEqual([]);
    const grown = report.pages.filter((p) => p.module in known && p.gzipBytes > known[p.module]!).map((p) => `${p.module}: ${kb(p.gzipBytes)}, was at most ${kb(known[p.module]!)}`);
    expect(grown, 'listed pages that grew').toEqual([]);
    const fixed = report.pages.filter((p) => p.module in known && p.gzipBytes <= p.budgetBytes).map((p) => p.module);
    expect(fixed, 'under budget now: take them off knownOverBytes in scripts/web-budget.mjs').toEqual([]);
    const listed = report.pages.filter((p) => p.module in known);
    if (listed.length) console.warn(`\n!! ${listed.length} pages are still over the 700 KB budget (issue 9): ${listed.map((p) => `${p.routes.join(' ')} ${kb(p.gzipBytes)}`).join(', ')}\n`);
    expect(exitCode).toBe(listed.length ? 1 : 0);
  });
});
