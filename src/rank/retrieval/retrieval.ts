/**
 * Approximate retrieval: which items a request scores, when scoring every
 * item costs too much. An {@link IvfIndex} over the collaborative item
 * factors proposes the items nearest the person's vector, and the postings
 * of the person's best-liked specific tags (an artist) add their items;
 * they are ranked by the request's own score (collaborative from the index's
 * single-precision copy, plus content, context, the exploration bonus and
 * popularity, as the ranker adds them), and the best
 * {@link CANDIDATES_PER_POOL_PLACE} × pool of them — with every item added
 * after the index was built — become the request's candidates. The ranker
 * then scores the candidates exactly and applies every rule: the index
 * proposes, the ranker decides, so bans, rests, consent, holds, anchors and
 * diversity are as exact as with every item scored.
 *
 * The index is built from the model's factors only (seeded k-means), so
 * every process holding the same model holds the same index, and a restore
 * builds it again rather than storing it. It follows the model (`train`,
 * `trainInBackground` — in slices, before the new model is served —,
 * `importItemFactors`, restore, a model another process trained). Items
 * added later have no factors (their collaborative part is 0), so they are
 * always proposed, and the index stays correct until the next training.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { APPROXIMATE_RETRIEVAL_FROM } from '../../constants.js';
import { TopK } from '../../kernels/topk.js';
import { finishSteps, SLICE_MS, throwIfAborted, yieldToEventLoop, type Steps } from '../../kernels/steps.js';
import type { RetrievalMode } from '../../options.js';
import { createRng } from '../../random/rng.js';
import { IvfIndex } from './ivf.js';
import { ListTags } from './listTags.js';
import { TagPostings } from './postings.js';

/** Candidates kept per place of the ranker's pool (max(poolSize, 4 × count) places). */
export const CANDIDATES_PER_POOL_PLACE = 8;
/** Share of the indexed items a query scans at least (whole lists, best first). */
export const SCAN_SHARE = 0.01;
/** A query scans at least this many times the candidates it keeps. */
export const SCAN_PER_CANDIDATE = 4;
/**
 * A query scans at most this share beyond its budget: the list that crosses budget × (1 + this)
 * is cut there. Whole lists overshot the budget by up to the largest list — at a million items a
 * query scanned 10,000 items in the median and 15,900 at the 99th percentile (1.4×), which was
 * the tail of approximate requests.
 */
export const SCAN_OVERSHOOT = 0.25;
/** Items a query takes from the postings of the person's best-liked specific tags, per candidate kept. */
export const TAG_ITEMS_PER_CANDIDATE = 2;
/** Items a query takes from the most popular items that carry a tag the person likes, per candidate kept. */
export const POPULAR_ITEMS_PER_CANDIDATE = 2;
/** The popular items' order is taken again after this many changes of popularity. */
export const POPULAR_REFRESH = 256;
/** A tag is specific when at most this share of the indexed items carries it (or 2 × the candidates kept). */
export const SPECIFIC_TAG_SHARE = 0.005;

/** Lists of an index over n items: about √n, so that scoring the lists and scanning one cost alike. */
export function listCount(items: number): number {
  return Math.max(1, Math.round(Math.sqrt(items)));
}

/** What a request's candidates depend on (the same arrays the ranker reads). */
export interface RetrievalRequest {
  catalog: Catalog;
  /** The collaborative vector of the scope asked for (undefined: none, so every item is scored). */
  vector: Float64Array | undefined;
  collaborativeWeight: number;
  tagMean: Float64Array;
  contextMean: Float64Array;
  tagVariance: Float64Array;
  exploration: number;
  /** Popularity and its weight in this request, read at `at` for the items scanned. */
  popularity: PopularityLift;
  /** Counts changes of popularity (the popular items' order is refreshed every POPULAR_REFRESH). */
  popularityVersion: number;
  popularityWeight: number;
  at: number;
  count: number;
  poolSize: number;
}

/** A request's candidates (ascending catalog indices) and the guardrails' verdict (1 = may be shown) on them. */
export interface Candidates {
  items: Int32Array;
  eligible: Uint8Array;
}

/** What retrieval reads of popularity: which items it knows, and each one's lift at a time. */
export interface PopularityLift {
  touched(item: number): boolean;
  logOddsLift(item: number, at: number): number;
}

/**
 * What retrieval reads of a collaborative model: its item factors, row by
 * row (the ranker takes arrays in; a model is known by its identity).
 */
export interface FactorModel {
  itemFactors(): { values: Float64Array; items: number; factors: number };
}

/** An index, the tag summary of its lists and the tag postings, for one model. */
interface Built {
  model: FactorModel;
  index: IvfIndex;
  tags: ListTags;
  postings: TagPostings;
}

