/** Seeded observation streams for the change detectors' tests. */
import { createRng } from '../../src/random/rng.js';
import type { SessionGlrDetector } from '../../src/decay/changeDetection.js';

/** Bernoulli draws, segment by segment: `length` draws at each `mean`. */
export function bernoulliStream(seed: number, segments: Array<[mean: number, length: number]>): number[] {
  const rng = createRng(seed, 'stream');
  return segments.flatMap(([mean, length]) => Array.from({ length }, () => (rng.next() < mean ? 1 : 0)));
}

/** Sessions of `size` Bernoulli draws; each session's rate is drawn around `mean` (over-dispersed when spread > 0). */
export function sessions(
  seed: number,
  segments: Array<[mean: number, count: number]>,
  size: number,
  spread = 0,
): number[][] {
  const rng = createRng(seed, 'sessions');
  return segments.flatMap(([mean, count]) =>
    Array.from({ length: count }, () => {
      const p = Math.min(1, Math.max(0, mean + spread * (rng.next() * 2 - 1)));
      return Array.from({ length: size }, () => (rng.next() < p ? 1 : 0));
    }),
  );
}

/** Index of the session in which the detector first fires, or −1. */
export function firstSessionAlarm(detector: SessionGlrDetector, stream: number[][]): number {
  for (let s = 0; s < stream.length; s++) {
    for (const x of stream[s]!) if (detector.update(x)) return s;
    detector.closeSession();
  }
  return -1;
}
