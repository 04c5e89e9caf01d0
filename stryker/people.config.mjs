import { areaConfig } from './base.mjs';

/**
 * How a person's evidence changes: events, undo, consent, reset, erasure, stations, life-stage fades.
 *
 * RE-POINT AFTER THE STRUCTURAL STEP: `people/learning.ts` and the `people/station*.ts` twins merge
 * into the person's files (a station becomes a scope of the person). Replace `mutate` with the merged
 * files; the tests in `testFiles` go through the public API only and stay as they are.
 */
export default areaConfig({
  name: 'people',
  mutate: ['src/people/learning.ts', 'src/people/stationLearning.ts', 'src/people/evidence.ts'],
  testFiles: ['test/people/**/*.test.ts', 'test/responsible.property.test.ts', 'test/stations.property.test.ts'],
  breakAt: 60,
});
