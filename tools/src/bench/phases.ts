import { join } from 'node:path';
import type { Stack } from '@hookline/stack';
import { now, type Phase, type SampleDelivery } from './counters';
import { cpuReport, cpuSnapshot, type WatchedProcess } from './cpu';
import { diffMetrics, dispatcherMetrics } from './findings';
import { hopLatencies, readHopRecords } from './hops';
import type { Endpoint, Load, Progress } from './load';
import { per1000, percentiles, round, secs, sleep } from './measure';
import { BenchError, type BenchOptions, MODES, type Scenario } from './options';
import type { BenchReceiver } from './receiver';
import type { ScenarioResult } from './result';
import type { MemorySampler } from './rss';
import { pgQuery } from './servers';
import { type TopicCounts, topicCounts, topicsPerDelivery } from './topics';

/** What the measured phases work with. */
export interface PhaseContext {
  args: BenchOptions;
  runId: string;
  stack: Stack;
  load: Load;
  receiver: BenchReceiver;
  endpoints: Endpoint[];
  memory: MemorySampler;
  brokers: string;
  topicPrefix: string;
  /** The broker's log directory when the bench started the broker (bytes per topic), else undefined. */
  kafkaLogDir: string | undefined;
  /** The bench's temporary folder. */
  tmp: string;
  log: (msg: string) => void;
}

/** The stack's rows of a CPU report: Hookline's services, Kafka and PostgreSQL (not the bench's sender and receiver, not the rest of the machine). */
export const STACK_ROW = (name: string) => !name.startsWith('bench') && !name.startsWith('kernel') && !name.startsWith('other');

/**
 * Endpoint configuration reaches rules-engine and dispatcher over Kafka: sends
 * one event per endpoint until every endpoint has received one, then the
 * warm-up events, split over the three ways in (so the measured scenarios find
 * every path, connection and producer warm). Resolves with a delivery whose
 * body the raw run copies.
 */
export async function warmUp(ctx: PhaseContext): Promise<SampleDelivery> {
  const { args, endpoints, load, receiver, tmp, log } = ctx;
  const t2 = now();
  log('warm-up: waiting until every endpoint receives deliveries ...');
  let warmSeq = 0;
  const reached = new Set<number>();
  for (;;) {
    const missing = endpoints.map((_e, k) => k).filter((k) => !reached.has(k));
    if (missing.length === 0) break;
    if (now() - t2 > 120_000) throw new BenchError(`warm-up: endpoints ${missing.join(', ')} received nothing within 120 s; see ${join(tmp, 'logs')}`);
    const events = [];
    for (const k of missing) {
      while (warmSeq % endpoints.length !== k) warmSeq++; // seq ≡ k (mod K) goes to endpoint k
      events.push(load.makeEvent('w', warmSeq++, now()));
    }
    await load.postBatch(events);
    await sleep(1000);
    const paths = await receiver.warmPaths();
    endpoints.forEach((e, k) => paths.includes(e.path) && reached.add(k));
  }
  log(`warm-up: all endpoints receive deliveries (${secs(t2)})`);
  let offset = warmSeq + (endpoints.length - (warmSeq % endpoints.length)); // keep seq ≡ endpoint
  const share = Math.floor(args.warmup / MODES.length);
  for (const mode of MODES) {
    if (share === 0) break;
    const before = receiver.count('w', 'distinct');
    const progress: Progress = { accepted: 0 };
    const warm: Scenario = {
      name: `warm-up ${mode}`,
      mode,
      events: share,
      rate: 0,
      batch: mode === 'single' ? 1 : 500,
      concurrency: mode === 'single' ? 32 : 4,
    };
    const sender = load.send(warm, 'w', progress, offset);
    await load.awaitDeliveries('w', before + share, `warm-up (${mode})`, sender, progress);
    await sender;
    offset += share + (endpoints.length - (share % endpoints.length));
  }
  const sample = (await receiver.report('w')).sample;
  if (!sample) throw new BenchError('warm-up: no delivery body was captured');
  return sample;
}

/** Until log-store has recorded every delivery of a phase as succeeded (at most 60 s). */
async function awaitLogStore(ctx: PhaseContext, phase: Phase, total: number, lastDelivery: number) {
  const { stack, endpoints, runId } = ctx;
  const tenants = endpoints.map((e) => e.tenantId);
  const t3 = now();
  let recorded = 0;
  while (now() - t3 < 60_000) {
    recorded = await pgQuery<{ n: number }>(
      stack.databaseUrl,
      `select count(*)::int as n from deliveries where status = 'succeeded' and tenant_id = any($1) and event_id like $2`,
      [tenants, `${runId}-${phase}-%`],
    ).then(
      (r) => r.rows[0]!.n,
      () => recorded,
    );
    if (recorded >= total) break;
    await sleep(100);
  }
  return { recordedSucceeded: recorded, allRecordedSecondsAfterLastDelivery: recorded >= total ? round((now() - lastDelivery) / 1000, 2) : null };
}

