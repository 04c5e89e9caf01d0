/**
 * Offline ranking metrics: accuracy of one ranked list against the items a
 * user really chose (precision, recall, NDCG, MAP, hit rate), and properties
 * of many lists together (catalog coverage, novelty, intra-list diversity).
 *
 * Conventions shared by every function here:
 * - `ranked` is the list as shown, best first, with distinct ids (as
 *   `recommend` returns it); only its first `k` entries count, and a list
 *   shorter than `k` is scored as if padded with irrelevant items.
 * - relevance is binary: an item is relevant when it is in `relevant`.
 * - a user with no relevant item scores 0 on every accuracy metric;
 *   {@link evaluateRankings} leaves such users out of its means by default.
 *
 * The per-list functions allocate nothing per item, so they can be called for
 * every user of a data set in a loop.
 */
import { checkK, fail } from './validate.js';

/**
 * Position discounts 1 / log2(i + 2) for ranks i = 0, 1, …, grown on demand
 * and shared across calls: NDCG reads them instead of calling Math.log2 per item.
 */
let discounts = new Float64Array(0);

function discountTable(k: number): Float64Array {
  if (discounts.length < k) {
    const table = new Float64Array(Math.max(k, 2 * discounts.length, 64));
    for (let i = 0; i < table.length; i++) table[i] = 1 / Math.log2(i + 2);
    discounts = table;
  }
  return discounts;
}

function hitsInTopK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const n = Math.min(k, ranked.length);
  let hits = 0;
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i] as string)) hits++;
  return hits;
}

/**
 * Precision at k: the share of the first k positions that hold a relevant item.
 *
 * P@k = |{ i < k : ranked[i] ∈ R }| / k
 *
 * The denominator is k even when the list is shorter, so a short list is not
 * rewarded for showing less.
 */
export function precisionAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  checkK('precisionAtK', k);
  return hitsInTopK(ranked, relevant, k) / k;
}

/**
 * Recall at k: the share of the relevant items that appear in the first k.
 *
 * R@k = |{ i < k : ranked[i] ∈ R }| / |R|   (0 when R is empty)
 */
export function recallAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  checkK('recallAtK', k);
  return relevant.size === 0 ? 0 : hitsInTopK(ranked, relevant, k) / relevant.size;
}

/**
 * Hit rate at k: 1 when at least one relevant item is in the first k, else 0.
 * Averaged over users it is the share of users who were shown something they chose.
 */
export function hitRateAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  checkK('hitRateAtK', k);
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i] as string)) return 1;
  return 0;
}

/**
 * Normalised discounted cumulative gain at k, binary relevance, log2 discount
 * (Järvelin & Kekäläinen 2002):
 *
 * DCG@k  = Σ_{i=0}^{k−1} rel_i / log2(i + 2),   rel_i = 1 if ranked[i] ∈ R else 0
 * IDCG@k = Σ_{i=0}^{min(k, |R|)−1} 1 / log2(i + 2)
 * NDCG@k = DCG@k / IDCG@k   (0 when R is empty)
 *
 * Always in [0, 1]; 1 exactly when the first min(k, |R|) positions are all relevant.
 */
export function ndcgAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  checkK('ndcgAtK', k);
  if (relevant.size === 0) return 0;
  const ideal = Math.min(k, relevant.size);
  const table = discountTable(Math.max(k, ideal));
  const n = Math.min(k, ranked.length);
  let dcg = 0;
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i] as string)) dcg += table[i] as number;
  let idcg = 0;
  for (let i = 0; i < ideal; i++) idcg += table[i] as number;
  return dcg / idcg;
}

/**
 * Average precision at k, normalised by the most hits a list of length k
 * could have; its mean over users is MAP@k:
 *
 * AP@k = (1 / min(k, |R|)) · Σ_{i=0}^{k−1} rel_i · P@(i + 1)   (0 when R is empty)
 *
 * where P@(i + 1) is the precision of the first i + 1 positions. 1 exactly when
 * the first min(k, |R|) positions are all relevant.
 */
export function averagePrecisionAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  checkK('averagePrecisionAtK', k);
  if (relevant.size === 0) return 0;
  const n = Math.min(k, ranked.length);
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (relevant.has(ranked[i] as string)) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return sum / Math.min(k, relevant.size);
}

/**
 * MAP at k for one list — the same number as {@link averagePrecisionAtK};
 * averaging it over users (e.g. with {@link evaluateRankings}) gives MAP@k.
 */
export function mapAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  checkK('mapAtK', k);
  return averagePrecisionAtK(ranked, relevant, k);
}

/**
 * Catalog coverage: the share of the catalog that appears in the first k of
 * at least one list.
 *
 * coverage = |∪_u top_k(list_u) ∩ catalog| / |catalog|
 *
 * @param lists one ranked list per user (or per request).
 * @param catalog the item ids that could have been recommended; ids outside it are ignored.
 * @param k positions per list that count. @default Infinity (whole lists)
 */
