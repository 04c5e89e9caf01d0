/**
 * The training thread's code as one string, for `new Worker(code, { eval: true })`:
 * the build (tsup.config.ts) replaces this module with the bundled body of
 * alsWorker.ts, so the Node entry starts its threads without finding a file
 * beside itself — which a server bundled with esbuild or webpack does not
 * have. Run from the TypeScript source (attune's own tests), it is undefined
 * and the thread loads alsWorker.ts through tsx instead.
 */
export const ALS_WORKER_SOURCE: string | undefined = undefined;
