import { defineConfig } from 'vitest/config';

/** `npm run test:browser`: the playground in headless Chromium (kept out of `npm test`, which needs no browser). */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
