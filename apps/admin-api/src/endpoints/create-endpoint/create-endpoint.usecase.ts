import type { EndpointChat, EndpointId, TenantId } from '@hookline/contracts';
import { unprocessable } from '@hookline/service-kit';
import { generateSecret } from '@hookline/signing';
import { randomUUID } from 'node:crypto';
import { addMissingSigningKeys } from '../../signing-keys/new-signing-key';
import type { ConditionCheck } from '../../conditions/condition-check';
import type { CreateEndpoint as CreateEndpointInput } from '../endpoint.dto';
import { chatEndpoint, type ChatSettings } from '../chat-endpoint';
import { EndpointEntity } from '../endpoint.entity';
import type { Clock, EndpointPublication, EndpointStore, SecretSealing, TargetCheck } from '../endpoint.ports';

/**
 * Creates an endpoint with a fresh `v1`/`hookline-v1` secret and a key pair
 * for each key-pair scheme it signs with, saves it and publishes it. Returns
 * the secret in clear (the row holds it sealed): the only answer besides
 * `GET …/secret` that carries it. A URL Hookline must never call is refused
 * before anything is saved, and so is a filter that is not a valid condition
 * on the endpoint's event types. A chat endpoint's URL is sealed and shown
 * masked (`chatEndpoint`).
 */
export class CreateEndpoint {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'insert'>,
    private readonly publication: EndpointPublication,
    private readonly sealing: SecretSealing,
    private readonly checkTarget: TargetCheck,
    private readonly clock: Clock,
    private readonly conditions: ConditionCheck,
    private readonly chatSettings: ChatSettings,
  ) {}

  async execute(tenantId: TenantId, input: CreateEndpointInput): Promise<{ endpoint: EndpointEntity; secret: string }> {
    const { chat: chatInput, ...fields } = input;
    const id = randomUUID() as EndpointId;
    const eventTypes = input.eventTypes ?? (chatInput ? [] : ['*']);
    let target: { url: string; chat: EndpointChat | null };
    if (chatInput) {
      const { tool, botToken, chatId, template } = chatInput;
      target = chatEndpoint({ tenantId, id }, { tool, url: input.url, botToken, chatId, template }, this.chatSettings, this.sealing, this.checkTarget);
    } else {
      const url = input.url ?? '';
      const checked = this.checkTarget(url);
      if (!checked.ok) throw unprocessable('target_refused', 'url', checked.reason);
      target = { url, chat: null };
    }
    await this.conditions.check(tenantId, input.filter, eventTypes, 'filter');
    const secret = generateSecret();
    const endpoint = Object.assign(new EndpointEntity(), {
      id,
      tenantId,
      ...fields,
      ...target,
      eventTypes,
      // Created disabled or enabled; no cause until its state is changed.
      state: input.enabled ? 'enabled' : 'disabled',
      stateCause: null,
      stateActor: null,
      stateReason: null,
      stateChangedAt: null,
      stateVersion: 1,
      version: 1,
      publishedVersion: 0,
      deletedAt: null,
    });
    endpoint.secrets = [{ secret: this.sealing.sealSecret(endpoint, secret), createdAt: this.clock.now().toISOString(), expiresAt: null }];
    endpoint.signingKeys = [];
    await addMissingSigningKeys(this.sealing, endpoint);
    const saved = await this.endpoints.insert(endpoint);
    await this.publication.executeOrDefer(saved.id);
    return { endpoint: saved, secret };
  }
}
