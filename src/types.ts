/** Public types of attune (see the README for what produces and consumes them). */

/** A piece of content: a song, an article, a product. */
export interface Item {
  /** Unique id within the catalog. */
  id: string;
  /** Human-readable title, used in reasons. */
  title?: string;
  /** Tags, `facet:value` by convention (`genre:jazz`, `mood:mellow`, `artist:miles-davis`). */
  tags?: string[];
  /** Sensitive categories (`health`, `finance`, `location`): shown only with the user's consent. */
  sensitive?: string[];
}

/** What a person told us, explicitly (`up`, `down`, `tired`) or implicitly (`play`, `skip`, `purchase`). */
export type Signal = 'up' | 'down' | 'tired' | 'skip' | 'play' | 'purchase';

/** The situation of a request or an event: time of day, weekday, device, minutes available… */
export type Context = Record<string, string | number | boolean>;

/** One piece of feedback. */
export interface FeedbackEvent {
  user: string;
  item: string;
  signal: Signal;
  /** Milliseconds since epoch. @default now() */
  at?: number;
  /** How strongly (e.g. log of a play count), > 0. @default 1 */
  weight?: number;
  context?: Context;
  /**
   * The station the item was played on (created with `createStation`). The
   * station learns from it most, the person's overall taste too; a `down`
   * on a station bans the item on that station only.
   */
  station?: string;
}

/**
 * What a reason says drove the score. The first six name a part of the score
 * (`liked-similar`, `tag-affinity` and `context` split the taste part);
 * `new-user` and `catalog` say that no part is positive (nothing is known yet
 * that points to the item); `turned-down` and `resting` answer `explain` on an
 * item the person turned down or is tired of; `station-seed`: on a station,
 * the seeds it was built on are the largest part of the score.
 */
export type ReasonKind =
  | 'liked-similar'
  | 'tag-affinity'
  | 'collaborative'
  | 'context'
  | 'exploring'
  | 'popular'
  | 'new-user'
  | 'catalog'
  | 'turned-down'
  | 'resting'
  | 'station-seed';

/** One piece of evidence behind a reason; `weight` is its share of the score. */
export interface Evidence {
  /** `items` is a group of items the reason counts rather than names ("and 14 other songs you played"). */
  type: 'item' | 'tag' | 'context' | 'people' | 'items';
  id: string;
  label: string;
  /** Score points this piece carries, net of the negative pieces of the same part; the weights of a reason never sum to more than `reason.part.points`. */
  weight: number;
  /** For `item` evidence of a taste reason: the tags it shares with the explained item, largest share first (what an app needs to write "both are …"). */
  tags?: string[];
  /** For `items` evidence: how many items the group holds. */
  count?: number;
}

/** The part of a score a reason explains: `taste` is content + context; `none` when no part is positive. */
export type ReasonPart = 'taste' | 'collaborative' | 'popularity' | 'exploration' | 'none';

/** Why an item was recommended, built from the same numbers as its score. */
export interface Reason {
  kind: ReasonKind;
  text: string;
  /** Largest first. */
  evidence: Evidence[];
  /** The part the reason explains and its size in score points (0 for `none`, `turned-down`, `resting`). */
  part: { name: ReasonPart; points: number };
  /** Whether the text is worded with confidence ("Because you liked …") or tentatively ("You might like …"). */
  confident: boolean;
  /** `turned-down`: when (ms since epoch). */
  since?: number;
  /** `resting`: when the rest ends (ms since epoch). */
  until?: number;
}

/** One recommended item. */
export interface Recommendation {
  item: string;
  /** Sum of the named contributions (`contributions` on what `recommend` returns). */
  score: number;
  reason: Reason;
  /** True when the item is in the list because of exploration rather than the expected score. */
  explored: boolean;
  /** Estimated probability that this item is shown at all under the policy's randomness, in (0, 1]. */
  propensity: number;
}

/** Named parts of one item's score; they add up to its score. */
export interface Contributions {
  /** The person's taste for the item's tags (on a station: blended with the station's and its seed prior). */
  content: number;
  /** How much more (or less) the person likes those tags in the request's context. */
  context: number;
  /** The collaborative model (matrix factorisation), scaled by how much the person has told attune. */
  collaborative: number;
  /** Popularity with everyone, fading as the person's own evidence grows. */
  popularity: number;
  /** The exploration draw's deviation from the expected score. */
  exploration: number;
}

/** A recommendation with the named parts of its score (they add up to `score`). */
export interface ExplainedRecommendation extends Recommendation {
  contributions: Contributions;
}

/** Options of `recommend`. */
export interface RecommendOptions {
  /** How many items, 1–1000. @default 10 */
  count?: number;
  /** The time of the request (ms since epoch). @default now() */
  at?: number;
  context?: Context;
  /** Item ids to leave out of this list. */
  exclude?: string[];
  /** Include items the user already gave feedback on (never `down`, never `tired` at rest). @default false */
  includeSeen?: boolean;
  /** Recommend for one of the user's stations (see `createStation`): near its seeds, tuned by its thumbs. */
  station?: string;
}

/** What a station is seeded from: an item of the catalog or a tag some item has. */
export type StationSeed = { item: string } | { tag: string };

/** What `createStation` takes. */
export interface StationOptions {
  /** The app's id for the station, unique per user. */
  id: string;
  /** A name people read (`Miles Davis Radio`); reasons quote it. @default the id */
  name?: string;
  /** At least one seed: `{ item: 'so-what' }` or `{ tag: 'artist:miles-davis' }`. */
  seeds: StationSeed[];
}

/** One station as `stations(user)` lists it. */
export interface Station {
  id: string;
  name: string;
  seeds: StationSeed[];
  /** When it was created (ms since epoch). */
  created: number;
  /** Feedback events given on this station. */
  events: number;
  /** Items turned down on this station (never played on it again). */
  banned: string[];
}

/** What a user asked for. Every field optional: omitted fields are left as they are. */
export interface Preferences {
  /** Opted-out users get non-personalised lists and nothing about them is learned or kept. */
  optOut?: boolean;
  /** Consent per sensitive category (`{ health: true }`). */
  consent?: Record<string, boolean>;
  /** Tags whose items never appear and are never cited. Replaces the previous list. */
  mutedTags?: string[];
  /** Start a new life stage: forget learned taste (bans are kept unless `keepBans` is false). */
  reset?: boolean;
  /** With `reset`: keep thumbs-down bans. @default true */
  keepBans?: boolean;
}
