import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPidAlive } from './process';

/*
 * Locks shared by Hookline processes on one machine (a data folder in use, a
 * reserved port, the Kafka jar download), as files named `<name>.<pid>.lock`.
 *
 * Why one file per process rather than O_EXCL on a single name: a lock left
 * behind by a killed process must be taken over, and "it is stale, delete it,
 * create mine" races with a second process doing the same (it deletes the lock
 * the first one just made, and both hold it). Here nobody deletes a live
 * holder's file: a claimant creates its own file, then lists the others; if a
 * live one is there it withdraws. Of two claimants at the same moment at
 * least one sees the other, so both may withdraw (and retry) but never both
 * hold. A holder is live when its pid runs and, where /proc tells, started at
 * the time written in its file, so a pid reused after a reboot holds nothing.
 */

export interface HeldLock {
  readonly file: string;
  release(): void;
}

export type LockAttempt = { held: HeldLock } | { heldBy: number };

const held = new Set<string>();
let exitHookInstalled = false;

/** Start time of a process in clock ticks since boot (Linux), or '' where /proc does not tell. */
export function processStartTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function holderIsLive(pid: number, file: string): boolean {
  if (!isPidAlive(pid)) return false;
  let written = '';
  try {
    written = readFileSync(file, 'utf8').trim();
  } catch {
    return false; // released between listing and reading
  }
  // An empty file was created a moment ago and not written yet: its pid is running, so it is live.
  const now = processStartTime(pid);
  return written === '' || now === '' || written === now;
}

/** The file by which process `pid` holds lock `name` in `dir`; it holds the process' start time. */
export function lockFile(dir: string, name: string, pid: number): string {
  return join(dir, `${name}.${pid}.lock`);
}

function lockFiles(dir: string, name: string): Array<{ pid: number; file: string }> {
  const prefix = `${name}.`;
  const out: Array<{ pid: number; file: string }> = [];
  for (const entry of readdirSync(dir)) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.lock')) continue;
    const pid = Number(entry.slice(prefix.length, -'.lock'.length));
    if (Number.isInteger(pid) && pid > 0) out.push({ pid, file: join(dir, entry) });
  }
  return out;
}

/**
 * Takes the lock `name` in `dir` for this process, or says which live process
 * holds it. Never waits. A process holds a lock once: asking again while it
 * holds it answers `heldBy: process.pid`.
 */
export function tryLock(dir: string, name: string): LockAttempt {
  mkdirSync(dir, { recursive: true });
  const mine = lockFile(dir, name, process.pid);
  if (held.has(mine)) return { heldBy: process.pid };
  // A file with our pid that we do not hold was left by an earlier process with the same pid: ours now.
  writeFileSync(mine, processStartTime(process.pid));
  for (const other of lockFiles(dir, name)) {
    if (other.pid === process.pid) continue;
    if (holderIsLive(other.pid, other.file)) {
      unlinkQuietly(mine);
      return { heldBy: other.pid };
    }
    unlinkQuietly(other.file);
  }
  held.add(mine);
  if (!exitHookInstalled) {
    // Locks die with the process anyway (a dead pid holds nothing); this only keeps the folders tidy.
    process.on('exit', () => held.forEach(unlinkQuietly));
    exitHookInstalled = true;
  }
  return {
    held: {
      file: mine,
      release: () => {
        if (held.delete(mine)) unlinkQuietly(mine);
      },
    },
  };
}

/** Waits until the lock is free (polling), then takes it. */
export async function lock(dir: string, name: string, opts: { timeoutMs: number; onWait?: (holder: number) => void }): Promise<HeldLock> {
  const deadline = Date.now() + opts.timeoutMs;
  let told = false;
  for (;;) {
    const attempt = tryLock(dir, name);
    if ('held' in attempt) return attempt.held;
    if (!told) opts.onWait?.(attempt.heldBy);
    told = true;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${Math.round(opts.timeoutMs / 1000)} s waiting for lock ${join(dir, name)} (held by pid ${attempt.heldBy})`);
    // Randomised, so two claimants that withdrew at the same moment do not collide again.
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 300));
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}
