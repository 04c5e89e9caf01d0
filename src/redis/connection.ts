/**
 * The one connection of a process to Redis, through the official client
 * (`@redis/client`, the core of the `redis` package), loaded by
 * `attune/redis` alone so that `attune` itself never needs it. Every failure of the server or the
 * network becomes `STORE_UNAVAILABLE` naming the URL (password hidden), and
 * so does silence: a connect that does not complete within its timeout, a
 * command without a reply within its own (the client's timeouts cover only
 * the TCP connect and a command not yet sent, not a server that stopped
 * answering, so both are bounded here).
 */
import { createHash } from 'node:crypto';
import { AttuneError } from '../errors.js';

/** The few client methods attune uses. */
interface Client {
  connect(): Promise<unknown>;
  sendCommand<T>(args: readonly string[]): Promise<T>;
  close(): Promise<void>;
  destroy(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The client module, asked for as soon as `attune/redis` is imported:
 * evaluating it holds the thread ~0.2 s, which belongs with the app's own
 * start rather than in its first connect (made, perhaps, while it serves).
 * Undefined when it is not installed.
 */
const clientModule: Promise<Record<string, unknown> | undefined> = import('@redis/client').then(
  (m) => m as unknown as Record<string, unknown>,
  () => undefined,
);

/**
 * A new client of the module's base class `RedisClient` or `RedisCluster`,
 * or STORE_UNAVAILABLE saying how to install the module. Built with `new`,
 * not `createClient` / `createCluster`: those first build a subclass with a
 * method per Redis command (some 400 of them: 20–130 ms of the serving
 * thread in one piece), and build it again whenever the client made before
 * of that kind had other options (the module keeps one such subclass per
 * kind), so a process that connects to one server and to a Cluster paid it
 * at every connect. attune sends every command through `sendCommand`, which
 * the base classes have. (A Cluster's node clients are still made by the
 * module, with the subclass it builds once for those options.)
 */
export async function newClient<C>(name: 'RedisClient' | 'RedisCluster', options: unknown): Promise<C> {
  const loaded = await clientModule;
  if (loaded === undefined || typeof loaded[name] !== 'function')
    throw new AttuneError(
      'STORE_UNAVAILABLE',
      'connectRecommender: attune/redis needs the Redis client; install it with npm install @redis/client',
    );
  return new (loaded[name] as new (options: unknown) => C)(options);
}

/** A URL fit for an error message: no password. */
export function safeUrl(url: string): string {
  return url.replace(
    /\/\/([^@/]*)@/,
    (_, auth: string) => `//${auth.includes(':') ? `${auth.split(':')[0]}:***` : '***'}@`,
  );
}

/** How long a connection waits, in ms. */
export interface Timeouts {
  /** For the connection (TCP and the client's handshake, retries included). */
  connectTimeoutMs: number;
  /** For the reply to one command or script. */
  commandTimeoutMs: number;
}

/** `promise`, or `onTimeout()`'s error when it has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, onTimeout: () => AttuneError): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export class Connection {
  private closed = false;
  private readonly shas = new Map<string, string>();

  private constructor(
    private readonly client: Client,
    readonly url: string,
    private readonly commandTimeoutMs: number,
  ) {}

  /**
   * Connects, retrying twice, within `connectTimeoutMs` in all. Once
   * connected, a lost connection is re-established in the background while
   * calls fail at once with STORE_UNAVAILABLE (no offline queue: a write is
   * never sent later behind the caller's back); a command without a reply
   * within `commandTimeoutMs` fails with STORE_UNAVAILABLE too.
   */
  static async open(url: string, timeouts: Timeouts): Promise<Connection> {
    const timeoutMs = timeouts.connectTimeoutMs;
    const where = safeUrl(url);
    let connected = false;
    let client: Client;
    try {
      client = await newClient<Client>('RedisClient', {
        url,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: timeoutMs,
          reconnectStrategy: (retries: number, cause: Error) =>
            connected ? Math.min(50 * (retries + 1), 500) : retries >= 2 ? cause : 100,
        },
      });
    } catch (error) {
      if (error instanceof AttuneError) throw error;
      throw new AttuneError(
        'INVALID_OPTIONS',
        `connectRecommender: url ${where} is not a usable Redis URL: ${(error as Error).message}`,
      );
    }
    client.on('error', () => {
      // Failures reach the caller of each command as STORE_UNAVAILABLE; the event would only repeat them.
    });
    try {
      // A server that accepts the socket but never answers the handshake would leave connect() pending for ever.
      await within(
        client.connect(),
        timeoutMs,
        () => new AttuneError('STORE_UNAVAILABLE', `no answer within connectTimeoutMs (${timeoutMs} ms)`),
      );
    } catch (error) {
      client.destroy();
      throw new AttuneError(
        'STORE_UNAVAILABLE',
        `connectRecommender: cannot reach Redis at ${where}: ${(error as Error).message}`,
      );
    }
    connected = true;
    return new Connection(client, where, timeouts.commandTimeoutMs);
  }

  /** One command's reply within commandTimeoutMs. */
  private send<T>(api: string, args: readonly string[]): Promise<T> {
    return within(
      this.client.sendCommand<T>(args),
      this.commandTimeoutMs,
      () =>
        new AttuneError(
          'STORE_UNAVAILABLE',
          `${api}: Redis at ${this.url} did not answer within commandTimeoutMs (${this.commandTimeoutMs} ms); the call may still take effect if Redis answers later`,
        ),
    );
  }

  /** Sends one command; any failure is STORE_UNAVAILABLE for `api`. */
  async command<T>(api: string, args: readonly string[]): Promise<T> {
    if (this.closed)
      throw new AttuneError('STORE_UNAVAILABLE', `${api}: the connection to Redis at ${this.url} is closed`);
    try {
      return await this.send<T>(api, args);
    } catch (error) {
      if (error instanceof AttuneError) throw error;
      throw new AttuneError('STORE_UNAVAILABLE', `${api}: Redis at ${this.url} failed: ${(error as Error).message}`);
    }
  }

  /** {@link command}, in the form the Cluster connection has: one server holds every key. */
  commandAt<T>(api: string, _key: string, args: readonly string[]): Promise<T> {
    return this.command<T>(api, args);
  }

  /** Runs a script by its SHA1, sending its text once if Redis does not hold it yet. */
  async script<T>(api: string, lua: string, keys: readonly string[], args: readonly string[]): Promise<T> {
    let sha = this.shas.get(lua);
    if (sha === undefined) this.shas.set(lua, (sha = createHash('sha1').update(lua).digest('hex')));
    const tail = [String(keys.length), ...keys, ...args];
    if (this.closed)
      throw new AttuneError('STORE_UNAVAILABLE', `${api}: the connection to Redis at ${this.url} is closed`);
    try {
      return await this.send<T>(api, ['EVALSHA', sha, ...tail]);
    } catch (error) {
      if (error instanceof AttuneError) throw error;
      if (!String((error as Error).message).includes('NOSCRIPT')) {
        throw new AttuneError('STORE_UNAVAILABLE', `${api}: Redis at ${this.url} failed: ${(error as Error).message}`);
      }
    }
    return this.command<T>(api, ['EVAL', lua, ...tail]);
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
}
