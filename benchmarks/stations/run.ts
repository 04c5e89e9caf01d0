/**
 * `npm run bench:stations` (or `npm run bench -- stations`):
 * what a station plays and how its thumbs travel, per kind of station
 * (seeded on a song, an artist, a genre tag, or a song and another genre's
 * artist), over the issue's setup (see world.ts):
 *
 * - the share of the first list, and of the twentieth (a station listener
 *   who likes the seeds' genres, one mood and not another, and never tires
 *   of a song, reacting to each list, 12 hours apart, replays allowed), that
 *   matches the seeds' genres;
 * - the exploring share of the first list;
 * - how many places a song moves on the person's other stations, and on
 *   their plain list, after a down on this one (places by mean score —
 *   score less the exploration draw — among every song, seen ones included);
 * - the list rules on station lists of 2 to 10: cap violations (an artist
 *   more than twice; a tag more than 70% of the list, rounded down — so at
 *   most 1 of 2 — except the tags a station was seeded on and what every
 *   song of one of them carries: an artist's genre, a genre's era), reasons
 *   whose kind is not the largest part, evidence above its part, a resting
 *   or turned-down song cited, `explain` differing from `recommend`;
 *
 * and NDCG@10 in a generated world where 30 listeners each have three
 * stations with tastes of their own (relevance: how well a song matches the
 * taste of the station it is listed on). Public API only, so the same file
 * measures any version. `--quick`: fewer trials; `--write`: results into
 * benchmarks/README.md (stations section).
 */
import {
  restoreRecommender,
  type ExplainedRecommendation,
  type Item,
  type Recommender,
  type StationSeed,
} from '../../src/index.js';
import { createListener, generateCatalog, tasteMatch, type Taste } from '../../src/eval/index.js';
import { createRng } from '../../src/random/rng.js';
import { machineLine, median, writeReadmeSection } from '../common/readme.js';
import { DAY, GENRES, crowdWorld, issueCatalog } from './world.js';

const quick = process.argv.includes('--quick');
const TRIALS = quick ? 6 : 20;
const LISTS = 20;
const KINDS = ['song', 'artist', 'tag', 'mixed'] as const;
type Kind = (typeof KINDS)[number];

const started = performance.now();
const items = issueCatalog();
const byId = new Map(items.map((x) => [x.id, x]));
const tagsOf = (id: string) => byId.get(id)!.tags!;
const genreOf = (id: string) => tagsOf(id)[0]!;
const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

const world = crowdWorld(items, 1);
const snapshot = JSON.stringify(world.rec.snapshot());

/** A station of one trial: its seeds, the genres they stand for, and the tags no share cap holds back. */
interface StationPlan {
  kind: Kind;
  seeds: StationSeed[];
  genres: Set<string>;
  exempt: Set<string>;
}

/** The tags a station was seeded on have no share cap (and what every song of one of them carries): the artist cap holds. */
function plan(kind: Kind, home: number, pick: (n: number) => number): StationPlan {
  const p = seedsOf(kind, home, pick);
  const named = p.seeds.flatMap((s) => ('tag' in s ? [s.tag] : []));
  return { ...p, exempt: new Set([...named, ...named.flatMap(impliedBy)]) };
}

function seedsOf(kind: Kind, home: number, pick: (n: number) => number): Omit<StationPlan, 'exempt'> {
  const song = (g: number) => `g${g % GENRES}-${pick(20)}`;
  const artist = (g: number) => `artist:g${g % GENRES}-a${pick(6)}`;
  const genreOfArtist = (a: string) => `genre:${a.slice('artist:'.length).split('-')[0]!}`;
  switch (kind) {
    case 'song': {
      const s = song(home + 5);
      return { kind, seeds: [{ item: s }], genres: new Set([genreOf(s)]) };
    }
    case 'artist': {
      const a = artist(home + 3);
      return { kind, seeds: [{ tag: a }], genres: new Set([genreOfArtist(a)]) };
    }
    case 'tag': {
      const genre = `genre:g${(home + 7) % GENRES}`;
      return { kind, seeds: [{ tag: genre }], genres: new Set([genre]) };
    }
    case 'mixed': {
      const s = song(home + 2);
      const a = artist(home + 8);
      return { kind, seeds: [{ item: s }, { tag: a }], genres: new Set([genreOf(s), genreOfArtist(a)]) };
    }
  }
}

