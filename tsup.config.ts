import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', eval: 'src/eval/index.ts', bandit: 'src/bandit.ts', redis: 'src/redis/index.ts' },
  // The Redis client is a peer of attune/redis, never bundled (and never reached from the main entry).
  external: ['@redis/client'],
  format: ['esm', 'cjs'],
  dts: true,
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
