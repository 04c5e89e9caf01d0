// Checks the built ESM package (run `npm run build` first; `npm run test:dist`):
// `import 'attune'` resolves to the Node entry, trains on worker threads, and
// gives byte for byte the state of the synchronous train().
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { createRecommender } from 'attune';
import { scenario } from './scenario.mjs';

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
const controller = new AbortController();
await assert.rejects(make().trainInBackground({ signal: controller.signal, onProgress: () => controller.abort() }), { code: 'ABORTED' });
console.log(`dist ESM: trainInBackground on ${report.threads} threads matches train(); abort works`);
