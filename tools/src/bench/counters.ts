/*
 * What the bench and its receiver (a child process of its own, receiver-process.ts)
 * share: the ids that tell which phase a delivery belongs to, the counters the
 * receiver keeps per phase, and the messages they exchange over the IPC channel.
 */

/** A phase of the run: `w` warm-up, `r1`/`r2` raw, `s1`, `s2`, … the scenarios. An event id is `<runId>-<phase>-<seq>`. */
export type Phase = string;

export const FIELDS = ['requests', 'distinct', 'duplicates', 'badSignature', 'badBody', 'libVerified', 'libFailed'] as const;
export type Field = (typeof FIELDS)[number];

/** One phase's counters, and its first and last first-receipt (epoch ms; 0 before any). */
export interface PhaseStats {
  counts: Record<Field, number>;
  first: number;
  last: number;
}

export const emptyStats = (): PhaseStats => ({ counts: Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>, first: 0, last: 0 });

/** The phase of a webhook-id `<runId>-<phase>-<seq>`, or null for an id of another run. */
export function phaseOf(runId: string, id: string): Phase | null {
  if (!id.startsWith(`${runId}-`)) return null;
  const end = id.indexOf('-', runId.length + 1);
  return end > runId.length + 1 ? id.slice(runId.length + 1, end) : null;
}

/** A delivery captured during the warm-up, so the raw run can send the same shape of body. */
export interface SampleDelivery {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type ToReceiver = { type: 'endpoint'; path: string; secret: string } | { type: 'report'; phase: Phase } | { type: 'paths' } | { type: 'stop' };

export type FromReceiver =
  | { type: 'listening'; port: number }
  /** Every phase whose counters changed since the last one (sent every STATS_EVERY_MS while deliveries arrive). */
  | { type: 'stats'; phases: Record<Phase, PhaseStats> }
  | { type: 'report'; phase: Phase; latencies: Float64Array; sample: SampleDelivery | null; stats: PhaseStats }
  | { type: 'paths'; paths: string[] };

export const STATS_EVERY_MS = 50;

/** Wall-clock milliseconds with sub-millisecond precision; the same clock in every process of the machine. */
export const now = () => performance.timeOrigin + performance.now();
