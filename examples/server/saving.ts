/**
 * Saving an in-memory recommender to a file while it serves, and reading it
 * back on start. A save streams `snapshotChunks()` into a temporary file
 * beside the target, flushes it to disk and renames it over the target: a
 * crash mid-save leaves the previous file whole. The event loop gets a turn
 * between chunks, so requests are served during a save.
 */
import { createReadStream, existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { restoreRecommenderFrom, type Recommender } from '../../src/index.js';

/** Writes the snapshot of `rec` to `path` (through `path.tmp` and a rename). */
export async function saveTo(rec: Recommender, path: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w');
  try {
    for await (const chunk of rec.snapshotChunks()) await file.write(chunk);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  await rename(temporary, path);
}

/** The recommender saved at `path`, or undefined when there is no file yet. */
export async function restoreFrom(path: string): Promise<Recommender | undefined> {
  if (!existsSync(path)) return undefined;
  return restoreRecommenderFrom(createReadStream(path));
}

/**
 * Saves `rec` to `path` every `everyMs` while something changed since the
 * last save (`changed()` tells), one save at a time; `stop()` waits for a
 * save under way and makes a last one.
 */
export function saveEvery(
  rec: Recommender,
  path: string,
  everyMs: number,
  onError: (error: unknown) => void,
): { markChanged: () => void; stop: () => Promise<void> } {
  let changed = false;
  let running: Promise<void> | undefined;
  const save = (): Promise<void> => {
    if (running !== undefined) return running;
    changed = false;
    running = saveTo(rec, path)
      .catch((error: unknown) => {
        changed = true; // try again next time
        onError(error);
      })
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => {
    if (changed) void save();
  }, everyMs);
  timer.unref();
  return {
    markChanged: () => {
      changed = true;
    },
    stop: async () => {
      clearInterval(timer);
      await running;
      await save();
    },
  };
}
