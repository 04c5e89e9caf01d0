/**
 * The facade: validates each call, hands it to the parts, shapes the answer.
 * It holds no algorithm.
 *
 * State is each person's evidence (people/), the shared popularity sums and
 * the collaborative item factors. A feedback event updates one record and
 * the tags of one item; an undo, an erasure, a consent change or a reset
 * touches only that person's records; snapshots hold that state.
 */
import { Catalog, tagPhrase } from './catalog/catalog.js';
import { LIFE_STAGE_BOOST_DAYS } from './constants.js';
import { DAY_MS, halfLifeDaysToMs } from './decay/halfLife.js';
import { exploreBoostUntil } from './decay/lifeStages.js';
import { AttuneError, describeValue } from './errors.js';
import { checkPreferences } from './feedback/preferences.js';
import { checkRequest, checkUser, readClock, type CheckedRequest } from './feedback/request.js';
import { checkEvent, type CheckedEvent } from './feedback/validate.js';
import { attributionIndex, buildReason, type ExplainInput } from './explain/reasons.js';
import { CollaborativeModel } from './models/collaborative/collaborative.js';
import { PopularityModel } from './models/popularity/popularity.js';
import { optionsFromJSON, optionsToJSON, resolveOptions, type RecommenderOptions, type ResolvedOptions } from './options.js';
import { personEntries } from './people/entries.js';
import { heldTags } from './people/holds.js';
import { personFromJSON, personToJSON } from './people/json.js';
import { applyEvent, consented, learnedRecords, removeItem, resetPerson, syncConsent, withdrawPerson, type LearningContext } from './people/learning.js';
import { newPerson, type PersonState } from './people/person.js';
import { MemoryPeopleStore, type PeopleStore } from './people/store.js';
import { PersonVectors } from './people/vectors.js';
import { optionsFromV1, readEnvelope, readPopularity, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from './persist/snapshot.js';
import type { SnapshotV1 } from './persist/snapshotV1.js';
import { describeProfile, type Profile } from './profile/describe.js';
import { createRng, type Rng } from './random/rng.js';
import { collaborativeShare, contributionsOf, popularityWeight, tasteArrays, tastePartsOf } from './rank/blend.js';
import { eligibility } from './rank/guardrails.js';
import { Ranker, type Contributions, type RankInput, type RankedItem } from './rank/ranker.js';
import type { Context, FeedbackEvent, Item, Preferences, Reason, RecommendOptions, Recommendation } from './types.js';

/** What `train()` reports. */
export interface TrainReport {
  /** Sweeps of the collaborative model (0 when it had nothing to learn from). */
  iterations: number;
  /** Training loss after each sweep. */
  loss: number[];
  seconds: number;
  /** Events held in the evidence the models were fitted on. */
  events: number;
  /** People with learned evidence. */
  users: number;
}

/** Options of `train()`. */
export interface TrainOptions {
  onProgress?: (progress: { iteration: number; iterations: number; loss: number }) => void;
}

/** A recommendation with the named parts of its score (they add up to `score`). */
export interface ExplainedRecommendation extends Recommendation {
  contributions: Contributions;
}

/**
 * @internal What a store outside the process (attune/redis) supplies to the
 * facade: the people of the current call, and the shared popularity that
 * records the deltas learning makes instead of owning the sums.
 */
export interface StoreParts {
  people: PeopleStore;
  popularity: PopularityModel;
}

export class Recommender {
  private readonly opts: ResolvedOptions;
  private readonly halfLifeMs: number;
  private readonly catalog = new Catalog();
  private readonly popularity: PopularityModel;
  private readonly people: PeopleStore;
  private readonly vectors = new PersonVectors();
  private readonly ranker: Ranker;
  private readonly learning: LearningContext;
  private popCache: { now: number; values: Float64Array; version: number } | undefined;
  private popVersion = 0;
  private collab: CollaborativeModel | undefined;
  private collabScratch = new Float64Array(0);

  /** @internal use {@link createRecommender} */
  constructor(options: ResolvedOptions, items: readonly Item[], parts?: StoreParts) {
    this.opts = options;
    this.halfLifeMs = halfLifeDaysToMs(this.opts.halfLifeDays);
    this.catalog.add(items);
    this.people = parts?.people ?? new MemoryPeopleStore();
    this.popularity = parts?.popularity ?? new PopularityModel(this.halfLifeMs);
    this.popularity.resize(this.catalog.size);
    this.ranker = new Ranker(this.catalog);
    this.learning = {
      catalog: this.catalog,
      halfLifeMs: this.halfLifeMs,
      tiredMs: this.opts.tiredDays * DAY_MS,
      lifeStages: this.opts.lifeStages,
      popularity: this.popularity,
    };
  }

  /** The resolved options (read-only view). */
  get options(): Readonly<ResolvedOptions> {
    return this.opts;
  }

  /** Number of items in the catalog. */
  get itemCount(): number {
    return this.catalog.size;
  }

  /**
   * @internal A store changed state under the facade (another process wrote
   * it): the popularity sums, the collaborative model (`null`: none), or the
   * records of these people, whose cached vectors are then stale.
   */
  sharedStateChanged(change: { popularity?: boolean; collaborative?: CollaborativeModel | null; people?: readonly string[] }): void {
    if (change.popularity === true) this.popVersion++;
    if (change.collaborative !== undefined) {
      this.collab = change.collaborative ?? undefined;
      this.vectors.clear();
    }
    for (const id of change.people ?? []) this.vectors.invalidate(id);
  }

  // ------------------------------------------------------------------ feedback

  /**
   * Learns from one event or a batch. A batch is all-or-nothing: every event
   * is validated before any is applied. Feedback from an opted-out user is
   * neither learned nor stored.
   */
  feedback(events: FeedbackEvent | readonly FeedbackEvent[]): void {
    const now = readClock('feedback', this.opts.now);
    const batch = Array.isArray(events);
    const list: readonly unknown[] = batch ? (events as readonly unknown[]) : [events];
    const checked = list.map((e, i) => checkEvent(e, batch ? `feedback: events[${i}]` : 'feedback: event', this.catalog, now, this.opts.protectedAttributes));
    let changed = false;
    for (const e of checked) changed = this.apply(e) || changed;
    if (changed) this.popVersion++;
  }

  private apply(e: CheckedEvent): boolean {
    let person = this.people.get(e.user);
    if (person?.optOut === true) return false;
    if (person === undefined) this.people.set((person = newPerson(e.user, this.halfLifeMs)));
    this.vectors.invalidate(e.user);
    return applyEvent(this.learning, person, e);
  }

  // ------------------------------------------------------------------ recommend

  /**
   * Recommends up to `count` items, each with a score, an honest reason, an
   * exploration flag and a propensity. `user` undefined is a guest: a
   * non-personalised list that teaches nothing. Reading never creates state:
   * a person with no record is served as a newcomer and nothing is stored.
   */
  recommend(user: string | undefined, options: RecommendOptions = {}): ExplainedRecommendation[] {
    const req = checkRequest('recommend', user, options, this.opts.now, this.opts.protectedAttributes);
    const stored = user === undefined ? undefined : this.people.get(user);
    if (user === undefined || stored?.optOut === true) return this.recommendPopular(req, stored);
    const person = stored ?? newPerson(user, this.halfLifeMs);
    // Draws are keyed by the person, their own requests so far and the request time.
    const rng = createRng(this.opts.seed, 'user', user, person.draws, req.at);
    const ranked = this.ranker.rank(this.rankInput(person, req, rng));
    const base = this.reasonInput(person, req);
    const shown = ranked.filter((r) => !r.explored).map((r) => r.item);
    const index = shown.length > 0 && base.hasEvidence ? attributionIndex(base) : undefined;
    const collaborative = this.collaborativePieces(person, shown, req.at);
    const list = ranked.map((r) =>
      this.present(r, buildReason({
        ...base, item: r.item, contributions: r.contributions, noise: r.noise, explored: r.explored,
        ...(index !== undefined ? { index } : {}),
        ...(collaborative.has(r.item) && !r.explored ? { collaborative: collaborative.get(r.item)! } : {}),
      })),
    );
    if (stored !== undefined) stored.draws++;
    return list;
  }

  private present(r: RankedItem, reason: Reason): ExplainedRecommendation {
    return { item: this.catalog.ids[r.item]!, score: r.score, reason, explored: r.explored, propensity: r.propensity, contributions: r.contributions };
  }

  /** What every reason of one request shares. */
  private reasonInput(person: PersonState | undefined, req: CheckedRequest): Omit<ExplainInput, 'item' | 'contributions' | 'noise' | 'explored'> {
    const personal = person !== undefined && !person.optOut;
    return {
      catalog: this.catalog,
      user: person,
      contexts: personal ? req.contexts : [],
      now: req.at,
      halfLifeMs: this.halfLifeMs,
      quoteDelayMs: personal ? this.opts.implicitQuoteDelayMinutes * 60_000 : 0,
      changing: personal && req.at < this.boostUntil(person),
      hasEvidence: personal && person.taste.evidenceAt(req.at) > 0,
      mayName: (j: number) => personal && consented(this.catalog, person, j),
    };
  }

  /** The reason `item` would be recommended to `user` now (no exploration). */
  explain(user: string | undefined, item: string, options: { at?: number; context?: Context } = {}): Reason {
    const req = checkRequest('explain', user, { ...(options.at !== undefined ? { at: options.at } : {}), ...(options.context !== undefined ? { context: options.context } : {}) }, this.opts.now, this.opts.protectedAttributes);
    if (typeof item !== 'string') throw new AttuneError('INVALID_ARGUMENT', `explain: item must be an item id string, got ${describeValue(item)}`);
    const index = this.catalog.indexOf(item);
    if (index === undefined) throw new AttuneError('UNKNOWN_ITEM', `explain: item ${describeValue(item)} is not in the catalog`);
    const stored = user === undefined ? undefined : this.people.get(user);
    const person = stored?.optOut === true ? stored : user === undefined ? undefined : stored ?? newPerson(user, this.halfLifeMs);
    const personal = person !== undefined && !person.optOut;
    const collaborative = personal ? this.collaborativePieces(person, [index], req.at).get(index) : undefined;
    return buildReason({
      ...this.reasonInput(person, req),
      item: index,
      contributions: this.contributionsOf(personal ? person : undefined, index, req),
      noise: undefined,
      explored: false,
      ...(collaborative !== undefined ? { collaborative } : {}),
    });
  }

  /** One item's contributions without exploration, as the ranker computes them (no catalog scan). */
  private contributionsOf(person: PersonState | undefined, item: number, req: CheckedRequest): Contributions {
    const lift = this.popularity.logOddsLift(item, req.at);
    if (person === undefined) return contributionsOf({ content: 0, context: 0 }, { weight: 0, raw: 0 }, { weight: 1, lift });
    const evidence = person.taste.evidenceAt(req.at);
    const vector = this.vectors.get(person, this.collab, this.halfLifeMs);
    const collab = this.collab;
    const raw = collab !== undefined && vector !== undefined && item < collab.itemCount ? collab.score(vector, item) : 0;
    return contributionsOf(
      tastePartsOf(this.catalog, person.taste, item, req.contexts, req.at),
      { weight: collab === undefined ? 0 : collab.weight * collaborativeShare(evidence), raw },
      { weight: popularityWeight(evidence), lift },
    );
  }

  private boostUntil(person: PersonState): number {
    return exploreBoostUntil(person.changes, LIFE_STAGE_BOOST_DAYS * DAY_MS);
  }

  private holds() {
    return { holdBackMs: this.opts.holdBackDays * DAY_MS, holdBackFacets: this.opts.holdBackFacets };
  }

  private popularityLift(now: number): Float64Array {
    const cache = this.popCache;
    if (cache !== undefined && cache.now === now && cache.version === this.popVersion && cache.values.length === this.catalog.size) return cache.values;
    const values = new Float64Array(this.catalog.size);
    for (let i = 0; i < values.length; i++) values[i] = this.popularity.logOddsLift(i, now);
    this.popCache = { now, values, version: this.popVersion };
    return values;
  }

  private rankInput(person: PersonState, req: CheckedRequest, rng: Rng): RankInput {
    const evidence = person.taste.evidenceAt(req.at);
    const boost = req.at < this.boostUntil(person) ? 2 : 1;
    return {
      catalog: this.catalog,
      eligible: eligibility(this.catalog, person, req, this.holds()),
      ...tasteArrays(this.catalog, person.taste, req.contexts, req.at),
      collaborative: this.collaborativeScores(person),
      collaborativeWeight: this.collab === undefined ? 0 : this.collab.weight * collaborativeShare(evidence),
      popularity: this.popularityLift(req.at),
      popularityWeight: popularityWeight(evidence),
      count: req.count,
      poolSize: this.opts.poolSize,
      exploration: this.opts.exploration * boost,
      propensitySamples: this.opts.propensitySamples,
      rules: this.diversityRules(req.count),
      rng,
    };
  }

  /** Raw collaborative scores x_u · y_i into a reused buffer. */
  private collaborativeScores(person: PersonState): Float64Array | undefined {
    const vector = this.vectors.get(person, this.collab, this.halfLifeMs);
    if (this.collab === undefined || vector === undefined) return undefined;
    if (this.collabScratch.length !== this.catalog.size) this.collabScratch = new Float64Array(this.catalog.size);
    this.collab.scoreInto(vector, this.collabScratch);
    return this.collabScratch;
  }

  /**
   * Per-liked-item pieces of the collaborative contribution (HKV §5), scaled
   * like the score, for each of `items` (one factorisation for all). Items
   * the person gave only implicit signals on recently are not quotable yet.
   */
  private collaborativePieces(person: PersonState, items: readonly number[], now: number): Map<number, { item: number; weight: number }[]> {
    const out = new Map<number, { item: number; weight: number }[]>();
    const collab = this.collab;
    if (collab === undefined || this.vectors.get(person, collab, this.halfLifeMs) === undefined) return out;
    const known = items.filter((i) => i < collab.itemCount);
    if (known.length === 0) return out;
    const scale = collab.weight * collaborativeShare(person.taste.evidenceAt(now));
    const quoteDelayMs = this.opts.implicitQuoteDelayMinutes * 60_000;
    const quotable = (j: number) => {
      const record = person.evidence.get(j);
      return record !== undefined && (record.thumb !== 0 || now - record.implicitSince >= quoteDelayMs);
    };
    collab.explainMany(personEntries(person, this.halfLifeMs), known).forEach((x, t) => {
      const item = known[t]!;
      out.set(item, x.contributions.filter((c) => c.item !== item && quotable(c.item)).map((c) => ({ item: c.item, weight: c.weight * scale })));
    });
    return out;
  }

  private diversityRules(count: number): RankInput['rules'] {
    const shareCap = Math.max(1, Math.ceil(this.opts.maxTagShare * count));
    const caps = this.catalog.tagFacets.map((facet) => Math.min(shareCap, this.opts.facetCaps.get(facet) ?? Infinity));
    return { capOf: (t) => caps[t] ?? shareCap, mmrLambda: this.opts.mmrLambda };
  }

  /** Guests and opted-out users: popularity only, deterministic (propensity 1), teaches nothing. */
  private recommendPopular(req: CheckedRequest, person: PersonState | undefined): ExplainedRecommendation[] {
    const ranked = this.ranker.rank({
      catalog: this.catalog,
      eligible: eligibility(this.catalog, person, req, this.holds()),
      ...tasteArrays(this.catalog, undefined, [], req.at),
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
    });
    const base = this.reasonInput(person, req);
    return ranked.map((r) => this.present(r, buildReason({ ...base, item: r.item, contributions: r.contributions, noise: undefined, explored: false })));
  }

  // ------------------------------------------------------------------ control

  /** What attune knows about `user`, in words a person can read. */
  profile(user: string): Profile {
    checkUser('profile', user, false);
    const now = readClock('profile', this.opts.now);
    const person = this.people.get(user);
    const held = person === undefined ? new Map<number, number>() : heldTags(this.catalog, person, this.opts.holdBackDays * DAY_MS, this.opts.holdBackFacets);
    return describeProfile(this.catalog, person, user, now, tagPhrase, held);
  }

  /** Opt out or in, set consent per sensitive category, mute tags, or start a new life stage. */
  setPreferences(user: string, preferences: Preferences): void {
    checkUser('setPreferences', user, false);
    const prefs = checkPreferences(preferences);
    const now = readClock('setPreferences', this.opts.now);
    let person = this.people.get(user);
    if (prefs.optOut === true) {
      if (person?.optOut !== true) {
        this.erase(user);
        person = newPerson(user, this.halfLifeMs);
        person.optOut = true;
        this.people.set(person);
      }
      return;
    }
    if (prefs.optOut === false && person?.optOut === true) {
      this.people.delete(user);
      person = undefined;
    }
    if (person?.optOut === true) return; // opted out: nothing else is kept
    if (person === undefined) this.people.set((person = newPerson(user, this.halfLifeMs)));
    this.vectors.invalidate(user);
    if (prefs.consent !== undefined) {
      const changed: string[] = [];
      for (const [category, given] of Object.entries(prefs.consent)) {
        if (person.consent.has(category) !== given) changed.push(category);
        if (given) person.consent.add(category);
        else person.consent.delete(category);
      }
      if (changed.length > 0) syncConsent(this.learning, person, changed);
    }
    if (prefs.mutedTags !== undefined) person.mutedTags = new Set(prefs.mutedTags);
    if (prefs.reset === true) resetPerson(this.learning, person, prefs.keepBans ?? true, now);
    this.popVersion++;
  }

  /** Undoes every signal `user` gave on `item`: the models forget it. Returns whether anything was removed. */
  removeFeedback(user: string, item: string): boolean {
    checkUser('removeFeedback', user, false);
    if (typeof item !== 'string') throw new AttuneError('INVALID_ARGUMENT', `removeFeedback: item must be an item id string, got ${describeValue(item)}`);
    const index = this.catalog.indexOf(item);
    if (index === undefined) throw new AttuneError('UNKNOWN_ITEM', `removeFeedback: item ${describeValue(item)} is not in the catalog`);
    const person = this.people.get(user);
    if (person === undefined || !removeItem(this.learning, person, index)) return false;
    this.vectors.invalidate(user);
    this.popVersion++;
    return true;
  }

  /** Erases `user` completely: their record and their part of shared statistics. Returns whether the user was known. */
  forget(user: string): boolean {
    checkUser('forget', user, false);
    return this.erase(user);
  }

  private erase(user: string): boolean {
    const person = this.people.get(user);
    if (person === undefined) return false;
    withdrawPerson(this.learning, person);
    this.people.delete(user);
    this.vectors.invalidate(user);
    this.popVersion++;
    return true;
  }

  /** Adds items to the catalog; a duplicate id is refused and nothing is added. */
  addItems(items: Item[]): void {
    const valid = Catalog.validate('addItems', items, this.catalog);
    this.catalog.add(valid);
    this.popularity.resize(this.catalog.size);
    this.popVersion++;
  }

  /**
   * Batch (re)fit on all evidence: popularity is recomputed from every
   * person's records (so an erased person's part is gone to the last bit),
   * and the collaborative model (implicit ALS) is fitted anew; every
   * person's vector is re-solved against the new item factors at their next
   * request. `onProgress` is called after each iteration.
   */
  train(options: TrainOptions = {}): TrainReport {
    if (options === null || typeof options !== 'object') throw new AttuneError('INVALID_ARGUMENT', 'train: options must be an object such as { onProgress }');
    if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new AttuneError('INVALID_ARGUMENT', 'train: onProgress must be a function');
    const started = Date.now();
    const people = [...this.people.values()].filter((p) => !p.optOut);
    this.popularity.rebuild(this.catalog.size, learnedRecords(people));
    this.popVersion++;
    let iterations = 0;
    let loss: number[] = [];
    if (this.opts.collaborative !== false) {
      const entries = people.map((p) => ({ key: p.id, entries: personEntries(p, this.halfLifeMs) }));
      const fitted = CollaborativeModel.train(entries, this.catalog, this.opts.collaborative, options.onProgress);
      this.collab = fitted?.model;
      iterations = fitted?.report.iterations ?? 0;
      loss = fitted?.report.loss ?? [];
    }
    this.vectors.clear();
    let events = 0;
    let users = 0;
    for (const p of people) {
      events += p.events;
      let learned = false;
      p.evidence.forEachView((_, e) => {
        learned ||= e.learned;
      });
      if (learned) users++;
    }
    return { iterations, loss, seconds: (Date.now() - started) / 1000, events, users };
  }

  // ------------------------------------------------------------------ persistence

  /** Plain JSON of everything learned: state, not history; a pure function of it. */
  snapshot(): Snapshot {
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      options: optionsToJSON(this.opts),
      items: Array.from({ length: this.catalog.size }, (_, i) => this.catalog.item(i)),
      people: [...this.people.values()].map(personToJSON),
      popularity: this.popularity.toJSON(),
      ...(this.collab !== undefined ? { collaborative: this.collab.toJSON() } : {}),
    };
  }

  /** @internal Reads a validated snapshot: version 2 as it is, version 1 migrated by replaying its events once. */
  static fromSnapshot(raw: unknown, overrides: { now?: () => number }): Recommender {
    const envelope = readEnvelope(raw);
    const snap = envelope.snapshot;
    const options = envelope.version === 2 ? snap.options : optionsFromV1(envelope.snapshot.options);
    const rec = new Recommender(optionsFromJSON(options, overrides.now), Catalog.validate('restoreRecommender', snap.items));
    if (envelope.version === 2) rec.loadState(envelope.snapshot);
    else rec.migrate(envelope.snapshot);
    if (snap.collaborative !== undefined) {
      try {
        rec.collab = CollaborativeModel.fromJSON(snap.collaborative);
      } catch (error) {
        throw new AttuneError('BAD_SNAPSHOT', `restoreRecommender: collaborative model: ${(error as Error).message}`);
      }
      if (rec.collab.itemCount > rec.catalog.size) throw new AttuneError('BAD_SNAPSHOT', 'restoreRecommender: the collaborative model knows more items than the catalog');
    }
    return rec;
  }

  private loadState(snap: Snapshot): void {
    snap.people.forEach((json, i) => {
      const person = personFromJSON(json, this.catalog, this.halfLifeMs, `restoreRecommender: people[${i}]`);
      if (this.people.get(person.id) !== undefined) throw new AttuneError('BAD_SNAPSHOT', `restoreRecommender: people[${i}] repeats the id ${describeValue(person.id)}`);
      this.people.set(person);
    });
    this.popularity.load(this.catalog.size, readPopularity(snap.popularity, this.catalog.size));
  }

  /** Version 1 held every event: replay them once, in their arrival order, into evidence. */
  private migrate(snap: SnapshotV1): void {
    const people = snap.users.map((u) => {
      const person = newPerson(u.id, this.halfLifeMs);
      person.optOut = u.optOut;
      for (const c of u.consent) person.consent.add(c);
      person.mutedTags = new Set(u.mutedTags);
      person.draws = u.draws;
      person.changes = u.changes.filter((c) => c.cause === 'requested');
      this.people.set(person);
      return person;
    });
    for (const [userIndex, item, signal, at, weight, context] of snap.events) {
      const event = checkEvent(
        { user: people[userIndex]!.id, item: this.catalog.ids[item]!, signal, at, weight, ...(context !== undefined ? { context } : {}) },
        'restoreRecommender: an event', this.catalog, at, this.opts.protectedAttributes,
      );
      applyEvent(this.learning, people[userIndex]!, event);
    }
  }
}

/** Creates a recommender over a catalog. See DESIGN.md for the options. */
export function createRecommender(options: RecommenderOptions = {}): Recommender {
  if (options === null || typeof options !== 'object') throw new AttuneError('INVALID_OPTIONS', `createRecommender: options must be an object, got ${describeValue(options)}`);
  const resolved = resolveOptions(options);
  const items = Catalog.validate('createRecommender', options.items ?? []);
  return new Recommender(resolved, items);
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
