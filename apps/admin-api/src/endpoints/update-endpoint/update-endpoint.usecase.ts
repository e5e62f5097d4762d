import type { EndpointId, TenantId } from '@hookline/contracts';
import { notFound, unprocessable } from '@hookline/service-kit';
import { addMissingSigningKeys } from '../../signing-keys/new-signing-key';
import type { StateChangeRequest } from '../change-endpoint-state/change-endpoint-state.usecase';
import type { ConditionCheck } from '../../conditions/condition-check';
import type { UpdateEndpoint as UpdateEndpointInput } from '../endpoint.dto';
import type { EndpointEntity } from '../endpoint.entity';
import type { EndpointPublication, EndpointStore, SecretSealing, TargetCheck } from '../endpoint.ports';

/** An operator's state change (the `…/disable` and `…/enable` routes' use case). */
export interface StateChanges {
  execute(tenantId: TenantId, id: EndpointId, request: StateChangeRequest): Promise<unknown>;
}

/**
 * Applies a partial change to an endpoint and publishes the new version.
 * Choosing `ed25519` or `rsa-sha256` without a key of that algorithm adds one.
 * `enabled` is an operator's disable or enable, exactly as the routes do it
 * (its state, cause, actor and `endpoint.*` event; 409 for enabling a paused
 * endpoint), applied before the other fields.
 */
export class UpdateEndpoint {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'change' | 'findLive'>,
    private readonly publication: EndpointPublication,
    private readonly sealing: SecretSealing,
    private readonly checkTarget: TargetCheck,
    private readonly states: StateChanges,
    private readonly conditions: ConditionCheck,
  ) {}

  async execute(tenantId: TenantId, id: EndpointId, input: UpdateEndpointInput, actor: string | null = null): Promise<EndpointEntity> {
    const { enabled, ...changes } = input;
    if (changes.url !== undefined) {
      const target = this.checkTarget(changes.url);
      if (!target.ok) throw unprocessable('target_refused', 'url', target.reason);
    }
    if (changes.filter !== undefined || changes.eventTypes !== undefined) {
      // The filter as it will be, on the event types as they will be.
      const current = await this.endpoints.findLive(tenantId, id);
      if (!current) throw notFound(`endpoint ${id}`);
      await this.conditions.check(
        tenantId,
        changes.filter === undefined ? (current.filter ?? null) : changes.filter,
        changes.eventTypes ?? current.eventTypes,
        'filter',
      );
    }
    if (enabled !== undefined) await this.states.execute(tenantId, id, { action: enabled ? 'enable' : 'disable', cause: 'operator', actor });
    if (Object.keys(changes).length === 0) {
      const current = await this.endpoints.findLive(tenantId, id);
      if (!current) throw notFound(`endpoint ${id}`);
      return current;
    }
    const saved = await this.endpoints.change(tenantId, id, async (endpoint) => {
      Object.assign(endpoint, changes);
      await addMissingSigningKeys(this.sealing, endpoint);
    });
    if (!saved) throw notFound(`endpoint ${id}`);
    await this.publication.executeOrDefer(id);
    return saved;
  }
}
