/**
 * Test and learn: log a week of simulated traffic from the current
 * recommender, estimate offline how a candidate with a different half-life
 * would have done, then confirm with a simulated A/B test.
 *
 * Run: npx tsx examples/test-and-learn.ts
 */
import { createRecommender } from '../src/index.js';
import {
  assign,
  compareVariants,
  createListener,
  generateCatalog,
  ips,
  simulateListening,
  snips,
  type ExposureLogRecord,
  type Listener,
  type ListeningRecommender,
} from '../src/eval/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2024, 2, 4);
const SESSIONS = 21; // three sessions a day for a week
const SESSION_GAP = 8 * HOUR;
const WEEK_LISTENERS = 40;

const catalog = generateCatalog({ seed: 1, genres: 8, itemsPerGenre: 25 });
const genres = [...new Set(catalog.map((item) => (item.tags?.[0] ?? '').slice('genre:'.length)))];

/** Listeners who love one genre; every other one switches to another genre on day 3. */
function audience(prefix: string, size: number): Listener[] {
  return Array.from({ length: size }, (_, i) => {
    const first = genres[i % genres.length] as string;
    const second = genres[(i * 3 + 1) % genres.length] as string;
    return createListener({
      id: `${prefix}-${i}`,
      seed: 7,
      catalog,
      taste: { [`genre:${first}`]: 1 },
      changes: i % 2 === 0 ? [{ at: START + 3 * DAY, taste: { [`genre:${second}`]: 1 } }] : [],
    });
  });
}

let clock = START;
const now = (): number => clock;

// 1. A week of traffic from the current recommender (90-day half-life), logged.
//    The candidate (7-day half-life) runs in shadow mode: it receives the same
//    requests and feedback, and we record its propensity for every item it would
//    have shown — but the listeners only ever see the current recommender's lists.
const current = createRecommender({ items: catalog, seed: 1, halfLifeDays: 90, now });
const candidate = createRecommender({ items: catalog, seed: 1, halfLifeDays: 7, now });
const shadowLists = new Map<string, Map<string, number>>();
const requestKey = (user: string, at: number): string => `${user}@${at}`;
const shadowed: ListeningRecommender = {
  recommend(user, options) {
    const wouldShow = candidate.recommend(user, options).map((r) => [r.item, r.propensity] as const);
    shadowLists.set(requestKey(user, options.at), new Map(wouldShow));
    return current.recommend(user, options);
  },
  feedback(events) {
    current.feedback(events);
    candidate.feedback(events);
  },
};
const week = simulateListening({
  recommender: shadowed,
  listeners: audience('week', WEEK_LISTENERS),
  sessions: SESSIONS,
  start: START,
  sessionGapMs: SESSION_GAP,
  log: true,
  clock: (at) => (clock = at),
});
console.log(`Logged ${week.log.length} exposures from ${WEEK_LISTENERS} listeners over a week.`);

// 2. Offline estimate. The candidate's probability of showing a logged item is its
//    own propensity for that item in that request, 0 if the item was not in its list.
const candidateProbability = (record: ExposureLogRecord): number =>
  shadowLists.get(requestKey(record.user, record.at))?.get(record.item) ?? 0;
const format = (e: { value: number; low: number; high: number; effectiveSampleSize: number }): string =>
  `${e.value.toFixed(3)} [${e.low.toFixed(3)}, ${e.high.toFixed(3)}] (effective sample size ${Math.round(e.effectiveSampleSize)})`;
const currentValue = snips(week.log, (record) => record.propensity); // on-policy: weights are all 1
console.log(`Current  (90-day half-life), observed:     ${format(currentValue)}`);
console.log(
  `Candidate (7-day half-life), IPS estimate:  ${format(ips(week.log, candidateProbability, { minPropensity: 0.05 }))}`,
);
console.log(
  `Candidate (7-day half-life), SNIPS estimate: ${format(snips(week.log, candidateProbability, { minPropensity: 0.05 }))}`,
);

// 3. Confirm online: a simulated A/B test on a fresh audience, each listener
//    assigned to an arm by a stable hash of their id.
const arms = {
  control: createRecommender({ items: catalog, seed: 2, halfLifeDays: 90, now }),
  candidate: createRecommender({ items: catalog, seed: 2, halfLifeDays: 7, now }),
};
const abAudience = audience('ab', 120);
const observations: { variant: string; reward: number }[] = [];
for (const [variant, recommender] of Object.entries(arms)) {
  const listeners = abAudience.filter(
    (l) => assign(l.id, 'half-life-7-vs-90', { control: 1, candidate: 1 }) === variant,
  );
  const report = simulateListening({
    recommender,
    listeners,
    sessions: SESSIONS,
    start: START,
    sessionGapMs: SESSION_GAP,
    log: true,
    clock: (at) => (clock = at),
  });
  // one observation per listener (their mean reward), so the interval treats listeners as the independent units
  for (const listener of listeners) {
    const mine = report.log.filter((r) => r.user === listener.id);
    observations.push({ variant, reward: mine.reduce((sum, r) => sum + r.reward, 0) / mine.length });
  }
}
const ab = compareVariants(observations, { control: 'control' });
for (const v of ab.variants)
  console.log(
    `A/B ${v.variant.padEnd(9)} n=${v.n} mean reward ${v.mean.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`,
  );
for (const d of ab.differences) {
  console.log(
    `A/B ${d.variant} − ${d.control}: ${d.difference >= 0 ? '+' : ''}${d.difference.toFixed(3)} [${d.low.toFixed(3)}, ${d.high.toFixed(3)}]${d.significant ? ' (significant)' : ' (not significant)'}`,
  );
}
