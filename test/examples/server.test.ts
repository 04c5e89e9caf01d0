/**
 * The example server (examples/server/), driven over loopback HTTP: its
 * routes and statuses in process, then `main.ts` as a real process — a
 * state that survives a SIGTERM (saved after the last request) and a
 * restart (restored from its file), and the same routes over attune/redis
 * from the --redis flag. Every request and process has a time limit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecommender, restoreRecommender, type Item } from '../../src/index.js';
import { buildApp } from '../../examples/server/app.js';
import { freshNamespace, startRedis, type TestRedis } from '../redis/server.js';

const LIMIT_MS = 20_000;
const root = resolve(import.meta.dirname, '..', '..');

const items: Item[] = ['jazz', 'rock', 'folk'].flatMap((genre) =>
  Array.from({ length: 8 }, (_, i) => ({ id: `${genre}-${i}`, title: `${genre} ${i}`, tags: [`genre:${genre}`] })),
);

async function call(base: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    signal: AbortSignal.timeout(LIMIT_MS),
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

describe('the example server, in process', () => {
  let base: string;
  let changes = 0;
  const now = Date.UTC(2026, 0, 5, 8);
  const rec = createRecommender({ items, seed: 1, now: () => now });
  const app = buildApp(rec, items, { changed: () => changes++ });

  beforeAll(async () => {
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  it('takes feedback and answers with a list of reasons that follows it', async () => {
    expect((await call(base, 'POST', '/feedback', { user: 'ann', item: 'jazz-1', signal: 'up' })).status).toBe(204);
    const batch = [
      { user: 'ann', item: 'rock-2', signal: 'down' },
      { user: 'ann', item: 'jazz-3', signal: 'play', weight: 2, context: { hour: 8 } },
    ];
    expect((await call(base, 'POST', '/feedback', batch)).status).toBe(204);
    const list = await call(base, 'GET', '/users/ann/recommendations?count=4&hour=8&weekday=mon');
    expect(list.status).toBe(200);
    const shown = list.body!['items'] as { item: string; title: string; reason: { kind: string; text: string } }[];
    expect(shown).toHaveLength(4);
    expect(shown.map((r) => r.item)).not.toContain('rock-2');
    for (const r of shown) {
      expect(r.title).toBe(items.find((i) => i.id === r.item)!.title);
      expect(r.reason.text.length).toBeGreaterThan(0);
    }
    expect(changes).toBeGreaterThanOrEqual(3);
  });

  it('shows the profile and erases a user', async () => {
    const profile = await call(base, 'GET', '/users/ann/profile');
    expect(profile.status).toBe(200);
    expect(profile.body!['known']).toBe(true);
    expect((await call(base, 'DELETE', '/users/ann')).status).toBe(204);
    expect((await call(base, 'DELETE', '/users/ann')).status).toBe(404);
    expect((await call(base, 'GET', '/users/ann/profile')).body!['known']).toBe(false);
  });

  it('refuses bad requests with the status of the error', async () => {
    const refused = async (body: unknown, status: number, error: string) => {
      const answer = await call(base, 'POST', '/feedback', body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body!['error']).toBe(error);
    };
    await refused({ user: 'ann', item: 'jazz-1', signal: 'love' }, 400, 'INVALID_REQUEST');
    await refused({ user: 'ann', item: 'jazz-1', signal: 'up', extra: 1 }, 400, 'INVALID_REQUEST');
    await refused([], 400, 'INVALID_REQUEST');
    await refused({ user: 'ann', item: 'nope', signal: 'up' }, 404, 'UNKNOWN_ITEM');
    await refused({ user: 'ann', item: 'jazz-1', signal: 'up', context: { gender: 'f' } }, 400, 'PROTECTED_ATTRIBUTE');
    await refused({ user: 'ann', item: 'jazz-1', signal: 'up', station: 'nope' }, 404, 'UNKNOWN_STATION');
    expect((await call(base, 'GET', '/users/ann/recommendations?count=0')).status).toBe(400);
    expect((await call(base, 'GET', '/users/ann/recommendations?station=nope')).status).toBe(404);
    expect((await call(base, 'GET', '/users/ann/recommendations?colour=red')).status).toBe(400);
  });
});

/** Starts examples/server/main.ts and resolves with its address once it listens. */
function startServer(args: string[]): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/server/main.ts', '--port', '0', ...args], {
    cwd: root,
    env: { ...process.env, MOVIELENS_DIR: join(tmpdir(), 'no-movielens-here') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start in time:\n${output}`));
    }, LIMIT_MS);
    child.stdout!.on('data', () => {
      const address = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (address === undefined) return;
      clearTimeout(timer);
      resolvePromise({ child, base: address, output: () => output });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
}

/** Sends SIGTERM and resolves with the exit code (SIGKILL after the time limit). */
function stopServer(child: ChildProcess): Promise<number | null> {
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    child.removeAllListeners('exit');
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise(code);
    });
    child.kill('SIGTERM');
  });
}

describe('the example server as a process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attune-server-'));
  let redis: TestRedis | undefined;
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await redis?.stop();
  });

  it('saves its state on SIGTERM and restores it on start', async () => {
    const state = join(dir, 'state.json');
    const first = await startServer(['--state', state, '--save-every', '3600']);
    try {
      expect(first.output()).toMatch(/new state; catalog: the built-in demo catalog/);
      const list = await call(first.base, 'GET', '/users/ann/recommendations?count=3');
      const item = (list.body!['items'] as { item: string }[])[0]!.item;
      expect((await call(first.base, 'POST', '/feedback', { user: 'ann', item, signal: 'up' })).status).toBe(204);
      expect(existsSync(state)).toBe(false); // nothing saved yet: the timer is an hour
      expect(await stopServer(first.child)).toBe(0);
      expect(first.output()).toMatch(/state saved to/);
      const saved = restoreRecommender(JSON.parse(readFileSync(state, 'utf8')));
      expect(saved.profile('ann').known).toBe(true);

      const second = await startServer(['--state', state]);
      try {
        expect(second.output()).toMatch(/state restored from/);
        const profile = await call(second.base, 'GET', '/users/ann/profile');
        // Read a moment later, the same profile (evidence weights read at the clock differ in the 8th digit).
        const rounded = (value: unknown) =>
          JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(5)) : v)));
        expect(rounded(profile.body)).toStrictEqual(rounded(saved.profile('ann')));
      } finally {
        await stopServer(second.child);
      }
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
    }
  });

  it('saves in the background while it serves', async () => {
    const state = join(dir, 'periodic.json');
    const server = await startServer(['--state', state, '--save-every', '1']);
    try {
      const list = await call(server.base, 'GET', '/users/cy/recommendations?count=1');
      const item = (list.body!['items'] as { item: string }[])[0]!.item;
      await call(server.base, 'POST', '/feedback', { user: 'cy', item, signal: 'up' });
      // A save after the feedback has it (an earlier save, after the list was served, may not).
      const saved = () =>
        existsSync(state) && restoreRecommender(JSON.parse(readFileSync(state, 'utf8'))).profile('cy').known;
      const deadline = Date.now() + LIMIT_MS;
      while (!saved() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(saved()).toBe(true);
      expect((await call(server.base, 'GET', '/healthz')).status).toBe(200);
    } finally {
      expect(await stopServer(server.child)).toBe(0);
    }
  });

  it('serves the same routes over Redis from the --redis flag', async () => {
    redis = await startRedis();
    const server = await startServer(['--redis', redis.url, '--namespace', freshNamespace('server')]);
    try {
      expect(server.output()).toMatch(/state in Redis/);
      const list = await call(server.base, 'GET', '/users/bo/recommendations?count=2');
      const item = (list.body!['items'] as { item: string }[])[0]!.item;
      expect((await call(server.base, 'POST', '/feedback', { user: 'bo', item, signal: 'down' })).status).toBe(204);
      const after = await call(server.base, 'GET', '/users/bo/recommendations?count=5');
      expect((after.body!['items'] as { item: string }[]).map((r) => r.item)).not.toContain(item);
      expect((await call(server.base, 'POST', '/feedback', { user: 'bo', item: 'nope', signal: 'up' })).status).toBe(
        404,
      );
      expect((await call(server.base, 'DELETE', '/users/bo')).status).toBe(204);
    } finally {
      expect(await stopServer(server.child)).toBe(0);
    }
  });
});
