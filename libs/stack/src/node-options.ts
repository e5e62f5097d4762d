/*
 * The V8 heap each service process runs with (docs/small-box.md). Left to
 * itself, V8 sizes a heap from the machine's memory (about 4 GB of old space
 * on a 24 GB box) and lets garbage pile up that far before a full collection,
 * and grows the young generation to 3 × 16 MB under a burst: a service then
 * idles at ~150 MB and reaches ~300 MB under load, though it keeps far less
 * alive.
 */

/**
 * Old space of a service: its live data (endpoint views, the dispatcher's
 * window of requests, a log-store batch) is a few tens of MB; a full collection
 * runs well before this, and an out-of-memory exit is restarted by npm start's
 * supervision like any crash.
 */
export const SERVICE_MAX_OLD_SPACE_MB = 128;

/** Semi-space of the young generation: 4 MB holds a batch's short-lived objects; a larger one bought no throughput, only memory. */
export const SERVICE_MAX_SEMI_SPACE_MB = 4;

/** The default Node flags of a service process. */
export const SERVICE_NODE_OPTIONS = `--max-old-space-size=${SERVICE_MAX_OLD_SPACE_MB} --max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MB}`;

/**
 * NODE_OPTIONS for a service process: HOOKLINE_NODE_OPTIONS when set (empty:
 * Node's own defaults), else SERVICE_NODE_OPTIONS; then the caller's
 * NODE_OPTIONS, which Node reads last, so a flag given there wins.
 */
export function serviceNodeOptions(env: NodeJS.ProcessEnv = process.env): string {
  const ours = env.HOOKLINE_NODE_OPTIONS ?? SERVICE_NODE_OPTIONS;
  return [ours, env.NODE_OPTIONS ?? '']
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' ');
}
