import { readFileSync, statSync } from 'node:fs';

/** The one source of "now" on the server, so tests can move time. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests that only moves when told to. */
export class FakeClock implements Clock {
  constructor(private current = new Date('2026-03-02T00:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(at: Date): void {
    this.current = new Date(at);
  }
}

/**
 * A clock for end-to-end tests of a running server (PACESETTER_CLOCK_FILE, refused in production):
 * the file holds an ISO-8601 instant; the clock reads that instant plus the time elapsed since the
 * file was written, so time flows and a test moves it by rewriting the file. Without a readable
 * instant it reads the system time.
 */
export class FileClock implements Clock {
  private cached: { mtimeMs: number; at: number } | null = null;
  constructor(private readonly file: string) {}
  now(): Date {
    try {
      const { mtimeMs } = statSync(this.file);
      if (this.cached?.mtimeMs !== mtimeMs) {
        const at = Date.parse(readFileSync(this.file, 'utf8').trim());
        this.cached = Number.isNaN(at) ? null : { mtimeMs, at };
      }
      if (this.cached) return new Date(this.cached.at + Math.max(0, Date.now() - this.cached.mtimeMs));
    } catch {
      // no file yet: the system time
    }
    return new Date();
  }
}
