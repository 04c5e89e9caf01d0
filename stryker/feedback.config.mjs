import { areaConfig } from './base.mjs';

/** Protected attributes: the matcher that keeps protected keys, flags and values out of every context. */
export default areaConfig({
  name: 'feedback',
  mutate: ['src/feedback/protected.ts'],
  testFiles: ['test/feedback/**/*.test.ts'],
  breakAt: 80,
  // protected.ts caches the forms of the default names in module state: each file loads it afresh
  vitestConfig: 'stryker/vitest.isolated.config.ts',
});
