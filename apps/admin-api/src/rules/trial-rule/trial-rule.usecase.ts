import {
  invocationIdFor,
  matchesEventType,
  ruleDeliveryIdFor,
  type AttemptOutcome,
  type DeliveryRequest,
  type EventEnvelope,
  type EventId,
  type InvokeAction,
  type RuleAction,
  type TenantId,
} from '@hookline/contracts';
import { chatBody } from '@hookline/chat';
import { explain, parseCondition, type Explanation } from '@hookline/conditions';
import type { DeliveryHttpRequest } from '@hookline/signing';
import { CompiledTransform, type TransformResult } from '@hookline/transform';
import { ApiError, notFound, validationFailed } from '@hookline/service-kit';
import type { InvocationResult, Invoker } from '../../action-contracts/invoke-action/invoke-action.usecase';
import type { EndpointEntity } from '../../endpoints/endpoint.entity';
import type { Clock, EndpointStore } from '../../endpoints/endpoint.ports';
import type { RuleStore } from '../rule.ports';

export interface TrialInput {
  /** The event to try the rule on; each field left out is filled: the first type of the trigger, the type's catalog example, a `test_…` id, now. */
  event?: { type?: string; id?: EventId; data?: Record<string, unknown>; occurredAt?: string };
  mode: 'dry' | 'live';
}

/** What one action would do (dry) or did (live) for each of its endpoints. */
export interface TrialDelivery {
  endpointId: string;
  /** Why nothing is, or would be, sent to it: it is gone, or disabled. */
  skipped?: 'endpoint_missing' | 'endpoint_disabled' | 'not_a_chat_endpoint';
  /** Dry: the exact request, sent nowhere. */
  request?: DeliveryHttpRequest;
  /** Live: the attempt made, logged as a test delivery. */
  attempt?: AttemptOutcome;
}

export interface TrialResult {
  mode: 'dry' | 'live';
  event: EventEnvelope;
  /** Whether the event's type is one of the trigger's. */
  triggered: boolean;
  /** Whether the rule runs for it: triggered, and the conditions (if any) hold. */
  matched: boolean;
  /** Every condition evaluated, with the value found at each path; null when the rule has none. */
  conditions: Explanation | null;
  actions: { key: string; type: RuleAction['type']; transform: TransformResult | null; deliveries: TrialDelivery[]; invocation?: TrialInvocation }[];
}

/** What an invoke action would take (dry) or what came of it (live). */
export interface TrialInvocation {
  contractId: string;
  input: unknown;
  result?: InvocationResult;
  error?: { error: string; message: string; issues?: { field: string; rule: string }[] };
}

/** The parts a trial uses of test mode: the catalog example, previews and test sends. */
export interface TrialTools {
  sampleData(tenantId: TenantId, type: string, data: Record<string, unknown> | undefined): Promise<Record<string, unknown>>;
  preview(endpoint: EndpointEntity, delivery: Pick<DeliveryRequest, 'deliveryId' | 'event' | 'body' | 'rule'>, timestamp: number): DeliveryHttpRequest;
  send(endpoint: EndpointEntity, request: DeliveryRequest): Promise<AttemptOutcome>;
  newEventId(): EventId;
  invoke(tenantId: TenantId, contractId: string, input: unknown, invoker: Invoker): Promise<InvocationResult>;
}

/**
 * A rule tried on one event. Dry: whether it would run, each condition with
 * the value it found, each transformation's result, and the exact request each
 * action would send (signed with the endpoint's real keys), with no network.
 * Live: the same, and when the rule runs, each request sent now as a test
 * delivery (`x-hookline-test`, logged with mode `test`, never retried,
 * outside the endpoint's health), so production logs and stats never see it.
 */
export class TrialRule {
  constructor(
    private readonly rules: Pick<RuleStore, 'findLive'>,
    private readonly endpoints: Pick<EndpointStore, 'findLive'>,
    private readonly tools: TrialTools,
    private readonly clock: Clock,
  ) {}

