import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/*
 * CPU ticks and memory of a process, or of a process and its children
 * (PostgreSQL forks one per connection), from /proc (Linux).
 */

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface Watched {
  name: string;
  pid: number;
  /** Include the children: their CPU, and their memory as PSS (their shared memory counted once). */
  tree?: boolean;
}

export interface Sample {
  /** CPU seconds so far (a tree: its live children and the ones it reaped). */
  cpuSeconds: number;
  /** Resident set in MB (a tree: the sum of PSS, so shared buffers count once). */
  memoryMb: number;
}

function stat(pid: number): { ppid: number; ticks: number; childTicks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

/** A field of /proc/<pid>/status or smaps_rollup, in MB. */
function kb(file: string, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(file, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function children(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (stat(Number(entry))?.ppid === pid) out.push(Number(entry));
  }
  return out;
}

export function sample(w: Watched): Sample {
  const own = stat(w.pid);
  if (!own) return { cpuSeconds: 0, memoryMb: 0 };
  if (!w.tree) return { cpuSeconds: own.ticks / CLK_TCK, memoryMb: kb(`/proc/${w.pid}/status`, 'VmRSS') };
  let ticks = own.ticks + own.childTicks;
  let pss = kb(`/proc/${w.pid}/smaps_rollup`, 'Pss');
  for (const child of children(w.pid)) {
    ticks += stat(child)?.ticks ?? 0;
    pss += kb(`/proc/${child}/smaps_rollup`, 'Pss');
  }
  return { cpuSeconds: ticks / CLK_TCK, memoryMb: pss };
}

/** Peak, final and first memory of each watched process over a phase, and its CPU. */
export class Recorder {
  private readonly first = new Map<string, Sample>();
  private readonly last = new Map<string, Sample>();
  private readonly peak = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private startedAt = 0;
  private endedAt = 0;

  constructor(private readonly watched: Watched[]) {}

  start(everyMs = 1000): void {
    this.startedAt = Date.now();
    this.take(this.first);
    this.timer = setInterval(() => this.take(this.last), everyMs);
  }

  stop(): Array<{ name: string; cpuPercent: number; firstMb: number; peakMb: number; finalMb: number }> {
    clearInterval(this.timer);
    this.take(this.last);
    this.endedAt = Date.now();
    const seconds = (this.endedAt - this.startedAt) / 1000;
    return this.watched.map(({ name }) => {
      const a = this.first.get(name) as Sample;
      const b = this.last.get(name) as Sample;
      return {
        name,
        cpuPercent: ((b.cpuSeconds - a.cpuSeconds) / seconds) * 100,
        firstMb: a.memoryMb,
        peakMb: this.peak.get(name) ?? 0,
        finalMb: b.memoryMb,
      };
    });
  }

  private take(into: Map<string, Sample>): void {
    for (const w of this.watched) {
      const s = sample(w);
      into.set(w.name, s);
      this.peak.set(w.name, Math.max(this.peak.get(w.name) ?? 0, s.memoryMb));
    }
  }
}
