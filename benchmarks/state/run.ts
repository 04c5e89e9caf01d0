/**
 * State that scales: `npm run bench:state [-- --write]` (needs --expose-gc,
 * which the npm script passes).
 *
 * A listening log where people replay their favourite songs: 2,000 people,
 * 5,000 songs (5 % of them sensitive), 60 favourites each, fed through the
 * public API in batches. At 100k and 400k events (one recommender, grown)
 * it times `removeFeedback`, `forget` and a consent change (medians of 100
 * calls on different people), `feedback` of one event (p99 of 2,000) and
 * `recommend` (p50 / p99 of 200), measures heap growth after a full GC, the
 * snapshot's JSON size and the restore time (`restoreRecommender` on the
 * parsed snapshot; `JSON.parse` of the text is timed apart). A third row grows a fresh
 * recommender to 1M events where nearly every event is a new (person, item)
 * pair (500 songs each over 3 years) and reports heap per pair.
 */
import { createRecommender, restoreRecommender, type FeedbackEvent, type Item, type Signal } from '../../src/index.js';
import { createRng } from '../../src/random/rng.js';
import { machineLine, median, writeReadmeSection } from '../common/readme.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench:state does)');

const PEOPLE = 2000;
const SONGS = 5000;
const FAVOURITES = 60;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function catalog(): Item[] {
  const genres = ['jazz', 'rock', 'pop', 'folk', 'soul', 'metal', 'blues', 'house', 'opera', 'punk'];
  return Array.from({ length: SONGS }, (_, i) => ({
    id: `s${i}`,
    title: `Song ${i}`,
    tags: [`genre:${genres[i % 10]}`, `artist:a${i % 400}`, `mood:m${(i * 7) % 12}`, `era:${1950 + 10 * (i % 7)}s`],
    ...(i % 20 === 0 ? { sensitive: ['health'] } : {}),
  }));
}

/** Each person's favourites and a stream of their listening. */
function* replayLog(events: number, span: number, distinct: boolean): Generator<FeedbackEvent> {
  const rng = createRng(7, 'log');
  const favourites = Array.from({ length: PEOPLE }, (_, p) => {
    const r = createRng(7, 'favourites', p);
    return Array.from({ length: distinct ? SONGS : FAVOURITES }, () => Math.floor(r.next() * SONGS));
  });
  const cursor = new Array<number>(PEOPLE).fill(0);
  for (let k = 0; k < events; k++) {
    const p = Math.floor(rng.next() * PEOPLE);
    const own = favourites[p]!;
    const song = distinct ? own[(cursor[p] = cursor[p]! + 1) % own.length]! : own[Math.floor(rng.next() * own.length)]!;
    const u = rng.next();
    const signal: Signal = u < 0.8 ? 'play' : u < 0.9 ? 'skip' : u < 0.97 ? 'up' : 'down';
    yield { user: `p${p}`, item: `s${song}`, signal, at: T0 + Math.floor((k / events) * span) };
  }
}

function feed(rec: ReturnType<typeof createRecommender>, log: Generator<FeedbackEvent>, count: number): number {
  let last = T0;
  let batch: FeedbackEvent[] = [];
  for (let k = 0; k < count; k++) {
    const next = log.next();
    if (next.done === true) break;
    batch.push(next.value);
    last = next.value.at!;
    if (batch.length === 1000) {
      rec.feedback(batch);
      batch = [];
    }
  }
  if (batch.length > 0) rec.feedback(batch);
  return last;
}

function heap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const percentile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

interface Row {
  label: string;
  events: number;
  pairs: number;
  removeFeedback: number;
  forget: number;
  consent: number;
  feedbackP99: number;
  recommendP50: number;
  recommendP99: number;
  heapMb: number;
  snapshotMb: number;
  restoreS: number;
  parseS: number;
}

