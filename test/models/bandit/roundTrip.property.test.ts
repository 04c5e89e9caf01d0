/**
 * What a bandit accepts can be snapshotted and restored (fast-check; seed printed by
 * vitest.setup.ts). States come two ways: through the public API — every method, with rewards,
 * contexts and times across the whole range of finite doubles, calls that throw included — and
 * through restore, from a real snapshot with one value replaced. Whatever is accepted must give a
 * snapshot that `restoreBandit` reads back to the same bytes, and the restored bandit must make the
 * same next draws as the one it was taken from.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttuneError } from '../../../src/errors.js';
import { createBandit, restoreBandit, type Bandit } from '../../../src/models/bandit/index.js';
import { ARMS, CASES, D, optionsFor, type BanditCase } from './cases.js';
import { jsonPaths } from '../../__helpers__/jsonPaths.js';

/** Any finite double, weighted toward the ends of the range and toward small numbers. */
const anyFinite = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -4, max: 4, noNaN: true }),
  fc.constantFrom(0, -0, 1, -1, 1e-300, 1e150, -1e150, 1e300, -1e300, 1.7e308, -1.7e308),
);

type Call =
  | { type: 'select' | 'rank'; context: number[]; exclude: string[]; at: number | null }
  | { type: 'update'; arm: string; reward: number; context: number[]; at: number | null }
  | { type: 'expectations'; context: number[]; at: number | null }
  | { type: 'addArm'; id: string; from: string | null }
  | { type: 'removeArm' | 'resetArm'; id: string }
  | { type: 'restart' }
  | { type: 'restore' };

const ids = fc.constantFrom(...ARMS, 'e', 'f');

function callArbitrary(c: BanditCase): fc.Arbitrary<Call> {
  const context = fc.array(anyFinite, { minLength: D, maxLength: D });
  // mostly ordinary rewards, so that the statistics grow, sometimes any finite number
  const reward = c.linear
    ? fc.oneof({ weight: 3, arbitrary: fc.double({ min: -2, max: 2, noNaN: true }) }, anyFinite)
    : fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
  const at = fc.option(fc.oneof(fc.integer({ min: 0, max: 1e6 }), anyFinite), { nil: null });
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        type: fc.constantFrom('select' as const, 'rank' as const),
        context,
        exclude: fc.subarray(ARMS),
        at,
      }),
    },
    { weight: 6, arbitrary: fc.record({ type: fc.constant('update' as const), arm: ids, reward, context, at }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('expectations' as const), context, at }) },
    {
      weight: 1,
      arbitrary: fc.record({ type: fc.constant('addArm' as const), id: ids, from: fc.option(ids, { nil: null }) }),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('removeArm' as const, 'resetArm' as const), id: ids }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('restart' as const, 'restore' as const) }) },
  );
}

/** Applies one call; a refused call must throw an AttuneError and change nothing. */
function apply(c: BanditCase, bandit: Bandit, call: Call): Bandit {
  const before = JSON.stringify(bandit.toJSON());
  const ctx = (context: number[]) => (c.linear ? context : undefined);
  const when = (at: number | null) => (at === null ? undefined : { at });
  try {
    switch (call.type) {
      case 'select':
        void bandit.select(ctx(call.context), { exclude: call.exclude, ...when(call.at) }).propensity;
        break;
      case 'rank':
        for (const r of bandit.rank(ctx(call.context), { exclude: call.exclude, ...when(call.at) })) void r.propensity;
        break;
      case 'update':
        bandit.update(call.arm, call.reward, ctx(call.context), call.at ?? undefined);
        break;
      case 'expectations':
        bandit.expectations(ctx(call.context), when(call.at));
        break;
      case 'addArm':
        bandit.addArm(call.id, call.from === null ? undefined : { warmStartFrom: call.from });
        break;
      case 'removeArm':
        bandit.removeArm(call.id);
        break;
      case 'resetArm':
        bandit.resetArm(call.id);
        break;
      case 'restart':
        bandit.restart();
        break;
      case 'restore':
        return restoreBandit(JSON.parse(before));
    }
  } catch (e) {
    if (!(e instanceof AttuneError)) throw e;
    expect(JSON.stringify(bandit.toJSON())).toBe(before);
  }
  return bandit;
}

