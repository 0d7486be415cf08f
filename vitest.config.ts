import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Date-dependent rules (eks/supported-version) read this day, so their fixtures do not age.
    env: { STOWAGE_TODAY: '2026-12-01' },
  },
});
