import { defineConfig } from 'tsup';

export default defineConfig({
  // `node` is what package.json serves to Node (condition `node`): the same API plus
  // worker-thread training; `als-worker` is the body of those threads. Both import
  // node: modules, which stay external; the browser entry `index` never imports them.
  entry: { index: 'src/index.ts', eval: 'src/eval/index.ts', node: 'src/node.ts', 'als-worker': 'src/models/mf/workers/alsWorker.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/],
  // import.meta.url in the CJS build (to find als-worker.cjs next to the bundle).
  shims: true,
  treeshake: true,
});