/**
 * One scenario: its events in, every delivery out at the receiver, and until
 * log-store recorded them all; CPU, memory and topic traffic over that window.
 * Its ratio to the raw limit is filled in once the raw run after the scenarios is known.
 */
export async function runScenario(ctx: PhaseContext, s: Scenario, phase: Phase, pids: WatchedProcess[]): Promise<ScenarioResult> {
  const { stack, load, receiver, memory, log } = ctx;
  log(
    `${s.name}: ${s.events} events, ${s.mode === 'single' ? 'one per POST /v1/events' : s.mode === 'batch' ? `POST /v1/events/batch of ${s.batch}` : `produced onto the ingestion topic in sends of ${s.batch}`}, ` +
      (s.rate ? `${s.rate} events/s offered (open loop)` : `${s.concurrency} in flight, as fast as accepted`) +
      ' ...',
  );
  const topicsBefore = await safeTopicCounts(ctx);
  const metricsBefore = await dispatcherMetrics(stack);
  await memory.cut();
  const cpuBefore = cpuSnapshot(pids);
  const progress: Progress = { accepted: 0 };
  const sender = load.send(s, phase, progress);
  await load.awaitDeliveries(phase, s.events, s.name, sender, progress);
  const sent = await sender;
  const { last } = receiver.phaseTimes(phase);
  const logStore = await awaitLogStore(ctx, phase, s.events, last);
  const cpu = cpuReport(cpuBefore, cpuSnapshot(pids));
  const mem = await memory.cut();
  await sleep(Math.max(0, 2000 - (now() - last))); // late duplicates show up here
  const metricsAfter = await dispatcherMetrics(stack);
  const topicsAfter = await safeTopicCounts(ctx);
  const report = await receiver.report(phase);
  const deliveries = receiver.count(phase, 'distinct');
  const seconds = (last - sent.firstSend) / 1000;
  const cpuPer1000: Record<string, number> = {};
  let stackCpu = 0;
  for (const row of cpu.rows) {
    cpuPer1000[row.name] = per1000(row.cpuSeconds, deliveries);
    if (STACK_ROW(row.name)) stackCpu += row.cpuSeconds;
  }
  const result: ScenarioResult = {
    scenario: s,
    deliveries,
    durationS: round(seconds, 2),
    deliveriesPerSecond: round(s.events / seconds, 0),
    ratioToRaw: 0,
    acceptedPerSecond: round(s.events / Math.max(0.001, (sent.lastAccepted - sent.firstSend) / 1000), 0),
    latencyMs: percentiles(report.latencies),
    duplicates: receiver.count(phase, 'duplicates'),
    requests: receiver.count(phase, 'requests'),
    ...receiver.signatureCounts(phase),
    dispatcher: diffMetrics(metricsBefore, metricsAfter),
    logStore,
    cpu,
    cpuPer1000,
    stackCpuPer1000: per1000(stackCpu, deliveries),
    memory: mem,
    topics: topicsBefore && topicsAfter ? topicsPerDelivery(topicsBefore, topicsAfter, deliveries) : [],
  };
  log(
    `${s.name}: ${result.deliveriesPerSecond} deliveries/s, p50/p99 ${result.latencyMs.p50}/${result.latencyMs.p99} ms, ` +
      `${result.stackCpuPer1000} CPU s per 1,000 deliveries (stack), ${result.duplicates} duplicates`,
  );
  return result;
}

async function safeTopicCounts(ctx: PhaseContext): Promise<TopicCounts | null> {
  return topicCounts(ctx.brokers, ctx.topicPrefix, ctx.kafkaLogDir).catch((e: Error) => {
    ctx.log(`could not read the topics' end offsets: ${e.message}`);
    return null;
  });
}

/** Each scenario's latency per hop, from the records its events left on the topics (read once, after the scenarios). */
export async function addHops(ctx: PhaseContext, scenarios: ScenarioResult[]): Promise<void> {
  const t = now();
  try {
    const records = await readHopRecords(ctx.brokers, ctx.topicPrefix, ctx.runId);
    const hops = hopLatencies(
      records,
      ctx.runId,
      scenarios.map((_s, i) => `s${i + 1}`),
    );
    scenarios.forEach((s, i) => (s.hops = hops[`s${i + 1}`]));
    ctx.log(`latency per hop: ${records.length} records read (${secs(t)})`);
  } catch (e) {
    ctx.log(`could not read the latency per hop from the topics: ${(e as Error).message}`);
  }
}