/** Tags every song carrying `tag` carries (an artist's genre, a genre's era): capping them would cap the tag. */
function impliedBy(tag: string): string[] {
  const songs = items.filter((x) => x.tags!.includes(tag));
  return songs[0]!.tags!.filter((t) => t !== tag && songs.every((x) => x.tags!.includes(t)));
}

/** Cap violations of one list: an artist over 2, a tag (not exempt) over 70% (rounded down, at least 1). */
function violations(list: readonly string[], exempt: ReadonlySet<string>): number {
  const counts = new Map<string, number>();
  for (const id of list) for (const t of tagsOf(id)) counts.set(t, (counts.get(t) ?? 0) + 1);
  const share = Math.max(1, Math.floor(0.7 * list.length + 1e-9));
  let bad = 0;
  for (const [t, c] of counts) {
    if ((t.startsWith('artist:') && c > 2) || (!exempt.has(t) && c > share)) {
      bad++;
      if (process.env['VERBOSE'] !== undefined) console.log('cap:', t, c, 'of', list.length, [...exempt].join(' '));
    }
  }
  return bad;
}

const PART_OF: Record<string, string> = {
  'station-seed': 'taste',
  'liked-similar': 'taste',
  'tag-affinity': 'taste',
  context: 'taste',
  collaborative: 'collaborative',
  popular: 'popularity',
};

function largestPart(r: ExplainedRecommendation): [string, number] {
  const c = r.contributions;
  const parts: [string, number][] = [
    ['taste', c.content + c.context],
    ['collaborative', c.collaborative],
    ['popularity', c.popularity],
  ];
  return parts.reduce((b, p) => (p[1] > b[1] ? p : b), ['none', 1e-6] as [string, number]);
}

/** Places by mean score (score less the exploration draw) among every song that may be shown. */
function ranks(rec: Recommender, station: string | undefined): Map<string, number> {
  const list = rec
    .recommend('ann', { count: 1000, includeSeen: true, ...(station === undefined ? {} : { station }) })
    .map((r) => ({ item: r.item, mean: r.score - r.contributions.exploration }))
    .sort((a, b) => b.mean - a.mean || (a.item < b.item ? -1 : 1));
  return new Map(list.map((r, k) => [r.item, k]));
}

interface KindResult {
  first: number[];
  twentieth: number[];
  exploring: number[];
  shiftNear: number[];
  shiftStations: number[];
  shiftPlain: number[];
}
const results = new Map<Kind, KindResult>(
  KINDS.map((k) => [k, { first: [], twentieth: [], exploring: [], shiftNear: [], shiftStations: [], shiftPlain: [] }]),
);
const rules = {
  lists: 0,
  capViolations: 0,
  reasons: 0,
  rightKind: 0,
  overPart: 0,
  restingCited: 0,
  bannedCited: 0,
  explainDiffers: 0,
  explained: 0,
};

