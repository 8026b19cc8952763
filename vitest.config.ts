import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // expect.poll waits for a page (or a server) to catch up: on a loaded CI machine 1 s (the
    // default) is too short for a table to load, so polls wait up to 20 s (then fail as before).
    expect: { poll: { timeout: 20_000, interval: 100 } },
    reporters: ['default'],
    projects: [
      {
        extends: true,
        // Pure functions and in-memory modules: one process per worker for all of them (a fresh
        // process per file costs more than most of these files take to run).
        test: { name: 'unit', include: ['src/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        // The app on a database, the CLI, the browser, with the databases and Chromium
        // global-setup.ts finds or prepares. Files share their worker's modules too: each file
        // builds its own app on its own database, and importing the server afresh for each file
        // cost about 3 s of CPU per file, a quarter of the suite.
        test: { name: 'integration', include: ['test/**/*.test.ts'], globalSetup: ['test/helpers/global-setup.ts'], isolate: false },
      },
    ],
  },
});
