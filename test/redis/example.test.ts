import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedis, type TestRedis } from './server.js';

// The README's example (examples/redis/two-processes.ts) runs as written: two processes, one Redis.
let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

it('examples/redis/two-processes.ts: the second process serves the thumbs the first gave', async () => {
  const example = new URL('../../examples/redis/two-processes.ts', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', example], {
    env: { ...process.env, REDIS_URL: redis.url },
    timeout: 60_000,
  });
  expect(stdout).toMatch(/\[app \d+\] Ann: thumbs up/);
  expect(stdout).toMatch(
    /\[worker \d+\] Ann's list, served by another process:\n\s+jazz-\d\s+Because you liked “jazz song 1”/,
  );
  expect(stdout).not.toMatch(/rock-2/);
});
