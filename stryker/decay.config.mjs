import { areaConfig } from './base.mjs';

/** Decay (the Decay object) and life stages. */
export default areaConfig({
  name: 'decay',
  mutate: ['src/decay/decay.ts', 'src/decay/lifeStages.ts'],
  testFiles: ['test/decay/decay.test.ts', 'test/decay/lifeStages*.test.ts'],
  breakAt: 80,
});