for (let trial = 0; trial < TRIALS; trial++) {
  const clock = { t: world.clock.t };
  const rec = restoreRecommender(JSON.parse(snapshot), { now: () => clock.t });
  const rng = createRng(trial, 'station-bench-trial');
  const pick = (n: number) => rng.int(n);
  const home = trial % GENRES;
  // Ann's other taste: three songs of her home genre, liked on a plain list.
  for (const i of [0, 1, 2].map(() => pick(20)))
    rec.feedback({ user: 'ann', item: `g${home}-${i}`, signal: 'up', at: clock.t });
  clock.t += 60_000;
  const plans = KINDS.map((kind) => plan(kind, home, pick));
  plans.forEach((p) => rec.createStation('ann', { id: p.kind, name: `${p.kind} radio`, seeds: p.seeds }));
  const matches = (p: StationPlan, list: readonly ExplainedRecommendation[]) =>
    list.filter((r) => p.genres.has(genreOf(r.item))).length / list.length;

  // 1. The first list of each new station.
  const firsts = new Map<Kind, ExplainedRecommendation[]>();
  for (const p of plans) {
    const list = rec.recommend('ann', { station: p.kind, count: 10 });
    firsts.set(p.kind, list);
    results.get(p.kind)!.first.push(matches(p, list));
    results.get(p.kind)!.exploring.push(list.filter((r) => r.explored).length / list.length);
  }

  // 2. The list rules on lists of 2 to 10, after a tired on each station (the song rests everywhere).
  const resting = new Set<string>();
  for (const p of plans) {
    const item = firsts.get(p.kind)!.at(-1)!.item;
    rec.feedback({ user: 'ann', item, signal: 'tired', station: p.kind, at: clock.t });
    resting.add(item);
  }
  clock.t += 60_000;
  for (const p of plans) {
    for (let count = 2; count <= 10; count++) {
      const list = rec.recommend('ann', { station: p.kind, count });
      rules.lists++;
      rules.capViolations += violations(
        list.map((r) => r.item),
        p.exempt,
      );
      for (const r of list) {
        for (const e of r.reason.evidence) if (e.type === 'item' && resting.has(e.id)) rules.restingCited++;
        if (r.explored) continue;
        rules.reasons++;
        const [part, points] = largestPart(r);
        if ((PART_OF[r.reason.kind] ?? 'none') === part) rules.rightKind++;
        const cited = r.reason.evidence.reduce((s, e) => s + e.weight, 0);
        if (cited > points * (1 + 1e-9) + 1e-12) rules.overPart++;
        rules.explained++;
        if (rec.explain('ann', r.item, { station: p.kind }).text !== r.reason.text) rules.explainDiffers++;
      }
    }
  }

  // 3. A down on each station in turn: how far the song moves on a station of its own genre (one
  // that plays it), on the person's other stations, and on her plain list.
  const banned = new Map<Kind, Set<string>>(KINDS.map((k) => [k, new Set()]));
  for (const p of plans) {
    const item = firsts.get(p.kind)!.find((r) => !resting.has(r.item))!.item;
    const near = `near-${p.kind}`;
    rec.createStation('ann', { id: near, name: `${genreOf(item)} radio`, seeds: [{ tag: genreOf(item) }] });
    const where = [near, ...KINDS.filter((k) => k !== p.kind), 'plain'];
    const before = new Map(where.map((k) => [k, ranks(rec, k === 'plain' ? undefined : k)]));
    rec.feedback({ user: 'ann', item, signal: 'down', station: p.kind, at: clock.t });
    banned.get(p.kind)!.add(item);
    clock.t += 60_000;
    for (const k of where) {
      const from = before.get(k)!.get(item);
      const to = ranks(rec, k === 'plain' ? undefined : k).get(item);
      if (from === undefined || to === undefined) continue;
      const r = results.get(p.kind)!;
      (k === near ? r.shiftNear : k === 'plain' ? r.shiftPlain : r.shiftStations).push(Math.abs(to - from));
    }
    rec.removeStation('ann', near);
  }
  // The turned-down song is never cited on its station.
  for (const p of plans) {
    for (const r of rec.recommend('ann', { station: p.kind, count: 10 }))
      for (const e of r.reason.evidence)
        if (e.type === 'item' && banned.get(p.kind)!.has(e.id) && r.reason.kind !== 'station-seed') rules.bannedCited++;
  }

  // 4. Twenty lists on each station with a listener who likes the seeds' genres, one mood, and not another.
  for (const p of plans) {
    const taste: Record<string, number> = { [`mood:${['mellow', 'upbeat', 'dark', 'dreamy'][pick(4)]!}`]: 0.4 };
    for (const g of p.genres) taste[g] = 0.6;
    const disliked = ['mellow', 'upbeat', 'dark', 'dreamy']
      .map((m) => `mood:${m}`)
      .find((m) => taste[m] === undefined)!;
    taste[disliked] = -0.8;
    // She never tires of a song here (with replays and 20 songs a genre, rests would soon empty the genre).
    const listener = createListener({
      id: 'ann',
      seed: trial * 10 + KINDS.indexOf(p.kind),
      catalog: items,
      taste,
      tiredAfter: 1000,
    });
    let last: ExplainedRecommendation[] = [];
    for (let l = 0; l < LISTS; l++) {
      clock.t += DAY / 2;
      last = rec.recommend('ann', { station: p.kind, count: 10, includeSeen: true });
      if (l < LISTS - 1)
        rec.feedback(
          listener
            .react(
              last.map((r) => r.item),
              { at: clock.t },
            )
            .map((e) => ({ ...e, station: p.kind })),
        );
    }
    results.get(p.kind)!.twentieth.push(matches(p, last));
  }
}

