/**
 * The timer lag of a piece of work: a 10 ms timer ticks while it runs, and
 * how much later than due each tick fires is what a server's requests
 * would wait meanwhile.
 */
const TICK_MS = 10;
/** Runs `work` while a 10 ms timer ticks; returns its result, the wall time and the timer's worst and 99th-percentile lag. */
export async function withTimer<T>(
  work: () => Promise<T> | T,
): Promise<{ value: T; ms: number; worst: number; p99: number }> {
  const lags: number[] = [];
  let due = performance.now() + TICK_MS;
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = performance.now();
    lags.push(Math.max(0, now - due));
    due = now + TICK_MS;
    if (running) timer = setTimeout(tick, TICK_MS);
  };
  timer = setTimeout(tick, TICK_MS);
  // Let the timer start before the work does.
  await new Promise((resolve) => setTimeout(resolve, 2 * TICK_MS));
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  // The tick that a blocking call delayed fires only after it returns: wait for it.
  await new Promise((resolve) => setTimeout(resolve, 2 * TICK_MS));
  running = false;
  clearTimeout(timer);
  const sorted = [...lags].sort((a, b) => a - b);
  return {
    value,
    ms,
    worst: sorted[sorted.length - 1] ?? 0,
    p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0,
  };
}
