import { SERVICES } from '@hookline/stack';
import type { ScenarioResult } from './result';

/*
 * Hookline's performance targets on the 2-core machine, each checked against
 * the figure of this run that measures it. A target whose scenario was not
 * part of the run is listed as not measured (met: null), never as met.
 */

export interface TargetRow {
  target: string;
  /** Which figure of the run it was checked against. */
  measuredBy: string;
  measured: string;
  met: boolean | null;
}

const MB = 1024 * 1024;
const FLAT_GROWTH = 0.05;
const SOAK_SECONDS = 600;

export interface TargetInputs {
  scenarios: ScenarioResult[];
  idleStackPercentOfOneCore: number;
  stackPeakRssBytes: number;
  stackPeakPssBytes: number;
}

const find = (scenarios: ScenarioResult[], mode: string, rate: number) => scenarios.find((s) => s.scenario.mode === mode && s.scenario.rate === rate);
const notMeasured = (target: string, how: string): TargetRow => ({ target, measuredBy: how, measured: 'not in this run', met: null });

export function checkTargets({ scenarios, idleStackPercentOfOneCore, stackPeakRssBytes, stackPeakPssBytes }: TargetInputs): TargetRow[] {
  const rows: TargetRow[] = [];
  const throughput = (target: string, mode: string, min: number, concurrency?: number) => {
    const s = scenarios.find((x) => x.scenario.mode === mode && x.scenario.rate === 0 && (concurrency === undefined || x.scenario.concurrency === concurrency));
    rows.push(
      s
        ? { target, measuredBy: s.scenario.name, measured: `${s.deliveriesPerSecond} deliveries/s`, met: s.deliveriesPerSecond >= min }
        : notMeasured(target, `--mode ${mode}`),
    );
  };
  throughput('single-event POSTs, 32 in flight: ≥ 2,500 deliveries/s', 'single', 2500, 32);
  throughput('batch API: ≥ 6,000 deliveries/s', 'batch', 6000);
  throughput('Kafka-native producers: ≥ 6,000 deliveries/s', 'kafka', 6000);
  for (const [rate, maxMs] of [
    [800, 50],
    [200, 25],
  ] as const) {
    const target = `at ${rate} events/s: p99 event→delivery ≤ ${maxMs} ms`;
    const s = find(scenarios, 'single', rate) ?? scenarios.find((x) => x.scenario.rate === rate);
    const p99 = s?.latencyMs.p99;
    rows.push(s && p99 != null ? { target, measuredBy: s.scenario.name, measured: `${p99} ms`, met: p99 <= maxMs } : notMeasured(target, `--rate ${rate}`));
  }
  const at200 = find(scenarios, 'single', 200) ?? scenarios.find((x) => x.scenario.rate === 200);
  rows.push(
    at200
      ? {
          target: 'CPU ≤ 1.5 s per 1,000 deliveries at 200 events/s (services + Kafka + PostgreSQL)',
          measuredBy: at200.scenario.name,
          measured: `${at200.stackCpuPer1000} s`,
          met: at200.stackCpuPer1000 <= 1.5,
        }
      : notMeasured('CPU ≤ 1.5 s per 1,000 deliveries at 200 events/s', '--rate 200'),
  );
  const saturated = scenarios.filter((s) => s.scenario.rate === 0);
  for (const s of saturated)
    rows.push({
      target: 'CPU ≤ 0.5 s per 1,000 deliveries at saturation',
      measuredBy: s.scenario.name,
      measured: `${s.stackCpuPer1000} s`,
      met: s.stackCpuPer1000 <= 0.5,
    });
  if (saturated.length === 0) rows.push(notMeasured('CPU ≤ 0.5 s per 1,000 deliveries at saturation', 'a run without --rate'));
  rows.push({
    target: 'idle stack < 2 % of a core',
    measuredBy: 'idle window',
    measured: `${idleStackPercentOfOneCore} %`,
    met: idleStackPercentOfOneCore < 2,
  });
  // "At steady load": the open-loop scenarios when there are any, else every scenario.
  const steady = scenarios.some((s) => s.scenario.rate) ? scenarios.filter((s) => s.scenario.rate) : scenarios;
  let worst = { name: '', bytes: 0, scenario: '' };
  for (const s of steady)
    for (const row of s.memory.rows)
      if ((SERVICES as readonly string[]).includes(row.name) && row.peakRssBytes > worst.bytes)
        worst = { name: row.name, bytes: row.peakRssBytes, scenario: s.scenario.name };
  rows.push(
    worst.name
      ? {
          target: 'each service ≤ 120 MB RSS at steady load',
          measuredBy: `largest peak: ${worst.name} in ${worst.scenario}`,
          measured: `${Math.round(worst.bytes / MB)} MB`,
          met: worst.bytes <= 120 * MB,
        }
      : notMeasured('each service ≤ 120 MB RSS at steady load', 'any scenario'),
  );
  // PSS, not RSS: PostgreSQL's shared buffers are in the RSS of every one of its processes; PSS counts each page once.
  rows.push({
    target: 'whole stack (Kafka and PostgreSQL included) ≤ 1.5 GB',
    measuredBy: 'peak PSS sum over the run',
    measured: `${Math.round(stackPeakPssBytes / MB)} MB (RSS sum ${Math.round(stackPeakRssBytes / MB)} MB)`,
    met: stackPeakPssBytes <= 1536 * MB,
  });
  const soak = scenarios.find((s) => s.scenario.rate && s.scenario.events / s.scenario.rate >= SOAK_SECONDS);
  const minutes = soak?.memory.stackRssPerMinute ?? [];
  if (soak && minutes.length >= 3) {
    // From the end of the first minute (heaps and caches warmed) to the last.
    const growth = growthOf(minutes[1]!, minutes[minutes.length - 1]!);
    rows.push({
      target: `stack memory flat over a 10-minute run (≤ ${FLAT_GROWTH * 100} % growth after minute 1)`,
      measuredBy: soak.scenario.name,
      measured: `${Math.round(minutes[1]! / MB)} → ${Math.round(minutes[minutes.length - 1]! / MB)} MB (${(growth * 100).toFixed(1)} %)`,
      met: growth <= FLAT_GROWTH,
    });
  } else rows.push(notMeasured('stack memory flat over a 10-minute run', '--rate R --duration 600'));
  return rows;
}

/** Relative growth from `from` to `to` (0.05 = 5 %). */
export const growthOf = (from: number, to: number) => (from > 0 ? (to - from) / from : 0);
