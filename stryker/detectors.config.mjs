import { areaConfig } from './base.mjs';

/**
 * Change detection (GLR, Page-Hinkley, the per-person session GLR): an area of its own, being the
 * largest file. The unit tests pin each statistic, threshold and reset on small inputs in
 * milliseconds; the long false-alarm simulations (changeDetection.simulation.test.ts) stay out,
 * since every mutant would pay for them.
 */
export default areaConfig({
  name: 'detectors',
  mutate: ['src/decay/changeDetection.ts'],
  testFiles: [
    'test/decay/changeDetection.test.ts',
    'test/decay/changeDetection.unit.test.ts',
    'test/decay/sessionGlr.test.ts',
  ],
  breakAt: 80,
});
