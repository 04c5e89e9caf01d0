import { defineConfig } from 'tsup';

export default defineConfig({
  // `node` is what package.json serves to Node (condition `node`): the same API plus
  // worker-thread training; `als-worker` is the body of those threads. Both import
  // node: modules, which stay external; the browser entry `index` never imports them.
  entry: {
    index: 'src/index.ts',
    eval: 'src/eval/index.ts',
    bandit: 'src/bandit.ts',
    redis: 'src/redis.ts',
    node: 'src/node.ts',
    'als-worker': 'src/models/mf/workers/alsWorker.ts',
  },
  // The Redis client is a peer of attune/redis, never bundled (and never reached from the main entry).
  external: ['@redis/client', /^node:/],
  // import.meta.url in the CJS build (to find als-worker.cjs next to the bundle).
  shims: true,
  format: ['esm', 'cjs'],
  // @internal members (the constructors the fronts use) stay out of the public types.
  dts: { compilerOptions: { stripInternal: true } },
  // No source maps in the package: they were 1.4 MB next to 0.5 MB of code, and the
  // build is unminified, readable ES2022, so stack traces already point at readable lines.
  sourcemap: false,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
  // Shared chunks in both formats: one AttuneError class (and one copy of shared code) across entry points,
  // so an error thrown by attune/eval is an instance of the class attune exports.
  splitting: true,
});