export function catalogCoverage(
  lists: Iterable<readonly string[]>,
  catalog: ReadonlySet<string>,
  k = Infinity,
): number {
  if (k !== Infinity) checkK('catalogCoverage', k);
  if (catalog.size === 0) fail('catalogCoverage', 'catalog must hold at least one item id');
  const seen = new Set<string>();
  for (const list of lists) addCovered(list, catalog, k, seen);
  return seen.size / catalog.size;
}

/** Adds the catalog items among the first k of `list` to `seen`. */
function addCovered(list: readonly string[], catalog: ReadonlySet<string>, k: number, seen: Set<string>): void {
  const n = Math.min(k, list.length);
  for (let i = 0; i < n; i++) {
    const id = list[i] as string;
    if (catalog.has(id)) seen.add(id);
  }
}

/**
 * Item popularity for {@link novelty}: the share of users who interacted with
 * each item, p(i) = |{u : u interacted with i}| / |users|. Repeated
 * interactions of one user with one item count once.
 */
export function itemPopularity(
  interactions: Iterable<{ readonly user: string; readonly item: string }>,
): Map<string, number> {
  const usersByItem = new Map<string, Set<string>>();
  const users = new Set<string>();
  for (const { user, item } of interactions) {
    users.add(user);
    let set = usersByItem.get(item);
    if (set === undefined) usersByItem.set(item, (set = new Set()));
    set.add(user);
  }
  const popularity = new Map<string, number>();
  for (const [item, set] of usersByItem) popularity.set(item, set.size / users.size);
  return popularity;
}

/** Options of {@link novelty} and {@link listNovelty}. */
export interface NoveltyOptions {
  /** Positions per list that count. @default Infinity (whole lists) */
  k?: number;
  /**
   * Popularity given to an item missing from the map (never seen in training),
   * in (0, 1]. @default the smallest popularity in the map
   */
  unseenPopularity?: number;
}

function smallestPopularity(popularity: ReadonlyMap<string, number>): number {
  let min = 1;
  for (const p of popularity.values()) if (p > 0 && p < min) min = p;
  return min;
}

function sumSelfInformation(
  list: readonly string[],
  popularity: ReadonlyMap<string, number>,
  k: number,
  unseen: number,
): [number, number] {
  const n = Math.min(k, list.length);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = popularity.get(list[i] as string);
    sum -= Math.log2(p !== undefined && p > 0 ? p : unseen);
  }
  return [sum, n];
}

function resolveNovelty(
  fn: string,
  popularity: ReadonlyMap<string, number>,
  options: NoveltyOptions,
): { k: number; unseen: number } {
  const k = options.k ?? Infinity;
  if (k !== Infinity) checkK(fn, k);
  const unseen = options.unseenPopularity ?? smallestPopularity(popularity);
  if (!(unseen > 0 && unseen <= 1)) fail(fn, `unseenPopularity must be in (0, 1], got ${String(unseen)}`);
  return { k, unseen };
}

/**
 * Novelty of one list: the mean self-information of its items,
 *
 * novelty(L) = (1 / |L|) · Σ_{i ∈ L} −log2 p(i)
 *
 * in bits, where p(i) is the item's popularity (see {@link itemPopularity}).
 * Recommending what everybody already knows scores near 0. An empty list scores 0.
 */
export function listNovelty(
  ranked: readonly string[],
  popularity: ReadonlyMap<string, number>,
  options: NoveltyOptions = {},
): number {
  const { k, unseen } = resolveNovelty('listNovelty', popularity, options);
  const [sum, n] = sumSelfInformation(ranked, popularity, k, unseen);
  return n === 0 ? 0 : sum / n;
}

/**
 * Novelty of many lists: the mean self-information over every recommended
 * position of every list (Zhou et al. 2010),
 *
 * novelty = (1 / Σ_u |L_u|) · Σ_u Σ_{i ∈ L_u} −log2 p(i)
 */
export function novelty(
  lists: Iterable<readonly string[]>,
  popularity: ReadonlyMap<string, number>,
  options: NoveltyOptions = {},
): number {
  const { k, unseen } = resolveNovelty('novelty', popularity, options);
  let total = 0;
  let count = 0;
  for (const list of lists) {
    const [sum, n] = sumSelfInformation(list, popularity, k, unseen);
    total += sum;
    count += n;
  }
  return count === 0 ? 0 : total / count;
}

/** Tag sets by item id, as {@link intraListDiversity} reads them. Build one with {@link tagIndex}. */
export type TagIndex = ReadonlyMap<string, ReadonlySet<string>>;

/** Builds the {@link TagIndex} of a catalog once, so diversity needs no allocation per list. */
export function tagIndex(
  items: Iterable<{ readonly id: string; readonly tags?: readonly string[] }>,
): Map<string, ReadonlySet<string>> {
  const index = new Map<string, ReadonlySet<string>>();
  for (const item of items) index.set(item.id, new Set(item.tags ?? []));
  return index;
}

