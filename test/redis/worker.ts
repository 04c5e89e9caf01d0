/**
 * A separate Node process for the multi-process tests and the benchmark:
 *   node --import tsx test/redis/worker.ts <url> <namespace> burst <user> <events> <lanes> <startAt> <seed>
 *   node --import tsx test/redis/worker.ts <url> <namespace> train
 * Prints one JSON line with what it did.
 */
import { connectRecommender } from '../../src/redis.js';
import { musicCatalog } from '../__helpers__/catalog.js';

const [url, namespace, mode, ...rest] = process.argv.slice(2) as [string, string, string, ...string[]];
const rec = await connectRecommender({ url, namespace });
const items = musicCatalog(8, ['jazz', 'rock', 'folk', 'soul']);

if (mode === 'burst') {
  const [user, events, lanes, startAt, seed] = rest as [string, string, string, string, string];
  const total = Number(events);
  const laneCount = Number(lanes);
  let next = 0;
  let s = Number(seed);
  const random = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
  await Promise.all(
    Array.from({ length: laneCount }, async () => {
      while (next < total) {
        next++;
        const signal = random() < 0.7 ? 'play' : random() < 0.5 ? 'up' : 'skip';
        await rec.feedback({ user, item: items[Math.floor(random() * items.length)]!.id, signal });
      }
    }),
  );
  console.log(JSON.stringify({ sent: total }));
} else if (mode === 'train') {
  const report = await rec.train();
  console.log(JSON.stringify({ iterations: report.iterations }));
}
await rec.close();
