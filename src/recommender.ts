/**
 * The facade: wires catalog, profiles, models, ranking and explanations.
 *
 * State is kept as retained events plus statistics derived from them.
 * Every derived statistic is a pure function of the events in arrival
 * order (reads never mutate), so undoing feedback, erasing a user or
 * restoring a snapshot rebuilds exactly the state that the remaining events
 * would have produced.
 */
import { Catalog, tagPhrase } from './catalog/catalog.js';
import { DAY_MS, halfLifeDaysToMs } from './decay/halfLife.js';
import { AttuneError, describeValue } from './errors.js';
import { contextFeatures, validateContext } from './feedback/context.js';
import { SIGNALS } from './feedback/signals.js';
import { checkEvent, type CheckedEvent } from './feedback/validate.js';
import { PopularityModel } from './models/popularity/popularity.js';
import { CollaborativeModel } from './models/collaborative/collaborative.js';
import { resolveOptions, type RecommenderOptions, type ResolvedOptions } from './options.js';
import { describeProfile, type Profile } from './profile/describe.js';
import { exploreBoostUntil, newUserState, newWatch, type StoredEvent, type UserState } from './profile/userState.js';
import { createRng } from './random/rng.js';
import { attributionIndex, buildReason } from './explain/reasons.js';
import { Ranker, type Contributions, type RankInput, type RankedItem } from './rank/ranker.js';
import { CONTEXT_PRIOR_PRECISION, DEFAULT_COUNT, LIFE_STAGE_BOOST_DAYS, LIFE_STAGE_KEEP, LIFE_STAGE_WARMUP, MAX_COUNT, TAG_PRIOR_PRECISION } from './constants.js';
import type { Context, FeedbackEvent, Item, Preferences, Reason, RecommendOptions, Recommendation } from './types.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, parseSnapshot, type Snapshot } from './persist/snapshot.js';
import { checkBackgroundTrainOptions, fitHooks, type BackgroundTrainOptions } from './train/backgroundOptions.js';
import { importCollaborative, type ImportFactorsOptions, type ImportReport } from './train/importFactors.js';
import type { ItemFactorSource } from './models/mf/import/itemFactors.js';

/** How strongly popularity counts for a user with `evidence` of their own: 1 when new, fading as evidence grows. */
const POPULARITY_HALF_EVIDENCE = 5;

/** What `train()` reports. */
export interface TrainReport {
  /** Sweeps of the collaborative model (0 when it had nothing to learn from). */
  iterations: number;
  /** Training loss after each sweep. */
  loss: number[];
  seconds: number;
  /** Events the models were fitted on. */
  events: number;
  users: number;
  /** Threads the sweeps ran on (`trainInBackground` only). */
  threads?: number;
  /** Present when imported item factors were kept rather than refitted (see `TrainOptions.replaceImportedFactors`). */
  keptImportedFactors?: true;
}

/** Options of `train()`. */
export interface TrainOptions {
  onProgress?: (progress: { iteration: number; iterations: number; loss: number }) => void;
  /**
   * After `importItemFactors`, `train()` keeps the imported item factors (and
   * says so with `keptImportedFactors`); `true` replaces them with a model
   * fitted on the feedback attune holds. @default false
   */
  replaceImportedFactors?: boolean;
}

/** A recommendation with the named parts of its score (they add up to `score`). */
export interface ExplainedRecommendation extends Recommendation {
  contributions: Contributions;
}

export class Recommender {
  private readonly opts: ResolvedOptions;
  private readonly halfLifeMs: number;
  private readonly catalog = new Catalog();
  private popularity: PopularityModel;
  private readonly users = new Map<string, UserState>();
  /** Every retained event, in arrival order. */
  private log: { user: UserState; event: StoredEvent }[] = [];
  private seq = 0;
  private readonly ranker: Ranker;
  private popCache: { now: number; values: Float64Array; version: number } | undefined;
  private collab: CollaborativeModel | undefined;
  private collabScratch = new Float64Array(0);
  private popVersion = 0;
  /** True while `trainInBackground` runs (issue 14). */
  private training = false;
  /** Counts rebuilds (erasures, undos, resets): a background fit that overlapped one is not kept. */
  private erasures = 0;

  /** @internal use {@link createRecommender} */
  constructor(options: RecommenderOptions, items: readonly Item[]) {
    this.opts = resolveOptions(options);
    this.halfLifeMs = halfLifeDaysToMs(this.opts.halfLifeDays);
    this.catalog.add(items);
    this.popularity = new PopularityModel(this.halfLifeMs);
    this.popularity.resize(this.catalog.size);
    this.ranker = new Ranker(this.catalog);
  }

  /** The resolved options (read-only view). */
  get options(): Readonly<ResolvedOptions> {
    return this.opts;
  }

  /** Number of items in the catalog. */
  get itemCount(): number {
    return this.catalog.size;
  }

  // ------------------------------------------------------------------ feedback

