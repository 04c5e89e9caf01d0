import { areaConfig } from './base.mjs';

/** The content model: a person's taste over tags and tag × context. */
export default areaConfig({
  name: 'content',
  mutate: ['src/models/content/taste.ts'],
  testFiles: ['test/models/content/**/*.test.ts'],
  breakAt: 80,
});
