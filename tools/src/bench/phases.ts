import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { signStandardWebhooks } from '@hookline/signing';
import type { Stack } from '@hookline/stack';
import { Agent, request } from 'undici';
import { now, type Phase, type SampleDelivery } from './counters';
import { cpuReport, type CpuReport, cpuSnapshot, type WatchedProcess } from './cpu';
import { diffMetrics, dispatcherMetrics } from './findings';
import { EVENT_TYPE, type Endpoint, type Load, type Progress } from './load';
import { percentiles, round, secs, sleep } from './measure';
import { BenchError, type BenchOptions } from './options';
import { startProfilers, stopProfilers } from './profile';
import type { BenchReceiver } from './receiver';
import type { BenchResult, PipelineResult, RawResult } from './result';
import { pgQuery } from './servers';

/** What the measured phases work with. */
export interface PhaseContext {
  args: BenchOptions;
  runId: string;
  stack: Stack;
  load: Load;
  receiver: BenchReceiver;
  endpoints: Endpoint[];
  /** DISPATCHER_ENDPOINT_CONCURRENCY: the dispatcher's requests in flight per endpoint, which the raw run matches. */
  concurrency: number;
  /** The bench's temporary folder (profiles go there). */
  tmp: string;
  log: (msg: string) => void;
}

/**
 * Endpoint configuration reaches rules-engine and dispatcher over Kafka: sends
 * one event per endpoint until every endpoint has received one, then the
 * warm-up batch. Resolves with a delivery whose body the raw run copies.
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
  if (args.warmup > 0) {
    const before = receiver.count('w', 'distinct');
    const progress: Progress = { accepted: 0 };
    const offset = warmSeq + (endpoints.length - (warmSeq % endpoints.length)); // keep seq ≡ endpoint
    const sender = load.sendEvents('w', args.warmup, { batch: args.batch, parallel: args.parallel, rate: 0, offset }, progress);
    await load.awaitDeliveries('w', before + args.warmup, 'warm-up', sender, progress);
    await sender;
  }
  const sample = (await receiver.report('w')).sample;
  if (!sample) throw new BenchError('warm-up: no delivery body was captured');
  return sample;
}

/** The measured run through ingest → rules-engine → dispatcher → receiver, then until log-store recorded it all. */
export async function runPipeline(
  ctx: PhaseContext,
  pids: WatchedProcess[],
): Promise<{ pipeline: PipelineResult; cpu: CpuReport; profiles?: BenchResult['profiles'] }> {
  const { args, runId, stack, load, receiver, endpoints, tmp, log } = ctx;
  log(
    `pipeline: ${args.events} events to ${args.endpoints} endpoint(s), batches of ${args.batch}, ${args.parallel} in parallel${args.rate ? `, ${args.rate}/s` : ''} ...`,
  );
  const profilers = args.profile ? await startProfilers(stack, log) : [];
  const cpuBefore = cpuSnapshot(pids);
  const metricsBefore = await dispatcherMetrics(stack);
  const progress: Progress = { accepted: 0 };
  const sender = load.sendEvents('p', args.events, args, progress);
  await load.awaitDeliveries('p', args.events, 'pipeline', sender, progress);
  const sent = await sender;
  const cpuAfter = cpuSnapshot(pids);
  const profiles = profilers.length ? await stopProfilers(profilers, join(tmp, 'profiles')) : undefined;
  const pTimes = receiver.phaseTimes('p');
  // log-store: how long until every delivery of the run is recorded as succeeded
  const t3 = now();
  const tenants = endpoints.map((e) => e.tenantId);
  let recorded = 0;
  while (now() - t3 < 60_000) {
    recorded = await pgQuery<{ n: number }>(
      stack.databaseUrl,
      `select count(*)::int as n from deliveries where status = 'succeeded' and tenant_id = any($1) and event_id like $2`,
      [tenants, `${runId}-p-%`],
    ).then(
      (r) => r.rows[0]!.n,
      () => recorded,
    );
    if (recorded >= args.events) break;
    await sleep(250);
  }
  const logStore = {
    recordedSucceeded: recorded,
    allRecordedSecondsAfterLastDelivery: recorded >= args.events ? round((now() - pTimes.last) / 1000, 2) : null,
  };

  await sleep(Math.max(0, 2000 - (now() - pTimes.last))); // late duplicates show up here
  const metricsAfter = await dispatcherMetrics(stack);
  const figures = await phaseFigures(receiver, 'p', args.events, sent.firstSend, pTimes.last);
  const pipeline: PipelineResult = {
    deliveries: figures.distinct,
    durationS: figures.durationS,
    deliveriesPerSecond: figures.perSecond,
    ingestAcceptedPerSecond: round(args.events / ((sent.lastAccepted - sent.firstSend) / 1000), 0),
    latencyMs: figures.latencyMs,
    duplicates: receiver.count('p', 'duplicates'),
    requests: receiver.count('p', 'requests'),
    ...receiver.signatureCounts('p'),
    dispatcher: diffMetrics(metricsBefore, metricsAfter),
    logStore,
  };
  return { pipeline, cpu: cpuReport(cpuBefore, cpuAfter), profiles };
}