  /**
   * Learns from one event or a batch. A batch is all-or-nothing: every event
   * is validated before any is applied. Feedback from an opted-out user is
   * neither learned nor stored.
   */
  feedback(events: FeedbackEvent | readonly FeedbackEvent[]): void {
    const now = this.clock('feedback');
    const list = Array.isArray(events) ? events : [events];
    if (Array.isArray(events) && events.length === 0) return;
    const checked = list.map((e, i) => checkEvent(e, Array.isArray(events) ? `feedback: events[${i}]` : 'feedback: event', this.catalog, now, this.opts.protectedAttributes));
    let popularityChanged = false;
    for (const e of checked) popularityChanged = this.apply(e) || popularityChanged;
    if (popularityChanged) this.popVersion++;
    // Their collaborative vectors are re-solved at their next request (userFactors).
    for (const e of checked) {
      const u = this.users.get(e.user);
      if (u !== undefined) u.factorsModel = undefined;
    }
  }

  /**
   * Re-solves the user's collaborative vector against the fixed item factors.
   * The system is positive definite (λ > 0), so a failed solve means
   * non-finite input; the user then falls back on content and popularity
   * until the next train() rather than failing feedback that was already applied.
   */
  private foldIn(user: UserState): void {
    try {
      user.factors = this.collab?.foldIn(user, this.halfLifeMs);
    } catch (error) {
      if (!(error instanceof AttuneError && error.code === 'NUMERIC_ERROR')) throw error;
      user.factors = undefined;
    }
    user.factorsModel = this.collab;
  }

  /**
   * The user's collaborative vector for the current model. After feedback,
   * `train()` or a replay, vectors are re-solved lazily, on the user's next
   * request: a fold-in is a pure function of the user's events and the item
   * factors, so lazy and eager give the same numbers.
   */
  private userFactors(user: UserState): Float64Array | undefined {
    if (user.factorsModel !== this.collab) this.foldIn(user);
    return user.factors;
  }

  /** Applies one validated event; returns whether shared statistics changed. */
  private apply(e: CheckedEvent): boolean {
    const existing = this.users.get(e.user);
    if (existing?.optOut === true) return false;
    const user = existing ?? this.createUser(e.user);
    const event: StoredEvent = { seq: this.seq++, item: e.item, signal: e.signal, at: e.at, weight: e.weight, context: e.context, increments: [], learned: false };
    user.events.push(event);
    this.log.push({ user, event });
    return this.applyToUser(user, event);
  }

  private createUser(id: string): UserState {
    const user = newUserState(id, this.halfLifeMs);
    this.users.set(id, user);
    return user;
  }

  /** Bookkeeping and learning of one event for its user; returns whether popularity changed. */
  private applyToUser(user: UserState, event: StoredEvent): boolean {
    const { item, signal, at } = event;
    user.seen.add(item);
    if (signal === 'down') user.banned.set(item, at);
    if (signal === 'tired') user.snoozed.set(item, Math.max(user.snoozed.get(item) ?? -Infinity, at + this.opts.tiredDays * DAY_MS));
    if (signal === 'purchase') {
      user.purchased.set(item, at);
      const until = at + this.opts.holdBackDays * DAY_MS;
      for (const t of this.catalog.itemTags[item]!) {
        if (this.opts.holdBackFacets.includes(this.catalog.tagFacets[t]!)) user.heldTags.set(t, Math.max(user.heldTags.get(t) ?? -Infinity, until));
      }
    }
    const semantics = SIGNALS[signal];
    event.increments = [];
    event.learned = false;
    if (semantics.label === null || !this.consented(user, item)) return false;
    const importance = semantics.strength * event.weight;
    const predicted = user.taste.learn(this.catalog.itemTags[item]!, contextFeatures(event.context), semantics.label, importance, at, event.increments);
    event.learned = true;
    this.popularity.add(item, semantics.label, importance, at);
    this.watchForChange(user, event, semantics.label, predicted);
    return true;
  }

  /**
   * Life stages: the surprise of each labelled event (1 when the model
   * predicted the wrong side) feeds a Bernoulli GLR change detector
   * (Besson et al. 2020). A detection that says the user has become *more*
   * surprising is a change of taste: old evidence keeps only
   * LIFE_STAGE_KEEP of its weight, and exploration doubles for a while.
   * Derived by replay, like every other statistic.
   */
  private watchForChange(user: UserState, event: StoredEvent, label: 0 | 1, predicted: number): void {
    if (!this.opts.lifeStages) return;
    const watch = user.watch;
    watch.learned++;
    if (watch.learned <= LIFE_STAGE_WARMUP) return;
    const surprise = (label === 1 ? predicted < 0.5 : predicted > 0.5) ? 1 : 0;
    watch.recent.push(surprise);
    if (watch.recent.length > 12) watch.recent.shift();
    const before = watch.count > 0 ? watch.sum / watch.count : 0;
    watch.sum += surprise;
    watch.count++;
    if (!watch.detector.update(surprise)) return;
    const recentRate = watch.recent.reduce((a, b) => a + b, 0) / watch.recent.length;
    watch.sum = 0;
    watch.count = 0;
    if (!(recentRate > before && recentRate >= 0.5)) return; // less surprising is not a new life stage
    user.taste.fade(LIFE_STAGE_KEEP, event.at);
    user.fades.push({ seq: event.seq, factor: LIFE_STAGE_KEEP });
    user.changes.push({ at: event.at, cause: 'detected', kept: LIFE_STAGE_KEEP });
  }

  private boostUntil(user: UserState): number {
    return exploreBoostUntil(user, LIFE_STAGE_BOOST_DAYS * DAY_MS);
  }

  private consented(user: UserState, item: number): boolean {
    for (const category of this.catalog.itemSensitive[item]!) if (user.consent.get(category) !== true) return false;
    return true;
  }

