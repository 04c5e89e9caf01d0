/**
 * Listener kinds for the life-stage benchmark: the same year of stable taste
 * and the same change, heard through the signals different people give.
 * Each kind is built from attune/eval's `createListener` (and `shareAccount`);
 * seed s picks the genres A (before) and B (after) and seeds the catalog.
 *
 * `tunedOn` says which kinds the detector's constants were tuned on (with
 * seeds 101–110, never the benchmark's seeds); the others are only reported.
 */
import { createRecommender } from '../../src/index.js';
import { createListener, generateCatalog, sessionTime, shareAccount, simulateListening } from '../../src/eval/index.js';
import type { Item } from '../../src/index.js';
import type { Listener, ListenerOptions } from '../../src/eval/index.js';
import { DAY_MS } from '../../src/decay/decay.js';
import { CATALOG_SHAPE, genresFor, T0 } from './simulation.js';
import { mean } from './report.js';

export const KIND_STABLE_DAYS = 365;
/** Sessions simulated after an abrupt change (runs not at 60 % by then are censored). */
export const KIND_HORIZON = 60;
/** The same after the start of a drift: long enough for `lifeStages: false` to get there too. */
export const DRIFT_HORIZON = 150;
/** A change counts as detected when the first detection after it comes within this many days. */
export const DETECT_WITHIN_DAYS = 14;
export const KIND_DRIFT_DAYS = 60;

export interface ListenerKind {
  key: string;
  label: string;
  /** Whether the detector was tuned on this kind (else: reported only). */
  tunedOn: boolean;
  /** 'abrupt': a switch at the change; 'drift': a slow drift; 'stable': no change (false alarms only). */
  change: 'abrupt' | 'drift' | 'stable';
  /** Sessions simulated after the change at most. */
  horizon: number;
  make(seed: number, catalog: readonly Item[], changeAt: number): Listener;
}

function person(
  seed: number,
  catalog: readonly Item[],
  extra: Partial<ListenerOptions> & Pick<ListenerOptions, 'taste'>,
  id = `listener-${seed}`,
): Listener {
  return createListener({ id, seed, catalog, ...extra });
}

function switchTo(after: Record<string, number>, changeAt: number, driftDays = 0) {
  return [{ at: changeAt, taste: after, ...(driftDays > 0 ? { driftDays } : {}) }];
}

export const LISTENER_KINDS: readonly ListenerKind[] = [
  {
    key: 'everyday',
    label: 'attune’s own listener: reacts to all 10, a quarter of likes and dislikes as thumbs, noise 0.15',
    tunedOn: true,
    change: 'abrupt',
    horizon: KIND_HORIZON,
    make: (seed, catalog, at) => {
      const { before, after } = genresFor(seed);
      return person(seed, catalog, {
        taste: { [`genre:${before}`]: 1 },
        changes: switchTo({ [`genre:${after}`]: 1 }, at),
      });
    },
  },
  {
    key: 'thumbs',
    label: 'thumbs on all 10: up the new genre, down the abandoned one (after: A −0.6), skip the rest',
    tunedOn: true,
    change: 'abrupt',
    horizon: KIND_HORIZON,
    make: (seed, catalog, at) => {
      const { before, after } = genresFor(seed);
      return person(seed, catalog, {
        taste: { [`genre:${before}`]: 1 },
        thumbsRate: 1,
        changes: switchTo({ [`genre:${after}`]: 1, [`genre:${before}`]: -0.6 }, at),
      });
    },
  },
  {
    key: 'implicit3',
    label: 'plays or skips the first 3 songs only, no thumbs',
    tunedOn: true,
    change: 'abrupt',
    horizon: KIND_HORIZON,
    make: (seed, catalog, at) => {
      const { before, after } = genresFor(seed);
      return person(seed, catalog, {
        taste: { [`genre:${before}`]: 1 },
        thumbsRate: 0,
        reactsTo: 3,
        changes: switchTo({ [`genre:${after}`]: 1 }, at),
      });
    },
  },
  {
    key: 'sparse5',
    label: 'reacts to the first 5, a thumb 20 % of the time, else play/skip, 10 % slips (random reactions)',
    tunedOn: false,
    change: 'abrupt',
    horizon: KIND_HORIZON,
    make: (seed, catalog, at) => {
      const { before, after } = genresFor(seed);
      return person(seed, catalog, {
        taste: { [`genre:${before}`]: 1 },
        thumbsRate: 0.2,
        reactsTo: 5,
        slipRate: 0.1,
        changes: switchTo({ [`genre:${after}`]: 1 }, at),
      });
    },
  },
  {
    key: 'shared',
    label:
      'a second person on the account: from the change, taste B listens in 2 of 3 sessions, the owner (A) in the rest',
    tunedOn: false,
    change: 'abrupt',
    horizon: KIND_HORIZON,
    make: (seed, catalog, at) => {
      const { before, after } = genresFor(seed);
      const owner = person(seed, catalog, { taste: { [`genre:${before}`]: 1 } });
      const partner = person(seed + 1000, catalog, { taste: { [`genre:${after}`]: 1 } }, `partner-${seed}`);
      return shareAccount({ owner, partner, from: at, seed });
    },
  },
  {
    key: 'drift',
    label: `gradual drift: attune’s listener moving from A to B over ${KIND_DRIFT_DAYS} days (B the favourite from day ${KIND_DRIFT_DAYS / 2})`,
    tunedOn: false,
    change: 'drift',
    horizon: DRIFT_HORIZON,
    make: (seed, catalog, at) => {
      const { before, after } = genresFor(seed);
      return person(seed, catalog, {
        taste: { [`genre:${before}`]: 1 },
        changes: switchTo({ [`genre:${after}`]: 1 }, at, KIND_DRIFT_DAYS),
      });
    },
  },
  {
    key: 'mixed',
    label: 'stable, mixed taste { A: 0.7, B: 0.5, mood: 0.3 } (B songs liked about half the time)',
    tunedOn: false,
    change: 'stable',
    horizon: 0,
    make: (seed, catalog) => {
      const { before, after, mood } = genresFor(seed);
      return person(seed, catalog, {
        taste: { [`genre:${before}`]: 0.7, [`genre:${after}`]: 0.5, [`mood:${mood}`]: 0.3 },
      });
    },
  },
  {
    key: 'noisy',
    label: 'stable, noisy: { A: 0.8, B: 0.3 }, noise 0.35, first 5 songs only, 10 % slips',
    tunedOn: false,
    change: 'stable',
    horizon: 0,
    make: (seed, catalog) => {
      const { before, after } = genresFor(seed);
      return person(seed, catalog, {
        taste: { [`genre:${before}`]: 0.8, [`genre:${after}`]: 0.3 },
        noise: 0.35,
        reactsTo: 5,
        slipRate: 0.1,
      });
    },
  },
];

