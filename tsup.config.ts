import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', eval: 'src/eval/index.ts', redis: 'src/redis/index.ts' },
  // The Redis client is a peer of attune/redis, never bundled (and never reached from the main entry).
  external: ['@redis/client'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
});
