import { maskedChatUrl, telegramSendMessageUrl } from '@hookline/chat';
import type { ChatTool, EndpointChat } from '@hookline/contracts';
import { unprocessable } from '@hookline/service-kit';
import type { Owner, SecretSealing, TargetCheck } from './endpoint.ports';

/** Where Telegram's Bot API is (https://api.telegram.org; a test points it at its own receiver). */
export interface ChatSettings {
  telegramApiUrl: string;
}

/** What a chat endpoint is saved from: its tool, the URL it posts to in clear, its Telegram chat and template. */
export interface ChatTargetInput {
  tool: ChatTool;
  /** The incoming-webhook URL (every tool but Telegram). */
  url?: string;
  botToken?: string;
  chatId?: string;
  template: Record<string, unknown> | null;
}

/**
 * A chat endpoint's stored settings and the masked URL its `url` shows: the
 * URL it posts to (the incoming-webhook URL, or Telegram's `sendMessage` for
 * the bot token) checked by the same SSRF rule as any endpoint URL (422
 * `target_refused`), then sealed, since it holds the tool's token.
 */
export function chatEndpoint(
  owner: Owner,
  input: ChatTargetInput,
  settings: ChatSettings,
  sealing: Pick<SecretSealing, 'sealChatUrl'>,
  checkTarget: TargetCheck,
): { url: string; chat: EndpointChat } {
  const url = input.tool === 'telegram' ? telegramSendMessageUrl(settings.telegramApiUrl, input.botToken ?? '') : (input.url ?? '');
  const target = checkTarget(url);
  if (!target.ok) throw unprocessable('target_refused', input.tool === 'telegram' ? 'chat.botToken' : 'url', target.reason);
  return {
    url: maskedChatUrl(url),
    chat: { tool: input.tool, url: sealing.sealChatUrl(owner, url), telegramChatId: input.chatId ?? null, template: input.template },
  };
}
