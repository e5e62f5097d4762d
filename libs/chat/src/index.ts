/**
 * @hookline/chat: chat messages from events, for Slack, Microsoft Teams,
 * Google Chat, Discord and Telegram. A template of plain text with `{{ path }}`
 * placeholders is rendered for an event, then formatted as each tool's own
 * documented message JSON.
 */
import type { EndpointChat } from '@hookline/contracts';
import { renderTemplate, type ChatMessage, type ChatTemplate, type ChatTool } from './chat-message';
import { discordMessage } from './formats/discord';
import { googleChatMessage } from './formats/google-chat';
import { slackMessage } from './formats/slack';
import { teamsMessage } from './formats/teams';
import { telegramMessage } from './formats/telegram';

export * from './chat-message';

/** Where a message goes besides its URL: Telegram's chat, Google Chat's card id. */
export interface ChatTarget {
  /** Telegram: the chat id or `@channelusername`. */
  telegramChatId?: string;
  /** Google Chat: the card's id (any stable string, e.g. the delivery id). */
  cardId?: string;
}

/** The JSON body a message is posted as, in the tool's own format. */
export function formatChatMessage(tool: ChatTool, message: ChatMessage, target: ChatTarget = {}): Record<string, unknown> {
  switch (tool) {
    case 'slack':
      return slackMessage(message);
    case 'teams':
      return teamsMessage(message);
    case 'google_chat':
      return googleChatMessage(message, target.cardId ?? 'hookline');
    case 'discord':
      return discordMessage(message);
    case 'telegram':
      if (!target.telegramChatId) throw new Error('a Telegram message needs the chat id');
      return telegramMessage(message, target.telegramChatId);
  }
}

/**
 * What a chat endpoint posts for an event that comes with no template of its
 * own (its subscriptions, a `deliver` action, a test send): the event type as
 * the title and its id and time.
 */
export const DEFAULT_CHAT_TEMPLATE: ChatTemplate = {
  title: '{{ type }}',
  text: 'Event {{ id }} at {{ occurredAt }}',
  fields: [],
};

/**
 * The body a chat endpoint posts for an event: `template` (a rule's chat
 * action), else the endpoint's own, else the default, rendered for the event
 * and formatted for the endpoint's tool; the delivery id names Google Chat's card.
 */
export function chatBody(
  chat: Pick<EndpointChat, 'tool' | 'telegramChatId' | 'template'>,
  template: Record<string, unknown> | null,
  event: unknown,
  deliveryId: string,
): Record<string, unknown> {
  const chosen = (template ?? chat.template ?? DEFAULT_CHAT_TEMPLATE) as ChatTemplate;
  return formatChatMessage(chat.tool, renderTemplate(chosen, event), {
    cardId: deliveryId,
    ...(chat.telegramChatId ? { telegramChatId: chat.telegramChatId } : {}),
  });
}

/** Telegram's Bot API `sendMessage` URL for a bot token, under `apiUrl` (https://api.telegram.org unless a test says otherwise). */
export function telegramSendMessageUrl(apiUrl: string, botToken: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/bot${botToken}/sendMessage`;
}

/** A chat endpoint's URL as shown and logged: the origin only, since the path holds the tool's token. */
export function maskedChatUrl(url: string): string {
  return `${new URL(url).origin}/…`;
}
