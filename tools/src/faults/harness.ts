import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ServiceName, Stack, type SupervisionEvent } from '@hookline/stack';
import { pgQuery } from '../bench/servers';
import { type Behaviour, FaultReceiver } from './receiver';
import { type ExpectedPair, pairOf, type Tally, tally } from './tally';
import type { World } from './world';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A scenario that could not finish: its row says why. */
export class ScenarioFailure extends Error {}

export interface Endpoint {
  id: string;
  tenantId: string;
  path: string;
}

export interface TestEvent {
  id: string;
  tenantId: string;
  type: string;
  data: { key: string; seq: number; sentAt: number; amount: number };
}

export interface HarnessOptions {
  tag: string;
  world: World;
  /** Epoch ms by which the scenario must have ended. */
  deadline: number;
  logDir: string;
  log: (msg: string) => void;
  env?: Record<string, string>;
}

/**
 * One scenario's world: a fresh stack (own database and topic prefix) on the
 * suite's Kafka and PostgreSQL, the receiver, the events sent and what is
 * expected of them. The stack runs with the supervision `npm start` uses
 * (libs/stack `restart`): a service killed by a scenario, or one that exits on
 * its own, is started again by it; the ones nobody killed are counted.
 */
export class Harness {
  readonly stack: Stack;
  readonly receiver = new FaultReceiver();
  readonly expected: ExpectedPair[] = [];
  readonly endpoints: Endpoint[] = [];
  /** POSTs of events that failed (refused, 5xx) and were sent again with the same ids. */
  retriedPosts = 0;
  /** Services that exited on their own (not killed by the scenario). */
  readonly unexpectedExits: string[] = [];
  /** Kills the scenario made whose exit the supervision has not reported yet. */
  private readonly killsPending = new Map<ServiceName, number>();
  private readonly restarts = new Map<ServiceName, number>();

