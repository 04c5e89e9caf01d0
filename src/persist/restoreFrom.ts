/**
 * `restoreRecommenderFrom`: a recommender from a snapshot's JSON text — one
 * string, or the chunks of `snapshotChunks()` or of a file stream — without
 * holding the event loop for long: the text is parsed as it arrives, a batch
 * of array elements at a time (the whole text is never held, nor joined);
 * each person is read into the world as soon as their record is parsed (a
 * parsed record is garbage at once, not kept until the end: the garbage
 * collector's pauses stay short), and the rest of the state is restored in
 * the steps `restoreRecommender` runs at once (persist/restoreSteps.ts),
 * with a turn of the event loop every few milliseconds.
 */
import { AttuneError, describeValue } from '../errors.js';
import { finishStepsInSlices, SLICE_MS, yieldToEventLoop } from '../kernels/steps.js';
import { Recommender, restoreRecommender } from '../recommender.js';
import { MORE_TEXT, NumbersTaker, parseJsonSteps, type ArrayTaker, type TextSteps } from './jsonText.js';
import { PeopleInflow, worldSteps } from './restoreSteps.js';
import { readEnvelope, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot.js';

/** A snapshot's JSON text: one string, or its pieces as strings or UTF-8 bytes (a file stream's chunks). */
export type SnapshotText = string | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

const API = 'restoreRecommenderFrom';

/**
 * Restores a recommender from a snapshot's JSON text (see
 * `Recommender.snapshotChunks`): the same recommender as
 * `restoreRecommender(JSON.parse(text), options)`, the same validation and
 * the same errors (`BAD_SNAPSHOT`, with this function's name; text that is
 * not JSON is `BAD_SNAPSHOT` too), but the event loop gets a turn every few
 * milliseconds. Chunks may be split anywhere, even inside a character of
 * UTF-8 bytes. An error thrown by the source of the chunks (a file that cannot
 * be read) is passed on as it is. Version 1 snapshots are migrated at once.
 * One difference: people are read against the members written before
 * them, so a text that gives `options` or `items` again after `people`, or
 * `format` or `version` with another value (as `JSON.stringify` never
 * writes), is refused where `JSON.parse` would keep the last.
 *
 * @example
 * ```ts
 * const rec = await restoreRecommenderFrom(createReadStream('state.json'));
 * ```
 */
export async function restoreRecommenderFrom(
  text: SnapshotText,
  options: { now?: () => number } = {},
): Promise<Recommender> {
  const pieces = textPieces(text);
  // People are read into the world as they are parsed when the members they are read against come first (as written).
  let inflow: PeopleInflow | undefined;
  const take = (path: readonly string[], before: Readonly<Record<string, unknown>>): ArrayTaker | undefined => {
    // A model's factors go straight into typed arrays.
    if (path.length === 3 && path[0] === 'collaborative' && path[1] === 'als' && /^(user|item)Factors$/.test(path[2]!))
      return new NumbersTaker();
    const envelopeFirst =
      before['format'] === SNAPSHOT_FORMAT &&
      (before['version'] === 2 || before['version'] === SNAPSHOT_VERSION) &&
      'options' in before &&
      'items' in before;
    if (path.length !== 1 || path[0] !== 'people' || !envelopeFirst) return undefined;
    inflow = new PeopleInflow({ ...before }, options);
    return inflow;
  };
  try {
    const raw = await parseInSlices(parseJsonSteps(API, undefined, take), pieces);
    const envelope = readEnvelope(raw);
    const taken = inflow !== undefined && (raw as Record<string, unknown>)['people'] === inflow.parsed;
    if (taken) refuseRepeats(raw as Record<string, unknown>, inflow!.before);
    if (envelope.version === 1) return restoreRecommender(raw, options);
    const steps = taken ? inflow!.worldSteps(envelope.snapshot) : worldSteps(envelope.snapshot, options);
    return new Recommender(await finishStepsInSlices(steps));
  } catch (error) {
    if (!(error instanceof AttuneError)) throw error;
    // The steps are restoreRecommender's; the message names the function called.
    const message = error.message.replace(/restoreRecommender:/g, `${API}:`);
    throw new AttuneError(
      'BAD_SNAPSHOT',
      error.code === 'BAD_SNAPSHOT' ? message : `${API}: the snapshot is not valid: ${message}`,
    );
  } finally {
    await pieces.return?.();
  }
}

/**
 * People read as they were parsed were read against the members before
 * them: a text that gives one of those again after the people (as
 * `JSON.stringify` and `snapshotChunks` never write) is refused rather
 * than read against other members than `JSON.parse` would keep.
 */
function refuseRepeats(raw: Record<string, unknown>, before: Readonly<Record<string, unknown>>): void {
  for (const key of ['format', 'version', 'options', 'items'])
    if (raw[key] !== before[key])
      throw new AttuneError(
        'BAD_SNAPSHOT',
        `${API}: the snapshot gives its member "${key}" again after its people; write each member once (as snapshotChunks and JSON.stringify do)`,
      );
}

/** Runs text steps, handing them the next piece of text when they ask, with a turn of the event loop every few ms. */
async function parseInSlices<T>(steps: TextSteps<T>, pieces: AsyncIterator<string>): Promise<T> {
  let answer: string | undefined;
  let lastTurn = globalThis.performance.now();
  for (;;) {
    const next = steps.next(answer);
    if (next.done === true) return next.value;
    answer = undefined;
    if (next.value === MORE_TEXT) {
      const piece = await pieces.next();
      if (piece.done !== true) answer = piece.value;
    }
    if (globalThis.performance.now() - lastTurn >= SLICE_MS) {
      await yieldToEventLoop();
      lastTurn = globalThis.performance.now();
    }
  }
}

/** The pieces of `source` as strings, bytes decoded as UTF-8 (invalid bytes are refused, not replaced). */
function textPieces(source: SnapshotText): AsyncGenerator<string, void, undefined> {
  if (typeof source === 'string')
    return (async function* () {
      yield source;
    })();
  const iterable = source as Partial<AsyncIterable<unknown> & Iterable<unknown>> | null;
  const iterate =
    iterable === null || typeof iterable !== 'object'
      ? undefined
      : (iterable[Symbol.asyncIterator] ?? iterable[Symbol.iterator]);
  if (typeof iterate !== 'function')
    throw new AttuneError(
      'BAD_SNAPSHOT',
      `${API}: give the snapshot's JSON text as a string or an iterable of strings or bytes (a stream's chunks), got ${describeValue(source)}; restoreRecommender reads a parsed snapshot`,
    );
  return (async function* () {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let index = 0;
    for await (const chunk of source as AsyncIterable<unknown>) {
      if (typeof chunk === 'string') yield chunk;
      else if (chunk instanceof Uint8Array) yield decode(decoder, chunk, index);
      else
        throw new AttuneError(
          'BAD_SNAPSHOT',
          `${API}: chunk ${index} must be a string or a Uint8Array, got ${describeValue(chunk)}`,
        );
      index++;
    }
    yield decode(decoder, undefined, index);
  })();
}

function decode(decoder: TextDecoder, bytes: Uint8Array | undefined, index: number): string {
  try {
    return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
  } catch {
    throw new AttuneError('BAD_SNAPSHOT', `${API}: chunk ${index} is not valid UTF-8 text`);
  }
}
