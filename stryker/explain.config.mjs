import { areaConfig } from './base.mjs';

/** Attribution (the taste part of a score split into pieces a reason may cite) and the reasons said from it. */
export default areaConfig({
  name: 'explain',
  mutate: ['src/explain/attribution.ts', 'src/explain/reasons.ts'],
  testFiles: ['test/explain/**/*.test.ts'],
  breakAt: 80,
});