  // ------------------------------------------------------------------ recommend

  /**
   * Recommends up to `count` items, each with a score, an honest reason, an
   * exploration flag and a propensity. `user` undefined is a guest: a
   * non-personalised list that teaches nothing.
   */
  recommend(user: string | undefined, options: RecommendOptions = {}): ExplainedRecommendation[] {
    const req = this.checkRequest('recommend', user, options);
    const state = user === undefined ? undefined : this.users.get(user);
    if (user === undefined || state?.optOut === true) return this.recommendPopular(req, state);
    const u = state ?? this.createUser(user);
    const rng = createRng(this.opts.seed, 'user', u.id, u.draws);
    u.draws++;
    const input = this.rankInput(u, req, rng);
    const ranked = this.ranker.rank(input);
    const changing = req.at < this.boostUntil(u);
    const hasEvidence = u.taste.evidenceAt(req.at) > 0;
    const common = {
      catalog: this.catalog, user: u, contexts: req.contexts, now: req.at, halfLifeMs: this.halfLifeMs,
      quoteDelayMs: this.opts.implicitQuoteDelayMinutes * 60_000, changing, hasEvidence, mayName: (j: number) => this.consented(u, j),
    };
    const index = ranked.some((r) => !r.explored) && hasEvidence ? attributionIndex(common) : undefined;
    const collaborative = this.collaborativePieces(u, ranked.filter((r) => !r.explored).map((r) => r.item), req.at);
    return ranked.map((r) =>
      this.present(r, buildReason({
        ...common, item: r.item, contributions: r.contributions, noise: r.noise, explored: r.explored,
        ...(index !== undefined ? { index } : {}),
        ...(collaborative.has(r.item) && !r.explored ? { collaborative: collaborative.get(r.item)! } : {}),
      })),
    );
  }

  private present(r: RankedItem, reason: Reason): ExplainedRecommendation {
    return { item: this.catalog.ids[r.item]!, score: r.score, reason, explored: r.explored, propensity: r.propensity, contributions: r.contributions };
  }

  /** The reason `item` would be recommended to `user` now (no exploration). */
  explain(user: string | undefined, item: string, options: { at?: number; context?: Context } = {}): Reason {
    const req = this.checkRequest('explain', user, { at: options.at, context: options.context } as RecommendOptions);
    if (typeof item !== 'string') throw new AttuneError('INVALID_ARGUMENT', `explain: item must be an item id string, got ${describeValue(item)}`);
    const index = this.catalog.indexOf(item);
    if (index === undefined) throw new AttuneError('UNKNOWN_ITEM', `explain: item ${describeValue(item)} is not in the catalog`);
    const state = user === undefined ? undefined : this.users.get(user);
    const personal = state !== undefined && !state.optOut;
    const collaborative = personal ? this.collaborativePieces(state, [index], req.at).get(index) : undefined;
    const contributions = this.contributionsOf(personal ? state : undefined, index, req);
    return buildReason({
      catalog: this.catalog, user: personal ? state : undefined, item: index, contributions, noise: undefined, explored: false,
      contexts: req.contexts, now: req.at, halfLifeMs: this.halfLifeMs, quoteDelayMs: this.opts.implicitQuoteDelayMinutes * 60_000,
      changing: personal && req.at < this.boostUntil(state), hasEvidence: personal && state.taste.evidenceAt(req.at) > 0, mayName: (j) => (personal ? this.consented(state, j) : false),
      ...(collaborative !== undefined ? { collaborative } : {}),
    });
  }

  /**
   * One item's contributions without exploration, computed as the ranker
   * computes them, but for this item alone (no catalog scan).
   */
  private contributionsOf(user: UserState | undefined, item: number, req: { at: number; contexts: string[] }): Contributions {
    const lift = this.popularity.logOddsLift(item, req.at);
    if (user === undefined) return { content: 0, context: 0, collaborative: 0, popularity: lift, exploration: 0 };
    let content = 0;
    let context = 0;
    for (const t of this.catalog.itemTags[item]!) {
      content += user.taste.tagMean(t, req.at);
      let perTag = 0;
      for (const c of req.contexts) perTag += user.taste.crossMean(c, t, req.at);
      context += perTag;
    }
    const evidence = user.taste.evidenceAt(req.at);
    const factors = this.userFactors(user);
    const collab = this.collab;
    const raw = collab !== undefined && factors !== undefined && item < collab.itemCount ? collab.score(factors, item) : 0;
    return {
      content,
      context,
      collaborative: collab === undefined ? 0 : collab.weight * this.collabShare(evidence) * raw,
      popularity: this.popularityWeight(evidence) * lift,
      exploration: 0,
    };
  }

  private popularityWeight(evidence: number): number {
    return 1 / (1 + evidence / POPULARITY_HALF_EVIDENCE);
  }

