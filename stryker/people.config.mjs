import { areaConfig } from './base.mjs';

/**
 * How a person's evidence changes: events, undo, consent, reset, erasure, stations (scopes of the
 * person), life-stage fades. The tests go through the public API: they hold whatever the files become.
 * Re-pointed after the structural step (people/stationLearning.ts merged into people/learning.ts);
 * the scores in the README were measured before it, on learning.ts + stationLearning.ts + evidence.ts.
 */
export default areaConfig({
  name: 'people',
  mutate: ['src/people/learning.ts', 'src/people/evidence.ts'],
  testFiles: ['test/people/**/*.test.ts', 'test/responsible.property.test.ts', 'test/stations.property.test.ts'],
  breakAt: 60,
});
