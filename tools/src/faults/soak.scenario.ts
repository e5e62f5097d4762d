import { readFileSync } from 'node:fs';
import { SERVICES } from '@hookline/stack';
import { Harness } from './harness';
import type { World } from './world';
import { base, type Scenario, TENANTS, withHarness } from './scenario';

/* 7. A soak at a steady rate, RSS sampled per process. */
export const soak: Scenario = {
  n: 7,
  title: '7. soak at a steady rate',
  budgetS: (s) => (s.soakS ?? (s.quick ? 60 : 600)) + 180,
  run: (s, deadline) =>
    withHarness(base(s, 's7', deadline), soak.title, async (h) => {
      for (const t of TENANTS) await h.addEndpoints(t, 1);
      const durationS = s.soakS ?? (s.quick ? 60 : 600);
      const rate = s.events ? Math.max(1, Math.round(s.events / durationS)) : 100;
      const windowS = Math.min(60, durationS / 5);
      const samples: Array<{ at: number; rss: Record<string, number> }> = [];
      const started = Date.now();
      const sampler = setInterval(() => samples.push({ at: Date.now() - started, rss: rssNow(h, s.world) }), 5000);
      try {
        await h.sendEvents(TENANTS, (rate * durationS) / TENANTS.length, { rate, name: 'load', batch: Math.max(1, rate / 5) });
      } finally {
        clearInterval(sampler);
      }
      samples.push({ at: Date.now() - started, rss: rssNow(h, s.world) });
      await h.waitDelivered('all soak events');
      const end = Date.now() - started;
      const mean = (name: string, from: number, to: number) => {
        const v = samples.filter((x) => x.at >= from && x.at <= to && x.rss[name] !== undefined).map((x) => x.rss[name]!);
        return v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length / 2 ** 20) * 10) / 10 : NaN;
      };
      const names = Object.keys(samples[0]?.rss ?? {});
      const rss = names.map((name) => ({ name, firstMiB: mean(name, 0, windowS * 1000), lastMiB: mean(name, end - windowS * 1000, end) }));
      return { recoverS: null, rss, notes: [`${rate} events/s for ${durationS} s; RSS every 5 s, mean of the first vs the last ${windowS} s`] };
    }),
};

/** Resident memory (bytes) of each service, the broker and all PostgreSQL processes, from /proc. */
function rssNow(h: Harness, world: World): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of SERVICES) {
    const pid = h.stack.processOf(name)?.pid;
    if (pid) out[name] = rssOf(pid) ?? NaN;
  }
  out.kafka = rssOf(world.kafka.pid) ?? NaN;
  out.postgresql = [world.postgres.pid, ...childrenOf(world.postgres.pid)].reduce((n, pid) => n + (rssOf(pid) ?? 0), 0);
  return out;
}

function rssOf(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
