import { execFileSync } from 'node:child_process';
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
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}
