import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { mergeConfig } from 'vitest/config';
import base from '../vitest.config.js';

/**
 * Quickest test file first. Stryker runs a mutant's covering tests one file after another and stops
 * at the first failure (bail), so the order decides how long a detected mutant takes: vitest's own
 * order runs the longest file first (a property suite of seconds before the unit test that fails in
 * a millisecond). A file's duration is the first one this process sees (the dry run runs every test
 * of every file; a mutant's run only those that cover it, so later durations say less); a file not
 * yet run goes last. What runs for a surviving mutant, and so every status, is the same in any order.
 */
class QuickestFirst extends BaseSequencer {
  private readonly durations = new Map<string, number>();

  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const duration = (f: TestSpecification) => {
      const key = `${f.project.name}:${relative(config.root, f.moduleId)}`;
      let d = this.durations.get(key);
      if (d === undefined) {
        d = cache.getFileTestResults(key)?.duration;
        if (d !== undefined) this.durations.set(key, d);
      }
      return d ?? Number.MAX_VALUE;
    };
    return [...files].sort((a, b) => duration(a) - duration(b));
  }
}

// The project's vitest config for mutation runs: instrumented code on a shared machine runs the
// slowest tests (the session detector's over-dispersion simulation) several times slower than usual.
// The test files of one mutant's run share one module graph (`isolate: false`): a mutant covered by
// fifteen files loaded the instrumented library fifteen times, more than its tests took. The suite
// passes this way, and every mutant's status in the bandit, people, rank and explain areas came out
// the same. A module cache keyed by a module-level object breaks it: see vitest.isolated.config.ts.
export default mergeConfig(base, {
  test: { testTimeout: 600_000, hookTimeout: 600_000, isolate: false, sequence: { sequencer: QuickestFirst } },
});
