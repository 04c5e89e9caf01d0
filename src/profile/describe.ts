import type { Catalog } from '../catalog/catalog.js';
import { TAG_PRIOR_PRECISION } from '../constants.js';
import { purchasesOf, restsOf, type PersonState } from '../people/person.js';
import { describeSeeds, seedToPublic, type StationState } from '../people/stations.js';
import type { Taste } from '../models/content/taste.js';
import type { Signal, StationSeed } from '../types.js';

/** Evidence below this (importance; one play is 0.5) is rounding left by subtraction, shown as none. */
const EVIDENCE_RESIDUE = 1e-9;
/** Significant digits of a profile's evidence weight: sums taken out and put back differ in the last few. */
const WEIGHT_DIGITS = 13;

/** One tag the user leans towards or away from. */
export interface TagAffinity {
  tag: string;
  label: string;
  /** The tag's weight in score points (its shrunk net like-rate); positive = liked. */
  weight: number;
  /** Decayed importance of the evidence behind it (halves every half-life). */
  evidence: number;
  /** How sure the model is, 0–1 (1 − posterior variance / prior variance). */
  confidence: number;
}

/** An item with a date. */
export interface DatedItem {
  item: string;
  title: string;
  at: number;
  /** ISO date, for people. */
  date: string;
}

/** One station in a profile: its seeds and what it has learned, in words. */
export interface StationProfile {
  id: string;
  name: string;
  seeds: StationSeed[];
  /** The seeds as a person would say them: `“So What” and Miles Davis`. */
  seedText: string;
  /** Tags this station has learned the person likes and dislikes on it. */
  likedTags: TagAffinity[];
  dislikedTags: TagAffinity[];
  /** Thumbs given on this station. */
  thumbs: (DatedItem & { signal: Signal })[];
  /** Items turned down on this station: never played on it again. */
  banned: DatedItem[];
  /** Events given on this station. */
  events: number;
  /** A short plain-language summary. */
  text: string;
}

/** What attune knows about one user, for people and for UIs. */
export interface Profile {
  user: string;
  /** Whether attune holds anything about this user. */
  known: boolean;
  optOut: boolean;
  consent: Record<string, boolean>;
  mutedTags: string[];
  likedTags: TagAffinity[];
  dislikedTags: TagAffinity[];
  thumbs: (DatedItem & { signal: Signal })[];
  banned: DatedItem[];
  snoozed: (DatedItem & { until: number; untilDate: string })[];
  heldBack: { item?: string; tag?: string; title: string; until: number; untilDate: string }[];
  changes: { at: number; date: string; cause: 'detected' | 'requested'; text: string }[];
  /** How much the model knows: events received (held as one record per item) and their decayed weight. */
  evidence: { events: number; weight: number; level: 'none' | 'little' | 'some' | 'plenty' };
  /** The person's stations, in creation order. */
  stations: StationProfile[];
  /** A short plain-language summary. */
  text: string;
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : 'never');

/**
 * Builds the readable profile of one person at wall time `now`, their
 * evidence read at `personNow` (their own time, see Decay.personNow);
 * `held` are the category tags held back after purchases (tag → until);
 * `tiredMs` is how long `tired` rests an item (a rest's `at` is its until
 * less that).
 */
