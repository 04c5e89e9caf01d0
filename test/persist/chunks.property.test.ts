/**
 * Streamed persistence (fast-check; seed printed by vitest.setup.ts), over
 * states made through the public API — feedback of every kind, stations,
 * preferences, undo, erasure, new items, training: the chunks of
 * `snapshotChunks()` concatenate to `JSON.stringify(snapshot())`, and
 * `restoreRecommenderFrom` reads them (or one string, or bytes split
 * anywhere) into a recommender whose snapshot is byte-identical. A snapshot
 * text that `restoreRecommender` refuses, `restoreRecommenderFrom` refuses
 * with the same code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AttuneError,
  createRecommender,
  restoreRecommender,
  restoreRecommenderFrom,
  type Recommender,
  type Signal,
} from '../../src/index.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const USERS = ['ann', 'bob', 'cy', '__proto__', 'dé'] as const;
const SIGNALS: Signal[] = ['up', 'down', 'tired', 'skip', 'play', 'purchase'];

type Step =
  | { kind: 'feedback'; user: number; item: number; signal: number; weight: number; hour: number; station: boolean }
  | { kind: 'recommend'; user: number }
  | { kind: 'station'; user: number; item: number }
  | { kind: 'preferences'; user: number; what: 'consent' | 'mute' | 'optOut' | 'optIn' | 'reset' }
  | { kind: 'remove'; user: number; item: number }
  | { kind: 'forget'; user: number }
  | { kind: 'addItems'; count: number }
  | { kind: 'train' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('feedback' as const),
      user: fc.nat(USERS.length - 1),
      item: fc.nat(200),
      signal: fc.nat(SIGNALS.length - 1),
      weight: fc.constantFrom(1, 0.5, 3.25),
      hour: fc.nat(23),
      station: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('recommend' as const), user: fc.nat(USERS.length - 1) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('station' as const), user: fc.nat(USERS.length - 1), item: fc.nat(200) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('preferences' as const),
      user: fc.nat(USERS.length - 1),
      what: fc.constantFrom('consent' as const, 'mute' as const, 'optOut' as const, 'optIn' as const, 'reset' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('remove' as const), user: fc.nat(USERS.length - 1), item: fc.nat(200) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), user: fc.nat(USERS.length - 1) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('addItems' as const), count: fc.integer({ min: 1, max: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('train' as const) }) },
);

/** A recommender in the state the steps lead to (steps refused by the recommender are simply refused). */
function stateOf(steps: readonly Step[], seed: number): Recommender {
  let now = T0;
  const items = musicCatalog(4).map((item, i) => (i % 9 === 0 ? { ...item, sensitive: ['health'] } : item));
  const rec = createRecommender({ items, seed, now: () => now, collaborative: { factors: 3, iterations: 2 } });
  let added = 0;
  const itemId = (i: number) => {
    const all = musicCatalog(4).length + added;
    return i % all < musicCatalog(4).length ? items[i % all]!.id : `new-${(i % all) - musicCatalog(4).length}`;
  };
  for (const step of steps) {
    now += 3_600_000;
    const user = 'user' in step ? USERS[step.user]! : 'ann';
    try {
      switch (step.kind) {
        case 'feedback':
          rec.feedback({
            user,
            item: itemId(step.item),
            signal: SIGNALS[step.signal]!,
            weight: step.weight,
            context: { hour: step.hour, device: step.hour % 2 === 0 ? 'phone' : 'speaker' },
            ...(step.station ? { station: 'radio' } : {}),
          });
          break;
        case 'recommend':
          rec.recommend(user, { count: 3 });
          break;
        case 'station':
          rec.createStation(user, { id: 'radio', name: 'My “radio”', seeds: [{ item: itemId(step.item) }] });
          break;
        case 'preferences':
          rec.setPreferences(
            user,
            step.what === 'consent'
              ? { consent: { health: true } }
              : step.what === 'mute'
                ? { mutedTags: ['genre:rock'] }
                : step.what === 'reset'
                  ? { reset: true }
                  : { optOut: step.what === 'optOut' },
          );
          break;
        case 'remove':
          rec.removeFeedback(user, itemId(step.item));
          break;
        case 'forget':
          rec.forget(user);
          break;
        case 'addItems':
          for (let k = 0; k < step.count; k++)
            rec.addItems([{ id: `new-${added++}`, title: `New ${added}`, tags: ['genre:jazz', `mood:m${k}`] }]);
          break;
        case 'train':
          rec.train();
          break;
      }
    } catch (error) {
      if (!(error instanceof AttuneError)) throw error;
    }
  }
  return rec;
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

/** `text` cut at the given places (as strings, or as UTF-8 bytes cut anywhere, even inside a character). */
function cut(text: string, at: number[], bytes: boolean): (string | Uint8Array)[] {
  const whole = bytes ? new TextEncoder().encode(text) : text;
  const places = [...new Set(at.map((a) => a % (whole.length + 1)))].sort((a, b) => a - b);
  const out: (string | Uint8Array)[] = [];
  let from = 0;
  for (const place of [...places, whole.length]) {
    out.push(whole.slice(from, place));
    from = place;
  }
  return out;
}

describe('snapshotChunks and restoreRecommenderFrom', () => {
  const stateArb = fc.record({ steps: fc.array(stepArb, { maxLength: 60 }), seed: fc.nat(1000) });

  it('the chunks concatenate to JSON.stringify(snapshot()), and restoring them gives the same snapshot', async () => {
    await fc.assert(
      fc.asyncProperty(
        stateArb,
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        async ({ steps, seed }, at, bytes) => {
          const rec = stateOf(steps, seed);
          const text = JSON.stringify(rec.snapshot());
          const chunks = await collect(rec.snapshotChunks());
          expect(chunks.join('')).toBe(text);
          for (const source of [chunks, text, cut(text, at, bytes)]) {
            const back = await restoreRecommenderFrom(source);
            expect(JSON.stringify(back.snapshot())).toBe(text);
          }
          const later = () => Date.UTC(2027, 0, 1);
          const back = await restoreRecommenderFrom(text, { now: later });
          const same = restoreRecommender(JSON.parse(text), { now: later });
          for (const user of USERS)
            expect(back.recommend(user, { count: 5 })).toStrictEqual(same.recommend(user, { count: 5 }));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses what restoreRecommender refuses, with the same code and the message naming restoreRecommenderFrom', async () => {
    const base = stateOf(
      [
        { kind: 'feedback', user: 0, item: 3, signal: 0, weight: 1, hour: 8, station: false },
        { kind: 'station', user: 0, item: 5 },
        { kind: 'feedback', user: 0, item: 7, signal: 4, weight: 2, hour: 9, station: true },
        { kind: 'feedback', user: 1, item: 7, signal: 1, weight: 1, hour: 9, station: false },
        { kind: 'train' },
      ],
      3,
    );
    const text = JSON.stringify(base.snapshot());
    await fc.assert(
      fc.asyncProperty(fc.nat(text.length - 1), fc.constantFrom(...'0123456789,:[]{}"-e.tn '), async (at, c) => {
        const broken = text.slice(0, at) + c + text.slice(at + 1);
        let expected: AttuneError | undefined;
        try {
          restoreRecommender(JSON.parse(broken));
        } catch (error) {
          expected =
            error instanceof SyntaxError ? new AttuneError('BAD_SNAPSHOT', 'not JSON') : (error as AttuneError);
        }
        const got = await restoreRecommenderFrom(broken).then(
          (rec) => ({ rec }),
          (error: unknown) => ({ error }),
        );
        if (expected === undefined) {
          expect('rec' in got).toBe(true);
          if ('rec' in got) expect(got.rec.snapshot()).toStrictEqual(restoreRecommender(JSON.parse(broken)).snapshot());
        } else {
          expect('error' in got).toBe(true);
          const error = (got as { error: AttuneError }).error;
          expect(error).toBeInstanceOf(AttuneError);
          expect(error.code).toBe(expected.code);
          expect(error.message).toMatch(/^restoreRecommenderFrom: /);
          if (expected.message !== 'not JSON')
            expect(error.message).toBe(expected.message.replace(/restoreRecommender:/g, 'restoreRecommenderFrom:'));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses input that is not text, and passes on the errors of its source', async () => {
    const refused = async (input: unknown) =>
      restoreRecommenderFrom(input as string).then(
        () => undefined,
        (error: unknown) => error as AttuneError,
      );
    expect((await refused({ format: 'attune.snapshot' }))?.code).toBe('BAD_SNAPSHOT');
    expect((await refused([1, 2]))?.message).toMatch(
      /^restoreRecommenderFrom: chunk 0 must be a string or a Uint8Array/,
    );
    expect((await refused([new Uint8Array([0x7b, 0xff])]))?.message).toMatch(/not valid UTF-8/);
    expect((await refused(''))?.code).toBe('BAD_SNAPSHOT');
    const failing = (async function* () {
      yield '{';
      throw new Error('disk gone');
    })();
    await expect(restoreRecommenderFrom(failing)).rejects.toThrow('disk gone');
  });
});

describe('snapshotChunks while the recommender changes', () => {
  it('writes the state at the first chunk, whatever changes between chunks', async () => {
    let now = T0;
    const items = musicCatalog(20);
    const rec = createRecommender({ items, seed: 4, now: () => now, collaborative: { factors: 4, iterations: 2 } });
    const people = Array.from({ length: 600 }, (_, p) => `p${p}`);
    rec.feedback(
      people.flatMap((user, p) =>
        Array.from({ length: 30 }, (_, k) => ({
          user,
          item: items[(p * 7 + k * 13) % items.length]!.id,
          signal: (k % 5 === 0 ? 'down' : 'up') as Signal,
          at: (now += 1000),
          context: { hour: k % 24 },
        })),
      ),
    );
    rec.train();
    const before = JSON.stringify(rec.snapshot());
    const chunks: string[] = [];
    let changes = 0;
    for await (const chunk of rec.snapshotChunks()) {
      chunks.push(chunk);
      // Between chunks: people not written yet change, are erased, get items that did not exist; a model is trained.
      const late = people[people.length - 1 - changes]!;
      now += 60_000;
      rec.addItems([{ id: `late-${changes}`, tags: ['genre:jazz'] }]);
      rec.feedback({ user: late, item: `late-${changes}`, signal: 'up' });
      rec.recommend(people[people.length - 40 - changes]!, { count: 5 });
      rec.forget(people[people.length - 80 - changes]!);
      rec.setPreferences(people[people.length - 120 - changes]!, { optOut: true });
      rec.feedback({ user: `new-${changes}`, item: items[0]!.id, signal: 'up' });
      if (changes === 1) rec.train();
      changes++;
    }
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe(before);
    // The changes themselves were made: the next snapshot has them, and reads back.
    const after = JSON.stringify(rec.snapshot());
    expect(after).not.toBe(before);
    expect(JSON.stringify((await restoreRecommenderFrom(rec.snapshotChunks())).snapshot())).toBe(after);
  });
});

describe('restoreRecommenderFrom reading people as they are parsed', () => {
  const items = musicCatalog(70); // 700 items: the catalog is validated and added in several batches
  const rec = createRecommender({ items, seed: 2, now: () => T0 + 86_400_000 });
  rec.feedback(
    ['ann', 'bob', 'cy'].flatMap((user, u) =>
      Array.from({ length: 12 }, (_, k) => ({
        user,
        item: items[(u * 97 + k * 31) % items.length]!.id,
        signal: (k % 4 === 0 ? 'down' : 'up') as Signal,
        at: T0 + u * 1000 + k,
      })),
    ),
  );
  const snap = rec.snapshot() as unknown as Record<string, unknown>;
  const text = JSON.stringify(snap);

  /** The error of a call, or undefined. */
  async function errorOf(call: () => unknown): Promise<AttuneError | undefined> {
    try {
      await call();
    } catch (error) {
      return error as AttuneError;
    }
    return undefined;
  }

  async function sameRefusal(broken: string): Promise<string> {
    const expected = await errorOf(() => restoreRecommender(JSON.parse(broken)));
    const got = await errorOf(() => restoreRecommenderFrom(broken));
    expect(expected).toBeInstanceOf(AttuneError);
    expect(got).toBeInstanceOf(AttuneError);
    expect(got!.code).toBe(expected!.code);
    expect(got!.message).toBe(expected!.message.replace(/restoreRecommender:/g, 'restoreRecommenderFrom:'));
    return got!.message;
  }

  it('refuses the first bad item of a long catalog as restoreRecommender does, naming its index', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(items.length - 1),
        fc.constantFrom('duplicate', 'field', 'title', 'id'),
        async (at, how) => {
          const list = (snap['items'] as Record<string, unknown>[]).map((item) => ({ ...item }));
          if (how === 'duplicate') list[at] = { ...list[at]!, id: list[Math.floor(at / 3)]!['id'] };
          if (how === 'field') list[at] = { ...list[at]!, color: 'red' };
          if (how === 'title') list[at] = { ...list[at]!, title: 7 };
          if (how === 'id') list[at] = { ...list[at]!, id: '' };
          const broken = JSON.stringify({ ...snap, items: list });
          if (how === 'duplicate' && at === 0) {
            expect(JSON.stringify((await restoreRecommenderFrom(broken)).snapshot())).toBe(broken);
            return;
          }
          expect(await sameRefusal(broken)).toContain(`items[${at}]`);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses a bad person only after the envelope, and before the popularity, as restoreRecommender does', async () => {
    const people = snap['people'] as Record<string, unknown>[];
    const badPerson = [people[0], { ...people[1]!, draws: -1 }, people[2]];
    // An unknown member after the people is found first: the envelope is read before any person.
    expect(await sameRefusal(JSON.stringify({ ...snap, people: badPerson, extra: 1 }))).toMatch(/unknown field/);
    expect(await sameRefusal(JSON.stringify({ ...snap, people: badPerson, popularity: [[0, -1, 0, 0, 0]] }))).toMatch(
      /people\[1\]/,
    );
    expect(await sameRefusal(JSON.stringify({ ...snap, people: [people[0], people[1], people[0]] }))).toMatch(
      /people\[2\] repeats the id/,
    );
  });

  /** What restoring `broken` gives: its snapshot's text, or the error's code and message (named as restoreRecommender names it). */
  async function outcome(restore: () => Promise<Recommender> | Recommender): Promise<string> {
    try {
      return JSON.stringify((await restore()).snapshot());
    } catch (error) {
      const e = error as AttuneError;
      return `${e.code}: ${e.message.replace(/restoreRecommenderFrom:/g, 'restoreRecommender:')}`;
    }
  }

  it('reads members in any order and a repeated people member as JSON.parse keeps them', async () => {
    const { format, version, options, items: list, people, popularity } = snap;
    const reordered = JSON.stringify({ format, version, people, options, items: list, popularity });
    expect(JSON.stringify((await restoreRecommenderFrom(reordered)).snapshot())).toBe(text);
    // `people` given twice: the last one counts (the real one after an empty list, and the other way round).
    const head = `{"format":${JSON.stringify(format)},"version":${JSON.stringify(version)},"options":${JSON.stringify(options)},"items":${JSON.stringify(list)}`;
    const tail = `"popularity":${JSON.stringify(popularity)}}`;
    const realLast = `${head},"people":[],"people":${JSON.stringify(people)},${tail}`;
    expect(JSON.stringify((await restoreRecommenderFrom(realLast)).snapshot())).toBe(text);
    const emptyLast = `${head},"people":${JSON.stringify(people)},"people":[],${tail}`;
    const expected = await outcome(() => restoreRecommender(JSON.parse(emptyLast)));
    expect(expected).toMatch(/^BAD_SNAPSHOT: restoreRecommender: popularity/);
    expect(await outcome(() => restoreRecommenderFrom(emptyLast))).toBe(expected);
  });

  it('refuses a text that gives the items or the options again after the people', async () => {
    const another = { items: snap['items'], options: snap['options'], version: 2 };
    for (const [key, value] of Object.entries(another)) {
      const again = `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}`;
      const error = await errorOf(() => restoreRecommenderFrom(again));
      expect(error?.code).toBe('BAD_SNAPSHOT');
      expect(error?.message).toBe(
        `restoreRecommenderFrom: the snapshot gives its member "${key}" again after its people; write each member once (as snapshotChunks and JSON.stringify do)`,
      );
    }
  });
});
