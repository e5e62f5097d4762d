import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { now } from './counters';
import { round } from './measure';

/*
 * CPU use per process from /proc (Linux): ticks of each watched process
 * (services, Kafka, all of PostgreSQL, the bench itself), the kernel's
 * interrupt time, and everything else, to show where a run's CPU went and
 * what else was busy on the machine.
 */

export interface WatchedProcess {
  name: string;
  pid: number | undefined;
  /** Sum the process, its children and its reaped children (PostgreSQL forks a process per connection). */
  tree?: boolean;
}

export interface CpuSnapshot {
  at: number;
  /** Ticks in user and in kernel mode. */
  perProcess: Record<string, { user: number; system: number }>;
  others: Map<number, { comm: string; ticks: number }>;
  machineBusy: number;
  machineTotal: number;
  interrupts: number;
  steal: number;
}

export interface CpuRow {
  name: string;
  /** `other` for the row of unwatched processes. */
  key?: string;
  cpuSeconds: number;
  /** Of cpuSeconds: in user mode and in the kernel (system calls: sockets, files). Absent for the machine-wide rows. */
  userSeconds?: number;
  systemSeconds?: number;
  percent: number;
}

export interface CpuReport {
  seconds: number;
  cores: number;
  machineBusyPercent: number;
  rows: CpuRow[];
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function readStat(
  pid: number | string,
): { comm: string; ppid: number; user: number; system: number; ticks: number; childUser: number; childSystem: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields after the name: state ppid ... utime(11) stime(12) cutime(13) cstime(14)
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const [user, system, childUser, childSystem] = [11, 12, 13, 14].map((i) => Number(f[i]));
    return { comm, ppid: Number(f[1]), user: user!, system: system!, ticks: user! + system!, childUser: childUser!, childSystem: childSystem! };
  } catch {
    return null;
  }
}

/** CPU ticks per watched process (a `tree` entry sums the process, its children and reaped children), and machine-wide. */
export function cpuSnapshot(watch: WatchedProcess[]): CpuSnapshot {
  const all = new Map<number, NonNullable<ReturnType<typeof readStat>>>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const st = readStat(entry);
    if (st) all.set(Number(entry), st);
  }
  const perProcess: CpuSnapshot['perProcess'] = {};
  const watched = new Set<number>();
  for (const { name, pid, tree } of watch) {
    if (!pid) continue;
    const st = all.get(pid);
    if (!st) continue;
    watched.add(pid);
    let user = st.user;
    let system = st.system;
    if (tree) {
      user += st.childUser;
      system += st.childSystem;
      for (const [otherPid, other] of all) {
        if (other.ppid === pid) {
          user += other.user;
          system += other.system;
          watched.add(otherPid);
        }
      }
    }
    perProcess[name] = { user, system };
  }
  // everything else, to name what else was running (e.g. a test run or a compiler)
  const others = new Map<number, { comm: string; ticks: number }>();
  for (const [pid, st] of all) if (!watched.has(pid)) others.set(pid, { comm: st.comm, ticks: st.ticks });
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const idle = line[3]! + (line[4] ?? 0);
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  return { at: now(), perProcess, others, machineBusy: total - idle, machineTotal: total, interrupts: (line[5] ?? 0) + (line[6] ?? 0), steal: line[7] ?? 0 };
}

export function cpuReport(before: CpuSnapshot, after: CpuSnapshot): CpuReport {
  const seconds = (after.at - before.at) / 1000;
  const rows: CpuRow[] = [];
  let watched = 0;
  for (const [name, ticks] of Object.entries(after.perProcess)) {
    const from = before.perProcess[name];
    if (from === undefined) continue;
    const userSeconds = (ticks.user - from.user) / CLK_TCK;
    const systemSeconds = (ticks.system - from.system) / CLK_TCK;
    const cpuSeconds = userSeconds + systemSeconds;
    watched += cpuSeconds;
    rows.push({
      name,
      cpuSeconds: round(cpuSeconds, 2),
      userSeconds: round(userSeconds, 2),
      systemSeconds: round(systemSeconds, 2),
      percent: round((cpuSeconds / seconds) * 100, 1),
    });
  }
  const cores = os.cpus().length;
  const busyShare = (after.machineBusy - before.machineBusy) / Math.max(1, after.machineTotal - before.machineTotal);
  const machineCpuSeconds = busyShare * cores * seconds;
  const share = (ticks: number) => (ticks / Math.max(1, after.machineTotal - before.machineTotal)) * cores * seconds;
  const kernel = share(after.interrupts - before.interrupts + (after.steal - before.steal));
  rows.push({ name: 'kernel irq/softirq (loopback TCP) + steal', cpuSeconds: round(kernel, 1), percent: round((kernel / seconds) * 100, 0) });
  const rest = Math.max(0, machineCpuSeconds - watched - kernel);
  // the busiest other processes (new ones count from zero; ones that came and went are not seen)
  const byComm = new Map<string, number>();
  for (const [pid, st] of after.others) {
    const delta = (st.ticks - (before.others.get(pid)?.ticks ?? 0)) / CLK_TCK;
    if (delta > 0) byComm.set(st.comm, (byComm.get(st.comm) ?? 0) + delta);
  }
  const top = [...byComm.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .filter(([, cpu]) => cpu / seconds >= 0.02)
    .map(([comm, cpu]) => `${comm} ${round((cpu / seconds) * 100, 0)} %`);
  rows.push({
    name: `other processes${top.length ? ` (seen: ${top.join(', ')})` : ''}`,
    key: 'other',
    cpuSeconds: round(rest, 1),
    percent: round((rest / seconds) * 100, 0),
  });
  return { seconds: round(seconds, 1), cores, machineBusyPercent: round(busyShare * 100, 0), rows };
}
