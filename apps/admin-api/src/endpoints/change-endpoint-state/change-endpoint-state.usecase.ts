import { operationalEvent, type EndpointId, type EventEnvelope, type StateChangeCause, type TenantId } from '@hookline/contracts';
import { conflict, notFound } from '@hookline/service-kit';
import type { EndpointEntity } from '../endpoint.entity';
import type { Clock, EndpointPublication } from '../endpoint.ports';
import { stateEventType, transition, type StateAction } from './state-transition';

/** Endpoint rows whose state changes with its `endpoint.*` event in one transaction. */
export interface EndpointStates {
  /**
   * Under the row lock, `decide` looks at the tenant's live endpoint: it
   * returns the event announcing a change it made to the row (the row is then
   * saved at `nextVersion` and the event written to the outbox, in one
   * transaction), or null to leave the row as it was. Null when there is no
   * such endpoint.
   */
  changeState(
    tenantId: TenantId,
    id: EndpointId,
    decide: (endpoint: EndpointEntity, nextVersion: number) => EventEnvelope | null,
  ): Promise<{ endpoint: EndpointEntity; event: EventEnvelope | null } | null>;
}

/** Puts the outbox's `endpoint.*` events of an endpoint on the event stream once its new version is published, or leaves them to the relay. */
export interface StateEventRelay {
  relayOrDefer(id: EndpointId): Promise<void>;
}

export interface StateChangeRequest {
  action: StateAction;
  cause: StateChangeCause;
  /** The API key that asked; null for an automatic change. */
  actor: string | null;
  reason?: string;
  /**
   * For automatic disables: applied only while the endpoint is enabled at a
   * state version no newer than this (the version the deciding attempt saw),
   * so it never undoes an operator's later enable or overrides a pause.
   */
  onlyIfEnabledSince?: number;
}

const DONE_BY_OPERATOR: Record<StateAction, string> = {
  pause: 'paused by an operator',
  resume: 'resumed by an operator',
  disable: 'disabled by an operator',
  enable: 'enabled by an operator',
};

/**
 * Pauses, resumes, disables or enables an endpoint (README, "Endpoint
 * states"): through the routes, a PATCH of `enabled`, and the retry-scheduler's
 * automatic disables. A change bumps the endpoint's version, records who or
 * what made it and why, and writes its `endpoint.*` event in the same
 * transaction; the event goes out after the version is on the endpoints
 * topic, so whoever routes it already sees the new state. Asking for the
 * current state changes nothing and announces nothing.
 */
export class ChangeEndpointState {
  constructor(
    private readonly endpoints: EndpointStates,
    private readonly publication: EndpointPublication,
    private readonly events: StateEventRelay,
    private readonly clock: Clock,
  ) {}

  async execute(tenantId: TenantId, id: EndpointId, request: StateChangeRequest): Promise<{ endpoint: EndpointEntity; changed: boolean }> {
    const result = await this.endpoints.changeState(tenantId, id, (endpoint, nextVersion) => {
      const guard = request.onlyIfEnabledSince;
      if (guard !== undefined && (endpoint.state !== 'enabled' || endpoint.stateVersion > guard)) return null;
      const step = transition(endpoint.state, request.action);
      if (step.kind === 'refused') throw conflict('invalid_state_transition', step.message);
      if (step.kind === 'unchanged') return null;
      const from = endpoint.state;
      const at = this.clock.now();
      const reason = request.reason ?? DONE_BY_OPERATOR[request.action];
      Object.assign(endpoint, {
        state: step.to,
        enabled: step.to !== 'disabled',
        stateCause: request.cause,
        stateActor: request.actor,
        stateReason: reason,
        stateChangedAt: at,
        stateVersion: nextVersion,
      });
      const type = stateEventType(from, step.to);
      // Derived from the endpoint and its state version: a relay redone after a crash emits the same event, never a second one.
      return operationalEvent(
        endpoint.tenantId,
        type,
        `hookline_${type}_${endpoint.id}_${nextVersion}`,
        {
          endpoint: { id: endpoint.id, url: endpoint.url, description: endpoint.description },
          state: step.to,
          previousState: from,
          cause: request.cause,
          actor: request.actor,
          reason,
          changedAt: at.toISOString(),
        },
        at,
      );
    });
    if (!result) throw notFound(`endpoint ${id}`);
    if (result.event) {
      await this.publication.executeOrDefer(id);
      await this.events.relayOrDefer(id);
    }
    return { endpoint: result.endpoint, changed: result.event !== null };
  }
}
