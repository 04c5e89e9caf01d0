import fc from 'fast-check';

/**
 * One replayable seed for every property test in the run. Set FC_SEED to
 * replay a failure; the seed in use is printed once per test file.
 */
const fromEnv = process.env['FC_SEED'];
const seed =
  fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${fromEnv}`);
fc.configureGlobal({ seed, numRuns: Number(process.env['FC_NUM_RUNS'] ?? 50) });
console.log(`[fast-check] seed ${seed} (replay with FC_SEED=${seed})`);
