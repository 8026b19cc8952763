import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // expect.poll waits for a page (or a server) to catch up: on a loaded CI machine 1 s (the
    // default) is too short for a table to load, so polls wait up to 20 s (then fail as before).
    expect: { poll: { timeout: 20_000, interval: 100 } },
    reporters: ['default'],
  },
});
