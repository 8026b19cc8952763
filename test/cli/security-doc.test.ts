import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/cli.js';

/** Every *.test.ts under the folders that hold tests, by file name. */
function testFiles(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (name === 'node_modules') continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.test.ts') || /^route-matrix.*\.ts$/.test(name)) found.set(name, [...(found.get(name) ?? []), full]);
    }
  };
  for (const dir of ['src', 'test']) walk(path.join(projectRoot, dir));
  return found;
}

/** The `file › title` references of docs/security.md; a bare `› title` continues the last file. */
export function references(markdown: string): { file: string; title: string }[] {
  const out: { file: string; title: string }[] = [];
  let file = '';
  for (const [, code] of markdown.matchAll(/`([^`]+)`/g)) {
    const m = /^(?:([\w./-]+\.ts) )?› (.+)$/.exec(code!);
    if (!m) continue;
    if (m[1]) file = path.basename(m[1]);
    const title = m[2]!.split('…')[0]!.trim();
    if (file && title) out.push({ file, title });
  }
  return out;
}

describe('docs/security.md', () => {
  it('names tests that exist: every `file › title` is a test title (or its beginning) in that file', () => {
    const doc = readFileSync(path.join(projectRoot, 'docs', 'security.md'), 'utf8');
    const files = testFiles();
    const refs = references(doc);
    expect(refs.length).toBeGreaterThan(60);
    const missing: string[] = [];
    for (const r of refs) {
      const candidates = files.get(r.file);
      if (!candidates) {
        missing.push(`${r.file}: no such test file`);
        continue;
      }
      if (!candidates.some((f) => readFileSync(f, 'utf8').includes(r.title))) missing.push(`${r.file} › ${r.title}`);
    }
    expect(missing).toEqual([]);
  });

  it('has no placeholder left', () => {
    const doc = readFileSync(path.join(projectRoot, 'docs', 'security.md'), 'utf8');
    expect(doc).not.toMatch(/%%\w+%%/);
  });
});
