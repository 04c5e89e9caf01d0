import { areaConfig } from './base.mjs';

/**
 * Decay, change detection and life stages.
 * After the structural step, `src/decay/halfLife.ts` becomes `src/decay/decay.ts` (the Decay object): re-point `mutate`.
 */
export default areaConfig({
  name: 'decay',
  mutate: ['src/decay/halfLife.ts', 'src/decay/lifeStages.ts', 'src/decay/changeDetection.ts'],
  testFiles: ['test/decay/**/*.test.ts'],
  breakAt: 80,
});