export class Retrieval {
  /** The index of the model being served. */
  private current: Built | undefined;
  /** An index built ahead for a model about to be served ({@link prepareInSlices}). */
  private prepared: Built | undefined;
  /** The model a background build is for (a later {@link follow} supersedes it). */
  private wanted: FactorModel | undefined;
  private scanItems = new Int32Array(0);
  private scanDots = new Float64Array(0);
  private tagScore = new Float64Array(0);
  private listBonus = new Float64Array(0);
  /** Which request last proposed each item (so that an item found twice is scored once). */
  private seen = new Int32Array(0);
  private requests = 0;
  private readonly liked: number[] = [];
  /** Each tag's items with popularity, most popular first (tag t: items[start[t] .. start[t + 1])), as of {@link popularVersion}. */
  private popularByTag = { start: new Int32Array(1), items: new Int32Array(0) };
  private popularVersion = -Infinity;

  /**
   * @param mode the `retrieval` option (`'by-size'`: approximate from APPROXIMATE_RETRIEVAL_FROM items)
   * @param seed the recommender's seed (the index's k-means draws are keyed by it)
   */
  constructor(
    private readonly mode: RetrievalMode | 'by-size',
    private readonly seed: number | string,
  ) {}

  /** Whether requests over a catalog of `items` are served from the index (when it has one). */
  approximate(items: number): boolean {
    return this.mode === 'approximate' || (this.mode === 'by-size' && items >= APPROXIMATE_RETRIEVAL_FROM);
  }

  /** The index serving `model`, if built (benchmarks read its size). */
  indexFor(model: FactorModel | undefined): IvfIndex | undefined {
    return this.builtFor(model)?.index;
  }

  /** Bytes the retrieval structures of `model` hold (the index, its lists' tags, the tag postings); 0 without. */
  bytesFor(model: FactorModel | undefined): number {
    const built = this.builtFor(model);
    return built === undefined ? 0 : built.index.bytes + built.tags.bytes + built.postings.bytes;
  }

  private builtFor(model: FactorModel | undefined): Built | undefined {
    return model !== undefined && this.current?.model === model ? this.current : undefined;
  }

  /**
   * Keeps the index in step with the model serving `catalog`: installs the index prepared for it,
   * or builds it now, when retrieval is approximate and the index is for another model; drops it
   * when not needed.
   */
  follow(model: FactorModel | undefined, catalog: Catalog): void {
    this.wanted = undefined;
    if (model === undefined || !this.approximate(catalog.size)) {
      this.current = undefined;
      this.prepared = undefined;
      return;
    }
    if (this.current?.model === model) return;
    this.current = this.prepared?.model === model ? this.prepared : finishSteps(this.build(model, catalog));
    this.prepared = undefined;
  }

  /**
   * Builds, as steps, the index of a model about to be served; the next {@link follow} of that
   * model installs it (a streamed restore runs these steps in slices).
   */
  *prepare(model: FactorModel | undefined, catalog: Catalog): Steps<void> {
    if (!this.needs(model, catalog)) return;
    this.prepared = yield* this.build(model, catalog);
  }

  /** Whether `model` over `catalog` wants an index that is neither installed nor prepared. */
  private needs(model: FactorModel | undefined, catalog: Catalog): model is FactorModel {
    return (
      model !== undefined &&
      this.approximate(catalog.size) &&
      this.current?.model !== model &&
      this.prepared?.model !== model
    );
  }

  /**
   * Builds the index of a model about to be served, giving the event loop a turn every few
   * milliseconds; the next {@link follow} of that model installs it. Throws `ABORTED` (naming
   * `api`) when `signal` fires.
   */
  async prepareInSlices(
    model: FactorModel | undefined,
    catalog: Catalog,
    signal: AbortSignal | undefined,
    api: string,
  ): Promise<void> {
    if (!this.needs(model, catalog)) return;
    const built = await this.inSlices(this.build(model, catalog), signal, api, () => true);
    if (built !== undefined) this.prepared = built;
  }

  /**
   * {@link follow} without blocking: the model is served at once, every item scored, until its
   * index is built in slices and installed (unless another model is followed meanwhile).
   */
  followInBackground(model: FactorModel | undefined, catalog: Catalog): void {
    if (model === undefined || !this.approximate(catalog.size) || this.current?.model === model)
      return this.follow(model, catalog);
    this.current = undefined;
    this.wanted = model;
    void this.inSlices(this.build(model, catalog), undefined, 'retrieval', () => this.wanted === model).then(
      (built) => {
        if (built !== undefined && this.wanted === model) {
          this.current = built;
          this.wanted = undefined;
        }
      },
    );
  }