  async execute(tenantId: TenantId, ruleId: string, input: TrialInput): Promise<TrialResult> {
    const rule = await this.rules.findLive(tenantId, ruleId);
    if (!rule) throw notFound(`rule ${ruleId}`);
    const type = input.event?.type ?? rule.trigger.eventTypes.find((t) => !t.includes('*'));
    if (!type) throw validationFailed([{ field: 'event.type', rule: 'is required: the rule’s trigger names only wildcards' }]);
    const now = this.clock.now();
    const event: EventEnvelope = {
      id: input.event?.id ?? this.tools.newEventId(),
      tenantId,
      type,
      data: await this.tools.sampleData(tenantId, type, input.event?.data),
      occurredAt: input.event?.occurredAt ? new Date(input.event.occurredAt).toISOString() : now.toISOString(),
      receivedAt: now.toISOString(),
    };
    const triggered = matchesEventType(rule.trigger.eventTypes, type);
    const parsed = rule.conditions === null ? null : parseCondition(rule.conditions, 'conditions');
    const conditions = parsed?.ok ? explain(parsed.condition, event) : null;
    const matched = triggered && (conditions?.matched ?? true);
    const timestamp = Math.floor(now.getTime() / 1000);

    const actions: TrialResult['actions'] = [];
    for (const action of rule.actions) {
      const expression = action.type === 'deliver' ? action.transform : action.type === 'invoke' ? action.input : null;
      const transform = expression === null ? null : await new CompiledTransform(expression).run(event);
      const deliveries: TrialDelivery[] = [];
      if (action.type === 'invoke') {
        if (transform === null || transform.ok)
          actions.push({
            key: action.key,
            type: action.type,
            transform,
            deliveries,
            invocation: await this.invocation(rule.id, action, event, transform, input.mode === 'live' && matched),
          });
        else actions.push({ key: action.key, type: action.type, transform, deliveries });
        continue;
      }
      if (transform === null || transform.ok) {
        for (const endpointId of action.endpointIds) {
          const endpoint = await this.endpoints.findLive(tenantId, endpointId);
          if (!endpoint || endpoint.state === 'disabled') {
            deliveries.push({ endpointId, skipped: endpoint ? 'endpoint_disabled' : 'endpoint_missing' });
            continue;
          }
          if (action.type === 'chat' && !endpoint.chat) {
            deliveries.push({ endpointId, skipped: 'not_a_chat_endpoint' });
            continue;
          }
          const deliveryId = ruleDeliveryIdFor(tenantId, event.id, rule.id, action.key, endpoint.id);
          const body =
            action.type === 'chat' && endpoint.chat
              ? { body: chatBody(endpoint.chat, action.template, event, deliveryId) }
              : transform === null
                ? {}
                : { body: transform.value };
          const request: DeliveryRequest = {
            deliveryId,
            tenantId,
            endpointId: endpoint.id,
            endpointVersion: endpoint.version,
            attempt: 1,
            reason: 'initial',
            requestedAt: now.toISOString(),
            mode: 'test',
            rule: { id: rule.id, version: rule.version, actionKey: action.key },
            ...body,
            event,
          };
          if (input.mode === 'live' && matched) deliveries.push({ endpointId, attempt: await this.tools.send(endpoint, request) });
          else deliveries.push({ endpointId, request: this.tools.preview(endpoint, request, timestamp) });
        }
      }
      actions.push({ key: action.key, type: action.type, transform, deliveries });
    }
    return { mode: input.mode, event, triggered, matched, conditions, actions };
  }

  /** An invoke action's invocation: dry, the contract and input it would take; live, made now (marked `x-hookline-test`, audited as a trial). */
  private async invocation(
    ruleId: string,
    action: InvokeAction,
    event: EventEnvelope,
    transform: TransformResult | null,
    live: boolean,
  ): Promise<TrialInvocation> {
    const input = transform?.ok ? transform.value : event.data;
    if (!live) return { contractId: action.contractId, input };
    const invoker = {
      kind: 'trial' as const,
      ruleId,
      actionKey: action.key,
      eventId: event.id,
      invocationId: invocationIdFor('trial', event.tenantId, event.id, ruleId, action.key),
    };
    try {
      return { contractId: action.contractId, input, result: await this.tools.invoke(event.tenantId, action.contractId, input, invoker) };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return { contractId: action.contractId, input, error: { error: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } };
    }
  }
}
