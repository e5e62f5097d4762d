import type { KeyObject } from 'node:crypto';
import { builtinEventType } from '@hookline/catalog';
import { EventsIngestedTopic, type ValueOf } from '@hookline/contracts';
import { BatchingProducer, createKafka, TopicNames } from '@hookline/kafka';
import { SERVICES, type Stack } from '@hookline/stack';
import pino from 'pino';
import { Pool } from 'undici';
import { now, type Phase } from './counters';
import { sleep } from './measure';
import { BenchError, type BenchOptions, type Scenario } from './options';
import type { BenchReceiver } from './receiver';
import { kafkaLag } from './servers';

export const EVENT_TYPE = 'invoice.paid';
const INVOICE_PAID_EXAMPLE = builtinEventType(EVENT_TYPE)!.example;

/** `--rules`: an endpoint filter every bench event matches (its data always has a number `seq`). */
export const EVERY_EVENT_FILTER = {
  all: [
    { path: 'data.seq', op: 'gte', value: 0 },
    { path: 'type', op: 'starts_with', value: 'invoice.' },
  ],
};

/**
 * `--rules`: rule `r` of a bench tenant, triggered by every bench event and
 * evaluated on each, whose conditions never match (no bench event has such a
 * sequence number), so it makes no delivery the bench would have to count.
 */
export function benchRule(r: number, endpointId: string) {
  return {
    name: `bench rule ${r}`,
    trigger: { eventTypes: ['invoice.*'] },
    conditions: {
      all: [
        { path: 'data.seq', op: 'lt', value: -1 - r },
        {
          any: [
            { path: 'data.currency', op: 'in', value: ['EUR', 'USD', 'GBP'] },
            { path: 'type', op: 'ends_with', value: '.paid' },
          ],
        },
      ],
    },
    actions: [{ type: 'deliver', endpointIds: [endpointId], transform: '{ "seq": data.seq }' }],
  };
}

/** Open-loop requests in flight at most: beyond it the sender waits, and the achieved rate falls below the offered one (reported). */
const OPEN_LOOP_MAX_IN_FLIGHT = 2000;

export interface Endpoint {
  tenantId: string;
  path: string;
  url: string;
  hmacKey: KeyObject;
}

export interface BenchEvent {
  id: string;
  tenantId: string;
  type: string;
  data: Record<string, unknown>;
}

/** How far a phase's sender got, for progress lines and stall detection. */
export interface Progress {
  accepted: number;
  lastAccepted?: number;
}

/** When a scenario's sender sent its first event, sent its last one, and had the last one accepted (202 or broker ack). */
export interface SendTimes {
  firstSend: number;
  lastSend: number;
  lastAccepted: number;
}

export interface LoadContext {
  runId: string;
  args: BenchOptions;
  stack: Stack;
  brokers: string;
  topicPrefix: string;
  receiver: BenchReceiver;
  endpoints: Endpoint[];
  /** When the whole run must have ended (--max-s). */
  deadline: number;
  logsDir: string;
  log: (msg: string) => void;
}

/** Events into Hookline (HTTP API or the ingestion topic), and waiting for their deliveries at the receiver. */
export class Load {
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;
  private producer: Promise<BatchingProducer> | undefined;

  constructor(private readonly ctx: LoadContext) {
    // Enough connections that neither 32 closed-loop senders nor an open-loop rate queue inside the bench.
    this.pool = new Pool(ctx.stack.url('ingest'), { connections: 256, keepAliveTimeout: 30_000 });
    this.headers = { authorization: `Bearer ${ctx.stack.token}`, 'content-type': 'application/json' };
  }

  async close(): Promise<void> {
    await this.producer?.then((p) => p.disconnect()).catch(() => undefined);
    await this.pool.close();
  }

  /** Event `seq` of a phase; it goes to endpoint seq mod K and carries its send time for the latency. */
  makeEvent(phase: Phase, seq: number, sentAt: number, id = `${this.ctx.runId}-${phase}-${seq}`): BenchEvent {
    const { endpoints } = this.ctx;
    const k = seq % endpoints.length;
    if (this.ctx.args.schemaMode) {
      // The type's own example, which its schema accepts, with the fields the receiver reads added (the schema allows extra ones).
      return { id, tenantId: endpoints[k]!.tenantId, type: EVENT_TYPE, data: { ...INVOICE_PAID_EXAMPLE, id: `inv_${seq}`, seq, sentAt } };
    }
    return {
      id,
      tenantId: endpoints[k]!.tenantId,
      type: EVENT_TYPE,
      data: {
        invoiceId: `inv_${seq}`,
        customerId: `cus_${k}_${seq % 97}`,
        amount: 4200 + (seq % 1000),
        currency: 'EUR',
        status: 'paid',
        lines: [{ sku: 'plan-pro-monthly', quantity: 1, amount: 4200 }],
        seq,
        sentAt,
      },
    };
  }

  async postBatch(events: BenchEvent[]): Promise<void> {
    await this.post('/v1/events/batch', { events });
  }

  private async post(path: string, body: unknown): Promise<void> {
    const res = await this.pool.request({ path, method: 'POST', headers: this.headers, body: JSON.stringify(body) });
    const text = await res.body.text();
    if (res.statusCode !== 202) throw new BenchError(`POST ${path} answered ${res.statusCode}: ${text.slice(0, 500)}`);
  }

