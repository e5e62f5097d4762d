import { attemptOutcome, type AttemptOutcome, type DeliveryRequest, type EndpointConfig, type EndpointId, type TopicContract } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import type { Attempt, DispatchResults, EndpointConfigs } from './dispatch-request.usecase';

/** One endpoint's config, as of whatever the test sets; records what was asked. */
export class FakeEndpoints implements EndpointConfigs {
  readonly asked: [EndpointId, number][] = [];
  constructor(public config: EndpointConfig) {}
  async get(id: EndpointId, minVersion: number): Promise<EndpointConfig | undefined> {
    this.asked.push([id, minVersion]);
    return id === this.config.id ? this.config : undefined;
  }
  latest(id: EndpointId): EndpointConfig | undefined {
    return id === this.config.id ? this.config : undefined;
  }
}

/** Attempts that end when the test opens their gate; each answers 200. */
export class GatedAttempt implements Attempt {
  readonly started: DeliveryRequest[] = [];
  private readonly gates: (() => void)[] = [];
  constructor(private readonly gated: boolean) {}
  async execute(req: DeliveryRequest, endpoint: EndpointConfig | undefined): Promise<AttemptOutcome> {
    this.started.push(req);
    if (this.gated) await new Promise<void>((open) => this.gates.push(open));
    return attemptOutcome(
      req.deliveryId as unknown as AttemptOutcome['attemptId'],
      req,
      {
        url: endpoint?.url ?? '',
        requestHeaders: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
        startedAt: '2026-11-22T10:00:00Z',
        durationMs: 5,
      },
      { succeeded: true, failure: null, response: { status: 200, headers: {}, body: 'ok', bodyTruncated: false }, retryAfterSeconds: null },
    );
  }
  openAll(): void {
    this.gates.splice(0).forEach((open) => open());
  }
}

export class RecordingResults implements DispatchResults {
  readonly sent: { topic: string; message: OutgoingMessage<TopicContract> }[] = [];
  failWith: Error | null = null;
  async send(topic: TopicContract, messages: OutgoingMessage<TopicContract>[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push(...messages.map((message) => ({ topic: topic.name, message })));
  }
}
