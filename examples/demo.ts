/**
 * attune demo: a seeded listener on the built-in music catalog.
 * Run with `npm run demo`. Everything is seeded: the output is the same on every run.
 * The clock is simulated and jumps forward between sections; every jump is printed.
 */
import { createRecommender, type Recommendation } from '../src/index.js';
import { createListener, generateCatalog } from '../src/eval/index.js';

const DAY = 86_400_000;
const catalog = generateCatalog({ seed: 7, genres: 8, itemsPerGenre: 40, artistsPerGenre: 6 });
const byId = new Map(catalog.map((item) => [item.id, item]));
let now = Date.UTC(2026, 0, 5, 8); // a Monday morning
const rec = createRecommender({ items: catalog, seed: 42, halfLifeDays: 90, tiredDays: 30, now: () => now });

const genreOf = (id: string) => (byId.get(id)?.tags ?? []).find((t) => t.startsWith('genre:'))?.slice(6) ?? '?';
const title = (id: string) => `“${byId.get(id)?.title ?? id}” (${genreOf(id)})`;
function show(heading: string, list: Recommendation[], lines = list.length) {
  console.log(`\n${heading}`);
  for (const r of list.slice(0, lines)) {
    const tag = r.explored ? ' [exploring]' : '';
    console.log(
      `  ${title(r.item).padEnd(44)} ${r.score.toFixed(2).padStart(6)}  p=${r.propensity.toFixed(2)}${tag}\n      ↳ ${r.reason.text}`,
    );
  }
}
const share = (list: Recommendation[], genre: string) => list.filter((r) => genreOf(r.item) === genre).length;
const date = (at: number) => new Date(at).toISOString().slice(0, 10);
const time = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');
/** Moves the simulated clock and says so. */
function jump(ms: number, why: string) {
  const from = now;
  now += ms;
  const days = ms / DAY;
  const span =
    days >= 1 ? `${Math.round(days)} day${Math.round(days) === 1 ? '' : 's'}` : `${Math.round(ms / 60_000)} minutes`;
  console.log(
    `\n   ⏩ The clock jumps ${span} (${days >= 1 ? `${date(from)} → ${date(now)}` : `${time(from)} → ${time(now)}`}): ${why}`,
  );
}

console.log(
  `attune demo — ${catalog.length} songs in ${new Set(catalog.map((i) => genreOf(i.id))).size} genres, seed 42, half-life 90 days; the clock starts on ${date(now)}`,
);
console.log(`
How to read a list line:   “Title” (genre)   score   p=propensity   [exploring]
  score        the item's score in points (log-odds of a like): the sum of its parts — taste for its tags,
               the time of day, people with similar taste, popularity, and the exploration draw. Higher is better;
               it compares items within one list, it is not a probability.
  p=0.84       propensity: the share of the policy's random draws that would show this item (1.00: always shown).
  [exploring]  in the list because the random draw lifted it, to learn what the listener thinks of it.
  ↳            the reason, built from the same numbers as the score.`);

// 1. A brand-new listener: popular picks and exploration, each with a reason.
show(
  '1. Ann opens the app for the first time:',
  rec.recommend('ann', { count: 5, context: { hour: 8, weekday: 'mon' } }),
);
console.log(
  '   Nothing is known about Ann yet and nobody has listened to anything: every song is equally uncertain,\n   so the first list is the exploration draw alone, and songs that share tags share their reason.',
);

// 2. Thumbs up: the very next list follows.
const jazz = catalog.filter((i) => genreOf(i.id) === 'jazz');
for (const song of jazz.slice(0, 3))
  rec.feedback({ user: 'ann', item: song.id, signal: 'up', context: { hour: 8, weekday: 'mon' } });
console.log(
  `\n2. Ann gives a thumbs-up to ${jazz
    .slice(0, 3)
    .map((s) => title(s.id))
    .join(', ')}`,
);
jump(5 * 60_000, 'she asks for a new list a few minutes later.');
const afterUps = rec.recommend('ann', { count: 8, context: { hour: 8, weekday: 'mon' } });
show(`   Her next list (${share(afterUps, 'jazz')}/8 jazz):`, afterUps);
const crimson = jazz[5]!.id;
console.log(
  `\n   Why would Ann get ${title(crimson)}? ${rec.explain('ann', crimson, { context: { hour: 8, weekday: 'mon' } }).text}`,
);

// 3. Thumbs down: never again.
const disliked = afterUps.find((r) => !r.explored)!.item;
rec.feedback({ user: 'ann', item: disliked, signal: 'down' });
let seenAgain = 0;
const beforeLists = now;
for (let i = 0; i < 50; i++) {
  now += 60 * 60_000;
  if (rec.recommend('ann', { count: 20, includeSeen: true }).some((r) => r.item === disliked)) seenAgain++;
}
console.log(
  `\n3. Ann turns down ${title(disliked)}. In the next 50 lists of 20, one an hour (replays allowed; the clock moved ${date(beforeLists)} → ${date(now)}), it appears ${seenAgain} times.`,
);
console.log(`   Why not? ${rec.explain('ann', disliked).text}`);

