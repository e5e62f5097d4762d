import { randomBytes, randomUUID } from 'node:crypto';
import { signStandardWebhooks } from '@hookline/signing';
import { Agent, request } from 'undici';
import { now, type Phase, type SampleDelivery } from './counters';
import { cpuReport, cpuSnapshot, type WatchedProcess } from './cpu';
import { EVENT_TYPE } from './load';
import { percentiles, round, sleep } from './measure';
import { BenchError } from './options';
import type { PhaseContext } from './phases';
import type { RawResult } from './result';

/**
 * Requests sent before each raw measurement, always the same number, so both
 * raw runs start equally warm: with 1,000 the first raw run of a fresh bench
 * still ran on cold code (its sender spent 3× the CPU per request of the
 * second) and reported a third of the second's rate.
 */
export const RAW_WARMUP = 5000;

/**
 * The raw limit: `events` Standard-Webhooks-signed POSTs of the delivery's body
 * shape and headers, `concurrency` in flight (the dispatcher's budget), from
 * the bench process straight to the receiver process, signing each one as the
 * dispatcher does. `n` (1 or 2) tells the run before the scenarios from the
 * one after.
 */
export async function runRaw(
  ctx: PhaseContext,
  pids: WatchedProcess[],
  sample: SampleDelivery,
  n: 1 | 2,
  events: number,
  concurrency: number,
): Promise<RawResult> {
  const { runId, load, receiver, endpoints, log } = ctx;
  const template = JSON.parse(sample.body) as Record<string, unknown>;
  const rawBody = (id: string, seq: number, sentAt: number) => {
    const event = load.makeEvent('r', seq, sentAt, id) as unknown as Record<string, unknown>;
    // same fields, same order as the pipeline's delivery body
    const body: Record<string, unknown> = {};
    for (const key of Object.keys(template)) body[key] = key in event ? event[key] : template[key];
    return JSON.stringify(body);
  };
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 4_000, connect: { timeout: 5_000 } });
  const sendRaw = async (phase: Phase, total: number) => {
    let next = 0;
    let first = 0;
    const lane = async () => {
      while (next < total) {
        const seq = next++;
        const endpoint = endpoints[seq % endpoints.length]!;
        const sentAt = now();
        if (!first) first = sentAt;
        const id = `${runId}-${phase}-${seq}`;
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
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return first;
  };
  const phase = `r${n}`;
  try {
    log(`raw ${n}: ${RAW_WARMUP} warm-up and ${events} signed POSTs straight to the receiver, ${concurrency} in flight ...`);
    await sendRaw(`q${n}`, RAW_WARMUP);
    await sleep(500);
    const before = cpuSnapshot(pids);
    const first = await sendRaw(phase, events);
    // The counters reach the bench a moment after the last answer: wait for them, then take the receiver's last receipt.
    const waitUntil = now() + 10_000;
    while (receiver.count(phase, 'distinct') < events) {
      if (now() > waitUntil) throw new BenchError(`raw ${n}: the receiver counted ${receiver.count(phase, 'distinct')} of ${events} answered requests`);
      await sleep(10);
    }
    const cpu = cpuReport(before, cpuSnapshot(pids));
    const seconds = (receiver.phaseTimes(phase).last - first) / 1000;
    const report = await receiver.report(phase);
    const raw: RawResult = {
      when: n === 1 ? 'before' : 'after',
      requests: receiver.count(phase, 'distinct'),
      durationS: round(seconds, 2),
      requestsPerSecond: round(events / seconds, 0),
      latencyMs: percentiles(report.latencies),
      ...receiver.signatureCounts(phase),
      cpu,
    };
    log(`raw ${n}: ${raw.requestsPerSecond} req/s`);
    return raw;
  } finally {
    await agent.close();
  }
}
