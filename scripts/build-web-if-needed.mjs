// `npm start` builds the web app when its build is missing or older than its sources, so a fresh
// clone needs nothing but `npm ci && npm start`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'web', 'index.html');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
}

// The web app imports the server's schemas and the domain's formulas.
const sources = [path.join(root, 'src', 'web'), path.join(root, 'src', 'server', 'modules'), path.join(root, 'src', 'domain')];
const sourceTime = Math.max(...sources.filter(existsSync).map(newest), statSync(path.join(root, 'vite.config.ts')).mtimeMs);
if (existsSync(built) && statSync(built).mtimeMs >= sourceTime) {
  console.log('Web app is up to date (dist/web).');
} else {
  console.log('Building the web app (first start or sources changed)…');
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // Always a production build: under vitest NODE_ENV is 'test', and antd then gives every
    // generated element id the same value, breaking labels and dialog names in browser tests.
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
