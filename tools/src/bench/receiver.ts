import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  COUNTER_BYTES,
  counterIndex,
  type Field,
  firstReceiptIndex,
  type FromWorker,
  type Phase,
  type SampleDelivery,
  TIMES_BYTES,
  type ToWorker,
  type WorkerData,
} from './counters';
import type { SignatureCounts } from './result';

export interface BenchReceiver {
  url: string;
  /** A counter of a phase, read from shared memory (no message round trip). */
  count(phase: Phase, field: Field): number;
  /** How the signatures of a phase's requests fared. */
  signatureCounts(phase: Phase): SignatureCounts;
  /** First and last receipt of a phase (epoch ms; 0 before any). */
  phaseTimes(phase: Phase): { first: number; last: number };
  /** Send-to-receipt latencies of a phase, and the first warm-up delivery. */
  report(phase: Phase): Promise<{ latencies: Float64Array; sample: SampleDelivery | null }>;
  /** Endpoint paths that received a warm-up delivery. */
  warmPaths(): Promise<string[]>;
  addEndpoint(path: string, secret: string): void;
  stop(): Promise<void>;
}

/** Starts the receiver worker (receiver-worker.ts) on a free port of 127.0.0.1. */
export async function startBenchReceiver(runId: string, log: (msg: string) => void): Promise<BenchReceiver> {
  const counters = new SharedArrayBuffer(COUNTER_BYTES);
  const times = new SharedArrayBuffer(TIMES_BYTES);
  const data: WorkerData = { runId, counters, times };
  const worker = new Worker(join(__dirname, 'receiver-worker.js'), { workerData: data });
  // The worker answers requests in order, so each answer goes to the oldest waiting request.
  const replies: Array<(message: FromWorker) => void> = [];
  worker.on('message', (m: FromWorker) => replies.shift()?.(m));
  worker.on('error', (e) => log(`receiver worker failed: ${e.stack}`));
  const ask = (message: ToWorker) =>
    new Promise<FromWorker>((resolve) => {
      replies.push(resolve);
      worker.postMessage(message);
    });
  const listening = await new Promise<FromWorker>((resolve) => replies.push(resolve));
  if (listening.type !== 'listening') throw new Error(`receiver worker: expected its port, got ${listening.type}`);
  const c = new Int32Array(counters);
  const tm = new Float64Array(times);
  return {
    url: `http://127.0.0.1:${listening.port}`,
    count: (phase, field) => Atomics.load(c, counterIndex(phase, field)),
    signatureCounts: (phase) => ({
      badSignatures: Atomics.load(c, counterIndex(phase, 'badSignature')),
      libVerified: Atomics.load(c, counterIndex(phase, 'libVerified')),
      libFailed: Atomics.load(c, counterIndex(phase, 'libFailed')),
    }),
    phaseTimes: (phase) => ({ first: tm[firstReceiptIndex(phase)]!, last: tm[firstReceiptIndex(phase) + 1]! }),
    report: async (phase) => {
      const m = await ask({ type: 'report', phase });
      if (m.type !== 'report') throw new Error(`receiver worker: expected a report, got ${m.type}`);
      return m;
    },
    warmPaths: async () => {
      const m = await ask({ type: 'paths' });
      if (m.type !== 'paths') throw new Error(`receiver worker: expected paths, got ${m.type}`);
      return m.paths;
    },
    addEndpoint: (path, secret) => worker.postMessage({ type: 'endpoint', path, secret } satisfies ToWorker),
    stop: async () => {
      worker.postMessage({ type: 'stop' } satisfies ToWorker);
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}
