import type { KeyObject } from 'node:crypto';
import { SERVICES, type Stack } from '@hookline/stack';
import { Pool } from 'undici';
import { now, type Phase } from './counters';
import { sleep } from './measure';
import { BenchError, type BenchOptions } from './options';
import type { BenchReceiver } from './receiver';
import { kafkaLag } from './servers';

export const EVENT_TYPE = 'invoice.paid';

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

export interface LoadContext {
  runId: string;
  args: BenchOptions;
  stack: Stack;
  brokers: string;
  receiver: BenchReceiver;
  endpoints: Endpoint[];
  /** When the whole run must have ended (--max-s). */
  deadline: number;
  logsDir: string;
  log: (msg: string) => void;
}

/** Events into ingest (POST /v1/events/batch), and waiting for their deliveries at the receiver. */
export class Load {
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;

  constructor(private readonly ctx: LoadContext) {
    this.pool = new Pool(ctx.stack.url('ingest'), { connections: ctx.args.parallel, keepAliveTimeout: 30_000 });
    this.headers = { authorization: `Bearer ${ctx.stack.token}`, 'content-type': 'application/json' };
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** Event `seq` of a phase; it goes to endpoint seq mod K and carries its send time for the latency. */
  makeEvent(phase: Phase, seq: number, sentAt: number, id = `${this.ctx.runId}-${phase}-${seq}`): BenchEvent {
    const { endpoints } = this.ctx;
    const k = seq % endpoints.length;
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
    const res = await this.pool.request({ path: '/v1/events/batch', method: 'POST', headers: this.headers, body: JSON.stringify({ events }) });
    const text = await res.body.text();
    if (res.statusCode !== 202) throw new BenchError(`POST /v1/events/batch answered ${res.statusCode}: ${text.slice(0, 500)}`);
  }

  /** Sends `total` events of a phase; resolves with when the first was sent and the last accepted. */
  async sendEvents(
    phase: Phase,
    total: number,
    { batch, parallel, rate, offset = 0 }: { batch: number; parallel: number; rate: number; offset?: number },
    progress?: Progress,
  ): Promise<{ firstSend: number; lastAccepted: number }> {
    let next = 0;
    const start = now();
    const times = { firstSend: 0, lastAccepted: 0 };
    const lane = async () => {
      while (next < total) {
        const from = next;
        const size = Math.min(batch, total - from);
        next += size;
        if (rate) {
          const wait = start + (from / rate) * 1000 - now();
          if (wait > 0) await sleep(wait);
        }
        const sentAt = now();
        if (!times.firstSend) times.firstSend = sentAt;
        const events = [];
        for (let i = from; i < from + size; i++) events.push(this.makeEvent(phase, offset + i, sentAt));
        await this.postBatch(events);
        times.lastAccepted = now();
        if (progress) progress.accepted += size;
      }
    };
    await Promise.all(Array.from({ length: parallel }, lane));
    return times;
  }

  /** Waits until `total` distinct deliveries of a phase arrived; fails on a stall or the deadline. */
  async awaitDeliveries(phase: Phase, total: number, what: string, sender?: Promise<unknown>, progress?: Progress): Promise<void> {
    const { receiver, args, log } = this.ctx;
    let last = -1;
    let lastProgressAt = Date.now();
    let lastPrint = 0;
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
      if (Date.now() - lastPrint > 2000) {
        lastPrint = Date.now();
        log(`${what}: accepted ${accepted}/${total}, delivered ${got}, duplicates ${receiver.count(phase, 'duplicates')}`);
      }
      if (Date.now() - lastProgressAt > args.stallS * 1000) throw await this.stalled(what, got, total, accepted);
      if (Date.now() > this.ctx.deadline) throw new BenchError(`${what}: the run exceeded --max-s ${args.maxS} with ${got}/${total} delivered`);
      await sleep(100);
    }
  }

  private async stalled(what: string, got: number, total: number, accepted: number): Promise<BenchError> {
    const { runId, args, brokers, stack, logsDir } = this.ctx;
    const lag = await kafkaLag(brokers, `${runId}.`).catch((e: Error) => `(could not read consumer offsets: ${e.message})`);
    return new BenchError(
      `${what} stalled: no delivery for ${args.stallS} s with ${got}/${total} delivered (${accepted} accepted by ingest). ` +
        `Service logs: ${logsDir}\n\nWhere the messages are (consumer group lag per topic):\n${lag}\n\n` +
        `${SERVICES.map((s) => `--- ${s} (last lines) ---\n${stack.logTail(s, 5)}`).join('\n')}`,
    );
  }
}
