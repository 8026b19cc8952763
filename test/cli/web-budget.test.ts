import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/cli';

/** One row of `node scripts/web-budget.mjs --json`. */
interface PageFigure {
  page: string;
  module: string;
  routes: string[];
  /** The parts of the UI texts the page declares in router.tsx (besides the core texts). */
  texts: string[];
  files: string[];
  gzipBytes: number;
  budgetBytes: number;
  over: boolean;
}

interface BudgetReport {
  compression: string;
  loginBudgetBytes: number;
  pageBudgetBytes: number;
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

  it('loads one language, the core texts everywhere, a section’s texts only with its pages, and no antd on the sign-in page', () => {
    const page = (module: string) => report.pages.find((p) => p.module === module)!;
    const login = report.pages.find((p) => p.routes.includes('/login'))!;
    // A text part's chunk: its name and an 8-character hash (`scorecard-page-….js` is a page, not texts).
    const texts = (name: string) => new RegExp(`/${name}-[\\w-]{8}\\.js$`);
    const has = (p: PageFigure, chunk: RegExp) => p.files.some((f) => chunk.test(f));
    // Measured in Chinese, the default language: the English texts are chunks nobody counts.
    expect(has(login, texts('zh-CN'))).toBe(true);
    expect(report.pages.filter((p) => has(p, /[/-]en(-US)?-[\w-]{8}\.js$/)).map((p) => p.module)).toEqual([]);
    expect(has(login, /\/antd-providers-[^/]+\.js$/)).toBe(false);
    expect(login.texts).toEqual([]);
    expect(report.pages.filter((p) => !has(p, texts('zh-CN'))).map((p) => p.module)).toEqual([]);
    // A page loads the parts it declares, and only those.
    const riskAreas = page('features/health/care/risk-areas-page.tsx');
    expect(riskAreas.texts).toEqual(['healthCare']);
    expect(has(riskAreas, texts('health-care'))).toBe(true);
    expect(has(riskAreas, texts('health-cases'))).toBe(false);
    const scorecard = page('features/scorecard/scorecard-page.tsx');
    expect(scorecard.texts).toEqual(['scorecard']);
    expect(has(scorecard, texts('scorecard'))).toBe(true);
    expect(has(scorecard, texts('health-care'))).toBe(false);
    expect(has(scorecard, texts('energy'))).toBe(false);
    const energy = page('features/energy/dashboard-page.tsx');
    expect(energy.texts).toEqual(['energy']);
    expect(has(energy, texts('energy'))).toBe(true);
    expect(has(energy, texts('scorecard'))).toBe(false);
    const warnings = page('features/warnings/warnings-page.tsx');
    expect(warnings.texts).toEqual(['warnings', 'evaluations']);
    expect(has(warnings, texts('warnings')) && has(warnings, texts('evaluations'))).toBe(true);
    expect(has(page('app/app-layout.tsx'), texts('supervision'))).toBe(false);
  });

  it('has the sign-in page under 250 KB', () => {
    const login = report.pages.find((p) => p.routes.includes('/login'))!;
    expect(report.loginBudgetBytes).toBe(250 * 1024);
    expect(login.gzipBytes).toBeLessThan(250 * 1024);
  });

  it('has every page under 700 KB, and `npm run budget` passes', () => {
    expect(report.pageBudgetBytes).toBe(700 * 1024);
    const over = report.pages.filter((p) => p.gzipBytes > p.budgetBytes).map((p) => `${p.routes.join(' ') || p.module}: ${kb(p.gzipBytes)} of ${kb(p.budgetBytes)}`);
    expect(over, 'pages over budget (npm run budget shows what each downloads)').toEqual([]);
    expect(exitCode).toBe(0);
  });
});
