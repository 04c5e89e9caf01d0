/**
 * Two processes, one Redis: `npm run demo:redis` (REDIS_URL, default
 * redis://127.0.0.1:6379; start one with `redis-server --port 6379`).
 *
 * The parent starts two Node processes in turn. The first ("app") gives
 * Ann's thumbs; the second ("worker") — another process, with nothing in
 * memory — serves her list, which already follows those thumbs, trains
 * the collaborative model, and serves again. Both connect to the same
 * namespace; the parent erases it at the end.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectRecommender } from '../../src/redis.js';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const namespace = process.argv[3] ?? `demo-${process.pid}`;
const items = ['jazz', 'rock', 'folk'].flatMap((genre) =>
  Array.from({ length: 6 }, (_, i) => ({
    id: `${genre}-${i}`,
    title: `${genre} song ${i}`,
    tags: [`genre:${genre}`, `mood:${i % 2 ? 'mellow' : 'upbeat'}`],
  })),
);

async function app(): Promise<void> {
  const rec = await connectRecommender({ url, namespace, items, seed: 42 });
  await rec.feedback([
    { user: 'ann', item: 'jazz-1', signal: 'up' },
    { user: 'ann', item: 'rock-2', signal: 'down' },
    { user: 'bob', item: 'jazz-1', signal: 'up' },
    { user: 'bob', item: 'jazz-3', signal: 'up' },
  ]);
  console.log(`[app ${process.pid}] Ann: thumbs up "jazz song 1", thumbs down "rock song 2"`);
  await rec.close();
}

async function worker(): Promise<void> {
  const rec = await connectRecommender({ url, namespace }); // options and catalog come from Redis
  const show = async (heading: string) => {
    console.log(`[worker ${process.pid}] ${heading}`);
    for (const r of await rec.recommend('ann', { count: 3 })) console.log(`    ${r.item.padEnd(8)} ${r.reason.text}`);
  };
  await show("Ann's list, served by another process:");
  const report = await rec.train();
  await show(`after train() (${report.iterations} sweeps; every process uses the new model from its next request):`);
  await rec.close();
}

const role = process.argv[2];
if (role === 'app') await app();
else if (role === 'worker') await worker();
else {
  const self = fileURLToPath(import.meta.url);
  for (const r of ['app', 'worker'])
    execFileSync(process.execPath, ['--import', 'tsx', self, r, namespace], {
      stdio: 'inherit',
      env: { ...process.env, REDIS_URL: url },
    });
  const rec = await connectRecommender({ url, namespace });
  for (const user of ['ann', 'bob']) await rec.forget(user);
  await rec.close();
}
