import { areaConfig } from './base.mjs';

/** Change detection (GLR, Page-Hinkley, the per-person session GLR): an area of its own, being the largest file. */
export default areaConfig({
  name: 'detectors',
  mutate: ['src/decay/changeDetection.ts'],
  testFiles: ['test/decay/changeDetection.test.ts', 'test/decay/sessionGlr.test.ts'],
  breakAt: 80,
});