/** What a bandit answers next: a few selects and updates, a rank and the expectations, with ordinary arguments. */
function nextDraws(c: BanditCase, bandit: Bandit): unknown {
  const x = c.linear ? Array.from({ length: D }, (_, i) => (i + 1) / D) : undefined;
  if (bandit.arms.length === 0) return [];
  const { clock, lastAt } = bandit.toJSON();
  const out: unknown[] = [];
  for (let i = 0; i < 4; i++) {
    const choice = bandit.select(x);
    out.push([choice.arm, choice.propensity]);
    try {
      bandit.update(choice.arm, i % 2, x, clock === 'ms' ? (lastAt as number) : undefined);
    } catch (e) {
      // an arm left near the edge of the doubles by extreme contexts may refuse an update: alike on both sides
      if (!(e instanceof AttuneError)) throw e;
      out.push(e.code);
    }
  }
  out.push(bandit.rank(x).map((r) => [r.arm, r.score, r.propensity]));
  out.push(bandit.expectations(x));
  return out;
}

/** Restores the JSON text of a snapshot and checks it reads back to the same bytes and the same draws. */
function expectRoundTrip(c: BanditCase, bandit: Bandit): void {
  const text = JSON.stringify(bandit.toJSON());
  const restored = restoreBandit(JSON.parse(text));
  expect(JSON.stringify(restored.toJSON())).toBe(text);
  expect(JSON.stringify(nextDraws(c, restored))).toBe(JSON.stringify(nextDraws(c, bandit)));
}

describe.each(CASES)('bandit $name: what is accepted can be snapshotted and restored', (c) => {
  it('for states made through the public API', () => {
    fc.assert(
      fc.property(fc.array(callArbitrary(c), { minLength: 1, maxLength: 60 }), fc.integer(), (calls, seed) => {
        let bandit = createBandit(optionsFor(c, seed));
        for (const call of calls) bandit = apply(c, bandit, call);
        expectRoundTrip(c, bandit);
      }),
      { numRuns: 40 },
    );
  });

  it('for states read by restore from a snapshot with one value replaced', () => {
    // a snapshot with evidence, a window when the case has one, and change detection when it has one
    const original = createBandit(optionsFor(c, 3));
    const x = c.linear ? [0.2, -0.5, 0.9] : undefined;
    for (let i = 0; i < 30; i++)
      original.update(ARMS[i % ARMS.length]!, c.linear ? Math.sin(i) : i % 3 === 0 ? 1 : 0, x);
    const base = JSON.parse(JSON.stringify(original.toJSON())) as unknown;
    const all = jsonPaths(base).filter((p) => p.length > 0);
    fc.assert(
      fc.property(fc.nat(all.length - 1), replacement, (which, value) => {
        const snapshot = structuredClone(base) as Record<string | number, unknown>;
        const path = all[which]!;
        let parent = snapshot;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        parent[path[path.length - 1]!] = structuredClone(value);
        let restored: Bandit;
        try {
          restored = restoreBandit(snapshot);
        } catch (error) {
          expect(error).toBeInstanceOf(AttuneError);
          expect((error as AttuneError).code).toBe('BAD_SNAPSHOT');
          return;
        }
        for (const e of restored.expectations(x)) {
          expect(Number.isFinite(e.mean)).toBe(true);
          expect(Number.isFinite(e.evidence)).toBe(true);
        }
        expectRoundTrip(c, restored);
      }),
      { numRuns: 120 },
    );
  });
});

/** What a value in a snapshot is replaced by: extremes, wrong types, and ordinary numbers. */
const replacement = fc.oneof(
  fc.constantFrom(null, true, 0, -0, -1, 0.5, 2, 1e308, -1e308, 1e150, 1e-320, 2 ** 31, '', 'x', [], {}, [1, 2]),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -10, max: 10_000 }),
);
