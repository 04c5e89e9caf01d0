import { readdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { defineConfig } from 'tsup';

/** Fails the build when a chunk holds no code (the build once shipped an empty chunk in each format). */
function refuseEmptyChunks(): void {
  const empty = readdirSync('dist').filter(
    (name) =>
      /^chunk-.*\.c?js$/.test(name) &&
      readFileSync(`dist/${name}`, 'utf8')
        .replace(/"use strict";|\/\/.*|\/\*[\s\S]*?\*\//g, '')
        .trim() === '',
  );
  if (empty.length > 0) throw new Error(`the build has empty chunks: ${empty.join(', ')}`);
}

/**
 * The training threads' code, bundled into one CommonJS string and put in
 * place of src/models/mf/workers/inlineSource.ts: the Node entry starts its
 * threads with `new Worker(code, { eval: true })`, so an app that bundles
 * attune (esbuild, webpack) trains on threads without a worker file to find.
 */
const inlineWorker = {
  name: 'inline-als-worker',
  setup(esbuild: {
    onLoad: (options: { filter: RegExp }, load: () => Promise<{ contents: string; loader: 'ts' }>) => void;
  }) {
    esbuild.onLoad({ filter: /[\\/]workers[\\/]inlineSource\.ts$/ }, async () => {
      const worker = await build({
        entryPoints: ['src/models/mf/workers/alsWorker.ts'],
        bundle: true,
        write: false,
        format: 'cjs',
        platform: 'node',
        target: 'es2022',
        external: ['node:*'],
        // Only threads read it: 97 kB minified (ml-matrix is most of it) against 229 kB as written.
        minify: true,
      });
      const code = worker.outputFiles[0]!.text;
      return {
        contents: `export const ALS_WORKER_SOURCE: string | undefined = ${JSON.stringify(code)};`,
        loader: 'ts',
      };
    });
  },
};

export default defineConfig({
  // `node` is what package.json serves to Node (condition `node`): the same API plus
  // worker-thread training, whose threads run code the build inlines (inlineWorker above);
  // it imports node: modules, which stay external. The browser entry `index` never imports them.
  entry: {
    index: 'src/index.ts',
    eval: 'src/eval/index.ts',
    bandit: 'src/bandit.ts',
    redis: 'src/redis.ts',
    node: 'src/node.ts',
  },
  // The Redis client is a peer of attune/redis, never bundled (and never reached from the main entry).
  external: ['@redis/client', /^node:/],
  esbuildPlugins: [inlineWorker],
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
  onSuccess: async () => refuseEmptyChunks(),
});
