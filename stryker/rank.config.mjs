import { areaConfig } from './base.mjs';

/** Diversity-aware selection (caps per tag and facet, MMR, station quotas). */
export default areaConfig({
  name: 'rank',
  mutate: ['src/rank/diversity.ts'],
  testFiles: ['test/rank/diversity.test.ts', 'test/rank/poolLists.test.ts', 'test/rank/ranker.test.ts'],
  breakAt: 80,
});