/**
 * The raw limit: the same number of Standard-Webhooks-signed POSTs of the same
 * body shape, with the dispatcher's concurrency budget, from this process
 * straight to the receiver.
 */
export async function runRaw(ctx: PhaseContext, pids: WatchedProcess[], sample: SampleDelivery): Promise<{ raw: RawResult; rawCpu: CpuReport }> {
  const { args, runId, load, receiver, endpoints, concurrency, log } = ctx;
  const template = JSON.parse(sample.body) as Record<string, unknown>;
  const rawBody = (id: string, seq: number, sentAt: number) => {
    const event = load.makeEvent('r', seq, sentAt, id) as unknown as Record<string, unknown>;
    // same fields, same order as the pipeline's delivery body
    const body: Record<string, unknown> = {};
    for (const key of Object.keys(template)) body[key] = key in event ? event[key] : template[key];
    return JSON.stringify(body);
  };
  const agent = new Agent({ connections: args.endpoints * concurrency, keepAliveTimeout: 4_000, connect: { timeout: 5_000 } });
  const sendRaw = async (phase: Phase, total: number) => {
    let next = 0;
    let first = 0;
    let lastDone = 0;
    const lane = async () => {
      while (next < total) {
        const seq = next++;
        const endpoint = endpoints[seq % endpoints.length]!;
        const sentAt = now();
        if (!first) first = sentAt;
        const id = phase === 'r' ? `${runId}-r-${seq}` : `${runId}-w-raw${seq}`;
        const body = rawBody(id, seq, sentAt);
        const timestamp = Math.floor(Date.now() / 1000);
        const deliveryId = randomUUID();
        const res = await request(endpoint.url, {
          method: 'POST',
          dispatcher: agent,
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signStandardWebhooks({ secrets: [endpoint.hmacKey], id, timestamp, body }),
            'x-hookline-event': EVENT_TYPE,
            'x-hookline-delivery': deliveryId,
            'idempotency-key': deliveryId,
            traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
          },
          body,
        });
        await res.body.text();
        if (res.statusCode !== 200) throw new BenchError(`raw POST answered ${res.statusCode}`);
        lastDone = now();
      }
    };
    await Promise.all(Array.from({ length: args.endpoints * concurrency }, lane));
    return { first, lastDone };
  };
  try {
    log(`raw: ${Math.min(1000, args.events)} warm-up and ${args.events} signed POSTs straight to the receiver, ${args.endpoints * concurrency} in flight ...`);
    await sendRaw('w', Math.min(1000, args.events));
    const rawCpuBefore = cpuSnapshot(pids);
    const sent = await sendRaw('r', args.events);
    const rawCpu = cpuReport(rawCpuBefore, cpuSnapshot(pids));
    const figures = await phaseFigures(receiver, 'r', args.events, sent.first, sent.lastDone);
    const raw: RawResult = {
      requests: figures.distinct,
      durationS: figures.durationS,
      requestsPerSecond: figures.perSecond,
      latencyMs: figures.latencyMs,
      ...receiver.signatureCounts('r'),
      benchProcessCpuPercent: rawCpu.rows.find((r) => r.name.startsWith('bench'))?.percent,
    };
    return { raw, rawCpu };
  } finally {
    await agent.close();
  }
}

/** What both measured phases report: distinct requests received, the time from the first send to the last receipt, the rate, latencies. */
async function phaseFigures(receiver: BenchReceiver, phase: Phase, events: number, firstSend: number, lastReceipt: number) {
  const seconds = (lastReceipt - firstSend) / 1000;
  const report = await receiver.report(phase);
  return {
    distinct: receiver.count(phase, 'distinct'),
    durationS: round(seconds, 2),
    perSecond: round(events / seconds, 0),
    latencyMs: percentiles(report.latencies),
  };
}