// The generated world: 30 listeners, three stations each, each with its own taste.
function ndcgWorld() {
  const catalog: Item[] = generateCatalog({ seed: 11, genres: 8, itemsPerGenre: 25, artistsPerGenre: 5 });
  const tags = new Map(catalog.map((x) => [x.id, x.tags!]));
  const genres = [...new Set(catalog.map((x) => x.tags![0]!))];
  const { rec, clock } = crowdWorld(catalog, 2);
  const rng = createRng(3, 'station-bench-ndcg');
  const people = Array.from({ length: 30 }, (_, n) => {
    const chosen = new Set<string>();
    while (chosen.size < 3) chosen.add(genres[rng.int(genres.length)]!);
    return [...chosen].map((genre, k) => {
      const inGenre = catalog.filter((x) => x.tags![0] === genre);
      const moods = [...new Set(inGenre.map((x) => x.tags![1]!))];
      const artists = [...new Set(inGenre.map((x) => x.tags![3]!))];
      const taste: Taste = {
        [genre]: 0.4,
        [moods[rng.int(moods.length)]!]: 0.5,
        [artists[rng.int(artists.length)]!]: -0.7,
      };
      const seeds: StationSeed[] =
        k === 0
          ? [{ item: inGenre[rng.int(inGenre.length)]!.id }]
          : k === 1
            ? [{ tag: genre }]
            : [{ tag: artists[rng.int(artists.length)]! }];
      const user = `p${n}`;
      const station = `s${k}`;
      rec.createStation(user, { id: station, name: `${genre} radio`, seeds });
      const listener = createListener({ id: user, seed: n * 10 + k, catalog, taste });
      return { user, station, taste, genre, listener };
    });
  });
  const ndcg = (list: readonly string[], taste: Taste) => {
    const gain = (id: string) => Math.max(0, tasteMatch(tags.get(id), taste));
    const dcg = list.reduce((s, id, k) => s + gain(id) / Math.log2(k + 2), 0);
    const ideal = catalog
      .map((x) => gain(x.id))
      .sort((a, b) => b - a)
      .slice(0, 10)
      .reduce((s, g, k) => s + g / Math.log2(k + 2), 0);
    return ideal > 0 ? dcg / ideal : 0;
  };
  const scores: { first: number[]; last: number[]; ownGenre: number[]; otherGenres: number[] } = {
    first: [],
    last: [],
    ownGenre: [],
    otherGenres: [],
  };
  const DAYS = 20;
  for (let day = 0; day < DAYS; day++) {
    for (const stations of people) {
      for (const s of stations) {
        clock.t += DAY / 6;
        const list = rec.recommend(s.user, { station: s.station, count: 10, includeSeen: true }).map((r) => r.item);
        if (day === 0) scores.first.push(ndcg(list, s.taste));
        if (day === DAYS - 1) {
          scores.last.push(ndcg(list, s.taste));
          const others = new Set(stations.filter((o) => o !== s).map((o) => o.genre));
          scores.ownGenre.push(list.filter((id) => tags.get(id)![0] === s.genre).length / list.length);
          scores.otherGenres.push(list.filter((id) => others.has(tags.get(id)![0]!)).length / list.length);
          continue;
        }
        rec.feedback(s.listener.react(list, { at: clock.t }).map((e) => ({ ...e, station: s.station })));
      }
    }
  }
  return scores;
}
const generated = ndcgWorld();
const seconds = (performance.now() - started) / 1000;