  constructor(readonly opts: HarnessOptions) {
    const logDir = join(opts.logDir, opts.tag);
    mkdirSync(logDir, { recursive: true });
    this.stack = new Stack({
      brokers: opts.world.brokers,
      databaseUrl: opts.world.databaseUrl,
      database: `faults_${opts.tag}_${randomBytes(3).toString('hex')}`,
      topicPrefix: `${opts.tag}${randomBytes(3).toString('hex')}.`,
      logDir,
      env: { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', ...opts.env },
      restart: { onEvent: (event) => this.supervised(event) },
    });
  }

  private supervised(event: SupervisionEvent): void {
    const name = event.service;
    if (event.type === 'exited') {
      const pending = this.killsPending.get(name) ?? 0;
      if (pending > 0) this.killsPending.set(name, pending - 1);
      else {
        this.unexpectedExits.push(`${name} (${event.code})`);
        this.log(`${name} exited on its own (code ${event.code}); the supervision starts it again in ${event.restartInMs} ms`);
      }
    } else if (event.type === 'restarted') {
      this.restarts.set(name, (this.restarts.get(name) ?? 0) + 1);
    } else if (event.type === 'restart-failed') {
      this.log(`restarting ${name} failed: ${event.error.message.split('\n')[0]}`);
    } else {
      this.unexpectedExits.push(`${name} (${event.code}, left down after ${event.crashes} crashes)`);
      this.log(`${name}: the supervision gave up after ${event.crashes} crashes within ${event.windowMs / 1000} s`);
    }
  }

  get log() {
    return this.opts.log;
  }

  async start(): Promise<this> {
    await Promise.all([this.stack.start(), this.receiver.start()]);
    return this;
  }

  async stop(): Promise<void> {
    await this.stack.stop().catch((e: Error) => this.log(`stopping the services: ${e.message}`));
    await this.receiver.stop();
  }

  /** kill -9 of a service; resolves once the stack's supervision has started it again and it is ready. */
  async killAndAwaitRestart(name: ServiceName): Promise<void> {
    const before = this.restarts.get(name) ?? 0;
    this.killsPending.set(name, (this.killsPending.get(name) ?? 0) + 1);
    await this.stack.kill(name);
    while ((this.restarts.get(name) ?? 0) === before) {
      this.checkDeadline(`waiting for ${name} to be restarted`);
      await sleep(100);
    }
  }

  /** `count` endpoints in `tenantId`, all subscribed to every event type. */
  async addEndpoints(tenantId: string, count: number, options: { behaviour?: Behaviour; timeoutMs?: number } = {}): Promise<Endpoint[]> {
    const made: Endpoint[] = [];
    for (let i = 0; i < count; i++) {
      const path = `/${tenantId}/${this.endpoints.length}`;
      const res = await this.stack.api<{ id: string; secret: string }>('admin-api', 'POST', `/v1/tenants/${tenantId}/endpoints`, {
        url: `${this.receiver.url}${path}`,
        eventTypes: ['*'],
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      });
      if (res.status !== 201) throw new ScenarioFailure(`creating an endpoint failed: ${res.status} ${JSON.stringify(res.body)}`);
      this.receiver.addEndpoint(path, res.body.secret, options.behaviour);
      const endpoint = { id: res.body.id, tenantId, path };
      this.endpoints.push(endpoint);
      made.push(endpoint);
    }
    // Endpoint changes reach rules-engine and dispatcher over Kafka: one event each proves they arrived.
    const tenants = made.map((e) => e.tenantId).filter((t, i, all) => all.indexOf(t) === i);
    await this.sendEvents(tenants, 1, { rate: 0, name: `ready${this.endpoints.length}` });
    await this.waitDelivered('the first delivery to each new endpoint', 60_000);
    return made;
  }

  event(tenantId: string, name: string, seq: number, sentAt: number): TestEvent {
    const key = `${this.opts.tag}-${name}-${seq}`;
    return { id: `evt_${key}`, tenantId, type: 'invoice.paid', data: { key, seq, sentAt, amount: 4200 + (seq % 100) } };
  }

  /** Marks the event as expected at every endpoint of its tenant. */
  expect(event: { id: string; tenantId: string; data: { key: string } }): void {
    for (const e of this.endpoints) if (e.tenantId === event.tenantId) this.expected.push({ path: e.path, key: event.data.key, eventId: event.id });
  }

  /**
   * Sends `count` events per tenant through POST /v1/events/batch at `rate`
   * events/s (0: as fast as accepted), like a real producer: a POST refused or
   * answered 5xx is sent again with the same events (same ids) after a pause
   * (its Retry-After when given), until the deadline.
   */
  async sendEvents(tenants: string[], count: number, { rate, name, batch = 50 }: { rate: number; name: string; batch?: number }): Promise<void> {
    const start = Date.now();
    const total = tenants.length * count;
    for (let from = 0; from < total; from += batch) {
      if (rate) {
        const wait = start + (from / rate) * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
      }
      const sentAt = Date.now();
      const events: TestEvent[] = [];
      for (let i = from; i < Math.min(total, from + batch); i++) events.push(this.event(tenants[i % tenants.length]!, name, i, sentAt));
      for (const e of events) this.expect(e);
      await this.post(events);
    }
  }

  private async post(events: TestEvent[]): Promise<void> {
    for (;;) {
      this.checkDeadline(`sending events (${this.retriedPosts} POSTs retried)`);
      let retryAfterMs = 500;
      try {
        const res = await fetch(`${this.stack.url('ingest')}/v1/events/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.stack.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        if (res.status === 202) return;
        if (res.status < 500) throw new ScenarioFailure(`POST /v1/events/batch answered ${res.status}: ${text.slice(0, 300)}`);
        const retryAfter = Number(res.headers.get('retry-after'));
        if (retryAfter > 0) retryAfterMs = Math.min(5000, retryAfter * 1000);
      } catch (e) {
        if (e instanceof ScenarioFailure) throw e;
      }
      this.retriedPosts++;
      await sleep(retryAfterMs);
    }
  }

  checkDeadline(what: string): void {
    if (Date.now() > this.opts.deadline) throw new ScenarioFailure(`deadline reached while ${what}`);
  }

  tally(): Tally {
    return tally(this.expected, this.receiver.receipts);
  }

  /** Waits until every expected pair was delivered (or the deadline, or `timeoutMs`), then a moment more for late repeats. */
  async waitDelivered(what: string, timeoutMs = Infinity): Promise<void> {
    const until = Math.min(this.opts.deadline, Date.now() + timeoutMs);
    let lastPrint = Date.now();
    for (;;) {
      const t = this.tally();
      if (t.lost === 0) break;
      if (Date.now() > until) throw new ScenarioFailure(`${what}: ${t.lost} of ${this.expected.length} deliveries never arrived`);
      if (Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now();
        this.log(`${what}: ${t.delivered}/${this.expected.length} delivered`);
      }
      await sleep(200);
    }
  }

  /**
   * Delivered pairs that the delivery log (log-store's tables) does not show
   * as a delivery with a succeeded attempt, after giving log-store up to
   * `graceMs` to catch up.
   */
  async missingFromLog(graceMs = 30_000): Promise<number> {
    const endpointOf = new Map(this.endpoints.map((e) => [e.path, e]));
    const until = Math.min(this.opts.deadline + 60_000, Date.now() + graceMs);
    for (;;) {
      const delivered = [...this.tally().firsts.values()];
      const rows = await pgQuery<{ event_id: string; endpoint_id: string }>(
        this.stack.databaseUrl,
        `select d.event_id, d.endpoint_id from deliveries d where exists (select 1 from attempts a where a.delivery_id = d.id and a.succeeded)`,
      ).then(
        (r) => r.rows,
        () => null,
      );
      const logged = new Set((rows ?? []).map((r) => `${r.endpoint_id} ${r.event_id}`));
      const missing = delivered.filter((r) => !logged.has(`${endpointOf.get(r.path)?.id} ${r.webhookId}`)).length;
      if (missing === 0 || Date.now() > until) return missing;
      await sleep(1000);
    }
  }

  firstReceiptTimes(): number[] {
    return [...this.tally().firsts.values()].map((r) => r.at);
  }

  /** When the last expected delivery first arrived (undefined while some are missing). */
  lastExpectedAt(): number | undefined {
    const t = this.tally();
    return t.lost ? undefined : Math.max(...[...t.firsts.values()].map((r) => r.at));
  }

  receiptsOf(path: string, key: string) {
    return this.receiver.receipts.filter((r) => pairOf(r.path, r.key) === pairOf(path, key));
  }
}
