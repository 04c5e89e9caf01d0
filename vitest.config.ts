import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser test needs Chromium and a build: `npm run test:browser` runs it.
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      // Measured 2026-11-30: statements 94.1 %, branches 87.3 %, functions 96.1 %, lines 97.1 %.
      // The floor sits a few points below, so a rewrite can land, and a part left untested cannot.
      thresholds: { statements: 90, branches: 82, functions: 92, lines: 92 },
    },
  },
});
