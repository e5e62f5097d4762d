import type { CpuReport } from './cpu';
import type { Scenario } from './options';
import type { ScenarioResult } from './result';
import type { MemoryReport } from './rss';
import { checkTargets, growthOf } from './targets';

const MB = 1024 * 1024;
const cpu: CpuReport = { seconds: 10, cores: 2, machineBusyPercent: 50, rows: [] };
const memory = (peaks: Record<string, number>, perMinute: number[] = []): MemoryReport => ({
  rows: Object.entries(peaks).map(([name, mb]) => ({ name, peakRssBytes: mb * MB, finalRssBytes: mb * MB, peakPssBytes: 0, finalPssBytes: 0 })),
  stackPeakRssBytes: 0,
  stackPeakPssBytes: 0,
  stackRssPerMinute: perMinute.map((mb) => mb * MB),
  samples: 1,
});

function result(scenario: Partial<Scenario> & Pick<Scenario, 'mode'>, fields: Partial<ScenarioResult>): ScenarioResult {
  const s: Scenario = {
    name: `${scenario.mode}${scenario.rate ? `-${scenario.rate}/s` : ''}`,
    events: 20_000,
    rate: 0,
    batch: 1,
    concurrency: 32,
    ...scenario,
  };
  return {
    scenario: s,
    deliveries: s.events,
    durationS: 1,
    deliveriesPerSecond: 0,
    ratioToRaw: 0,
    acceptedPerSecond: 0,
    latencyMs: { p50: 1, p95: 1, p99: 1, max: 1, count: 1 },
    duplicates: 0,
    requests: s.events,
    badSignatures: 0,
    libVerified: 0,
    libFailed: 0,
    dispatcher: {},
    logStore: { recordedSucceeded: s.events, allRecordedSecondsAfterLastDelivery: 0.1 },
    cpu,
    cpuPer1000: {},
    stackCpuPer1000: 0,
    memory: memory({}),
    topics: [],
    ...fields,
  };
}

const byTarget = (rows: ReturnType<typeof checkTargets>) => rows.map((r) => [r.target, r.measuredBy, r.measured, r.met]);

describe('checkTargets', () => {
  it('checks each target against the figure of the scenario that measures it', () => {
    const rows = checkTargets({
      scenarios: [
        result({ mode: 'single', concurrency: 32, name: 'single-c32' }, { deliveriesPerSecond: 2500, stackCpuPer1000: 0.5 }),
        result({ mode: 'batch', concurrency: 4 }, { deliveriesPerSecond: 5999, stackCpuPer1000: 0.51 }),
        result({ mode: 'kafka', concurrency: 4 }, { deliveriesPerSecond: 6000, stackCpuPer1000: 0.2 }),
        result(
          { mode: 'single', rate: 800, events: 24_000 },
          { latencyMs: { p50: 5, p95: 20, p99: 50, max: 90, count: 24_000 }, memory: memory({ ingest: 121, dispatcher: 90, 'kafka (java)': 400 }) },
        ),
        result({ mode: 'single', rate: 200, events: 6000 }, { latencyMs: { p50: 5, p95: 20, p99: 25.1, max: 30, count: 6000 }, stackCpuPer1000: 1.5 }),
      ],
      idleStackPercentOfOneCore: 2,
      stackPeakRssBytes: 2000 * MB,
      stackPeakPssBytes: 1536 * MB,
    });
    expect(byTarget(rows)).toEqual([
      ['single-event POSTs, 32 in flight: ≥ 2,500 deliveries/s', 'single-c32', '2500 deliveries/s', true],
      ['batch API: ≥ 6,000 deliveries/s', 'batch', '5999 deliveries/s', false],
      ['Kafka-native producers: ≥ 6,000 deliveries/s', 'kafka', '6000 deliveries/s', true],
      ['at 800 events/s: p99 event→delivery ≤ 50 ms', 'single-800/s', '50 ms', true],
      ['at 200 events/s: p99 event→delivery ≤ 25 ms', 'single-200/s', '25.1 ms', false],
      ['CPU ≤ 1.5 s per 1,000 deliveries at 200 events/s (services + Kafka + PostgreSQL)', 'single-200/s', '1.5 s', true],
      ['CPU ≤ 0.5 s per 1,000 deliveries at saturation', 'single-c32', '0.5 s', true],
      ['CPU ≤ 0.5 s per 1,000 deliveries at saturation', 'batch', '0.51 s', false],
      ['CPU ≤ 0.5 s per 1,000 deliveries at saturation', 'kafka', '0.2 s', true],
      ['idle stack < 2 % of a core', 'idle window', '2 %', false],
      // Kafka is not a service: only the six services are held to 120 MB.
      ['each service ≤ 120 MB RSS at steady load', 'largest peak: ingest in single-800/s', '121 MB', false],
      ['whole stack (Kafka and PostgreSQL included) ≤ 1.5 GB', 'peak PSS sum over the run', '1536 MB (RSS sum 2000 MB)', true],
      ['stack memory flat over a 10-minute run', '--rate R --duration 600', 'not in this run', null],
    ]);
  });

  it('lists a target whose scenario did not run as not measured, never as met', () => {
    const rows = checkTargets({
      scenarios: [result({ mode: 'batch', concurrency: 4 }, { deliveriesPerSecond: 9000 })],
      idleStackPercentOfOneCore: 1,
      stackPeakRssBytes: 0,
      stackPeakPssBytes: 0,
    });
    const notRun = rows.filter((r) => r.met === null).map((r) => r.target);
    expect(notRun).toEqual([
      'single-event POSTs, 32 in flight: ≥ 2,500 deliveries/s',
      'Kafka-native producers: ≥ 6,000 deliveries/s',
      'at 800 events/s: p99 event→delivery ≤ 50 ms',
      'at 200 events/s: p99 event→delivery ≤ 25 ms',
      'CPU ≤ 1.5 s per 1,000 deliveries at 200 events/s',
      'each service ≤ 120 MB RSS at steady load',
      'stack memory flat over a 10-minute run',
    ]);
  });

  it('judges a soak of 10 minutes flat by the growth from its first minute to its last', () => {
    const soak = (perMinute: number[]) =>
      checkTargets({
        scenarios: [result({ mode: 'single', rate: 200, events: 120_000 }, { memory: memory({}, perMinute) })],
        idleStackPercentOfOneCore: 1,
        stackPeakRssBytes: 0,
        stackPeakPssBytes: 0,
      }).at(-1)!;
    expect(soak([900, 1000, 1010, 1020, 1050])).toMatchObject({ measured: '1000 → 1050 MB (5.0 %)', met: true });
    expect(soak([900, 1000, 1100, 1200, 1300])).toMatchObject({ measured: '1000 → 1300 MB (30.0 %)', met: false });
  });
});

describe('growthOf', () => {
  it('is the relative growth, and 0 from nothing', () => {
    expect(growthOf(1000, 1100)).toBeCloseTo(0.1);
    expect(growthOf(1000, 900)).toBeCloseTo(-0.1);
    expect(growthOf(0, 5)).toBe(0);
  });
});
