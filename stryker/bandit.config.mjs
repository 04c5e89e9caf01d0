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
  // Listed one by one: StrykerJS 9.6 takes the union of the testFiles globs and has no negation
  // (a `!pattern` matches nothing), so excluding propensity.test.ts by a `!` glob kept it in.
  testFiles: [
    'test/models/bandit/bandit.test.ts',
    'test/models/bandit/decay.test.ts',
    'test/models/bandit/linear.test.ts',
    'test/models/bandit/linearAlgebra.test.ts',
    'test/models/bandit/random.test.ts',
    'test/models/bandit/regret.test.ts',
    'test/models/bandit/roundTrip.property.test.ts',
    'test/models/bandit/snapshot.test.ts',
    'test/models/bandit/special.test.ts',
    'test/models/bandit/transcript.test.ts',
  ],
  breakAt: 80,
});