// 4. Tired: rests for 30 days, then comes back.
const favourite = jazz[0]!.id;
rec.feedback({ user: 'ann', item: favourite, signal: 'tired' });
const inStation = () => rec.recommend('ann', { count: 300, includeSeen: true }).some((r) => r.item === favourite);
console.log(`\n4. Ann is tired of ${title(favourite)}.`);
console.log(`   In her station right away? ${inStation() ? 'yes' : 'no — it is resting'}`);
console.log(`   Why not? ${rec.explain('ann', favourite).text}`);
jump(31 * DAY, 'a rest of 30 days (tiredDays) has passed.');
console.log(`   Back in her station? ${inStation() ? 'yes — it is back' : 'no'}`);

// 5. A simulated listener over two weeks: the loop learns from every signal.
const listener = createListener({
  id: 'sam',
  seed: 3,
  catalog,
  taste: { 'genre:folk': 0.8, 'mood:wistful': 0.4, 'genre:metal': -0.8 },
});
console.log(
  `\n5. Sam, a simulated folk fan, listens to a 10-song station every evening for two weeks (replays allowed; the clock moves a day per session, ${date(now + DAY)} → ${date(now + 14 * DAY)}):`,
);
for (let day = 1; day <= 14; day++) {
  now += DAY;
  const list = rec.recommend('sam', { count: 10, context: { hour: 19 }, includeSeen: true });
  const events = listener.react(
    list.map((r) => r.item),
    { at: now, context: { hour: 19 } },
  );
  rec.feedback(events);
  if (day === 1 || day === 3 || day === 7 || day === 14) {
    const liked = events.filter((e) => e.signal === 'up' || e.signal === 'play').length;
    console.log(`   day ${String(day).padStart(2)}: ${share(list, 'folk')}/10 folk, ${liked}/10 liked or played`);
  }
}
jump(DAY, 'the next evening.');
show('   Sam’s station on day 15:', rec.recommend('sam', { count: 5, context: { hour: 19 }, includeSeen: true }));

// 6. Everyone teaches everyone: a crowd of listeners, then train() fits the collaborative model.
// Half the crowd loves both hip-hop and soul: a link no tag states, only people.
const tastes = [
  { 'genre:hip-hop': 0.8, 'genre:soul': 0.8 },
  { 'genre:electronic': 0.9, 'mood:hypnotic': 0.3 },
  { 'genre:hip-hop': 0.8, 'genre:soul': 0.8 },
  { 'genre:rock': 0.8, 'genre:country': 0.5 },
];
for (let n = 0; n < 40; n++) {
  const crowd = createListener({ id: `listener-${n}`, seed: 100 + n, catalog, taste: tastes[n % tastes.length]! });
  for (let day = 0; day < 5; day++) {
    const at = now + day * 3_600_000;
    const list = rec.recommend(crowd.id, { count: 10, at, includeSeen: true });
    rec.feedback(
      crowd.react(
        list.map((r) => r.item),
        { at },
      ),
    );
  }
}
jump(DAY, 'forty other listeners have used the app, five lists each.');
const report = rec.train();
console.log(
  `\n6. Forty more listeners use the app; train() fits the collaborative model on ${report.events} signals from ${report.users} people in ${report.seconds.toFixed(2)} s.`,
);
// Zoe likes three hip-hop songs the crowd knows (the most popular ones), so the crowd's model can speak for them.
const hipHop = rec
  .recommend(undefined, { count: catalog.length })
  .filter((r) => genreOf(r.item) === 'hip-hop')
  .slice(0, 3);
rec.feedback(hipHop.map((song) => ({ user: 'zoe', item: song.item, signal: 'up' as const })));
const zoe = rec.recommend('zoe', { count: 10 });
show(`   Zoe likes three hip-hop songs; her next list (folded in at once, no retrain needed):`, zoe, 3);
const soulPick = zoe.find((r) => genreOf(r.item) === 'soul' && r.reason.kind === 'collaborative');
if (soulPick !== undefined)
  show('   …and further down, a soul song that no tag connects to hip-hop — the crowd does:', [soulPick]);

