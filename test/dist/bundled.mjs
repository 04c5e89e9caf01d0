// Checks that a Node server bundled with esbuild — attune inside one file, no
// node_modules beside it — trains on worker threads (run `npm run build`
// first; `npm run test:dist`). The app is bundled as ESM and as CommonJS into
// a temporary folder and run there; each must train in the background on
// threads and get byte for byte the state of the synchronous train().
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'attune-bundled-'));
const app = join(dir, 'app.mjs');
// The app depends on attune as any app would: node_modules/attune (here, this package).
mkdirSync(join(dir, 'node_modules'));
symlinkSync(root, join(dir, 'node_modules', 'attune'), 'dir');
writeFileSync(
  app,
  `import { createRecommender } from 'attune';
import { scenario } from ${JSON.stringify(join(here, 'scenario.mjs'))};
const { items, events, now } = scenario();
const make = () => {
  const rec = createRecommender({ items, seed: 1, now, exploration: 0, collaborative: { factors: 16 } });
  rec.feedback(events);
  return rec;
};
const sync = make();
sync.train();
const background = make();
background.trainInBackground().then((report) => {
  console.log(JSON.stringify({ threads: report.threads, same: JSON.stringify(background.snapshot()) === JSON.stringify(sync.snapshot()) }));
});
`,
);
try {
  for (const format of ['esm', 'cjs']) {
    const outfile = join(dir, format === 'esm' ? 'server.mjs' : 'server.cjs');
    await build({
      entryPoints: [app],
      bundle: true,
      platform: 'node',
      format,
      target: 'node20',
      outfile,
      logLevel: 'error',
    });
    // Run without node_modules: everything the server needs is in its one file.
    rmSync(join(dir, 'node_modules'), { recursive: true });
    const result = JSON.parse(execFileSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8' }).trim());
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'attune'), 'dir');
    assert.equal(result.threads, availableParallelism(), `${format}: trained on every core`);
    assert.equal(result.same, true, `${format}: the same state as train()`);
    console.log(`bundled ${format}: trainInBackground on ${result.threads} threads matches train()`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
