import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@hookline/infra';
import { SERVICES, type ServiceName, type Stack } from '@hookline/stack';
import { round } from './measure';

/*
 * --profile: the V8 CPU profiler of every service, over the inspector each one
 * opens (NODE_OPTIONS=--inspect=127.0.0.1:0), summed per package and function.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Profiler {
  name: ServiceName;
  ws: WebSocket;
  call(method: string, params?: object): Promise<{ result?: { profile?: CpuProfile } }>;
}

export interface ProfileSummary {
  busyPercentOfWall: number;
  packages: Array<{ key: string; percentOfBusy: number }>;
  functions: Array<{ key: string; percentOfBusy: number }>;
}

/** Connects to each service's inspector and starts the V8 CPU profiler. */
export async function startProfilers(stack: Stack, log: (msg: string) => void): Promise<Profiler[]> {
  const profilers: Profiler[] = [];
  for (const name of SERVICES) {
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(readFileSync(stack.logFile(name), 'utf8'))?.[1];
    if (!url) {
      log(`profile: no inspector address in the ${name} log`);
      continue;
    }
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error(`profile: cannot connect to ${name}'s inspector`));
    });
    let nextId = 1;
    const pending = new Map<number, (msg: { result?: { profile?: CpuProfile } }) => void>();
    ws.onmessage = (event) => {
      const msg = JSON.parse(String(event.data)) as { id?: number; result?: { profile?: CpuProfile } };
      if (msg.id && pending.has(msg.id)) {
        pending.get(msg.id)!(msg);
        pending.delete(msg.id);
      }
    };
    const call: Profiler['call'] = (method, params = {}) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: 500 });
    await call('Profiler.start');
    profilers.push({ name, ws, call });
  }
  return profilers;
}

/** Stops the profilers, writes <service>.cpuprofile files, and sums self time per package and per function. */
export async function stopProfilers(profilers: Profiler[], dir: string): Promise<Record<string, ProfileSummary>> {
  mkdirSync(dir, { recursive: true });
  const root = findRepoRoot();
  const out: Record<string, ProfileSummary> = {};
  for (const { name, ws, call } of profilers) {
    const reply = await call('Profiler.stop');
    ws.close();
    const profile = reply.result?.profile;
    if (!profile) continue;
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    const total = profile.endTime - profile.startTime; // µs
    const selfUs = new Map(profile.nodes.map((n) => [n.id, 0]));
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
    const byPackage = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let busy = 0;
    for (const node of profile.nodes) {
      const us = selfUs.get(node.id) ?? 0;
      if (!us) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') continue;
      busy += us;
      const pkg = packageOf(url, functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
      const where = url
        ? `${url
            .replace(/^.*\/node_modules\//, '')
            .replace(`file://${root}/`, '')
            .replace(`${root}/`, '')}:${lineNumber + 1}`
        : '';
      const fn = `${functionName || '(anonymous)'} ${where}`.trim();
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    }
    const top = (map: Map<string, number>, n: number) =>
      [...map.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([key, us]) => ({ key, percentOfBusy: round((us / busy) * 100, 1) }));
    out[name] = { busyPercentOfWall: round((busy / total) * 100, 0), packages: top(byPackage, 8), functions: top(byFunction, 10) };
  }
  return out;
}

function packageOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return '(garbage collector)';
    return functionName === '(program)' ? '(program: V8/native, not JS)' : `(${functionName || 'native'})`;
  }
  if (url.startsWith('node:')) return 'node: (core)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const own = /\/(apps|libs)\/([^/]+)\//.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url;
}
