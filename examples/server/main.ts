/**
 * attune behind HTTP: `npm run server` (see examples/server/app.ts for the routes).
 *
 *   npm run server                              in memory, saved to ./attune-state.json every 30 s
 *   npm run server -- --state /var/lib/radio.json --save-every 10
 *   npm run server -- --redis redis://127.0.0.1:6379   the state in Redis (namespace "server")
 *   npm run server -- --port 8080 --host 0.0.0.0 --log
 *
 * In memory, the state is restored from the state file on start (when it
 * exists), saved in the background while requests are served
 * (`snapshotChunks` into a temporary file, then a rename), and saved once
 * more on SIGINT / SIGTERM after the server has stopped taking requests.
 * With --redis the state lives in Redis and every process connected to the
 * same namespace serves it. The catalog is MovieLens when its files are
 * found (see catalog.ts), else attune's built-in demo catalog.
 */
import { parseArgs } from 'node:util';
import { createRecommender } from '../../src/index.js';
import { connectRecommender } from '../../src/redis.js';
import { buildApp } from './app.js';
import { loadCatalog } from './catalog.js';
import { restoreFrom, saveEvery } from './saving.js';

const { values: flags } = parseArgs({
  options: {
    port: { type: 'string', default: '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    state: { type: 'string', default: 'attune-state.json' },
    'save-every': { type: 'string', default: '30' },
    redis: { type: 'string' },
    namespace: { type: 'string', default: 'server' },
    log: { type: 'boolean', default: false },
  },
});

const { items, source } = loadCatalog();
const say = (line: string) => console.log(`[attune server ${process.pid}] ${line}`);

async function start(): Promise<{ app: ReturnType<typeof buildApp>; close: () => Promise<void> }> {
  if (flags.redis !== undefined) {
    const rec = await connectRecommender({ url: flags.redis, namespace: flags.namespace, items, seed: 42 });
    say(`state in Redis at ${flags.redis}, namespace "${flags.namespace}"; catalog: ${source}`);
    return { app: buildApp(rec, items, { logger: flags.log }), close: () => rec.close() };
  }
  const restored = await restoreFrom(flags.state);
  const rec = restored ?? createRecommender({ items, seed: 42 });
  // A restored state keeps the catalog it was saved with (new items would go in with rec.addItems).
  say(`${restored ? `state restored from ${flags.state}` : 'new state'}; catalog: ${source}`);
  const saver = saveEvery(rec, flags.state, Number(flags['save-every']) * 1000, (error) =>
    say(`saving failed (will retry): ${String(error)}`),
  );
  return {
    app: buildApp(rec, items, { changed: saver.markChanged, logger: flags.log }),
    close: async () => {
      await saver.stop();
      say(`state saved to ${flags.state}`);
    },
  };
}

const { app, close } = await start();
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${signal}: finishing requests under way`);
  await app.close(); // no new requests; waits for those under way
  await close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

const address = await app.listen({ port: Number(flags.port), host: flags.host });
say(`listening on ${address}`);