  /** Produces onto the ingestion topic as a customer's producer would: acks from all replicas, keyed by tenant (the contract's key). */
  private async produce(events: BenchEvent[]): Promise<void> {
    // One connect for all the senders that arrive before it finishes: each awaits the same promise.
    this.producer ??= (async () => {
      const { brokers, topicPrefix } = this.ctx;
      const logger = pino({ level: 'warn', base: { component: 'bench-producer' } }, pino.destination(2));
      const producer = new BatchingProducer(
        createKafka({ brokers: brokers.split(','), clientId: 'hookline-bench-producer', logger }),
        new TopicNames(topicPrefix),
        {
          lingerMs: 1,
          maxBatch: 500,
        },
      );
      await producer.connect();
      return producer;
    })();
    const producer = await this.producer;
    // Plain JSON, as any producer writes it: ingest validates it like an HTTP body (the brand is ingest's to give).
    await producer.send(
      EventsIngestedTopic,
      events.map((event) => ({ value: event as unknown as ValueOf<typeof EventsIngestedTopic> })),
    );
  }

  /** Sends one chunk of `size` events starting at `seq` the scenario's way, stamped with `sentAt`. */
  private sendChunk(s: Scenario, phase: Phase, seq: number, size: number, offset: number, sentAt: number): Promise<void> {
    const events: BenchEvent[] = [];
    for (let i = seq; i < seq + size; i++) events.push(this.makeEvent(phase, offset + i, sentAt));
    if (s.mode === 'single') return this.post('/v1/events', events[0]);
    if (s.mode === 'batch') return this.postBatch(events);
    return this.produce(events);
  }

  /**
   * Sends a scenario's events: closed loop (`concurrency` senders, each sending
   * its next chunk once the last was accepted) or, with a rate, open loop (each
   * chunk at its scheduled time, whether or not earlier ones were answered).
   * An open-loop event carries its scheduled time as its send time, so a
   * sender held back (by the in-flight bound) does not hide the wait from the
   * latency.
   */
  async send(s: Scenario, phase: Phase, progress?: Progress, offset = 0): Promise<SendTimes> {
    const times: SendTimes = { firstSend: 0, lastSend: 0, lastAccepted: 0 };
    const total = s.events;
    let next = 0;
    const one = async (from: number, size: number, scheduledAt?: number) => {
      const t = now();
      if (!times.firstSend) times.firstSend = scheduledAt ?? t;
      times.lastSend = t;
      await this.sendChunk(s, phase, from, size, offset, scheduledAt ?? t);
      times.lastAccepted = now();
      if (progress) progress.accepted += size;
    };
    if (!s.rate) {
      const lane = async () => {
        while (next < total) {
          const from = next;
          const size = Math.min(s.batch, total - from);
          next += size;
          await one(from, size);
        }
      };
      await Promise.all(Array.from({ length: s.concurrency }, lane));
      return times;
    }
    const start = now();
    const due = (seq: number) => start + (seq / s.rate) * 1000;
    // A count and one waiter, not Promise.race over the pending requests: race would add a reaction to every
    // pending request each time the bound is hit, which grew the sender to a gigabyte at 800/s against a slower ingest.
    let inFlight = 0;
    let freed: (() => void) | undefined;
    let failure: unknown;
    const all: Promise<void>[] = [];
    while (next < total) {
      const wait = due(next) - now();
      if (wait > 1) await sleep(wait);
      while (next < total && due(next) <= now()) {
        if (failure) throw failure;
        while (inFlight >= OPEN_LOOP_MAX_IN_FLIGHT) await new Promise<void>((resolve) => (freed = resolve));
        const from = next;
        const size = Math.min(s.batch, total - from);
        next += size;
        inFlight++;
        all.push(
          one(from, size, due(from))
            .catch((e: unknown) => void (failure ??= e))
            .finally(() => {
              inFlight--;
              freed?.();
              freed = undefined;
            }),
        );
      }
    }
    await Promise.all(all);
    if (failure) throw failure;
    return times;
  }

  /** Waits until `total` distinct deliveries of a phase arrived; fails on a stall or the deadline. */
  async awaitDeliveries(phase: Phase, total: number, what: string, sender?: Promise<unknown>, progress?: Progress): Promise<void> {
    const { receiver, args, log } = this.ctx;
    let last = -1;
    let lastProgressAt = Date.now();
    let lastPrint = Date.now();
    let senderError: unknown;
    sender?.catch((e: unknown) => (senderError = e));
    for (;;) {
      if (senderError) throw senderError;
      const got = receiver.count(phase, 'distinct');
      if (got >= total) return;
      const accepted = progress?.accepted ?? total;
      if (got !== last || accepted !== progress?.lastAccepted) {
        last = got;
        if (progress) progress.lastAccepted = accepted;
        lastProgressAt = Date.now();
      }
      if (Date.now() - lastPrint > 5000) {
        lastPrint = Date.now();
        log(`${what}: accepted ${accepted}/${total}, delivered ${got}, duplicates ${receiver.count(phase, 'duplicates')}`);
      }
      if (Date.now() - lastProgressAt > args.stallS * 1000) throw await this.stalled(what, got, total, accepted);
      if (Date.now() > this.ctx.deadline) throw new BenchError(`${what}: the run exceeded --max-s ${args.maxS} with ${got}/${total} delivered`);
      await sleep(100);
    }
  }

  private async stalled(what: string, got: number, total: number, accepted: number): Promise<BenchError> {
    const { args, brokers, stack, logsDir, topicPrefix } = this.ctx;
    const lag = await kafkaLag(brokers, topicPrefix).catch((e: Error) => `(could not read consumer offsets: ${e.message})`);
    return new BenchError(
      `${what} stalled: no delivery for ${args.stallS} s with ${got}/${total} delivered (${accepted} accepted). ` +
        `Service logs: ${logsDir}\n\nWhere the messages are (consumer group lag per topic):\n${lag}\n\n` +
        `${SERVICES.map((s) => `--- ${s} (last lines) ---\n${stack.logTail(s, 5)}`).join('\n')}`,
    );
  }
}