  private checkRequest(api: string, user: unknown, options: RecommendOptions) {
    if (user !== undefined && (typeof user !== 'string' || user === '')) {
      throw new AttuneError('INVALID_ARGUMENT', `${api}: user must be a non-empty string, or undefined for a guest, got ${describeValue(user)}`);
    }
    if (options === null || typeof options !== 'object') throw new AttuneError('INVALID_ARGUMENT', `${api}: options must be an object, got ${describeValue(options)}`);
    const count = options.count ?? DEFAULT_COUNT;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
      throw new AttuneError('INVALID_ARGUMENT', `${api}: count must be a whole number from 1 to ${MAX_COUNT}, got ${describeValue(count)}`);
    }
    const at = options.at ?? this.clock(api);
    if (typeof at !== 'number' || !Number.isFinite(at)) throw new AttuneError('INVALID_ARGUMENT', `${api}: at must be a finite number of ms since epoch, got ${describeValue(options.at)}`);
    const context = validateContext(api, options.context, this.opts.protectedAttributes);
    const exclude = options.exclude ?? [];
    if (!Array.isArray(exclude) || exclude.some((x) => typeof x !== 'string')) {
      throw new AttuneError('INVALID_ARGUMENT', `${api}: exclude must be an array of item ids`);
    }
    const includeSeen = options.includeSeen ?? false;
    if (typeof includeSeen !== 'boolean') throw new AttuneError('INVALID_ARGUMENT', `${api}: includeSeen must be a boolean, got ${describeValue(includeSeen)}`);
    return { count, at, context, contexts: contextFeatures(context), exclude, includeSeen };
  }

  private clock(api: string): number {
    const now = this.opts.now();
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new AttuneError('INVALID_OPTIONS', `${api}: the now() clock returned ${describeValue(now)}; it must return ms since epoch`);
    return now;
  }

  /** Guardrails: which items may be shown to this user in this request. */
  private eligibility(user: UserState | undefined, req: { at: number; exclude: string[]; includeSeen: boolean }): Uint8Array {
    const n = this.catalog.size;
    const eligible = new Uint8Array(n).fill(1);
    for (const id of req.exclude) {
      const i = this.catalog.indexOf(id);
      if (i !== undefined) eligible[i] = 0;
    }
    const mutedTags = new Set<number>();
    for (const tag of user?.mutedTags ?? []) {
      const t = this.catalog.tagIndexOf(tag);
      if (t !== undefined) mutedTags.add(t);
    }
    for (const [t, until] of user?.heldTags ?? []) if (until > req.at) mutedTags.add(t);
    for (let i = 0; i < n; i++) {
      if (eligible[i] === 0) continue;
      const sensitive = this.catalog.itemSensitive[i]!;
      if (sensitive.length > 0 && (user === undefined || user.optOut || !this.consented(user, i))) {
        eligible[i] = 0;
        continue;
      }
      if (mutedTags.size > 0) for (const t of this.catalog.itemTags[i]!) if (mutedTags.has(t)) eligible[i] = 0;
    }
    if (user !== undefined) {
      for (const i of user.banned.keys()) eligible[i] = 0;
      for (const i of user.purchased.keys()) eligible[i] = 0;
      for (const [i, until] of user.snoozed) if (until > req.at) eligible[i] = 0;
      if (!req.includeSeen) for (const i of user.seen) eligible[i] = 0;
    }
    return eligible;
  }

  private popularityLift(now: number): Float64Array {
    const cache = this.popCache;
    if (cache !== undefined && cache.now === now && cache.version === this.popVersion && cache.values.length === this.catalog.size) return cache.values;
    const values = new Float64Array(this.catalog.size);
    for (let i = 0; i < values.length; i++) values[i] = this.popularity.logOddsLift(i, now);
    this.popCache = { now, values, version: this.popVersion };
    return values;
  }

  private rankInput(user: UserState, req: ReturnType<Recommender['checkRequest']>, rng: RankInput['rng']): RankInput {
    const V = this.catalog.tagCount;
    const tagMean = new Float64Array(V);
    const contextMean = new Float64Array(V);
    const tagVariance = new Float64Array(V).fill(1 / TAG_PRIOR_PRECISION);
    for (const [t] of user.taste.tags) {
      tagMean[t] = user.taste.tagMean(t, req.at);
      tagVariance[t] = user.taste.tagVariance(t, req.at);
    }
    // Every tag × context weight not yet touched has mean 0 and the prior variance.
    for (const c of req.contexts) {
      const byTag = user.taste.crosses.get(c);
      for (let t = 0; t < V; t++) tagVariance[t] = tagVariance[t]! + (byTag?.has(t) === true ? user.taste.crossVariance(c, t, req.at) : 1 / CONTEXT_PRIOR_PRECISION);
      for (const t of byTag?.keys() ?? []) contextMean[t] = contextMean[t]! + user.taste.crossMean(c, t, req.at);
    }
    const evidence = user.taste.evidenceAt(req.at);
    const boost = req.at < this.boostUntil(user) ? 2 : 1;
    return {
      catalog: this.catalog,
      eligible: this.eligibility(user, req),
      tagMean,
      contextMean,
      tagVariance,
      collaborative: this.collaborativeScores(user),
      collaborativeWeight: this.collab === undefined ? 0 : this.collab.weight * this.collabShare(evidence),
      popularity: this.popularityLift(req.at),
      popularityWeight: this.popularityWeight(evidence),
      count: req.count,
      poolSize: this.opts.poolSize,
      exploration: this.opts.exploration * boost,
      propensitySamples: this.opts.propensitySamples,
      rules: this.diversityRules(req.count),
      rng,
    };
  }

  /**
   * Raw collaborative scores x_u · y_i (into a reused buffer). The blend
   * weighs them by weight × evidence/(evidence + 5), so cold users lean on
   * content and popularity.
   */
  private collaborativeScores(user: UserState): Float64Array | undefined {
    const factors = this.userFactors(user);
    if (this.collab === undefined || factors === undefined) return undefined;
    if (this.collabScratch.length !== this.catalog.size) this.collabScratch = new Float64Array(this.catalog.size);
    this.collab.scoreInto(factors, this.collabScratch);
    return this.collabScratch;
  }

  private collabShare(evidence: number): number {
    return evidence / (evidence + POPULARITY_HALF_EVIDENCE);
  }

  /**
   * Per-liked-item pieces of the collaborative contribution (HKV §5), scaled
   * like the score, for each of `items` (one factorisation for all). Items
   * the user gave only implicit signals on recently are not quotable yet.
   */
  private collaborativePieces(user: UserState, items: readonly number[], now: number): Map<number, { item: number; weight: number }[]> {
    const out = new Map<number, { item: number; weight: number }[]>();
    const collab = this.collab;
    const known = items.filter((i) => collab !== undefined && i < collab.itemCount);
    if (collab === undefined || this.userFactors(user) === undefined || known.length === 0) return out;
    const scale = collab.weight * this.collabShare(user.taste.evidenceAt(now));
    const quoteDelayMs = this.opts.implicitQuoteDelayMinutes * 60_000;
    const quotable = new Set<number>();
    for (const e of user.events) if (SIGNALS[e.signal].explicit || now - e.at >= quoteDelayMs) quotable.add(e.item);
    collab.explainMany(user, this.halfLifeMs, known).forEach((x, t) => {
      const item = known[t]!;
      out.set(item, x.contributions.filter((c) => c.item !== item && quotable.has(c.item)).map((c) => ({ item: c.item, weight: c.weight * scale })));
    });
    return out;
  }

  private popularInput(req: ReturnType<Recommender['checkRequest']>): RankInput {
    const V = this.catalog.tagCount;
    return {
      catalog: this.catalog,
      eligible: this.eligibility(undefined, req),
      tagMean: new Float64Array(V),
      contextMean: new Float64Array(V),
      tagVariance: new Float64Array(V),
      collaborative: undefined,
      collaborativeWeight: 0,
      popularity: this.popularityLift(req.at),
      popularityWeight: 1,
      count: req.count,
      poolSize: this.opts.poolSize,
      exploration: 0,
      propensitySamples: 1,
      rules: this.diversityRules(req.count),
      rng: createRng(0),
    };
  }

  private diversityRules(count: number): RankInput['rules'] {
    const shareCap = Math.max(1, Math.ceil(this.opts.maxTagShare * count));
    const caps = this.catalog.tagFacets.map((facet) => Math.min(shareCap, this.opts.facetCaps.get(facet) ?? Infinity));
    return { capOf: (t) => caps[t] ?? shareCap, mmrLambda: this.opts.mmrLambda };
  }

  /** Guests and opted-out users: popularity only, deterministic (propensity 1), teaches nothing. */
  private recommendPopular(req: ReturnType<Recommender['checkRequest']>, state: UserState | undefined): ExplainedRecommendation[] {
    const ranked = this.ranker.rank(this.popularInput(req));
    return ranked.map((r) =>
      this.present(r, buildReason({
        catalog: this.catalog, user: state, item: r.item, contributions: r.contributions, noise: undefined, explored: false,
        contexts: [], now: req.at, halfLifeMs: this.halfLifeMs, quoteDelayMs: 0, changing: false, hasEvidence: false, mayName: () => false,
      })),
    );
  }

  // ------------------------------------------------------------------ control

  /** What attune knows about `user`, in words a person can read. */
  profile(user: string): Profile {
    if (typeof user !== 'string' || user === '') throw new AttuneError('INVALID_ARGUMENT', `profile: user must be a non-empty string, got ${describeValue(user)}`);
    return describeProfile(this.catalog, this.users.get(user), user, this.clock('profile'), tagPhrase);
  }

  /** Opt out or in, set consent per sensitive category, mute tags, or start a new life stage. */
  setPreferences(user: string, prefs: Preferences): void {
    if (typeof user !== 'string' || user === '') throw new AttuneError('INVALID_ARGUMENT', `setPreferences: user must be a non-empty string, got ${describeValue(user)}`);
    if (prefs === null || typeof prefs !== 'object') throw new AttuneError('INVALID_ARGUMENT', 'setPreferences: preferences must be an object such as { optOut: false, consent: { health: true }, mutedTags: [] }');
    const known = new Set(['optOut', 'consent', 'mutedTags', 'reset', 'keepBans']);
    for (const key of Object.keys(prefs)) if (!known.has(key)) throw new AttuneError('INVALID_ARGUMENT', `setPreferences: unknown preference ${describeValue(key)}; use optOut, consent, mutedTags, reset or keepBans`);
    for (const key of ['optOut', 'reset', 'keepBans'] as const) {
      if (prefs[key] !== undefined && typeof prefs[key] !== 'boolean') throw new AttuneError('INVALID_ARGUMENT', `setPreferences: ${key} must be a boolean, got ${describeValue(prefs[key])}`);
    }
    if (prefs.consent !== undefined) {
      if (prefs.consent === null || typeof prefs.consent !== 'object' || Array.isArray(prefs.consent) || Object.values(prefs.consent).some((v) => typeof v !== 'boolean')) {
        throw new AttuneError('INVALID_ARGUMENT', 'setPreferences: consent must map categories to booleans, e.g. { health: true }');
      }
    }
    if (prefs.mutedTags !== undefined && (!Array.isArray(prefs.mutedTags) || prefs.mutedTags.some((t) => typeof t !== 'string' || t === ''))) {
      throw new AttuneError('INVALID_ARGUMENT', 'setPreferences: mutedTags must be an array of tag strings such as ["genre:polka"]');
    }
    const now = this.clock('setPreferences');
    let state = this.users.get(user);
    if (prefs.optOut === true) {
      if (state?.optOut !== true) {
        this.erase(user);
        state = this.createUser(user);
        state.optOut = true;
      }
      return;
    }
    if (prefs.optOut === false && state?.optOut === true) {
      this.users.delete(user);
      state = undefined;
    }
    if (state?.optOut === true) return; // opted out: nothing else is kept
    const u = state ?? this.createUser(user);
    let replay = false;
    if (prefs.consent !== undefined) {
      for (const [category, given] of Object.entries(prefs.consent)) {
        if (u.consent.get(category) !== given) replay = true;
        if (given) u.consent.set(category, true);
        else u.consent.delete(category);
      }
    }
    if (prefs.mutedTags !== undefined) u.mutedTags = new Set(prefs.mutedTags);
    if (prefs.reset === true) {
      const keepBans = prefs.keepBans ?? true;
      u.events = u.events.filter((e) => keepBans && e.signal === 'down');
      for (const e of u.events) e.context = undefined;
      u.changes.push({ at: now, cause: 'requested', kept: 0 });
      replay = true;
    }
    if (replay) this.rebuild();
  }

  /** Undoes every signal `user` gave on `item`: the models forget it. Returns whether anything was removed. */
  removeFeedback(user: string, item: string): boolean {
    if (typeof user !== 'string' || user === '') throw new AttuneError('INVALID_ARGUMENT', `removeFeedback: user must be a non-empty string, got ${describeValue(user)}`);
    if (typeof item !== 'string') throw new AttuneError('INVALID_ARGUMENT', `removeFeedback: item must be an item id string, got ${describeValue(item)}`);
    const index = this.catalog.indexOf(item);
    if (index === undefined) throw new AttuneError('UNKNOWN_ITEM', `removeFeedback: item ${describeValue(item)} is not in the catalog`);
    const state = this.users.get(user);
    if (state === undefined || !state.events.some((e) => e.item === index)) return false;
    state.events = state.events.filter((e) => e.item !== index);
    this.rebuild();
    return true;
  }

  /** Erases `user` completely: events, state, and their part of shared statistics. Returns whether the user was known. */
  forget(user: string): boolean {
    if (typeof user !== 'string' || user === '') throw new AttuneError('INVALID_ARGUMENT', `forget: user must be a non-empty string, got ${describeValue(user)}`);
    return this.erase(user);
  }

  private erase(user: string): boolean {
    if (!this.users.has(user)) return false;
    this.users.delete(user);
    this.rebuild();
    return true;
  }

  /**
   * Re-derives every statistic from the retained events in arrival order:
   * each user's bookkeeping and taste, then the shared popularity.
   */
  private rebuild(): void {
    this.erasures++;
    const retained = new Set<StoredEvent>();
    for (const u of this.users.values()) for (const e of u.events) retained.add(e);
    this.log = this.log.filter((x) => retained.has(x.event) && this.users.get(x.user.id) === x.user);
    for (const u of this.users.values()) {
      const fresh = newUserState(u.id, this.halfLifeMs);
      Object.assign(u, {
        taste: fresh.taste, banned: fresh.banned, snoozed: fresh.snoozed, purchased: fresh.purchased, heldTags: fresh.heldTags, seen: fresh.seen,
        fades: fresh.fades, watch: newWatch(), changes: u.changes.filter((c) => c.cause === 'requested'),
      });
    }
    this.popularity = new PopularityModel(this.halfLifeMs);
    this.popularity.resize(this.catalog.size);
    for (const { user, event } of this.log) this.applyToUser(user, event);
    this.popVersion++;
    for (const u of this.users.values()) u.factorsModel = undefined;
  }

  /** Adds items to the catalog; a duplicate id is refused and nothing is added. */
  addItems(items: Item[]): void {
    const valid = Catalog.validate('addItems', items, this.catalog);
    this.catalog.add(valid);
    this.popularity.resize(this.catalog.size);
    this.popVersion++;
  }

  /**
   * Batch (re)fit of the collaborative model on the retained, decayed events
   * (implicit ALS); every user's vector is then re-solved against the new
   * item factors at that user's next request. Reports iterations, loss per iteration and seconds;
   * `onProgress` is called after each iteration.
   */
  train(options: TrainOptions = {}): TrainReport {
    if (options === null || typeof options !== 'object') throw new AttuneError('INVALID_ARGUMENT', 'train: options must be an object such as { onProgress }');
    if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new AttuneError('INVALID_ARGUMENT', 'train: onProgress must be a function');
    if (options.replaceImportedFactors !== undefined && typeof options.replaceImportedFactors !== 'boolean') throw new AttuneError('INVALID_ARGUMENT', 'train: replaceImportedFactors must be true or false');
    if (this.training) throw new AttuneError('TRAINING_IN_PROGRESS', 'train: trainInBackground() is running; await it (or abort it) first');
    const started = Date.now();
    let iterations = 0;
    let loss: number[] = [];
    const keepImported = this.collab?.imported === true && options.replaceImportedFactors !== true;
    if (this.opts.collaborative !== false && !keepImported) {
      const users = [...this.users.values()].filter((u) => !u.optOut);
      const fitted = CollaborativeModel.train(users, this.catalog, this.halfLifeMs, this.opts.collaborative, options.onProgress);
      this.collab = fitted?.model;
      iterations = fitted?.report.iterations ?? 0;
      loss = fitted?.report.loss ?? [];
    }
    // Every other statistic is already what a replay would give (it is kept
    // incrementally in arrival order); user vectors follow the new item
    // factors lazily, at each user's next request (see userFactors).
    const learners = [...this.users.values()].filter((u) => u.events.some((e) => e.learned)).length;
    return { iterations, loss, seconds: (Date.now() - started) / 1000, events: this.log.length, users: learners, ...(keepImported ? { keptImportedFactors: true as const } : {}) };
  }

  // ------------------------------------------------------------------ background training (issue 14)

  /**
   * {@link train} without blocking the event loop: the same model, bit for
   * bit, as `train()` on the same feedback (each user's evidence is read in
   * slices at the start, so feedback arriving meanwhile may count for users
   * not yet read). In Node the sweeps run
   * on worker threads (every core by default); in browsers, or with
   * `threads: 1`, they run on this thread in slices of a few milliseconds.
   * The new model replaces the old one only when the promise resolves; until
   * then `recommend` serves the old one. If feedback is undone or a user
   * erased while it runs, the result is thrown away and the fit redone, so
   * nobody erased leaves a trace. Rejects with `ABORTED` when `signal` fires
   * (nothing changes) and `TRAINING_IN_PROGRESS` when another background
   * training is running; `train()` refuses to run meanwhile.
   */
  async trainInBackground(options: BackgroundTrainOptions = {}): Promise<TrainReport> {
    const checked = checkBackgroundTrainOptions(options, 'trainInBackground');
    const hooks = fitHooks(checked);
    if (this.training) throw new AttuneError('TRAINING_IN_PROGRESS', 'trainInBackground: another background training is running; await it (or abort it) first');
    this.training = true;
    try {
      const started = Date.now();
      const keepImported = this.collab?.imported === true && checked.replaceImportedFactors !== true;
      const collaborative = keepImported ? false : this.opts.collaborative;
      let fitted: Awaited<ReturnType<typeof CollaborativeModel.trainInBackground>>;
      for (let attempt = 1; ; attempt++) {
        const erasures = this.erasures;
        const users = [...this.users.values()].filter((u) => !u.optOut);
        fitted = collaborative === false ? undefined : await CollaborativeModel.trainInBackground(users, this.catalog, this.halfLifeMs, collaborative, hooks);
        if (erasures === this.erasures) break;
        if (attempt === 3) throw new AttuneError('ABORTED', 'trainInBackground: feedback kept being erased or undone during training; call it again when that settles');
      }
      if (collaborative !== false) this.collab = fitted?.model;
      const learners = [...this.users.values()].filter((u) => u.events.some((e) => e.learned)).length;
      const report = fitted?.report;
      const kept = keepImported ? { keptImportedFactors: true as const } : {};
      return { iterations: report?.iterations ?? 0, loss: report?.loss ?? [], seconds: (Date.now() - started) / 1000, events: this.log.length, users: learners, threads: report?.threads ?? 1, ...kept };
    } finally {
      this.training = false;
    }
  }

  /**
   * Loads item factors trained elsewhere — Spark MLlib ALS (`model.itemFactors`
   * as JSON lines) or the Python `implicit` library (`numpy.save` of
   * `model.item_factors` plus the item ids) — as the collaborative model.
   * Every user is then folded in against them from their own feedback, so
   * scores, fold-in after new feedback and the faithful collaborative reasons
   * work as after `train()`. Catalog items the source lacks get no
   * collaborative score. `train()` afterwards keeps these factors (its report
   * says `keptImportedFactors: true`); `train({ replaceImportedFactors: true })`
   * fits attune's own instead. Snapshots keep them. Throws `BAD_FACTORS`
   * (malformed, wrong shape, non-finite), `UNKNOWN_ITEM` (an id not in the
   * catalog) or `INVALID_OPTIONS`; a throwing call changes nothing.
   */
  importItemFactors(source: ItemFactorSource, options: ImportFactorsOptions = {}): ImportReport {
    const api = 'importItemFactors';
    if (this.training) throw new AttuneError('TRAINING_IN_PROGRESS', `${api}: trainInBackground() is running; await it (or abort it) first`);
    if (this.opts.collaborative === false) throw new AttuneError('INVALID_OPTIONS', `${api}: the collaborative model is switched off (collaborative: false); create the recommender with collaborative options to use factors`);
    const { model, report } = importCollaborative(source, this.catalog, this.opts.collaborative, options, api);
    this.collab = model;
    return report;
  }

  // ------------------------------------------------------------------ persistence

  /** Plain JSON of everything learned; a pure function of state. */
  snapshot(): Snapshot {
    const order = new Map<StoredEvent, number>();
    this.log.forEach((x, i) => order.set(x.event, i));
    const userIds = [...this.users.keys()];
    const userIndex = new Map(userIds.map((id, i) => [id, i]));
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      options: {
        seed: this.opts.seed,
        halfLifeDays: this.opts.halfLifeDays === Infinity ? 'Infinity' : this.opts.halfLifeDays,
        tiredDays: this.opts.tiredDays === Infinity ? 'Infinity' : this.opts.tiredDays,
        holdBackDays: this.opts.holdBackDays === Infinity ? 'Infinity' : this.opts.holdBackDays,
        holdBackFacets: [...this.opts.holdBackFacets],
        implicitQuoteDelayMinutes: this.opts.implicitQuoteDelayMinutes,
        exploration: this.opts.exploration,
        propensitySamples: this.opts.propensitySamples,
        facetCaps: Object.fromEntries(this.opts.facetCaps),
        maxTagShare: this.opts.maxTagShare,
        mmrLambda: this.opts.mmrLambda,
        protectedAttributes: [...this.opts.protectedAttributes],
        poolSize: this.opts.poolSize,
        lifeStages: this.opts.lifeStages,
        collaborative: this.opts.collaborative,
      },
      items: Array.from({ length: this.catalog.size }, (_, i) => this.catalog.item(i)),
      users: userIds.map((id) => {
        const u = this.users.get(id)!;
        return {
          id,
          optOut: u.optOut,
          consent: [...u.consent.keys()].sort(),
          mutedTags: [...u.mutedTags].sort(),
          draws: u.draws,
          // detected changes are re-derived from the events on restore
          changes: u.changes.filter((c) => c.cause === 'requested').map((c) => ({ ...c })),
        };
      }),
      events: this.log.map(({ user, event }) => {
        const e: Snapshot['events'][number] = [userIndex.get(user.id)!, event.item, event.signal, event.at, event.weight];
        if (event.context !== undefined) e.push(event.context);
        return e;
      }),
      ...(this.collab !== undefined ? { collaborative: this.collab.toJSON() } : {}),
    };
  }

  /** @internal Rebuilds state from a validated snapshot. */
  static fromSnapshot(raw: unknown, overrides: { now?: () => number }): Recommender {
    const snap = parseSnapshot(raw);
    const o = snap.options;
    const fromJson = (v: number | 'Infinity') => (v === 'Infinity' ? Infinity : v);
    const rec = new Recommender(
      {
        seed: o.seed,
        halfLifeDays: fromJson(o.halfLifeDays),
        tiredDays: fromJson(o.tiredDays),
        holdBackDays: fromJson(o.holdBackDays),
        holdBackFacets: o.holdBackFacets,
        implicitQuoteDelayMinutes: o.implicitQuoteDelayMinutes,
        exploration: o.exploration,
        propensitySamples: o.propensitySamples,
        diversity: { facetCaps: o.facetCaps, maxTagShare: o.maxTagShare, mmrLambda: o.mmrLambda },
        protectedAttributes: { replace: o.protectedAttributes },
        poolSize: o.poolSize,
        lifeStages: o.lifeStages,
        collaborative: o.collaborative as RecommenderOptions['collaborative'] & {},
        ...(overrides.now !== undefined ? { now: overrides.now } : {}),
      },
      Catalog.validate('restoreRecommender', snap.items),
    );
    const states = snap.users.map((u) => {
      const s = rec.createUser(u.id);
      s.optOut = u.optOut;
      for (const c of u.consent) s.consent.set(c, true);
      s.mutedTags = new Set(u.mutedTags);
      s.draws = u.draws;
      s.changes = u.changes.filter((c) => c.cause === 'requested').map((c) => ({ ...c }));
      return s;
    });
    for (const [userIndex, item, signal, at, weight, context] of snap.events) {
      validateContext('restoreRecommender: an event', context, rec.opts.protectedAttributes);
      const user = states[userIndex]!;
      const event: StoredEvent = { seq: rec.seq++, item, signal, at, weight, context, increments: [], learned: false };
      user.events.push(event);
      rec.log.push({ user, event });
    }
    if (snap.collaborative !== undefined) {
      try {
        rec.collab = CollaborativeModel.fromJSON(snap.collaborative);
      } catch (error) {
        throw new AttuneError('BAD_SNAPSHOT', `restoreRecommender: collaborative model: ${(error as Error).message}`);
      }
      if (rec.collab.itemCount > rec.catalog.size) throw new AttuneError('BAD_SNAPSHOT', 'restoreRecommender: the collaborative model knows more items than the catalog');
    }
    rec.rebuild();
    return rec;
  }
}

/** Creates a recommender over a catalog. See DESIGN.md for the options. */
export function createRecommender(options: RecommenderOptions = {}): Recommender {
  if (options === null || typeof options !== 'object') throw new AttuneError('INVALID_OPTIONS', `createRecommender: options must be an object, got ${describeValue(options)}`);
  const items = Catalog.validate('createRecommender', options.items ?? []);
  return new Recommender(options, items);
}

/**
 * Restores a recommender from a snapshot (after JSON round trip). Validates
 * everything and refuses a corrupt or unknown-version snapshot with `BAD_SNAPSHOT`.
 */
export function restoreRecommender(snapshot: unknown, options: { now?: () => number } = {}): Recommender {
  try {
    return Recommender.fromSnapshot(snapshot, options);
  } catch (error) {
    if (error instanceof AttuneError && error.code !== 'BAD_SNAPSHOT') {
      throw new AttuneError('BAD_SNAPSHOT', `restoreRecommender: the snapshot is not valid: ${error.message}`);
    }
    throw error;
  }
}
