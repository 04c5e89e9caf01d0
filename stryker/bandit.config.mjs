import { readdirSync } from 'node:fs';
import { areaConfig } from './base.mjs';

/**
 * The bandit policies, one file each, with what they learn from (Beta counts, the linear model)
 * and the choice rules and shares their propensities come from. The quadrature itself
 * (propensity.ts) is checked by the slow propensity.test.ts against sampled frequencies, which a
 * mutation run cannot afford per mutant: it stays out of this area.
 */
export default areaConfig({
  name: 'bandit',
  mutate: [
    'src/models/bandit/thompson.ts',
    'src/models/bandit/ucb1.ts',
    'src/models/bandit/epsilonGreedy.ts',
    'src/models/bandit/softmax.ts',
    'src/models/bandit/linUcb.ts',
    'src/models/bandit/linearThompson.ts',
    'src/models/bandit/rules.ts',
    'src/models/bandit/beta.ts',
    'src/models/bandit/linear.ts',
  ],
  // Every bandit test file but the quadrature one, listed: StrykerJS 9.6 takes the union of the
  // testFiles globs and has no negation (a `!pattern` matches nothing, and kept it in). Paths are
  // from the repository root, like every path of these configs.
  testFiles: readdirSync('test/models/bandit')
    .filter((f) => f.endsWith('.test.ts') && f !== 'propensity.test.ts')
    .sort()
    .map((f) => `test/models/bandit/${f}`),
  breakAt: 80,
});
