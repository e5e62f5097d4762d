/**
 * @hookline/chat: chat messages from events, for Slack, Microsoft Teams,
 * Google Chat, Discord and Telegram. A template of plain text with `{{ path }}`
 * placeholders is rendered for an event, then formatted as each tool's own
 * documented message JSON.
 */
import type { ChatMessage, ChatTool } from './chat-message';
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