export function describeProfile(
  catalog: Catalog,
  user: PersonState | undefined,
  id: string,
  now: number,
  personNow: number,
  label: (tag: string) => string,
  held: ReadonlyMap<number, number>,
  tiredMs: number,
): Profile {
  const empty: Profile = {
    user: id,
    known: false,
    optOut: false,
    consent: {},
    mutedTags: [],
    likedTags: [],
    dislikedTags: [],
    thumbs: [],
    banned: [],
    snoozed: [],
    heldBack: [],
    changes: [],
    evidence: { events: 0, weight: 0, level: 'none' },
    stations: [],
    text: 'attune knows nothing about you yet.',
  };
  if (user === undefined) return empty;
  if (user.optOut)
    return {
      ...empty,
      known: true,
      optOut: true,
      text: 'You have switched personalisation off: attune learns nothing about you and shows what is popular.',
    };
  const dated = (item: number, at: number): DatedItem => ({
    item: catalog.ids[item]!,
    title: catalog.label(item),
    at,
    date: iso(at),
  });
  const { likedTags, dislikedTags } = tagAffinities(catalog, user.taste, personNow, label);
  const thumbs = thumbsOf(catalog, user.evidence, dated);
  const banned = [...user.banned].map(([item, at]) => dated(item, at));
  const snoozed = [...restsOf(user)]
    .filter(([, until]) => until > now)
    .map(([item, until]) => {
      // A rest is kept as its end; one that never ends keeps no start, and the item's latest event bounds it.
      const at = Number.isFinite(until) ? until - tiredMs : user.evidence.get(item)!.last;
      return { ...dated(item, at), until, untilDate: iso(until) };
    });
  const heldBack: Profile['heldBack'] = [
    // By purchase time, then catalog order: the same list whichever scope each purchase was kept in.
    ...[...purchasesOf(user)]
      .sort(([i, a], [j, b]) => a - b || i - j)
      .map(([item]) => ({
        item: catalog.ids[item]!,
        title: catalog.label(item),
        until: Infinity,
        untilDate: 'never again',
      })),
    ...[...held]
      .filter(([, until]) => until > now)
      .map(([tag, until]) => ({
        tag: catalog.tags[tag]!,
        title: label(catalog.tags[tag]!),
        until,
        untilDate: iso(until),
      })),
  ];
  // Records taken out (a station removed, consent withdrawn) leave rounding residue of ~1e-16 in the sums:
  // alone it is none, and on a weight it is dropped (13 significant digits), so that 3 − 1e-15 reads as 3.
  const rawWeight = user.taste.evidenceAt(personNow);
  const weight = rawWeight < EVIDENCE_RESIDUE ? 0 : Number(rawWeight.toPrecision(WEIGHT_DIGITS));
  const level = weight === 0 ? 'none' : weight < 3 ? 'little' : weight < 15 ? 'some' : 'plenty';
  const changes = [...user.changes]
    .sort((a, b) => a.at - b.at)
    .map((c) => ({
      at: c.at,
      date: iso(c.at),
      cause: c.cause,
      text:
        c.cause === 'requested'
          ? `You started afresh on ${iso(c.at)}.`
          : `Your taste seemed to change around ${iso(c.at)}; older likes count for less since.`,
    }));
  const parts: string[] = [];
  if (likedTags.length > 0)
    parts.push(
      `You seem to like ${likedTags
        .slice(0, 3)
        .map((a) => a.label)
        .join(', ')}.`,
    );
  if (dislikedTags.length > 0)
    parts.push(
      `You seem less keen on ${dislikedTags
        .slice(0, 3)
        .map((a) => a.label)
        .join(', ')}.`,
    );
  if (banned.length > 0)
    parts.push(`${banned.length} item${banned.length === 1 ? '' : 's'} you turned down will not be played again.`);
  if (snoozed.length > 0)
    parts.push(
      `${snoozed.length} item${snoozed.length === 1 ? ' is' : 's are'} resting because you were tired of ${snoozed.length === 1 ? 'it' : 'them'}.`,
    );
  if (user.mutedTags.size > 0) parts.push(`Muted: ${[...user.mutedTags].map(label).join(', ')}.`);
  if (changes.length > 0) parts.push(changes[changes.length - 1]!.text);
  const stations = [...user.stations.values()].map((st) => describeStation(catalog, st, personNow, label, dated));
  if (stations.length > 0)
    parts.push(`Your station${stations.length === 1 ? '' : 's'}: ${stations.map((st) => st.text).join(' ')}`);
  parts.push(
    `attune has ${level === 'none' ? 'no' : level} evidence of your taste (${user.events} signal${user.events === 1 ? '' : 's'} about ${user.evidence.size} item${user.evidence.size === 1 ? '' : 's'}).`,
  );
  return {
    user: id,
    known: true,
    optOut: false,
    consent: Object.fromEntries([...user.consent].sort().map((c) => [c, true])),
    mutedTags: [...user.mutedTags].sort(),
    likedTags,
    dislikedTags,
    thumbs,
    banned,
    snoozed,
    heldBack,
    changes,
    evidence: { events: user.events, weight, level },
    stations,
    text: parts.join(' '),
  };
}

function tagAffinities(
  catalog: Catalog,
  taste: Taste,
  now: number,
  label: (tag: string) => string,
): { likedTags: TagAffinity[]; dislikedTags: TagAffinity[] } {
  const affinities = taste.tagMeans(now).map(({ tag, mean, variance }) => {
    const { pos, neg } = taste.tagEvidence(tag, now);
    return {
      tag: catalog.tags[tag]!,
      label: label(catalog.tags[tag]!),
      weight: mean,
      evidence: pos + neg,
      confidence: Math.max(0, 1 - variance * TAG_PRIOR_PRECISION),
    };
  });
  return {
    likedTags: affinities
      .filter((a) => a.weight > 0.01)
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 10),
    dislikedTags: affinities
      .filter((a) => a.weight < -0.01)
      .sort((a, b) => a.weight - b.weight)
      .slice(0, 10),
  };
}

function thumbsOf(
  catalog: Catalog,
  evidence: PersonState['evidence'],
  dated: (item: number, at: number) => DatedItem,
): (DatedItem & { signal: Signal })[] {
  return [...evidence]
    .filter(([, e]) => e.thumb !== 0)
    .map(([item, e]) => ({ ...dated(item, e.thumbAt), signal: (e.thumb === 1 ? 'up' : 'down') as Signal }))
    .sort((a, b) => a.at - b.at);
}

/** One station, in words: what it is built on and what it has learned. */
function describeStation(
  catalog: Catalog,
  station: StationState,
  now: number,
  label: (tag: string) => string,
  dated: (item: number, at: number) => DatedItem,
): StationProfile {
  const { likedTags, dislikedTags } = tagAffinities(catalog, station.taste, now, label);
  const seedText = describeSeeds(catalog, station.seeds, label);
  const thumbs = thumbsOf(catalog, station.evidence, dated);
  const banned = [...station.banned].map(([item, at]) => dated(item, at));
  const learned: string[] = [];
  if (likedTags.length > 0)
    learned.push(
      `you like ${likedTags
        .slice(0, 3)
        .map((a) => a.label)
        .join(', ')} here`,
    );
  if (dislikedTags.length > 0)
    learned.push(
      `less ${dislikedTags
        .slice(0, 3)
        .map((a) => a.label)
        .join(', ')}`,
    );
  if (banned.length > 0)
    learned.push(
      `${banned.length} song${banned.length === 1 ? '' : 's'} turned down on it will not be played on it again`,
    );
  const text = `${station.name}, built on ${seedText}: ${learned.length > 0 ? `${learned.join('; ')}.` : 'nothing learned from your thumbs on it yet.'}`;
  return {
    id: station.id,
    name: station.name,
    seeds: station.seeds.map((seed) => seedToPublic(catalog, seed)),
    seedText,
    likedTags,
    dislikedTags,
    thumbs,
    banned,
    events: station.events,
    text,
  };
}
