import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WatchedProcess } from './cpu';

/*
 * Memory per watched process from /proc (Linux): RSS from /proc/<pid>/status
 * every SAMPLE_MS, PSS (shared pages split among the processes sharing them,
 * so the sum over PostgreSQL's processes does not count its shared buffers
 * once per process) from /proc/<pid>/smaps_rollup every PSS_EVERY-th sample.
 *
 * A PSS sample costs the kernel a walk of each process's page tables: 14-44 ms
 * of reading for the stack's processes on the 2-core machine, 5-25 ms for the
 * JVM alone. Done on the bench's own event loop, that held back the sender
 * every second, and the open-loop latency (measured from each request's
 * scheduled time) showed a ~25 ms stall per second that Hookline never caused.
 * The sampling therefore runs in a worker thread (rss-worker.ts), and PSS is
 * read every 5 s: the walk also holds each process's memory map while it
 * reads it, and the peak of a whole-stack PSS sum moves slowly.
 */

export const SAMPLE_MS = 250;
const PSS_EVERY = 20;
/** The processes whose sum is "the stack": Hookline's services, Kafka and PostgreSQL (not the bench's sender and receiver). */
export const isStackProcess = (name: string) => !name.startsWith('bench');

/** A `Key:   123 kB` line of /proc/<pid>/status or smaps_rollup, in bytes; null when absent. */
export function kilobytesField(text: string, key: string): number | null {
  const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB$`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : null;
}

/** The descendants of `pid` in `parents` (pid → parent pid): PostgreSQL's postmaster forks one process per connection. */
export function descendants(pid: number, parents: Map<number, number>): number[] {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [child, parent] of parents) {
      if (parent !== p || out.includes(child)) continue;
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function parentsOfAll(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  return parents;
}

function read(pid: number, file: string, key: string): number {
  try {
    return kilobytesField(readFileSync(`/proc/${pid}/${file}`, 'utf8'), key) ?? 0;
  } catch {
    return 0;
  }
}

export interface MemoryRow {
  name: string;
  peakRssBytes: number;
  finalRssBytes: number;
  /** Peak of the PSS samples (every PSS_EVERY × SAMPLE_MS). */
  peakPssBytes: number;
  finalPssBytes: number;
}

export interface MemoryReport {
  rows: MemoryRow[];
  /** The largest sum over the stack's processes in one sample. */
  stackPeakRssBytes: number;
  stackPeakPssBytes: number;
  /** The stack's RSS at each minute of the window (for a soak: is it flat?). */
  stackRssPerMinute: number[];
  samples: number;
}

/** RSS (and every PSS_EVERY-th time PSS) of the watched processes, one sample at a time; one window per scenario. */
export class MemoryWindow {
  private rows = new Map<string, MemoryRow>();
  private stackPeakRss = 0;
  private stackPeakPss = 0;
  private perMinute: number[] = [];
  private startedAt = Date.now();
  private samples = 0;
  private treeOf = new Map<string, number[]>();

  constructor(private readonly watch: WatchedProcess[]) {
    this.sample();
  }

  sample(): void {
    // The process tree changes slowly (connections are pooled): found again every PSS_EVERY samples.
    if (this.samples % PSS_EVERY === 0) {
      const parents = parentsOfAll();
      for (const w of this.watch) if (w.tree && w.pid) this.treeOf.set(w.name, [w.pid, ...descendants(w.pid, parents)]);
    }
    const withPss = this.samples % PSS_EVERY === 0;
    let stackRss = 0;
    let stackPss = 0;
    for (const w of this.watch) {
      if (!w.pid) continue;
      const pids = w.tree ? (this.treeOf.get(w.name) ?? [w.pid]) : [w.pid];
      const rss = pids.reduce((n, pid) => n + read(pid, 'status', 'VmRSS'), 0);
      const pss = withPss ? pids.reduce((n, pid) => n + read(pid, 'smaps_rollup', 'Pss'), 0) : 0;
      const row = this.rows.get(w.name) ?? { name: w.name, peakRssBytes: 0, finalRssBytes: 0, peakPssBytes: 0, finalPssBytes: 0 };
      row.peakRssBytes = Math.max(row.peakRssBytes, rss);
      row.finalRssBytes = rss;
      if (withPss) {
        row.peakPssBytes = Math.max(row.peakPssBytes, pss);
        row.finalPssBytes = pss;
      }
      this.rows.set(w.name, row);
      if (isStackProcess(w.name)) {
        stackRss += rss;
        stackPss += pss;
      }
    }
    this.stackPeakRss = Math.max(this.stackPeakRss, stackRss);
    if (withPss) this.stackPeakPss = Math.max(this.stackPeakPss, stackPss);
    const minute = Math.floor((Date.now() - this.startedAt) / 60_000);
    this.perMinute[minute] = stackRss;
    this.samples++;
  }

  /** The window so far, and a fresh one from now. */
  cut(): MemoryReport {
    this.sample();
    const report: MemoryReport = {
      rows: [...this.rows.values()],
      stackPeakRssBytes: this.stackPeakRss,
      stackPeakPssBytes: this.stackPeakPss,
      stackRssPerMinute: [...this.perMinute].filter((x) => x !== undefined),
      samples: this.samples,
    };
    this.rows = new Map();
    this.stackPeakRss = 0;
    this.stackPeakPss = 0;
    this.perMinute = [];
    this.startedAt = Date.now();
    this.samples = 0;
    return report;
  }
}

/**
 * Samples the watched processes every SAMPLE_MS in a worker thread (see the
 * top of this file) until stopped; `cut()` ends a window and starts the next.
 */
export class MemorySampler {
  private readonly worker: Worker;
  private readonly replies: { resolve: (report: MemoryReport) => void; reject: (error: Error) => void }[] = [];

  constructor(watch: WatchedProcess[]) {
    this.worker = new Worker(join(__dirname, 'rss-worker.js'), { workerData: { watch } });
    this.worker.on('message', (report: MemoryReport) => this.replies.shift()?.resolve(report));
    this.worker.on('error', (error) => this.replies.splice(0).forEach((r) => r.reject(error)));
    this.worker.unref();
  }

  /** The window so far, and a fresh one from now. */
  cut(): Promise<MemoryReport> {
    return new Promise((resolve, reject) => {
      this.replies.push({ resolve, reject });
      this.worker.postMessage('cut');
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
