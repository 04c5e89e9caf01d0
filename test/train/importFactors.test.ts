import { describe, expect, it } from 'vitest';
import { createRecommender, restoreRecommender, type FeedbackEvent, type Item } from '../../src/index.js';
import { T0 } from '../__helpers__/catalog.js';

/** A minimal `numpy.save` writer (NPY 1.0): magic, header dict padded to 64 bytes, raw data. */
function npy(rows: readonly (readonly number[])[], dtype: '<f8' | '<f4' | '>f8' = '<f8', fortran = false): Uint8Array {
  const r = rows.length;
  const c = rows[0]?.length ?? 0;
  let header = `{'descr': '${dtype}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${r}, ${c}), }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = `${header.padEnd(total - 11)}\n`;
  const size = dtype.endsWith('4') ? 4 : 8;
  const bytes = new Uint8Array(total + r * c * size);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  const little = !dtype.startsWith('>');
  for (let n = 0; n < r * c; n++) {
    const [row, col] = fortran ? [n % r, Math.floor(n / r)] : [Math.floor(n / c), n % c];
    const v = rows[row]![col]!;
    if (size === 4) view.setFloat32(total + n * 4, v, little);
    else view.setFloat64(total + n * 8, v, little);
  }
  return bytes;
}

function world() {
  const items: Item[] = Array.from({ length: 40 }, (_, i) => ({
    id: `m${i}`,
    title: `Movie ${i}`,
    tags: ['kind:film'],
  }));
  const events: FeedbackEvent[] = [];
  let t = T0;
  for (let u = 0; u < 30; u++) {
    for (let k = 0; k < 8; k++)
      events.push({
        user: `u${u}`,
        item: `m${(u % 2) * 20 + ((u * 7 + k * 3) % 20)}`,
        signal: 'up' as const,
        at: (t += 60_000),
      });
  }
  const now = () => t + 60_000;
  const make = () => {
    const rec = createRecommender({
      items,
      seed: 3,
      now,
      exploration: 0,
      collaborative: { factors: 6, regularization: 1 },
    });
    rec.feedback(events);
    return rec;
  };
  return { items, make };
}

/** The trained item factors of a recommender, one row per catalog item. */
function itemFactors(rec: ReturnType<ReturnType<typeof world>['make']>): number[][] {
  const als = (
    rec.snapshot() as unknown as { collaborative: { als: { options: { factors: number }; itemFactors: number[] } } }
  ).collaborative.als;
  const k = als.options.factors;
  return Array.from({ length: als.itemFactors.length / k }, (_, i) => als.itemFactors.slice(i * k, (i + 1) * k));
}

/** Deep equality, numbers to 1e-9 relative: train() recomputes popularity sums exactly, which may differ from the kept sums in the last bit. */
function expectSame(a: unknown, b: unknown, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
  } else if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    for (const key of Object.keys(a))
      expectSame((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
  } else {
    expect(a, path).toEqual(b);
  }
}

const sparkLines = (ids: readonly string[], rows: readonly number[][]) =>
  ids.map((id, i) => JSON.stringify({ id, features: rows[i] })).join('\n');

describe('importItemFactors', () => {
  const { items, make } = world();
  const trained = make();
  trained.train();
  const rows = itemFactors(trained);
  const ids = items.map((i) => i.id);

  it.each([
    ['spark-json', { format: 'spark-json' as const, text: sparkLines(ids, rows) }],
    ['npy float64', { format: 'npy' as const, data: npy(rows), ids }],
    [
      'npy float64, Fortran order, big-endian',
      { format: 'npy' as const, data: npy(rows, '>f8', true).buffer as ArrayBuffer, ids },
    ],
  ])('%s: scores, fold-in and collaborative reasons are those of the model that trained the factors', (_, source) => {
    const rec = make();
    const report = rec.importItemFactors(source);
    expect(report).toEqual({ items: 40, factors: 6, missing: 0 });
    expect(itemFactors(rec)).toEqual(rows);
    expectSame(rec.recommend('u1', { count: 5 }), trained.recommend('u1', { count: 5 }));
    expect(rec.recommend('u1', { count: 5 }).some((r) => r.reason.kind === 'collaborative')).toBe(true);
    // fold-in after new feedback, without a train()
    rec.feedback({ user: 'new', item: 'm3', signal: 'up' });
    trained.feedback({ user: 'new', item: 'm3', signal: 'up' });
    try {
      expectSame(rec.recommend('new', { count: 5 }), trained.recommend('new', { count: 5 }));
    } finally {
      trained.removeFeedback('new', 'm3');
    }
  });

  it('reads float32 factors (the implicit default) and gives items it lacks no collaborative score', () => {
    const rec = make();
    const some = ids.slice(0, 30).map((id, i) => [i % 2 === 0 ? 30 - i : i, ...rows[i]!.slice(1)]);
    const report = rec.importItemFactors({
      format: 'npy',
      data: npy(some, '<f4'),
      ids: ids.slice(0, 30).map((id) => id),
    });
    expect(report).toEqual({ items: 30, factors: 6, missing: 10 });
    const got = itemFactors(rec);
    expect(got[0]![0]).toBeCloseTo(30, 5);
    expect(got.slice(30).every((row) => row.every((v) => v === 0))).toBe(true);
    expect(
      rec
        .recommend('u2', { count: 40, includeSeen: true })
        .filter((r) => Number(r.item.slice(1)) >= 30)
        .every((r) => r.contributions.collaborative === 0),
    ).toBe(true);
  });

  it('train() keeps imported factors unless told to replace them; snapshots keep them too', () => {
    const rec = make();
    rec.importItemFactors({
      format: 'spark-json',
      text: sparkLines(
        ids,
        rows.map((r) => r.map((v) => 2 * v)),
      ),
    });
    const imported = itemFactors(rec);
    const kept = rec.train();
    expect(kept).toMatchObject({ iterations: 0, keptImportedFactors: true });
    expect(itemFactors(rec)).toEqual(imported);
    const restored = restoreRecommender(JSON.parse(JSON.stringify(rec.snapshot())), { now: () => T0 + 10 ** 9 });
    expect(restored.train().keptImportedFactors).toBe(true);
    const replaced = rec.train({ replaceImportedFactors: true });
    expect(replaced.iterations).toBeGreaterThan(0);
    expect(replaced.keptImportedFactors).toBe(false);
    expect(itemFactors(rec)).toEqual(rows);
    expect(rec.train().keptImportedFactors).toBeUndefined();
  });

  it('refuses bad sources with a code and changes nothing', () => {
    const rec = make();
    const before = JSON.stringify(rec.snapshot());
    const cases: [unknown, string, RegExp][] = [
      [
        { format: 'spark-json', text: sparkLines(['m1', 'nope'], [rows[1]!, rows[2]!]) },
        'UNKNOWN_ITEM',
        /^importItemFactors: item "nope" of the factors is not in the catalog/,
      ],
      [
        { format: 'spark-json', text: sparkLines(['m1', 'm2'], [rows[1]!, rows[2]!.slice(1)]) },
        'BAD_FACTORS',
        /same length/,
      ],
      [{ format: 'spark-json', text: '{"id": "m1", "features": [1, null]}' }, 'BAD_FACTORS', /non-numeric/],
      [{ format: 'spark-json', text: 'not json' }, 'BAD_FACTORS', /line 1 is not JSON/],
      [{ format: 'spark-json', text: sparkLines(['m1', 'm1'], [rows[1]!, rows[2]!]) }, 'BAD_FACTORS', /appears twice/],
      [{ format: 'npy', data: npy([[1, Number.NaN]]), ids: ['m1'] }, 'BAD_FACTORS', /non-finite/],
      [{ format: 'npy', data: npy(rows), ids: ids.slice(1) }, 'BAD_FACTORS', /40 rows but ids names 39/],
      [
        { format: 'npy', data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), ids: [] },
        'BAD_FACTORS',
        /NPY magic/,
      ],
      [{ format: 'csv', text: '' }, 'BAD_FACTORS', /format must be/],
    ];
    for (const [source, code, message] of cases) {
      expect(() => rec.importItemFactors(source as never)).toThrow(
        expect.objectContaining({ code, message: expect.stringMatching(message) }),
      );
    }
    expect(() => rec.importItemFactors({ format: 'npy', data: npy(rows), ids }, { alpha: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => rec.importItemFactors({ format: 'npy', data: npy(rows), ids }, { lambda: 1 } as never)).toThrow(
      /unknown option "lambda"/,
    );
    expect(JSON.stringify(rec.snapshot())).toBe(before);
    const off = createRecommender({ items, collaborative: false });
    expect(() => off.importItemFactors({ format: 'npy', data: npy(rows), ids })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});
