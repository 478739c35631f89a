import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.{ts,tsx}'],
    environment: 'node',
    setupFiles: ['test/support/pin-conventions.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // integration suites share one MariaDB server and one Docker engine; each file uses its own names
    fileParallelism: true,
    maxWorkers: 2,
  },
});