const places = (xs: number[]) => `${median(xs)} / ${quantile(xs, 0.9)} / ${Math.max(...xs)}`;
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const rows = KINDS.map((kind) => {
  const r = results.get(kind)!;
  const worst = (xs: number[]) => `${pct(mean(xs))} (worst ${Math.round(10 * Math.min(...xs))}/10)`;
  return `| ${kind} | ${worst(r.first)} | ${worst(r.twentieth)} | ${pct(mean(r.exploring))} (max ${pct(Math.max(...r.exploring))}) | ${places(r.shiftNear)} | ${places(r.shiftStations)} | ${places(r.shiftPlain)} |`;
});
const met = (ok: boolean) => (ok ? 'met' : '**missed**');
const song = results.get('song')!;
const tag = results.get('tag')!;
const all = (f: (r: KindResult) => number[]) => KINDS.flatMap((k) => f(results.get(k)!));
const targets = [
  `song station, first list ≥ 6 of 10 of the seed's genre: worst ${Math.round(10 * Math.min(...song.first))}/10 — ${met(Math.min(...song.first) >= 0.6)}`,
  `tag station, first list ≥ 8 of 10 carry the tag: worst ${Math.round(10 * Math.min(...tag.first))}/10 — ${met(Math.min(...tag.first) >= 0.8)}`,
  `a station down moves the song ≤ 10 places on another station: largest ${Math.max(...all((r) => [...r.shiftNear, ...r.shiftStations]))} — ${met(Math.max(...all((r) => [...r.shiftNear, ...r.shiftStations])) <= 10)}`,
  `first list of a new station ≤ 30% exploring: largest ${pct(Math.max(...all((r) => r.exploring)))} — ${met(Math.max(...all((r) => r.exploring)) <= 0.3 + 1e-9)}`,
];
const rate = (a: number, b: number) => `${a}/${b} (${((100 * a) / Math.max(1, b)).toFixed(1)}%)`;
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}.`,
  `Command: \`npm run bench:stations\`${quick ? ' (`--quick`)' : ''} (${seconds.toFixed(0)} s). The issue's setup: 10 genres × 20 songs (genre, mood on a quarter of the catalog, artist, era), a crowd of 40 listeners over 15 days of plain lists, then \`train()\`; in each of ${TRIALS} trials Ann likes three songs of one genre on a plain list and creates four stations on four other genres.`,
  '',
  "| station seeded on | first list: seeds' genre | 20th list: seeds' genre | first list exploring | after a down here, places the song moves on a station of its genre | … on her stations of other genres | … on her plain list |",
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
  'Places moved: median / 90th percentile / largest, by mean score (score less the exploration draw) among every song, seen ones included.',
  '',
  `Targets (issue 24): ${targets.join('; ')}.`,
  '',
  `List rules on ${rules.lists} station lists of 2 to 10 (after a \`tired\` on each station): cap violations ${rules.capViolations}; reasons whose kind is the largest part ${rate(rules.rightKind, rules.reasons)}; evidence above its part ${rules.overPart}; resting songs cited ${rules.restingCited}; turned-down songs cited ${rules.bannedCited}; \`explain\` differing from \`recommend\` ${rate(rules.explainDiffers, rules.explained)}.`,
  '',
  `Generated world (generateCatalog: 8 genres × 25 songs; 40-listener crowd; 30 listeners × 3 stations seeded on a song, a genre and an artist, each station with its own taste — its genre, one mood, an artist disliked — one list of 10 a station a day for 20 days, replays allowed): NDCG@10 against each station's taste ${mean(generated.first).toFixed(3)} on the first day, ${mean(generated.last).toFixed(3)} on the twentieth; on the twentieth ${pct(mean(generated.ownGenre))} of a list is the station's genre and ${pct(mean(generated.otherGenres))} the genres of the listener's other stations.`,
].join('\n');
console.log(body);
writeReadmeSection('stations', body);
