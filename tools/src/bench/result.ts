import type { CpuReport } from './cpu';
import type { Finding } from './findings';
import type { HopLatencies } from './hops';
import type { MachineInfo, Percentiles } from './measure';
import type { Scenario } from './options';
import type { ProfileSummary } from './profile';
import type { MemoryReport } from './rss';
import type { TargetRow } from './targets';
import type { TopicRow } from './topics';

/** Everything a run measured: printed as the report and written as JSON (.bench/<time>.json, --json FILE). */
export interface BenchResult {
  startedAt: string;
  command: string;
  code: string;
  machine: MachineInfo & { busyPercentBeforeStart: number; infrastructure: string };
  config: BenchConfig;
  scenarios: ScenarioResult[];
  /** The raw limit, measured before and after the scenarios. */
  raw: RawResult[];
  rawLimit: { requestsPerSecond: number; spreadPercent: number };
  /** The stack after the warm-up with nothing to do. */
  idle: { cpu: CpuReport; stackPercentOfOneCore: number; memory: MemoryReport };
  /** Largest sum of the stack's (services, Kafka, PostgreSQL) RSS and PSS in any one sample of the run. */
  stackPeakRssBytes: number;
  stackPeakPssBytes: number;
  targets: TargetRow[];
  logFindings: Record<string, Finding[]>;
  profiles?: Record<string, ProfileSummary>;
}

export interface BenchConfig {
  endpoints: number;
  warmupEvents: number;
  topicPartitions: number;
  dispatcherEndpointConcurrency: number;
  rawEvents: number;
  rawConcurrency: number;
  /** `--schema-mode`: the tenants' schema mode of the bench's event type; absent when not set. */
  schemaMode?: string;
  /** `--rules`: rules per tenant (none matching), with a filter on each endpoint (every event matching); absent when 0. */
  rulesPerTenant?: number;
}

export interface SignatureCounts {
  badSignatures: number;
  libVerified: number;
  libFailed: number;
}

export interface ScenarioResult extends SignatureCounts {
  scenario: Scenario;
  deliveries: number;
  /** First send → last first receipt. */
  durationS: number;
  deliveriesPerSecond: number;
  /** deliveriesPerSecond / the run's raw limit (mean of its two raw runs). */
  ratioToRaw: number;
  /** Events/s Hookline accepted (202, or the broker's ack): first send → last acceptance. With --rate, compare with the offered rate. */
  acceptedPerSecond: number;
  latencyMs: Percentiles;
  duplicates: number;
  requests: number;
  dispatcher: Record<string, number>;
  logStore: { recordedSucceeded: number; allRecordedSecondsAfterLastDelivery: number | null };
  /** From the first send until log-store had recorded every delivery. */
  cpu: CpuReport;
  /** CPU seconds per 1,000 deliveries, per process row of `cpu`. */
  cpuPer1000: Record<string, number>;
  /** CPU seconds per 1,000 deliveries of Hookline's services + Kafka + PostgreSQL. */
  stackCpuPer1000: number;
  memory: MemoryReport;
  topics: TopicRow[];
  /** Latency of each hop of the delivery path (tools/src/bench/hops.ts); absent when the topics could not be read. */
  hops?: HopLatencies;
}

export interface RawResult extends SignatureCounts {
  when: 'before' | 'after';
  requests: number;
  durationS: number;
  requestsPerSecond: number;
  latencyMs: Percentiles;
  cpu: CpuReport;
}
