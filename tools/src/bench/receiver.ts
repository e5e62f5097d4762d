import { fork } from 'node:child_process';
import { join } from 'node:path';
import { emptyStats, type Field, type FromReceiver, type Phase, type PhaseStats, type SampleDelivery, type ToReceiver } from './counters';
import type { SignatureCounts } from './result';

export interface BenchReceiver {
  url: string;
  /** The receiver's own process, whose CPU and memory the report shows. */
  pid: number;
  /** A counter of a phase as last reported by the receiver (at most STATS_EVERY_MS old). */
  count(phase: Phase, field: Field): number;
  /** How the signatures of a phase's requests fared. */
  signatureCounts(phase: Phase): SignatureCounts;
  /** First and last first-receipt of a phase (epoch ms; 0 before any). */
  phaseTimes(phase: Phase): { first: number; last: number };
  /** Send-to-receipt latencies of a phase, and the first warm-up delivery. */
  report(phase: Phase): Promise<{ latencies: Float64Array; sample: SampleDelivery | null }>;
  /** Endpoint paths that received a warm-up delivery. */
  warmPaths(): Promise<string[]>;
  addEndpoint(path: string, secret: string): void;
  stop(): Promise<void>;
}

/** Forks the receiver (receiver-process.ts) on a free port of 127.0.0.1. */
export async function startBenchReceiver(runId: string, log: (msg: string) => void): Promise<BenchReceiver> {
  // `advanced` serialization carries the latencies as a Float64Array, not as JSON text.
  const child = fork(join(__dirname, 'receiver-process.js'), [runId], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const stats = new Map<Phase, PhaseStats>();
  // The receiver answers requests in order, so each answer goes to the oldest waiting request.
  const replies: Array<(message: FromReceiver) => void> = [];
  let exited = false;
  child.on('message', (m: FromReceiver) => {
    if (m.type === 'stats') for (const [phase, s] of Object.entries(m.phases)) stats.set(phase, s);
    else {
      if (m.type === 'report') stats.set(m.phase, m.stats);
      replies.shift()?.(m);
    }
  });
  child.on('exit', (code, signal) => {
    exited = true;
    if (code !== 0) log(`receiver process exited (${signal ?? code})`);
  });
  const ask = (message: ToReceiver) =>
    new Promise<FromReceiver>((resolve, reject) => {
      if (exited) return reject(new Error('the receiver process has exited'));
      replies.push(resolve);
      child.send(message);
    });
  const listening = await new Promise<FromReceiver>((resolve, reject) => {
    replies.push(resolve);
    child.once('exit', () => reject(new Error('the receiver process exited before listening')));
  });
  if (listening.type !== 'listening') throw new Error(`receiver: expected its port, got ${listening.type}`);
  const statsOf = (phase: Phase) => stats.get(phase) ?? emptyStats();
  return {
    url: `http://127.0.0.1:${listening.port}`,
    pid: child.pid!,
    count: (phase, field) => statsOf(phase).counts[field],
    signatureCounts: (phase) => {
      const c = statsOf(phase).counts;
      return { badSignatures: c.badSignature, libVerified: c.libVerified, libFailed: c.libFailed };
    },
    phaseTimes: (phase) => ({ first: statsOf(phase).first, last: statsOf(phase).last }),
    report: async (phase) => {
      const m = await ask({ type: 'report', phase });
      if (m.type !== 'report') throw new Error(`receiver: expected a report, got ${m.type}`);
      return m;
    },
    warmPaths: async () => {
      const m = await ask({ type: 'paths' });
      if (m.type !== 'paths') throw new Error(`receiver: expected paths, got ${m.type}`);
      return m.paths;
    },
    addEndpoint: (path, secret) => void child.send({ type: 'endpoint', path, secret } satisfies ToReceiver),
    stop: async () => {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' } satisfies ToReceiver);
      await gone;
    },
  };
}
