import { areaConfig } from './base.mjs';

/** Attribution: the taste part of a score split into pieces a reason may cite. */
export default areaConfig({
  name: 'explain',
  mutate: ['src/explain/attribution.ts'],
  testFiles: ['test/explain/**/*.test.ts'],
  breakAt: 80,
});
