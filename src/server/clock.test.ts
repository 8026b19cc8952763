import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileClock } from './clock';
import { loadConfig } from './config';

describe('FileClock (the test clock of a running server)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ps-clock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the instant in the file, then time flows from it; rewriting the file moves it', () => {
    const file = path.join(dir, 'now');
    writeFileSync(file, '2026-03-07T01:00:00Z\n');
    const clock = new FileClock(file);
    const first = clock.now().getTime();
    expect(first).toBeGreaterThanOrEqual(Date.parse('2026-03-07T01:00:00Z'));
    expect(first).toBeLessThan(Date.parse('2026-03-07T01:01:00Z'));
    writeFileSync(file, '2026-03-12T01:00:00Z');
    // A rewrite within the same millisecond keeps the mtime; set it apart explicitly.
    utimesSync(file, new Date(), new Date(Date.now() + 1000));
    expect(clock.now().toISOString().slice(0, 10)).toBe('2026-03-12');
  });

  it('reads the system time without a file or without an instant in it', () => {
    const before = Date.now();
    expect(new FileClock(path.join(dir, 'missing')).now().getTime()).toBeGreaterThanOrEqual(before);
    const junk = path.join(dir, 'junk');
    writeFileSync(junk, 'not a date');
    expect(new FileClock(junk).now().getTime()).toBeGreaterThanOrEqual(before);
  });

  it('is refused in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', PACESETTER_KEY: Buffer.alloc(32, 1).toString('base64'), PACESETTER_CLOCK_FILE: '/tmp/x', DATABASE_URL: 'postgres://x@y/z' })).toThrow(/PACESETTER_CLOCK_FILE/);
  });
});
