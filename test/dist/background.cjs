// The same check for the built CommonJS package (see background.mjs).
const assert = require('node:assert/strict');
const { availableParallelism } = require('node:os');
const { createRecommender } = require('attune');

(async () => {
  const { scenario } = await import('./scenario.mjs');
  const { items, events, now } = scenario();
  const make = () => {
    const rec = createRecommender({ items, seed: 1, now, exploration: 0, collaborative: { factors: 16 } });
    rec.feedback(events);
    return rec;
  };
  const sync = make();
  sync.train();
  const background = make();
  const report = await background.trainInBackground();
  assert.equal(report.threads, availableParallelism());
  assert.equal(JSON.stringify(background.snapshot()), JSON.stringify(sync.snapshot()));
  console.log(`dist CJS: trainInBackground on ${report.threads} threads matches train()`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
