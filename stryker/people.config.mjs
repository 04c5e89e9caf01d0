import { areaConfig } from './base.mjs';

/**
 * How a person's evidence changes: events, undo, consent, reset, erasure, stations (scopes of the
 * person), life-stage fades, the person clock (settleClock). The tests go through the public API:
 * they hold whatever the files become.
 */
export default areaConfig({
  name: 'people',
  mutate: ['src/people/learning.ts', 'src/people/evidence.ts', 'src/people/stations.ts', 'src/people/scope.ts'],
  // The root property suites (responsible, stations) check the same promises after train() and
  // double the time per mutant: the people tests check them before it, which is the stricter test.
  testFiles: ['test/people/**/*.test.ts'],
  breakAt: 60,
});
