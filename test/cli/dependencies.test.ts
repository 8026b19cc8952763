import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/cli.js';

const script = path.join(projectRoot, 'scripts', 'dependencies.mjs');

describe('runtime dependencies', () => {
  it('docs/licences.md lists every runtime package and every licence is allowed (or reviewed)', () => {
    const res = spawnSync(process.execPath, [script, 'licences', '--check'], { cwd: projectRoot, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const list = readFileSync(path.join(projectRoot, 'docs', 'licences.md'), 'utf8');
    const installed = JSON.parse(execFileSync('npm', ['query', '.prod'], { cwd: projectRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as { name: string; location: string }[];
    for (const p of installed.filter((x) => x.location !== '')) expect(list).toContain(`| ${p.name} |`);
  });

  it('the banned xlsx package is not in the lock file', () => {
    const lock = JSON.parse(readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages).filter((k) => k === 'node_modules/xlsx' || k.endsWith('/node_modules/xlsx'))).toEqual([]);
  });
});
