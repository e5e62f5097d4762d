import type { CpuReport } from './cpu';
import type { Finding } from './findings';
import type { MachineInfo, Percentiles } from './measure';
import type { ProfileSummary } from './profile';

/** Everything a run measured: printed as the report and written with --json. */
export interface BenchResult {
  startedAt: string;
  command: string;
  code: string;
  machine: MachineInfo & { busyPercentBeforeStart: number; infrastructure: string };
  config: BenchConfig;
  pipeline: PipelineResult;
  raw: RawResult;
  cpu: CpuReport;
  idleCpu: CpuReport;
  rawCpu: CpuReport;
  logFindings: Record<string, Finding[]>;
  profiles?: Record<string, ProfileSummary>;
  ratio: number;
}

export interface BenchConfig {
  events: number;
  endpoints: number;
  batch: number;
  parallelBatches: number;
  rate: number | string;
  warmupEvents: number;
  topicPartitions: number;
  dispatcherEndpointConcurrency: number;
  rawConcurrency: number;
  rawConnections: number;
}

export interface SignatureCounts {
  badSignatures: number;
  libVerified: number;
  libFailed: number;
}

export interface PipelineResult extends SignatureCounts {
  deliveries: number;
  durationS: number;
  deliveriesPerSecond: number;
  ingestAcceptedPerSecond: number;
  latencyMs: Percentiles;
  duplicates: number;
  requests: number;
  dispatcher: Record<string, number>;
  logStore: { recordedSucceeded: number; allRecordedSecondsAfterLastDelivery: number | null };
}

export interface RawResult extends SignatureCounts {
  requests: number;
  durationS: number;
  requestsPerSecond: number;
  latencyMs: Percentiles;
  benchProcessCpuPercent: number | undefined;
}
