import { mergeConfig } from 'vitest/config';
import base from '../vitest.config.js';

// The project's vitest config for mutation runs: instrumented code on a shared machine runs the
// slowest tests (the session detector's over-dispersion simulation) several times slower than usual.
export default mergeConfig(base, { test: { testTimeout: 600_000, hookTimeout: 600_000 } });
