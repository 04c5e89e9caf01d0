/**
 * Work over many people without blocking the event loop: the loop gets a
 * turn every few milliseconds (as the background fit's time slices do).
 */
import { SLICE_MS, throwIfAborted, yieldToEventLoop } from '../models/mf/training/runners.js';

/**
 * Calls `fn` on every element of `list` in order, giving the event loop a
 * turn whenever {@link SLICE_MS} milliseconds have passed; throws `ABORTED`
 * (naming `api`) at a turn if `signal` was aborted.
 */
export async function forEachInSlices<T>(
  list: readonly T[],
  fn: (element: T) => void,
  signal: AbortSignal | undefined,
  api: string,
): Promise<void> {
  let lastYield = globalThis.performance.now();
  for (const element of list) {
    if (globalThis.performance.now() - lastYield >= SLICE_MS) {
      await yieldToEventLoop();
      throwIfAborted(signal, api);
      lastYield = globalThis.performance.now();
    }
    fn(element);
  }
}
