/**
 * The playground's world, without the page: one recommender over the built-in
 * demo catalog, a household of people who share one tablet, a clock that the
 * page can move forward, and the taste history the chart draws.
 *
 * Everything is seeded, so every visitor sees the same first lists and the
 * browser test can rely on them. All state lives in this page: attune runs
 * in-process, and nothing is sent anywhere.
 */
import {
  createRecommender,
  type ExplainedRecommendation,
  type Item,
  type Profile,
  type Recommender,
  type Signal,
} from 'attune';
import { createListener, generateCatalog } from 'attune/eval';

export const DAY_MS = 86_400_000;
/** Monday 5 January 2026, 19:00 UTC: when the playground opens. */
export const START = Date.UTC(2026, 0, 5, 19);
export const HALF_LIFE_DAYS = 90;
export const LIST_LENGTH = 10;

/** A person in the household. Stations will hang off a person (see `station` in {@link Playground.list}). */
export interface Person {
  id: string;
  name: string;
  /** One line for the person picker. */
  about: string;
}

export const PEOPLE: readonly Person[] = [
  { id: 'ann', name: 'Ann', about: 'new here: nothing known yet' },
  { id: 'ben', name: 'Ben', about: 'new here, shares the tablet with Ann' },
  { id: 'max', name: 'Max', about: 'five months of history: jazz, then electronic' },
];

/** A point of the taste chart: the weight of each genre in the person's profile at one time. */
export interface TastePoint {
  at: number;
  genres: Record<string, number>;
}

/** Something that happened on the time axis: a detected or requested life-stage change, or a jump of the clock. */
export interface TimeMark {
  at: number;
  kind: 'change' | 'jump';
  label: string;
}

/**
 * A few tracks about health: `sensitive: ['health']`, so attune shows them,
 * learns from them and names them in reasons only for a person who consented.
 */
const WELLNESS: readonly Item[] = [
  {
    id: 'wellness-001',
    title: 'Wind Down: Breathing for Anxiety',
    tags: ['genre:wellness', 'mood:serene', 'topic:anxiety'],
    sensitive: ['health'],
  },
  {
    id: 'wellness-002',
    title: 'Sleep Stories for Insomnia',
    tags: ['genre:wellness', 'mood:serene', 'topic:sleep'],
    sensitive: ['health'],
  },
  {
    id: 'wellness-003',
    title: 'Grief, Gently',
    tags: ['genre:wellness', 'mood:wistful', 'topic:grief'],
    sensitive: ['health'],
  },
  {
    id: 'wellness-004',
    title: 'Morning Stretch with Low Back Pain',
    tags: ['genre:wellness', 'mood:uplifting', 'topic:back-pain'],
    sensitive: ['health'],
  },
];

/** The demo catalog of `npm run demo` (src/eval/catalogGenerator.ts) plus the sensitive tracks above. */
export function playgroundCatalog(): Item[] {
  return [...generateCatalog({ seed: 7, genres: 8, itemsPerGenre: 40, artistsPerGenre: 6 }), ...WELLNESS];
}

/** The request context at a time: the hour and the weekday, as an app would send them. */
export function contextAt(at: number): { hour: number; weekday: string } {
  const date = new Date(at);
  return { hour: date.getUTCHours(), weekday: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][date.getUTCDay()]! };
}

const genreOf = (item: Item | undefined): string => item?.tags?.find((t) => t.startsWith('genre:'))?.slice(6) ?? '?';

export class Playground {
  readonly catalog: Item[];
  readonly genres: string[];
  private readonly byId: Map<string, Item>;
  private readonly rec: Recommender;
  private clock: number;
  private readonly histories = new Map<string, TastePoint[]>();
  private readonly jumps: TimeMark[] = [];

  constructor() {
    this.catalog = playgroundCatalog();
    this.byId = new Map(this.catalog.map((item) => [item.id, item]));
    this.genres = [...new Set(this.catalog.map((item) => genreOf(item)))];
    this.clock = START - 150 * DAY_MS;
    this.rec = createRecommender({
      items: this.catalog,
      seed: 42,
      halfLifeDays: HALF_LIFE_DAYS,
      tiredDays: 30,
      now: () => this.clock,
    });
    this.simulateMax();
    this.simulateCrowd();
    this.clock = START;
    this.rec.train();
    for (const person of PEOPLE) this.record(person.id);
  }