  /** Runs `steps` in time slices while `still()` holds; undefined when it stopped holding. */
  private async inSlices(
    steps: Steps<Built>,
    signal: AbortSignal | undefined,
    api: string,
    still: () => boolean,
  ): Promise<Built | undefined> {
    let last = globalThis.performance.now();
    for (;;) {
      const next = steps.next();
      if (next.done === true) return still() ? next.value : undefined;
      if (globalThis.performance.now() - last >= SLICE_MS) {
        await yieldToEventLoop();
        throwIfAborted(signal, api);
        if (!still()) return undefined;
        last = globalThis.performance.now();
      }
    }
  }

  private *build(model: FactorModel, catalog: Catalog): Steps<Built> {
    const { values, items, factors } = model.itemFactors();
    const rng = createRng(this.seed, 'retrieval-index');
    const index = yield* IvfIndex.build(values, items, factors, listCount(items), rng);
    const tags = yield* ListTags.build(catalog, index);
    return { model, index, tags, postings: yield* TagPostings.build(catalog, items) };
  }

  /**
   * The catalog indices (ascending) a request should score, with the guardrails' verdict on them
   * (`judge` is asked about every item found, so that an item that may not be shown never takes a
   * candidate's place); undefined when the request should score every item: retrieval exact for
   * this catalog, no index for this model yet, no vector to search with, a catalog small enough
   * that the scan would reach every item, or fewer items found that may be shown than the pool holds.
   */
  candidates(
    model: FactorModel | undefined,
    request: RetrievalRequest,
    judge: (found: Int32Array) => Uint8Array,
  ): Candidates | undefined {
    const { catalog, vector } = request;
    const n = catalog.size;
    const built = this.builtFor(model);
    if (built === undefined || vector === undefined || !this.approximate(n)) return undefined;
    const { index } = built;
    const pool = Math.min(n, Math.max(request.poolSize, 4 * request.count));
    const keep = CANDIDATES_PER_POOL_PLACE * pool;
    const budget = Math.max(SCAN_PER_CANDIDATE * keep, Math.ceil(SCAN_SHARE * index.itemCount));
    if (budget >= index.itemCount) return undefined;
    const tagBudget = TAG_ITEMS_PER_CANDIDATE * keep;
    const tagLimit = Math.max(2 * keep, SPECIFIC_TAG_SHARE * index.itemCount);
    // Items added after the index was built have no factors (collaborative 0): always looked at.
    const tail = n - index.itemCount;
    const popularBudget = POPULAR_ITEMS_PER_CANDIDATE * keep;
    const capacity = budget + index.largestList + tagBudget + Math.ceil(tagLimit) + popularBudget + tail;
    if (this.scanItems.length < capacity) {
      this.scanItems = new Int32Array(capacity);
      this.scanDots = new Float64Array(capacity);
    }
    this.scoreTags(request);
    if (this.listBonus.length < index.lists) this.listBonus = new Float64Array(index.lists);
    built.tags.boundsInto(this.tagScore, request.tagVariance, spreadOf(request), this.listBonus);
    const scanned = index.probe(
      vector,
      request.collaborativeWeight,
      this.listBonus,
      budget,
      this.scanItems,
      this.scanDots,
      Math.ceil(budget * (1 + SCAN_OVERSHOOT)),
    );
    let found = this.addLikedTags(vector, built, scanned, tagBudget, tagLimit);
    found = this.addPopular(request, built, found, popularBudget);
    for (let i = index.itemCount; i < n; i++) {
      this.scanItems[found] = i;
      this.scanDots[found++] = 0;
    }
    const eligible = judge(this.scanItems.subarray(0, found));
    const items = this.propose(request, found, keep, eligible);
    return items.length < pool ? undefined : { items, eligible };
  }

  /**
   * Appends to the scanned items (after `scanned` of them) the items of the person's best-liked
   * specific tags (at most `limit` items each; positive content and context mean, best first) that
   * the scan did not find, until about `budget` were added. Returns the total.
   */
  private addLikedTags(x: Float64Array, built: Built, scanned: number, budget: number, limit: number): number {
    const { index, postings } = built;
    if (this.seen.length < index.itemCount) this.seen = new Int32Array(index.itemCount);
    const stamp = ++this.requests;
    const seen = this.seen;
    const items = this.scanItems;
    const dots = this.scanDots;
    for (let j = 0; j < scanned; j++) seen[items[j]!] = stamp;
    const tagScore = this.tagScore;
    const liked = this.liked;
    liked.length = 0;
    for (let t = 0; t < postings.tagCount; t++) if (tagScore[t]! > 0 && postings.size(t) <= limit) liked.push(t);
    liked.sort((a, b) => tagScore[b]! - tagScore[a]! || a - b);
    let count = scanned;
    const end = scanned + budget;
    for (let r = 0; r < liked.length && count < end; r++) {
      const members = postings.of(liked[r]!);
      for (let j = 0; j < members.length; j++) {
        const i = members[j]!;
        if (seen[i] === stamp) continue;
        seen[i] = stamp;
        items[count] = i;
        dots[count] = index.approximateDot(x, i);
        count++;
      }
    }
    return count;
  }

