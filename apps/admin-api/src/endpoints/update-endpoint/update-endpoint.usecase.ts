import type { EndpointChat, EndpointId, TenantId } from '@hookline/contracts';
import { notFound, unprocessable, validationFailed } from '@hookline/service-kit';
import { addMissingSigningKeys } from '../../signing-keys/new-signing-key';
import type { StateChangeRequest } from '../change-endpoint-state/change-endpoint-state.usecase';
import type { ConditionCheck } from '../../conditions/condition-check';
import { chatEndpoint, type ChatSettings } from '../chat-endpoint';
import type { ChatChange, UpdateEndpoint as UpdateEndpointInput } from '../endpoint.dto';
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
 * endpoint), applied before the other fields. A chat endpoint keeps its
 * tool; a new URL or bot token is checked and sealed as on creation.
 */
export class UpdateEndpoint {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'change' | 'findLive'>,
    private readonly publication: EndpointPublication,
    private readonly sealing: SecretSealing,
    private readonly checkTarget: TargetCheck,
    private readonly states: StateChanges,
    private readonly conditions: ConditionCheck,
    private readonly chatSettings: ChatSettings,
  ) {}

  async execute(tenantId: TenantId, id: EndpointId, input: UpdateEndpointInput, actor: string | null = null): Promise<EndpointEntity> {
    const { enabled, chat: chatChange, ...fields } = input;
    const changes: Partial<EndpointEntity> = { ...fields };
    if (fields.url !== undefined || chatChange !== undefined || fields.eventTypes?.length === 0) {
      const current = await this.endpoints.findLive(tenantId, id);
      if (!current) throw notFound(`endpoint ${id}`);
      if (current.chat) Object.assign(changes, this.chatChanges(current, current.chat, fields.url, chatChange));
      else {
        if (chatChange !== undefined)
          throw validationFailed([{ field: 'chat', rule: 'is for chat endpoints: a webhook endpoint does not become one (create a chat endpoint)' }]);
        if (fields.eventTypes?.length === 0) throw validationFailed([{ field: 'eventTypes', rule: 'must list at least one event type (use "*" for all)' }]);
        if (fields.url !== undefined) {
          const target = this.checkTarget(fields.url);
          if (!target.ok) throw unprocessable('target_refused', 'url', target.reason);
        }
      }
    }
    if (fields.filter !== undefined || fields.eventTypes !== undefined) {
      // The filter as it will be, on the event types as they will be.
      const current = await this.endpoints.findLive(tenantId, id);
      if (!current) throw notFound(`endpoint ${id}`);
      await this.conditions.check(
        tenantId,
        fields.filter === undefined ? (current.filter ?? null) : fields.filter,
        fields.eventTypes ?? current.eventTypes,
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

  /** A chat endpoint's new URL (its webhook URL, or for Telegram its bot token), chat and template, its tool kept; the URL sealed anew. */
  private chatChanges(owner: EndpointEntity, chat: EndpointChat, url: string | undefined, change: ChatChange | undefined) {
    if (chat.tool === 'telegram' && url !== undefined)
      throw validationFailed([{ field: 'url', rule: 'must be left out for Telegram: change chat.botToken instead' }]);
    if (chat.tool !== 'telegram' && (change?.botToken !== undefined || change?.chatId !== undefined))
      throw validationFailed([{ field: 'chat', rule: 'botToken and chatId are for Telegram only' }]);
    const template = change?.template === undefined ? chat.template : change.template;
    const telegramChatId = change?.chatId ?? chat.telegramChatId;
    if (url === undefined && change?.botToken === undefined) return { chat: { ...chat, template, telegramChatId } };
    const target = chatEndpoint(owner, { tool: chat.tool, url, botToken: change?.botToken, template }, this.chatSettings, this.sealing, this.checkTarget);
    return { url: target.url, chat: { ...target.chat, telegramChatId } };
  }
}