// 7. A new life stage: Max loved jazz for a year, then turns to electronic music.
const maxListener = createListener({
  id: 'max',
  seed: 9,
  catalog,
  taste: { 'genre:jazz': 0.9, 'mood:smoky': 0.3 },
  changes: [{ at: now + 365 * DAY, taste: { 'genre:electronic': 0.9, 'mood:euphoric': 0.3 } }],
});
console.log(
  `\n7. Max listens every evening: a year of jazz, then his taste turns to electronic music (the clock moves a day per session for 375 days, ${date(now + DAY)} → ${date(now + 375 * DAY)}).`,
);
for (let day = 1; day <= 375; day++) {
  now += DAY;
  const list = rec.recommend('max', { count: 10, includeSeen: true, context: { hour: 20 } });
  const events = maxListener.react(
    list.map((r) => r.item),
    { at: now, context: { hour: 20 } },
  );
  rec.feedback(events);
  if (day === 360 || (day > 365 && day <= 370) || day === 375) {
    const explored = list.filter((r) => r.explored).length;
    console.log(
      `   day ${day}${day > 365 ? ` (${day - 365} after the change)` : ''}: ${share(list, 'jazz')}/10 jazz, ${share(list, 'electronic')}/10 electronic, ${explored} exploring`,
    );
  }
}
const changes = rec.profile('max').changes;
console.log(`   attune noticed: ${changes.map((c) => c.text).join(' ') || 'no change detected'}`);
jump(DAY, 'the next evening.');
show('   Max’s list now:', rec.recommend('max', { count: 4, includeSeen: true, context: { hour: 20 } }));

// 8. Transparency.
const annDays = Math.round((now - Date.UTC(2026, 0, 5, 8)) / DAY);
console.log(
  `\n8. It is now ${date(now)}: Ann gave her thumbs ${annDays} days ago, so with a 90-day half-life they keep ${(100 * 0.5 ** (annDays / 90)).toFixed(0)}% of their weight — attune's picture of her has faded with them.`,
);
console.log(`   What attune knows about Ann: ${rec.profile('ann').text}`);
console.log(`   What attune knows about Sam: ${rec.profile('sam').text}`);
const faded = rec.explain('ann', crimson);
console.log(`\n   Why would Ann get ${title(crimson)} now? ${faded.text}`);
console.log(
  `   (a reason names the largest part of the score: now ${faded.part.name}, ${faded.part.points.toFixed(2)} points; in step 2 it was her thumbs)`,
);

// 9. Stations (Pandora): one listener, two stations, each seeded and tuned on its own.
console.log(
  '\n9. Lea makes two stations: “Late Night Jazz Radio” from a song and a mood, “Workout Radio” from a genre.',
);
const seedSong = jazz.find((s) => s.tags?.includes('mood:smoky')) ?? jazz[0]!;
rec.createStation('lea', {
  id: 'late-night',
  name: 'Late Night Jazz Radio',
  seeds: [{ item: seedSong.id }, { tag: 'mood:smoky' }],
});
rec.createStation('lea', { id: 'workout', name: 'Workout Radio', seeds: [{ tag: 'genre:electronic' }] });
show('   Her first Late Night list, before any thumbs:', rec.recommend('lea', { station: 'late-night', count: 10 }), 3);
const leaOn = {
  'late-night': createListener({
    id: 'lea',
    seed: 21,
    catalog,
    taste: { 'genre:jazz': 0.7, 'mood:smoky': 0.4 },
    tiredAfter: 1000,
  }),
  workout: createListener({
    id: 'lea',
    seed: 22,
    catalog,
    taste: { 'genre:electronic': 0.6, 'mood:energetic': 0.5 },
    tiredAfter: 1000,
  }),
};
for (let day = 1; day <= 20; day++) {
  for (const station of ['late-night', 'workout'] as const) {
    now += DAY / 2;
    const list = rec.recommend('lea', { station, count: 10, includeSeen: true });
    rec.feedback(
      leaOn[station]
        .react(
          list.map((r) => r.item),
          { at: now },
        )
        .map((e) => ({ ...e, station })),
    );
    if (day === 1 || day === 20)
      console.log(
        `   day ${String(day).padStart(2)} on ${station.padEnd(10)}: ${share(list, 'jazz')}/10 jazz, ${share(list, 'electronic')}/10 electronic`,
      );
  }
}
now += DAY;
const lateNight = rec.recommend('lea', { station: 'late-night', count: 10, includeSeen: true });
show('   Late Night after 20 days of thumbs:', lateNight, 2);
const turnedDown = lateNight.find((r) => !r.explored && r.item !== seedSong.id)!.item;
rec.feedback({ user: 'lea', item: turnedDown, signal: 'down', station: 'late-night' });
const appears = (station?: string) =>
  rec
    .recommend('lea', { count: 300, includeSeen: true, ...(station !== undefined ? { station } : {}) })
    .some((r) => r.item === turnedDown);
console.log(
  `   Lea turns down ${title(turnedDown)} on Late Night: on Late Night again? ${appears('late-night') ? 'yes' : 'never'}; on her other lists? ${appears() ? 'still possible' : 'no'}.`,
);
console.log(
  `   What attune knows of her stations: ${rec
    .profile('lea')
    .stations.map((s) => s.text)
    .join(' ')}`,
);
