import {
  ActionsRequestedTopic,
  DeliveriesRequestedTopic,
  invocationIdFor,
  deliveryIdFor,
  ruleDeliveryIdFor,
  subjectEndpointOf,
  type ActionRequest,
  type DeliveryRequest,
  type EndpointConfig,
  type EndpointId,
  type EventEnvelope,
  type TenantId,
} from '@hookline/contracts';
import { chatBody } from '@hookline/chat';
import type { OutgoingMessage } from '@hookline/kafka';
import { SpanKind, traceHeaders, tracer, type Context } from '@hookline/telemetry';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { CompiledRule } from '../rules/rule-index';

/** The endpoints of each tenant, as of the latest change saved. */
export interface Subscribers {
  /** Resolves once every endpoint change saved before the call is visible. */
  syncToLatest(): Promise<void>;
  /** The enabled endpoints of the event's tenant subscribed to its type whose filter it matches. */
  subscribersOf(event: EventEnvelope): EndpointConfig[];
  /** One endpoint of the tenant, if it exists. */
  endpoint(tenantId: TenantId, id: EndpointId): EndpointConfig | undefined;
}

/** The rules of each tenant, as of the latest change saved. */
export interface Rules {
  /** Resolves once every rule change saved before the call is visible. */
  syncToLatest(): Promise<void>;
  /** The tenant's enabled rules the event sets off (trigger and condition). */
  rulesFor(event: EventEnvelope): CompiledRule[];
}

/** Where delivery requests (and rules' action-contract invocations) go; resolves once the broker has them. */
export interface DeliveryRequests {
  send(topic: typeof DeliveriesRequestedTopic, messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[]): Promise<void>;
  send(topic: typeof ActionsRequestedTopic, messages: OutgoingMessage<typeof ActionsRequestedTopic>[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface RoutedEvent {
  event: EventEnvelope;
  context: Context;
}

const requested = new Counter({ name: 'hookline_deliveries_requested_total', help: 'Delivery requests produced by fan-out' });
const ruleRuns = new Counter({ name: 'hookline_rule_runs_total', help: 'Rules an accepted event set off (trigger and condition matched)' });
const actionsSkipped = new Counter({
  name: 'hookline_rule_actions_skipped_total',
  help: 'Rule actions (or their deliveries to one endpoint) not run, by reason',
  labelNames: ['reason'],
});

/**
 * An event's deliveries: one per subscribed, enabled endpoint of the event's
 * tenant whose filter it matches, and one per endpoint of each `deliver`
 * or `chat` action of each rule the event sets off, with the action's body
 * (never to the endpoint an operational event is about), keyed by endpoint
 * id. Every delivery id derives from the event and the endpoint (and the rule
 * and action), so a redone batch produces the same deliveries, never new ones.
 */
export class FanOut {
  constructor(
    private readonly subscribers: Subscribers,
    private readonly rules: Rules,
    private readonly requests: DeliveryRequests,
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  async execute(events: RoutedEvent[]): Promise<number> {
    // Endpoints and rules saved before these events were accepted must be seen.
    await Promise.all([this.subscribers.syncToLatest(), this.rules.syncToLatest()]);
    const now = this.clock.now().toISOString();
    const messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[] = [];
    const invocations: OutgoingMessage<typeof ActionsRequestedTopic>[] = [];
    for (const { event, context } of events) {
      // An operational event about an endpoint never goes to that endpoint: it may be the one failing, and it must not feed itself.
      const subject = subjectEndpointOf(event);
      const endpoints = this.subscribers.subscribersOf(event).filter((e) => e.id !== subject);
      const rules = this.rules.rulesFor(event);
      const span = tracer().startSpan(
        'route event',
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'hookline.tenant_id': event.tenantId,
            'hookline.event_id': event.id,
            'hookline.event_type': event.type,
            'hookline.targets': endpoints.length,
            'hookline.rules': rules.length,
          },
        },
        context,
      );
      const headers = traceHeaders(span);
      const request = (endpoint: EndpointConfig, extra: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
        deliveryId: deliveryIdFor(event.tenantId, event.id, endpoint.id),
        tenantId: event.tenantId,
        endpointId: endpoint.id,
        endpointVersion: endpoint.version,
        attempt: 1,
        reason: 'initial',
        requestedAt: now,
        event,
        ...extra,
      });
      for (const endpoint of endpoints) messages.push({ value: request(endpoint), headers });
      for (const rule of rules) {
        ruleRuns.inc();
        const { deliveries, invokes } = await this.ruleActions(rule, event, subject, now);
        for (const action of deliveries) messages.push({ value: request(action.endpoint, action.fields), headers });
        for (const value of invokes) invocations.push({ value, headers });
      }
      span.end();
    }
    await Promise.all([
      this.requests.send(DeliveriesRequestedTopic, messages),
      invocations.length > 0 ? this.requests.send(ActionsRequestedTopic, invocations) : undefined,
    ]);
    requested.inc(messages.length);
    return messages.length;
  }

  /**
   * The deliveries of one rule's actions for one event, in action order: a
   * `deliver` action's with its transformed body (an action whose
   * transformation fails is skipped, logged and counted), a `chat` action's
   * with the message its template makes, in each chat endpoint's tool's format;
   * an `invoke` action's invocation, with the input its expression makes (or
   * the event's data).
   */
  private async ruleActions(rule: CompiledRule, event: EventEnvelope, subject: string | undefined, now: string) {
    const deliveries: { endpoint: EndpointConfig; fields: Partial<DeliveryRequest> }[] = [];
    const invokes: ActionRequest[] = [];
    for (const action of rule.config.actions) {
      const transform = rule.transforms.get(action.key) ?? null;
      let body: { body: unknown } | Record<string, never> = {};
      if (transform) {
        const result = await transform.run(event);
        if (!result.ok) {
          actionsSkipped.inc({ reason: 'transform_failed' });
          this.logger.warn(
            { ruleId: rule.config.id, actionKey: action.key, eventId: event.id, tenantId: event.tenantId, reason: result.reason },
            'rule action skipped: its transformation failed',
          );
          continue;
        }
        body = { body: result.value };
      }
      const origin = { id: rule.config.id, version: rule.config.version, actionKey: action.key };
      if (action.type === 'invoke') {
        invokes.push({
          invocationId: invocationIdFor('rule', event.tenantId, event.id, rule.config.id, action.key),
          tenantId: event.tenantId,
          contractId: action.contractId,
          input: 'body' in body ? body.body : event.data,
          eventId: event.id,
          rule: origin,
          requestedAt: now,
        });
        continue;
      }
      for (const endpointId of action.endpointIds) {
        const endpoint = this.subscribers.endpoint(event.tenantId, endpointId);
        if (!endpoint || !endpoint.enabled || endpoint.id === subject) {
          actionsSkipped.inc({ reason: endpoint ? 'endpoint_disabled' : 'endpoint_missing' });
          continue;
        }
        const deliveryId = ruleDeliveryIdFor(event.tenantId, event.id, rule.config.id, action.key, endpoint.id);
        if (action.type === 'chat') {
          // admin-api names only chat endpoints in a chat action; one turned into something else since is skipped.
          if (!endpoint.chat) {
            actionsSkipped.inc({ reason: 'not_a_chat_endpoint' });
            continue;
          }
          body = { body: chatBody(endpoint.chat, action.template, event, deliveryId) };
        }
        deliveries.push({ endpoint, fields: { deliveryId, rule: origin, ...body } });
      }
    }
    return { deliveries, invokes };
  }
}
