#!/usr/bin/env node
// The JavaScript each route of the web app makes a browser download, against issue 9's budgets.
//
//   node scripts/web-budget.mjs          builds dist/web if needed, prints a table per route page,
//                                        exits 1 when a page is over its budget
//   node scripts/web-budget.mjs --json   the same figures as JSON (for docs/performance.md)
//
// A route's download is the entry chunk, the page's chunk, and everything these import statically,
// plus what they import dynamically while rendering (the ECharts chunk on a chart page), but not
// other route pages nor code imported on demand (see onDemandImport); pages inside the signed-in
// frame also load the app layout's. Each chunk counts
// once, at its gzip (level 9) size: what a server that compresses sends.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
const webRoot = path.join(root, 'src', 'web');
const distDir = path.join(root, 'dist', 'web');
const routerFile = path.join(webRoot, 'app', 'router.tsx');

/** Issue 9: the sign-in page under 250 KB of compressed JavaScript (the first thing anyone loads). */
export const loginBudgetBytes = 250 * 1024;
/** Issue 9: any other page under 700 KB of compressed JavaScript. */
export const pageBudgetBytes = 700 * 1024;
/** The route whose page gets the smaller budget. */
const loginRoute = '/login';
/** The build's entry in the manifest (Vite's root is src/web). */
const entryKey = 'index.html';
/**
 * The UI texts, loaded by app/i18n.ts in parts (one chunk per language and part, see its
 * `messageLoaders`). A route is measured in Chinese, the default language and the longer texts: every
 * page loads the core texts and the parts its `lazyPage(…)` declares in router.tsx, none the English ones.
 */
const i18nFile = path.join(webRoot, 'app', 'i18n.ts');
const textLocale = 'zh-CN';
/**
 * `import(/* on demand *\/ './x')`: code loaded when the user asks for it (a drawer or dialog opened
 * by a click, a page's second tab, a date picker once a date field is used, an export), not to show
 * the route. A route does not count it; mark only such imports.
 */
const onDemandImport = /import\(\s*\/\*\s*on demand\s*\*\/\s*'([^']+)'\s*\)/g;
/** The router's page declarations. */
const pageLoader = 'lazyPage';

/**
 * The router's lazy pages: `const X = lazyPage(() => import('…'), 'X', ['energy'])` gives X's module,
 * as the manifest names it (relative to src/web, with its extension), and the parts of the texts it
 * declares (none when the third argument is left out).
 */
function lazyPages(source, manifest) {
  const pages = new Map();
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isCallExpression(node.initializer) && node.initializer.expression.getText(source) === pageLoader) {
      const [load, , texts] = node.initializer.arguments;
      const specifier = findImportSpecifier(load);
      if (!specifier) throw new Error(`router.tsx: ${node.name.text} is a ${pageLoader} without import('…')`);
      if (texts && !(ts.isArrayLiteralExpression(texts) && texts.elements.every(ts.isStringLiteral))) throw new Error(`router.tsx: ${node.name.text} declares its texts otherwise than as ['part', …]`);
      pages.set(node.name.text, { module: manifestKeyOf(path.resolve(path.dirname(routerFile), specifier), manifest), textParts: texts ? texts.elements.map((e) => e.text) : [] });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return pages;
}

/**
 * app/i18n.ts's `messageLoaders = { part: { 'zh-CN': async () => … import('…') …, 'en-US': … }, … }`:
 * each part's Chinese module (as the manifest names it), and every text module of any language.
 */
function textParts(manifest, file = i18nFile) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const parts = new Map();
  const modules = new Set();
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText(source) === 'messageLoaders') {
      let object = node.initializer;
      while (object && !ts.isObjectLiteralExpression(object)) object = object.expression;
      if (!object) throw new Error('app/i18n.ts: messageLoaders is no object literal');
      for (const part of object.properties.filter(ts.isPropertyAssignment)) {
        for (const locale of part.initializer.properties.filter(ts.isPropertyAssignment)) {
          const specifier = findImportSpecifier(locale.initializer);
          if (!specifier) throw new Error(`app/i18n.ts: the ${part.name.getText(source)} texts of ${locale.name.getText(source)} load without import('…')`);
          const key = manifestKeyOf(path.resolve(path.dirname(file), specifier), manifest, 'are the texts a chunk of their own?');
          modules.add(key);
          if (ts.isStringLiteral(locale.name) && locale.name.text === textLocale) parts.set(part.name.getText(source), key);
        }
      }
    } else ts.forEachChild(node, visit);
  };
  visit(source);
  if (!parts.has('core')) throw new Error(`app/i18n.ts: messageLoaders has no core ${textLocale} texts`);
  return { parts, modules };
}

/** The string in the first `import('…')` inside a node. */
function findImportSpecifier(node) {
  if (!node) return null;
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) return node.arguments[0].text;
  return ts.forEachChild(node, findImportSpecifier) ?? null;
}

function manifestKeyOf(file, manifest, why = 'is the build older than router.tsx?') {
  const relative = path.relative(webRoot, file).split(path.sep).join('/');
  const key = ['.tsx', '.ts', '.jsx', '.js'].map((ext) => relative + ext).find((k) => k in manifest);
  if (!key) throw new Error(`${relative} is not in dist/web/.vite/manifest.json: ${why}`);
  return key;
}

/** The modules some source file of src/web imports on demand (as the manifest names them). */
function onDemandModules(manifest) {
  const found = new Set();
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (/\.tsx?$/.test(entry.name)) {
        for (const match of readFileSync(file, 'utf8').matchAll(onDemandImport)) {
          // A module also imported statically somewhere is no chunk of its own: it cannot load on demand.
          const key = manifestKeyOf(path.resolve(dir, match[1]), manifest, `${path.relative(root, file)} imports it on demand, but it is no chunk of its own (imported statically elsewhere?)`);
          found.add(key);
        }
      }
    }
  };
  visit(webRoot);
  return found;
}