  /**
   * Appends, for each tag the person likes (best liked first), its most popular items (as of the
   * last refresh) not found yet, an equal share of `budget` a tag: where content and popularity
   * outweigh the collaborative part (a liked genre's hits), the factors alone would not find them.
   */
  private addPopular(request: RetrievalRequest, built: Built, found: number, budget: number): number {
    const { index } = built;
    if (request.popularityVersion - this.popularVersion >= POPULAR_REFRESH)
      this.refreshPopular(request, index.itemCount);
    const { start, items: popular } = this.popularByTag;
    const tagScore = this.tagScore;
    const liked = this.liked;
    liked.length = 0;
    const tags = start.length - 1;
    for (let t = 0; t < tags; t++) if (tagScore[t]! > 0 && start[t + 1]! > start[t]!) liked.push(t);
    if (liked.length === 0) return found;
    liked.sort((a, b) => tagScore[b]! - tagScore[a]! || a - b);
    const share = Math.max(1, Math.ceil(budget / liked.length));
    const x = request.vector!;
    const seen = this.seen;
    const stamp = this.requests;
    const items = this.scanItems;
    const dots = this.scanDots;
    const end = found + budget;
    for (let r = 0; r < liked.length && found < end; r++) {
      const t = liked[r]!;
      const last = Math.min(start[t + 1]!, start[t]! + share);
      for (let p = start[t]!; p < last && found < end; p++) {
        const i = popular[p]!;
        if (seen[i] === stamp) continue;
        seen[i] = stamp;
        items[found] = i;
        dots[found++] = index.approximateDot(x, i);
      }
    }
    return found;
  }

  /** Each tag's items with popularity, most popular (at the request's time) first. */
  private refreshPopular(request: RetrievalRequest, itemCount: number): void {
    const { popularity, at, catalog } = request;
    const touched: number[] = [];
    for (let i = 0; i < itemCount; i++) if (popularity.touched(i)) touched.push(i);
    const lift = Float64Array.from(touched, (i) => popularity.logOddsLift(i, at));
    const order = Int32Array.from(touched.keys()).sort((a, b) => lift[b]! - lift[a]! || touched[a]! - touched[b]!);
    const { indptr, indices } = catalog.csr();
    const start = new Int32Array(catalog.tagCount + 1);
    for (const i of touched) for (let p = indptr[i]!; p < indptr[i + 1]!; p++) start[indices[p]! + 1]!++;
    for (let t = 0; t < catalog.tagCount; t++) start[t + 1]! += start[t]!;
    const next = start.slice(0, catalog.tagCount);
    const items = new Int32Array(start[catalog.tagCount]!);
    for (let r = 0; r < order.length; r++) {
      const i = touched[order[r]!]!;
      for (let p = indptr[i]!; p < indptr[i + 1]!; p++) items[next[indices[p]!]!++] = i;
    }
    this.popularByTag = { start, items };
    this.popularVersion = request.popularityVersion;
  }

  /** Each tag's content and context mean, summed once (as the ranker sums them). */
  private scoreTags(request: RetrievalRequest): void {
    const { catalog, tagMean, contextMean } = request;
    if (this.tagScore.length < catalog.tagCount) this.tagScore = new Float64Array(catalog.tagCount);
    for (let t = 0; t < catalog.tagCount; t++) this.tagScore[t] = tagMean[t]! + contextMean[t]!;
  }

  /** The `keep` best scanned items that may be shown, by the request's score, ascending. */
  private propose(request: RetrievalRequest, scanned: number, keep: number, eligible: Uint8Array): Int32Array {
    const { catalog, tagVariance, collaborativeWeight, popularity, popularityWeight, at } = request;
    const { indptr, indices } = catalog.csr();
    const tagScore = this.tagScore;
    const spread = spreadOf(request);
    const heap = new TopK(Math.min(keep, scanned));
    const items = this.scanItems;
    const dots = this.scanDots;
    for (let j = 0; j < scanned; j++) {
      const i = items[j]!;
      if (eligible[i] === 0) continue;
      let key = collaborativeWeight * dots[j]!;
      let v = 0;
      const end = indptr[i + 1]!;
      for (let p = indptr[i]!; p < end; p++) {
        const t = indices[p]!;
        key += tagScore[t]!;
        v += tagVariance[t]!;
      }
      if (spread > 0) key += spread * Math.sqrt(v);
      if (popularityWeight > 0) key += popularityWeight * popularity.logOddsLift(i, at);
      heap.push(i, key);
    }
    return heap.indicesAscending();
  }
}

/** The exploration bonus per unit of an item's score deviation (the ranker's 3 · scale). */
function spreadOf(request: RetrievalRequest): number {
  return request.exploration > 0 ? 3 * request.exploration : 0;
}
