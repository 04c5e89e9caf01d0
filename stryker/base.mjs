// Shared Stryker options for every core area (one `<area>.config.mjs` each).
// `npm run test:mutation` runs the areas one after the other (scripts/mutation.ts);
// `npx stryker run stryker/<area>.config.mjs` runs one area on its own.

// Property tests draw from one fixed fast-check seed, so a mutant is killed or not
// the same way on every run (vitest.setup.ts reads FC_SEED).
process.env.FC_SEED ??= '20261207';

/**
 * Stryker options for one area: the files it mutates and the test files that exercise them.
 * Each mutant runs only the tests that cover it (`perTest`), drawn from `testFiles`. `vitestConfig`
 * is the vitest config of the area's runs (the shared module graph by default).
 */
export function areaConfig({ name, mutate, testFiles, breakAt, vitestConfig = 'stryker/vitest.config.ts' }) {
  return {
    testRunner: 'vitest',
    vitest: { configFile: vitestConfig, related: false },
    coverageAnalysis: 'perTest',
    mutate,
    testFiles,
    // The whole default mutator set: equivalent mutants are marked in the source with a reason.
    reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
    incrementalFile: `reports/mutation/${name}.incremental.json`,
    tempDirName: `.stryker-tmp/${name}`,
    ignorePatterns: ['benchmarks', 'dist', 'coverage', 'docs', 'reports', 'scratch', '.stryker-tmp'],
    concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
    // The machine is shared: a mutant's tests may run several times slower than in the dry run.
    timeoutFactor: 2.5,
    timeoutMS: 10_000,
    dryRunTimeoutMinutes: 20,
    thresholds: { high: 90, low: 80, break: breakAt },
  };
}
