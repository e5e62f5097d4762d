import { fit, type ChatMessage } from '../chat-message';

/**
 * Telegram: a Bot API `sendMessage` body (`POST https://api.telegram.org/bot<token>/sendMessage`)
 * in HTML parse mode: the title in bold, the text, each field as "label: value",
 * the link last; `&`, `<` and `>` escaped as the Bot API asks; link previews
 * off. Telegram takes 1 to 4,096 characters of text after entities are parsed;
 * the text is cut to fit before the markup is added.
 */
export function telegramMessage(message: ChatMessage, chatId: string): Record<string, unknown> {
  const lines: string[] = [];
  if (message.title) lines.push(`<b>${escape(fit(message.title, 256))}</b>`);
  if (message.text) lines.push(escape(fit(message.text, 3000)));
  for (const f of message.fields) lines.push(`<b>${escape(fit(f.label, 128))}:</b> ${escape(fit(f.value, 256))}`);
  if (message.url) lines.push(`<a href="${escape(message.url).replace(/"/g, '&quot;')}">Open</a>`);
  return { chat_id: chatId, text: lines.join('\n') || '(empty)', parse_mode: 'HTML', link_preview_options: { is_disabled: true } };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
