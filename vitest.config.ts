import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails a test that leaves a Harness (a daemon of its own) never torn down.
    setupFiles: ['test/helpers/leak-guard.ts'],
    // Process-crash tests spawn real process trees: keep them few at a time on a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