/** What one listener's run measured. */
export interface KindRun {
  seed: number;
  /** Sessions after the change before 60 % of the top 10 fit the new taste; null: not within the kind's horizon. */
  sessionsToAdapt: number | null;
  /** Days from the change to the first detection after it; null: none. */
  detectionDelayDays: number | null;
  /** Detections during the stable year. */
  falseAlarms: number;
  /** Mean liked share over the stable year. */
  likedStable: number;
}

/** One listener of one kind against a recommender with `lifeStages` on or off (defaults otherwise). */
export function runKind(kind: ListenerKind, seed: number, lifeStages: boolean): KindRun {
  const catalog = generateCatalog({ seed, ...CATALOG_SHAPE });
  let now = T0;
  const recommender = createRecommender({ items: catalog, seed, lifeStages, propensitySamples: 1, now: () => now });
  const changeAt = sessionTime(KIND_STABLE_DAYS, { start: T0 });
  const listener = kind.make(seed, catalog, changeAt);
  const clock = (at: number) => (now = at);
  const stable = simulateListening({
    recommender,
    listeners: [listener],
    sessions: KIND_STABLE_DAYS,
    start: T0,
    clock,
  });
  let sessionsToAdapt: number | null = null;
  if (kind.change !== 'stable') {
    // sessions in chunks, stopping once adapted and past the detection window
    for (let offset = 0; offset < kind.horizon; offset += 5) {
      const report = simulateListening({
        recommender,
        listeners: [listener],
        sessions: 5,
        start: changeAt + offset * DAY_MS,
        clock,
      });
      const adapted = report.adaptations[0]?.sessionsToAdapt;
      if (sessionsToAdapt === null && adapted !== null && adapted !== undefined) sessionsToAdapt = offset + adapted;
      if (sessionsToAdapt !== null && offset + 5 > DETECT_WITHIN_DAYS) break;
    }
  }
  const detected = recommender
    .profile(listener.id)
    .changes.filter((c) => c.cause === 'detected')
    .map((c) => c.at);
  const first = detected.find((at) => at >= changeAt);
  return {
    seed,
    sessionsToAdapt,
    detectionDelayDays: first === undefined ? null : (first - changeAt) / DAY_MS,
    falseAlarms: detected.filter((at) => at < changeAt).length,
    likedStable: mean(stable.likedShare),
  };
}