  /**
   * Max listened every evening for five months: jazz, until his taste turned
   * to electronic music 40 days ago. A seeded listener gives his thumbs,
   * plays and skips, so attune's change detector has something to find.
   */
  private simulateMax(): void {
    const max = createListener({
      id: 'max',
      seed: 9,
      catalog: this.catalog,
      taste: { 'genre:jazz': 0.9, 'mood:smoky': 0.3 },
      changes: [{ at: START - 40 * DAY_MS, taste: { 'genre:electronic': 0.9, 'mood:euphoric': 0.3 } }],
    });
    for (let day = 0; day < 142; day++) {
      this.clock = START - (150 - day) * DAY_MS;
      const context = contextAt(this.clock);
      const list = this.rec.recommend('max', { count: LIST_LENGTH, includeSeen: true, context });
      this.rec.feedback(
        max.react(
          list.map((r) => r.item),
          { at: this.clock, context },
        ),
      );
      if (day % 7 === 0) this.record('max');
    }
  }

  /** Thirty other listeners of the app in the last week: popularity and the collaborative model learn from them. */
  private simulateCrowd(): void {
    const tastes = [
      { 'genre:hip-hop': 0.8, 'genre:soul': 0.8 },
      { 'genre:electronic': 0.9, 'mood:hypnotic': 0.3 },
      { 'genre:rock': 0.8, 'genre:country': 0.5 },
      { 'genre:folk': 0.8, 'mood:wistful': 0.4 },
    ];
    for (let n = 0; n < 30; n++) {
      const listener = createListener({
        id: `listener-${n}`,
        seed: 100 + n,
        catalog: this.catalog,
        taste: tastes[n % tastes.length]!,
      });
      for (let day = 0; day < 4; day++) {
        const at = START - (7 - day) * DAY_MS + n * 60_000;
        this.clock = at;
        const list = this.rec.recommend(listener.id, { count: LIST_LENGTH, includeSeen: true });
        this.rec.feedback(
          listener.react(
            list.map((r) => r.item),
            { at },
          ),
        );
      }
    }
  }

  /** The simulated time, ms since epoch. */
  now(): number {
    return this.clock;
  }

  item(id: string): Item | undefined {
    return this.byId.get(id);
  }

  genreOf(id: string): string {
    return genreOf(this.byId.get(id));
  }

  /**
   * The person's list now; `undefined` is a guest. The station, once stations
   * exist, is one more option of this call (`recommend(user, { station })`).
   */
  list(person: string | undefined): ExplainedRecommendation[] {
    return this.rec.recommend(person, { count: LIST_LENGTH, context: contextAt(this.clock) });
  }

  /** A thumb (or "tired"): learned at once; a few minutes pass, as they would between two taps. */
  feedback(person: string, item: string, signal: Signal): void {
    this.rec.feedback({ user: person, item, signal, at: this.clock, context: contextAt(this.clock) });
    this.clock += 3 * 60_000;
    this.record(person);
  }

  /** Undo a thumb: attune forgets every signal the person gave on the item. */
  undo(person: string, item: string): void {
    this.rec.removeFeedback(person, item);
    this.record(person);
  }

  profile(person: string): Profile {
    return this.rec.profile(person);
  }

  setMuted(person: string, tags: string[]): void {
    this.rec.setPreferences(person, { mutedTags: tags });
    this.record(person);
  }

  setConsent(person: string, category: string, given: boolean): void {
    this.rec.setPreferences(person, { consent: { [category]: given } });
    this.record(person);
  }

  setOptOut(person: string, optOut: boolean): void {
    this.rec.setPreferences(person, { optOut });
    this.record(person);
  }

  /** Moves the clock forward: every piece of evidence loses weight by its half-life. */
  jump(days: number): void {
    this.clock += days * DAY_MS;
    this.jumps.push({ at: this.clock, kind: 'jump', label: days >= 365 ? '+1 year' : `+${days} days` });
    for (const person of PEOPLE) this.record(person.id);
  }

  /** How much of its weight a piece of evidence keeps after `days`. */
  static keptAfter(days: number): number {
    return Math.pow(0.5, days / HALF_LIFE_DAYS);
  }

  history(person: string): readonly TastePoint[] {
    return this.histories.get(person) ?? [];
  }

  /** Life-stage changes of the person and the clock jumps, oldest first. */
  marks(person: string): TimeMark[] {
    const changes = this.rec.profile(person).changes.map((c): TimeMark => ({
      at: c.at,
      kind: 'change',
      label: c.cause === 'detected' ? 'taste changed' : 'started afresh',
    }));
    return [...changes, ...this.jumps].sort((a, b) => a.at - b.at);
  }

  /** The genre weights of the profile now (tags beyond its top lists count as 0). */
  private record(person: string): void {
    const profile = this.rec.profile(person);
    const genres: Record<string, number> = {};
    for (const tag of [...profile.likedTags, ...profile.dislikedTags])
      if (tag.tag.startsWith('genre:')) genres[tag.tag.slice(6)] = tag.weight;
    const points = this.histories.get(person) ?? [];
    if (points.at(-1)?.at === this.clock) points.pop();
    points.push({ at: this.clock, genres });
    this.histories.set(person, points);
  }
}
