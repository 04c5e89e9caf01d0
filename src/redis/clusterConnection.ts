/**
 * The connection of a process to a Redis Cluster, through the official
 * client's cluster client (`RedisCluster` of `@redis/client`). Each
 * command goes to the master of its first key's slot; a script's keys must
 * share one slot (clusterKeys.ts makes sure they do).
 * Every failure of the cluster or the network becomes `STORE_UNAVAILABLE`
 * naming the nodes (passwords hidden).
 */
import { createHash } from 'node:crypto';
import { AttuneError } from '../errors.js';
import { newClient, safeUrl, within, type Timeouts } from './connection.js';

/** The few cluster-client methods attune uses. */
interface ClusterClient {
  connect(): Promise<unknown>;
  sendCommand<T>(firstKey: string | undefined, isReadonly: boolean | undefined, args: readonly string[]): Promise<T>;
  close(): Promise<void>;
  destroy(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The options every node connection shares, from the first URL: credentials, TLS, database. */
function nodeDefaults(url: string, timeoutMs: number, connected: () => boolean): Record<string, unknown> {
  const parsed = new URL(url);
  return {
    ...(parsed.username !== '' ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password !== '' ? { password: decodeURIComponent(parsed.password) } : {}),
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeoutMs,
      ...(parsed.protocol === 'rediss:' ? { tls: true } : {}),
      reconnectStrategy: (retries: number, cause: Error) =>
        connected() ? Math.min(50 * (retries + 1), 500) : retries >= 2 ? cause : 100,
    },
  };
}

export class ClusterConnection {
  private closed = false;
  private readonly shas = new Map<string, string>();

  private constructor(
    private readonly client: ClusterClient,
    /** The nodes, for error messages (no password). */
    readonly url: string,
    private readonly commandTimeoutMs: number,
  ) {}

  /** Connects to the cluster through any of `urls`; each reply is awaited at most `commandTimeoutMs`. */
  static async open(urls: readonly string[], timeouts: Timeouts): Promise<ClusterConnection> {
    const timeoutMs = timeouts.connectTimeoutMs;
    const where = `cluster ${urls.map(safeUrl).join(', ')}`;
    let connected = false;
    const client = await newClient<ClusterClient>('RedisCluster', {
      rootNodes: urls.map((url) => ({ url })),
      defaults: nodeDefaults(urls[0]!, timeoutMs, () => connected),
    });
    client.on('error', () => {
      // Failures reach the caller of each command as STORE_UNAVAILABLE.
    });
    try {
      // The cluster client connects to every master after discovering them: allow three connects.
      await within(
        client.connect(),
        timeoutMs * 3,
        () => new AttuneError('STORE_UNAVAILABLE', `no answer within connectTimeoutMs (${timeoutMs} ms)`),
      );
    } catch (error) {
      client.destroy();
      throw new AttuneError(
        'STORE_UNAVAILABLE',
        `connectRecommender: cannot reach the Redis ${where}: ${(error as Error).message}`,
      );
    }
    connected = true;
    return new ClusterConnection(client, where, timeouts.commandTimeoutMs);
  }

  /** Sends one command to the master of `key`'s slot; any failure is STORE_UNAVAILABLE for `api`. */
  async command<T>(api: string, key: string, args: readonly string[]): Promise<T> {
    this.check(api);
    try {
      return await this.send<T>(api, key, args);
    } catch (error) {
      throw this.failed(api, error);
    }
  }

  /** {@link command}: the name the one-server connection shares (see sharedStore.ts). */
  commandAt<T>(api: string, key: string, args: readonly string[]): Promise<T> {
    return this.command<T>(api, key, args);
  }

  /** Runs a script on the master of its keys' slot, by SHA1, sending its text once per node. */
  async script<T>(api: string, lua: string, keys: readonly string[], args: readonly string[]): Promise<T> {
    let sha = this.shas.get(lua);
    if (sha === undefined) this.shas.set(lua, (sha = createHash('sha1').update(lua).digest('hex')));
    const tail = [String(keys.length), ...keys, ...args];
    this.check(api);
    try {
      return await this.send<T>(api, keys[0]!, ['EVALSHA', sha, ...tail]);
    } catch (error) {
      if (error instanceof AttuneError || !String((error as Error).message).includes('NOSCRIPT'))
        throw this.failed(api, error);
    }
    return this.command<T>(api, keys[0]!, ['EVAL', lua, ...tail]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.client.close();
    } catch {
      this.client.destroy();
    }
  }

  /** One command's reply within commandTimeoutMs. */
  private send<T>(api: string, key: string, args: readonly string[]): Promise<T> {
    return within(
      this.client.sendCommand<T>(key, false, args),
      this.commandTimeoutMs,
      () =>
        new AttuneError(
          'STORE_UNAVAILABLE',
          `${api}: the Redis ${this.url} did not answer within commandTimeoutMs (${this.commandTimeoutMs} ms); the call may still take effect if Redis answers later`,
        ),
    );
  }

  private check(api: string): void {
    if (this.closed)
      throw new AttuneError('STORE_UNAVAILABLE', `${api}: the connection to the Redis ${this.url} is closed`);
  }

  private failed(api: string, error: unknown): AttuneError {
    if (error instanceof AttuneError) return error;
    return new AttuneError('STORE_UNAVAILABLE', `${api}: the Redis ${this.url} failed: ${(error as Error).message}`);
  }
}