const EMPTY: ReadonlySet<string> = new Set();

/** Jaccard distance 1 − |A ∩ B| / |A ∪ B|; two empty sets are identical (distance 0). */
function jaccardDistance(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (large.size === 0) return 0;
  let shared = 0;
  for (const tag of small) if (large.has(tag)) shared++;
  return 1 - shared / (a.size + b.size - shared);
}

/**
 * Intra-list diversity over tags: the mean pairwise Jaccard distance of the
 * tag sets of the first k items (Ziegler et al. 2005, with Jaccard distance),
 *
 * ILD(L) = (2 / (n(n − 1))) · Σ_{i<j} (1 − |T_i ∩ T_j| / |T_i ∪ T_j|),  n = min(k, |L|)
 *
 * 0 when every item has the same tags (or n < 2), 1 when no two items share a tag.
 * Items missing from `tags` count as untagged.
 */
export function intraListDiversity(ranked: readonly string[], tags: TagIndex, k = Infinity): number {
  if (k !== Infinity) checkK('intraListDiversity', k);
  const n = Math.min(k, ranked.length);
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const a = tags.get(ranked[i] as string) ?? EMPTY;
    for (let j = i + 1; j < n; j++) sum += jaccardDistance(a, tags.get(ranked[j] as string) ?? EMPTY);
  }
  return (2 * sum) / (n * (n - 1));
}

/** One user's case for {@link evaluateRankings}. */
export interface RankingCase {
  /** The list shown, best first. */
  readonly ranked: readonly string[];
  /** What the user really chose (the held-out items). */
  readonly relevant: ReadonlySet<string>;
}

/** Options of {@link evaluateRankings}. */
export interface EvaluateRankingsOptions {
  /** Cut-off of every accuracy metric. */
  k: number;
  /** Leave out users with no relevant item (they would score 0 on everything). @default true */
  skipEmpty?: boolean;
  /** When given, `coverage` is reported. */
  catalog?: ReadonlySet<string>;
  /** When given, `novelty` is reported (see {@link itemPopularity}). */
  popularity?: ReadonlyMap<string, number>;
  /** When given, `diversity` (mean intra-list diversity) is reported. */
  tags?: TagIndex;
}

/** Means over users returned by {@link evaluateRankings}. */
export interface RankingSummary {
  k: number;
  /** Users averaged over. */
  users: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  hitRate: number;
  /** Present when `catalog` was given. */
  coverage?: number;
  /** Present when `popularity` was given; in bits. */
  novelty?: number;
  /** Present when `tags` was given. */
  diversity?: number;
}

/**
 * Averages precision, recall, NDCG, MAP and hit rate at k over users, and
 * adds catalog coverage, novelty and intra-list diversity when their inputs
 * are given. Coverage, novelty and diversity are computed over every list,
 * including users skipped for having no relevant item.
 */
export function evaluateRankings(cases: Iterable<RankingCase>, options: EvaluateRankingsOptions): RankingSummary {
  const { k } = options;
  checkK('evaluateRankings', k);
  if (options.catalog !== undefined && options.catalog.size === 0)
    fail('evaluateRankings', 'catalog must hold at least one item id');
  const skipEmpty = options.skipEmpty ?? true;
  const unseen = options.popularity !== undefined ? smallestPopularity(options.popularity) : 1;
  const seen = new Set<string>();
  let users = 0;
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let ap = 0;
  let hits = 0;
  let lists = 0;
  let noveltySum = 0;
  let noveltyCount = 0;
  let diversity = 0;
  for (const { ranked, relevant } of cases) {
    lists++;
    if (options.catalog !== undefined) addCovered(ranked, options.catalog, k, seen);
    if (options.popularity !== undefined) {
      const [sum, n] = sumSelfInformation(ranked, options.popularity, k, unseen);
      noveltySum += sum;
      noveltyCount += n;
    }
    if (options.tags !== undefined) diversity += intraListDiversity(ranked, options.tags, k);
    if (skipEmpty && relevant.size === 0) continue;
    users++;
    precision += precisionAtK(ranked, relevant, k);
    recall += recallAtK(ranked, relevant, k);
    ndcg += ndcgAtK(ranked, relevant, k);
    ap += averagePrecisionAtK(ranked, relevant, k);
    hits += hitRateAtK(ranked, relevant, k);
  }
  const mean = (x: number): number => (users === 0 ? 0 : x / users);
  const summary: RankingSummary = {
    k,
    users,
    precision: mean(precision),
    recall: mean(recall),
    ndcg: mean(ndcg),
    map: mean(ap),
    hitRate: mean(hits),
  };
  if (options.catalog !== undefined) summary.coverage = seen.size / options.catalog.size;
  if (options.popularity !== undefined) summary.novelty = noveltyCount === 0 ? 0 : noveltySum / noveltyCount;
  if (options.tags !== undefined) summary.diversity = lists === 0 ? 0 : diversity / lists;
  return summary;
}