function measure(
  rec: ReturnType<typeof createRecommender>,
  label: string,
  events: number,
  clock: { t: number },
  heapBytes: number,
): Row {
  const snap = rec.snapshot();
  const pairs = snap.people.reduce((n, p) => n + p.evidence.item.length, 0);
  const people = snap.people.filter((p) => p.evidence.item.length > 0);
  const pick = (k: number) => people[(k * 37) % people.length]!;
  const removal: number[] = [];
  const forget: number[] = [];
  const consent: number[] = [];
  for (let k = 0; k < 100; k++) {
    const a = pick(3 * k);
    const item = snap.items[a.evidence.item[(k * 13) % a.evidence.item.length]!]!.id;
    removal.push(time(() => rec.removeFeedback(a.id, item)));
    const b = pick(3 * k + 1);
    consent.push(time(() => rec.setPreferences(b.id, { consent: { health: k % 2 === 0 } })));
    const c = pick(3 * k + 2);
    forget.push(time(() => rec.forget(c.id)));
  }
  const feedback: number[] = [];
  for (let k = 0; k < 2000; k++) {
    const event: FeedbackEvent = {
      user: pick(k).id,
      item: `s${(k * 131) % SONGS}`,
      signal: k % 3 === 0 ? 'up' : 'play',
      at: clock.t,
    };
    feedback.push(time(() => rec.feedback(event)));
  }
  const recommend: number[] = [];
  for (let k = 0; k < 200; k++) recommend.push(time(() => rec.recommend(pick(k).id, { count: 10, at: clock.t })));
  const json = JSON.stringify(rec.snapshot());
  const restores: number[] = [];
  const parses: number[] = [];
  for (let k = 0; k < 3; k++) {
    let parsed: unknown;
    parses.push(time(() => (parsed = JSON.parse(json))));
    restores.push(time(() => restoreRecommender(parsed)));
  }
  return {
    label,
    events,
    pairs,
    removeFeedback: median(removal),
    forget: median(forget),
    consent: median(consent),
    feedbackP99: percentile(feedback, 0.99),
    recommendP50: percentile(recommend, 0.5),
    recommendP99: percentile(recommend, 0.99),
    heapMb: heapBytes / 2 ** 20,
    snapshotMb: json.length / 2 ** 20,
    restoreS: median(restores) / 1000,
    parseS: median(parses) / 1000,
  };
}

const items = catalog();
const base = heap();
const clock = { t: T0 };
const rec = createRecommender({ items, seed: 1, now: () => clock.t });
const log = replayLog(400_000, 365 * DAY, false);
clock.t = feed(rec, log, 100_000);
const heap100 = heap() - base;
const row100 = measure(rec, '100k (replays)', 100_000, clock, heap100);
console.log(row100);
clock.t = feed(rec, log, 300_000);
const heap400 = heap() - base;
const row400 = measure(rec, '400k (replays)', 400_000, clock, heap400);
console.log(row400);
const growthPerEvent = (heap400 - heap100) / 300_000;

const base1m = heap();
const clock1m = { t: T0 };
const big = createRecommender({ items, seed: 1, now: () => clock1m.t });
clock1m.t = feed(big, replayLog(1_000_000, 3 * 365 * DAY, true), 1_000_000);
const heap1m = heap() - base1m;
const row1m = measure(big, '1M (new pairs)', 1_000_000, clock1m, heap1m);
console.log(row1m);
const perPair = heap1m / row1m.pairs;

const fmt = (x: number, d = 2) => x.toFixed(d);
const table = [
  '| events held | (person, item) pairs | `removeFeedback` | `forget` | consent change | `feedback` p99 | `recommend` p50 / p99 | heap | snapshot | restore (+ JSON.parse) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...[row100, row400, row1m].map(
    (r) =>
      `| ${r.label} | ${r.pairs.toLocaleString('en')} | ${fmt(r.removeFeedback, 3)} ms | ${fmt(r.forget, 3)} ms | ${fmt(r.consent, 3)} ms | ${fmt(r.feedbackP99, 3)} ms | ${fmt(r.recommendP50)} / ${fmt(r.recommendP99)} ms | ${fmt(r.heapMb, 0)} MB | ${fmt(r.snapshotMb, 1)} MB | ${fmt(r.restoreS)} s (+ ${fmt(r.parseS)} s) |`,
  ),
].join('\n');
const ratios = [
  `- 400k / 100k: removeFeedback ${fmt(row400.removeFeedback / row100.removeFeedback)}x, forget ${fmt(row400.forget / row100.forget)}x, consent ${fmt(row400.consent / row100.consent)}x, snapshot ${fmt(row400.snapshotMb / row100.snapshotMb)}x.`,
  `- Heap growth from 100k to 400k events: ${fmt(growthPerEvent, 0)} bytes per event; at 1M: ${fmt(perPair, 0)} bytes per (person, item) pair.`,
].join('\n');
const body = [`Measured on ${machineLine()}.`, '', table, '', ratios].join('\n');
console.log(`\n${body}`);
writeReadmeSection('state', body);
