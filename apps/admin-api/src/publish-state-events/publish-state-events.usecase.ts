import { EventsAcceptedTopic, type EndpointId, type EventEnvelope } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import type { Logger } from 'pino';
import type { StateEventRelay } from '../endpoints/change-endpoint-state/change-endpoint-state.usecase';

/** The outbox of `endpoint.*` events (PostgreSQL), written with each state change. */
export interface StateEventOutbox {
  /** Hands the rows whose endpoint version is on the endpoints topic (of one endpoint, or all) to `publish` and deletes them once it resolved; returns how many. */
  relayReady(limit: number, endpointId: EndpointId | undefined, publish: (events: EventEnvelope[]) => Promise<void>): Promise<number>;
}

/** The accepted-events topic, where operational events enter the tenant's stream; resolves once the broker has them. */
export interface EventStream {
  send(topic: typeof EventsAcceptedTopic, messages: OutgoingMessage<typeof EventsAcceptedTopic>[]): Promise<void>;
}

/**
 * Emits `endpoint.*` events into their tenant's event stream (keyed by
 * tenant, like any accepted event, so log-store logs them and rules-engine
 * routes them). An event waits in the outbox until the endpoint version it
 * announces is on the endpoints topic: rules-engine catches up with that
 * topic before routing, so the event is routed by the endpoint's new state.
 */
export class PublishStateEvents implements StateEventRelay {
  constructor(
    private readonly outbox: StateEventOutbox,
    private readonly stream: EventStream,
    private readonly logger: Logger,
  ) {}

  async execute(limit: number, endpointId?: EndpointId): Promise<number> {
    return this.outbox.relayReady(limit, endpointId, (events) =>
      this.stream.send(
        EventsAcceptedTopic,
        events.map((value) => ({ value })),
      ),
    );
  }

  /** Right after a change: a failure only logs, the relay job emits the event later. */
  async relayOrDefer(id: EndpointId): Promise<void> {
    await this.execute(100, id).catch((err) => this.logger.warn({ err, endpointId: id }, 'emitting an endpoint state event failed; the relay will retry'));
  }
}
