import { AttemptsCompletedTopic, DeliveriesDeferredTopic } from '@hookline/contracts';
import type { AttemptOutcome, DeliveryRequest, EndpointConfig, EndpointId, TopicContract } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { aDeliveryRequest, anEndpointConfig, FIXTURE_ENDPOINT_ID } from '@hookline/testing';
import pino from 'pino';
import { DispatchRequest, type Attempt, type DispatchResults, type EndpointConfigs } from './dispatch-request.usecase';
import { EndpointLimiter } from './endpoint-limiter';

const ENDPOINT = FIXTURE_ENDPOINT_ID;
const config: EndpointConfig = anEndpointConfig({ version: 2 });
const request = (n: number, attempt = 1): DeliveryRequest => aDeliveryRequest(n, { attempt, endpointVersion: 2 });

class FakeEndpoints implements EndpointConfigs {
  readonly asked: [EndpointId, number][] = [];
  async get(id: EndpointId, minVersion: number): Promise<EndpointConfig | undefined> {
    this.asked.push([id, minVersion]);
    return id === config.id ? config : undefined;
  }
}

/** Attempts that end when the test opens their gate; each answers 200. */
class GatedAttempt implements Attempt {
  readonly started: DeliveryRequest[] = [];
  private readonly gates: (() => void)[] = [];
  constructor(private readonly gated: boolean) {}
  async execute(req: DeliveryRequest, endpoint: EndpointConfig | undefined): Promise<AttemptOutcome> {
    this.started.push(req);
    if (this.gated) await new Promise<void>((open) => this.gates.push(open));
    return {
      attemptId: req.deliveryId as unknown as AttemptOutcome['attemptId'],
      request: req,
      url: endpoint?.url ?? '',
      requestHeaders: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
      startedAt: '2026-11-22T10:00:00Z',
      durationMs: 5,
      succeeded: true,
      failure: null,
      response: { status: 200, headers: {}, body: 'ok', bodyTruncated: false },
      retryAfterSeconds: null,
    };
  }
  openAll(): void {
    this.gates.splice(0).forEach((open) => open());
  }
}

class RecordingResults implements DispatchResults {
  readonly sent: { topic: string; message: OutgoingMessage<TopicContract> }[] = [];
  failWith: Error | null = null;
  async send(topic: TopicContract, messages: OutgoingMessage<TopicContract>[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push(...messages.map((message) => ({ topic: topic.name, message })));
  }
}

const silent = pino({ level: 'silent' });

describe(DispatchRequest.name, () => {
  it("attempts with the endpoint's config at the routed version and puts the outcome on Kafka with the attempt's trace", async () => {
    const endpoints = new FakeEndpoints();
    const results = new RecordingResults();
    const dispatch = new DispatchRequest(endpoints, new GatedAttempt(false), results, new EndpointLimiter(2), 200, () => 0.5, silent);
    expect(await dispatch.execute(request(1), {})).toBe('attempted');
    expect(endpoints.asked).toEqual([[ENDPOINT, 2]]);
    expect(results.sent).toHaveLength(1);
    expect(results.sent[0].topic).toBe(AttemptsCompletedTopic.name);
    expect(results.sent[0].message.value).toMatchObject({ succeeded: true, request: { deliveryId: request(1).deliveryId } });
    expect(results.sent[0].message.headers).toEqual({ traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` });
  });

  it('defers a request of an endpoint that is backed up and slow, keeping its attempt number, and attempts nothing', async () => {
    let now = 0;
    const limiter = new EndpointLimiter(1, () => now);
    const attempt = new GatedAttempt(true);
    const results = new RecordingResults();
    const dispatch = new DispatchRequest(new FakeEndpoints(), attempt, results, limiter, 2, () => 0, silent);
    const inFlight = [1, 2, 3].map((n) => dispatch.execute(request(n), {})); // one running, two queued: the queue is full
    await new Promise((r) => setImmediate(r));
    now = 1_000; // the running attempt is now slow
    expect(await dispatch.execute(request(4, 3), { traceparent: 't' })).toBe('deferred');
    expect(attempt.started.map((r) => r.event.id)).toEqual(['evt_1']);
    expect(results.sent).toEqual([
      {
        topic: DeliveriesDeferredTopic.name,
        message: { value: { request: request(4, 3), delayMs: 2_000, reason: 'endpoint queue full' }, headers: { traceparent: 't' } },
      },
    ]);
    attempt.openAll();
    await new Promise((r) => setImmediate(r));
    attempt.openAll();
    await new Promise((r) => setImmediate(r));
    attempt.openAll();
    await Promise.all(inFlight);
  });

  it('queues a backed-up endpoint that is fast (a burst) instead of deferring it', async () => {
    const limiter = new EndpointLimiter(1, () => 0);
    const attempt = new GatedAttempt(true);
    const dispatch = new DispatchRequest(new FakeEndpoints(), attempt, new RecordingResults(), limiter, 1, () => 0, silent);
    const first = dispatch.execute(request(1), {});
    const queued = dispatch.execute(request(2), {});
    await new Promise((r) => setImmediate(r));
    const third = dispatch.execute(request(3), {}); // the queue is full but nothing has run for a second
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      attempt.openAll();
    }
    expect(await Promise.all([first, queued, third])).toEqual(['attempted', 'attempted', 'attempted']);
  });

  it('fails when the outcome cannot be produced, so the offset is not committed', async () => {
    const results = new RecordingResults();
    results.failWith = new Error('broker down');
    const dispatch = new DispatchRequest(new FakeEndpoints(), new GatedAttempt(false), results, new EndpointLimiter(1), 200, () => 0.5, silent);
    await expect(dispatch.execute(request(1), {})).rejects.toThrow('broker down');
  });
});