/** The lazy pages an expression renders (`<X />` or `<X>…</X>`). */
function pagesIn(node, pages, source) {
  const found = [];
  const visit = (n) => {
    if ((ts.isJsxSelfClosingElement(n) || ts.isJsxOpeningElement(n)) && pages.has(n.tagName.getText(source))) found.push(n.tagName.getText(source));
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * Walks `export const routes = [...]`: each lazy page with the paths it is shown at, and the layout
 * page that frames it (the page in the element of a route that has children).
 */
function routedPages(source, pages) {
  const routes = new Map();
  const property = (object, name) => object.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText(source) === name)?.initializer;
  const walk = (array, parentPath, layout) => {
    for (const object of array.elements.filter(ts.isObjectLiteralExpression)) {
      const pathNode = property(object, 'path');
      const own = pathNode && ts.isStringLiteral(pathNode) ? pathNode.text : null;
      const fullPath = own === null ? parentPath : own.startsWith('/') ? own : `${parentPath.replace(/\/$/, '')}/${own}`;
      const element = property(object, 'element');
      const shown = element ? pagesIn(element, pages, source) : [];
      for (const name of shown) {
        const entry = routes.get(name) ?? { paths: [], layout };
        entry.paths.push(fullPath);
        routes.set(name, entry);
      }
      const children = property(object, 'children');
      if (children && ts.isArrayLiteralExpression(children)) walk(children, fullPath, shown[0] ?? layout);
    }
  };
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText(source) === 'routes' && node.initializer && ts.isArrayLiteralExpression(node.initializer)) walk(node.initializer, '', null);
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return routes;
}

/** Every chunk a manifest entry loads: static imports, and dynamic ones unless they are route pages, texts or on demand. */
function closure(manifest, key, skipped, into = new Set()) {
  if (into.has(key)) return into;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`${key} is not in the manifest`);
  into.add(key);
  for (const next of chunk.imports ?? []) closure(manifest, next, skipped, into);
  for (const next of chunk.dynamicImports ?? []) if (!skipped.has(next)) closure(manifest, next, skipped, into);
  return into;
}

/**
 * The figures for every lazy page of router.tsx in the current build: its routes, the chunks it
 * downloads, their gzip -9 size and its budget. Needs dist/web with its manifest (a `vite build`).
 */
export function analyseWebBudget({ dist = distDir, router = routerFile } = {}) {
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
  const source = ts.createSourceFile(router, readFileSync(router, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const pages = lazyPages(source, manifest);
  const routes = routedPages(source, pages);
  const texts = textParts(manifest);
  const skipped = new Set([...[...pages.values()].map((p) => p.module), ...texts.modules, ...onDemandModules(manifest)]);
  const gzipped = new Map();
  const gzipSize = (file) => {
    if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length);
    return gzipped.get(file);
  };
  const partModule = (part, page) => {
    if (!texts.parts.has(part)) throw new Error(`router.tsx: ${page} declares the texts '${part}', which app/i18n.ts does not load`);
    return texts.parts.get(part);
  };
  return [...pages].map(([name, { module, textParts: parts }]) => {
    const { paths, layout } = routes.get(name) ?? { paths: [], layout: null };
    const keys = closure(manifest, entryKey, skipped);
    closure(manifest, texts.parts.get('core'), skipped, keys);
    for (const part of parts) closure(manifest, partModule(part, name), skipped, keys);
    if (layout) closure(manifest, pages.get(layout).module, skipped, keys);
    closure(manifest, module, skipped, keys);
    const files = [...new Set([...keys].map((k) => manifest[k].file))].filter((f) => f.endsWith('.js')).sort();
    const bytes = files.reduce((sum, f) => sum + gzipSize(f), 0);
    const budget = paths.includes(loginRoute) ? loginBudgetBytes : pageBudgetBytes;
    return { page: name, module, routes: paths, layout, texts: parts, chunks: files.length, files, gzipBytes: bytes, budgetBytes: budget, over: bytes > budget };
  });
}

const kb = (bytes) => (bytes / 1024).toFixed(1);

function printTable(figures) {
  const rows = [...figures]
    .sort((a, b) => b.gzipBytes - a.gzipBytes)
    .map((f) => ({ route: f.routes.join(' ') || '(no route)', 'page module': f.module, chunks: f.chunks, 'gzip KB': kb(f.gzipBytes), 'budget KB': kb(f.budgetBytes), status: f.over ? 'OVER' : 'OK' }));
  console.log('JavaScript each route downloads (entry + layout + page + what they import, dynamic imports the page renders included), gzip level 9, KB = 1024 bytes:');
  console.table(rows);
}

function main() {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-web-if-needed.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const figures = analyseWebBudget();
  const over = figures.filter((f) => f.over);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ compression: 'gzip level 9', loginBudgetBytes, pageBudgetBytes, pages: figures }, null, 2));
  } else {
    printTable(figures);
    if (!over.length) console.log(`All ${figures.length} pages within budget (sign-in ${kb(loginBudgetBytes)} KB, any page ${kb(pageBudgetBytes)} KB, gzip).`);
  }
  for (const f of over) {
    console.error(`OVER: ${f.routes.join(' ') || f.module} (${f.module}) is ${kb(f.gzipBytes)} KB gzip, ${kb(f.gzipBytes - f.budgetBytes)} KB over its ${kb(f.budgetBytes)} KB budget.`);
  }
  if (over.length) {
    console.error('Split it: load the page’s heavy parts with lazy(), or move a heavy library behind a dynamic import().');
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
