/*
 * What the bench's receiver (a worker thread) and the bench share: the layout
 * of the counters in a SharedArrayBuffer, which the main thread polls without
 * messages, and the messages they exchange.
 */

/** Warm-up, pipeline, raw. An event id is `<runId>-<phase>-<seq>`. */
export const PHASES = ['w', 'p', 'r'] as const;
export type Phase = (typeof PHASES)[number];

export const FIELDS = ['requests', 'distinct', 'duplicates', 'badSignature', 'badBody', 'libVerified', 'libFailed'] as const;
export type Field = (typeof FIELDS)[number];

/** Int32 counters: one per phase and field. */
export const counterIndex = (phase: Phase, field: Field) => PHASES.indexOf(phase) * FIELDS.length + FIELDS.indexOf(field);
export const COUNTER_BYTES = PHASES.length * FIELDS.length * Int32Array.BYTES_PER_ELEMENT;

/** Float64 per phase: first and last receipt (epoch ms). */
export const firstReceiptIndex = (phase: Phase) => PHASES.indexOf(phase) * 2;
export const TIMES_BYTES = PHASES.length * 2 * Float64Array.BYTES_PER_ELEMENT;

export interface WorkerData {
  runId: string;
  counters: SharedArrayBuffer;
  times: SharedArrayBuffer;
}

/** A delivery captured during the warm-up, so the raw run can send the same shape of body. */
export interface SampleDelivery {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type ToWorker = { type: 'endpoint'; path: string; secret: string } | { type: 'report'; phase: Phase } | { type: 'paths' } | { type: 'stop' };

export type FromWorker =
  | { type: 'listening'; port: number }
  | { type: 'report'; phase: Phase; latencies: Float64Array; sample: SampleDelivery | null }
  | { type: 'paths'; paths: string[] };

/** Wall-clock milliseconds with sub-millisecond precision, the same clock in both threads. */
export const now = () => performance.timeOrigin + performance.now();
