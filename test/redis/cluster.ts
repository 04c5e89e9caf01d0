/**
 * The Redis Cluster the tests use: ATTUNE_REDIS_CLUSTER (node URLs, comma
 * separated) when set — .ci/run starts one — else three masters this file
 * starts with Debian's redis-server (`--cluster-enabled yes`) on free
 * loopback ports in a temporary directory, joined with
 * `redis-cli --cluster create`, and stops (and removes) after the file's
 * tests. No silent skip: without redis-server the tests fail and say so.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCluster {
  urls: string[];
  /** The masters' ports. */
  ports: number[];
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Ports p whose cluster bus port p + 10000 is free too. */
async function clusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let p = 20_000 + Math.floor(Math.random() * 20_000); ports.length < count; p++) {
    if ((await portFree(p)) && (await portFree(p + 10_000))) ports.push(p);
  }
  return ports;
}

const cli = (port: number, ...args: string[]) =>
  spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the test Redis Cluster: ${what} did not happen within 10 s`);
}

export async function startCluster(): Promise<TestCluster> {
  const fromEnv = process.env['ATTUNE_REDIS_CLUSTER'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const urls = fromEnv.split(',').map((u) => u.trim());
    return { urls, ports: urls.map((u) => Number(new URL(u).port)), stop: async () => {} };
  }
  if (spawnSync('redis-server', ['--version']).status !== 0 || spawnSync('redis-cli', ['--version']).status !== 0) {
    throw new Error(
      "The Redis Cluster tests need Debian's redis-server and redis-tools (apt-get install redis-server redis-tools), or ATTUNE_REDIS_CLUSTER=redis://host:port,…",
    );
  }
  const ports = await clusterPorts(3);
  const dir = mkdtempSync(join(tmpdir(), 'attune-cluster-'));
  const children: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    ),
  );
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until('the nodes starting', () => ports.every((p) => cli(p, 'ping') === 'PONG'));
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8' },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    await until('the cluster agreeing', () =>
      ports.every((p) => cli(p, 'cluster', 'info').includes('cluster_state:ok')),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls: ports.map((p) => `redis://127.0.0.1:${p}`), ports, stop };
}
