import { createRecommender } from './src/index.js';
import { generateCatalog, sessionTime, simulateListening } from './src/eval/index.js';
import { LISTENER_KINDS } from './benchmarks/decay/listenerKinds.js';
import { CATALOG_SHAPE, T0, genresFor } from './benchmarks/decay/simulation.js';
const kind = LISTENER_KINDS.find((k) => k.key === (process.argv[2] ?? 'implicit3'))!;
const seed = Number(process.argv[3] ?? 110);
const catalog = generateCatalog({ seed, ...CATALOG_SHAPE });
let now = T0;
const rec = createRecommender({ items: catalog, seed, propensitySamples: 1, now: () => now });
const changeAt = sessionTime(365, { start: T0 });
const l = kind.make(seed, catalog, changeAt);
console.log(genresFor(seed));
simulateListening({ recommender: rec, listeners: [l], sessions: 363, start: T0, clock: (a) => (now = a) });
for (let d = 363; d < 382; d++) {
  now = sessionTime(d, { start: T0 });
  const shown = rec.recommend(l.id, { count: 10, at: now, includeSeen: true });
  const ev = l.react(shown.map((s) => s.item), { at: now });
  rec.feedback(ev);
  console.log(d - 365, shown.map((s) => catalog.find((c) => c.id === s.item)!.tags![0]!.slice(6, 11) + (s.explored ? '*' : '')).join(' '), ev.map((e) => e.signal).join(','));
}
console.log(rec.profile(l.id).changes);
