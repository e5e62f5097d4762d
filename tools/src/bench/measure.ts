import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { findRepoRoot } from '@hookline/infra';
import { now } from './counters';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function secs(since: number): string {
  return `${((now() - since) / 1000).toFixed(1)} s`;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  count: number;
}

/** CPU seconds per 1,000 deliveries (0 when nothing was delivered). */
export const per1000 = (cpuSeconds: number, deliveries: number) => (deliveries > 0 ? round((cpuSeconds / deliveries) * 1000, 3) : 0);

/** The mean of the raw runs, and how far apart they are (max − min, in % of the mean). */
export function rawLimit(requestsPerSecond: number[]): { requestsPerSecond: number; spreadPercent: number } {
  if (requestsPerSecond.length === 0) return { requestsPerSecond: 0, spreadPercent: 0 };
  const mean = requestsPerSecond.reduce((a, b) => a + b, 0) / requestsPerSecond.length;
  const spread = mean > 0 ? ((Math.max(...requestsPerSecond) - Math.min(...requestsPerSecond)) / mean) * 100 : 0;
  return { requestsPerSecond: round(mean, 0), spreadPercent: round(spread, 1) };
}

/** Nearest-rank percentiles (the value at rank ⌈p/100 × n⌉), rounded to 0.1. */
export function percentiles(values: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!, 1) : null);
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted.length ? round(sorted[sorted.length - 1]!, 1) : null, count: sorted.length };
}

/** The commit the services were built from, and whether the work tree differs from it. */
export function codeVersion(): string {
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: findRepoRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'apps', 'libs').split('\n').filter(Boolean).length;
    return dirty ? `${head} + uncommitted changes in ${dirty} file(s) under apps/ and libs/` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** /sys/devices/system/cpu/vulnerabilities: the kernel's mitigations, which change the cost of every system call. */
  mitigations: Record<string, string>;
}

function mitigations(): Record<string, string> {
  const dir = '/sys/devices/system/cpu/vulnerabilities';
  const out: Record<string, string> = {};
  try {
    for (const name of readdirSync(dir)) out[name] = readFileSync(`${dir}/${name}`, 'utf8').trim();
  } catch {
    /* not Linux, or not exposed */
  }
  return out;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    mitigations: mitigations(),
  };
}
