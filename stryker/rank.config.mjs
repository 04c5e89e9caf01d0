import { areaConfig } from './base.mjs';

/** Diversity-aware selection (caps per tag and facet, MMR, station quotas) and the shown list's propensities. */
export default areaConfig({
  name: 'rank',
  mutate: ['src/rank/diversity.ts', 'src/rank/propensities.ts'],
  testFiles: [
    'test/rank/diversity.test.ts',
    'test/rank/poolLists.test.ts',
    'test/rank/ranker.test.ts',
    'test/rank/propensities.test.ts',
  ],
  breakAt: 80,
});
