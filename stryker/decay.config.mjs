import { areaConfig } from './base.mjs';

/**
 * Decay and life stages.
 * RE-POINT AFTER THE STRUCTURAL STEP: `src/decay/halfLife.ts` becomes `src/decay/decay.ts` (the Decay object).
 */
export default areaConfig({
  name: 'decay',
  mutate: ['src/decay/halfLife.ts', 'src/decay/lifeStages.ts'],
  testFiles: ['test/decay/halfLife.test.ts', 'test/decay/lifeStages*.test.ts'],
  breakAt: 80,
});
