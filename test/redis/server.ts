/**
 * The Redis server the tests use: ATTUNE_REDIS_URL when set (.ci/run starts
 * one), else a redis-server this file starts on a free loopback port and
 * stops after the file's tests. No silent skip: without either, the tests
 * fail and say how to get Redis.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
  /** Stops the server's process (SIGSTOP) without closing its sockets, and lets it go on (own servers only). */
  pause?(): void;
  resume?(): void;
}

/** The shared test Redis, or (`own`) one started for the caller alone, e.g. to stop it mid-test. */
export async function startRedis(own = false): Promise<TestRedis> {
  const fromEnv = process.env['ATTUNE_REDIS_URL'];
  if (!own && fromEnv !== undefined && fromEnv !== '') return { url: fromEnv, stop: async () => {} };
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      "The attune/redis tests need Redis: install Debian's redis-server (apt-get install redis-server) or set ATTUNE_REDIS_URL=redis://host:port",
    );
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'attune-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      spawnSync('redis-cli', ['-p', String(port), 'ping'])
        .stdout?.toString()
        .trim() === 'PONG'
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGCONT');
        child.kill('SIGTERM');
      }),
  };
}

let counter = 0;
/** A namespace no other test uses. */
export function freshNamespace(name: string): string {
  return `test-${name}-${process.pid}-${Date.now()}-${counter++}`;
}
