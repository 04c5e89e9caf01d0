import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', eval: 'src/eval/index.ts', bandit: 'src/bandit.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps in the package: they were 1.4 MB next to 0.5 MB of code, and the
  // build is unminified, readable ES2022, so stack traces already point at readable lines.
  sourcemap: false,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
});
