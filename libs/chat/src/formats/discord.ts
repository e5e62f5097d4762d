import { fit, type ChatMessage } from '../chat-message';

/**
 * Discord: an execute-webhook body with one embed: the title (linked when
 * there is a link), the text as its description, the fields as inline embed
 * fields. Limits from Discord's documentation: title 256, description 4,096,
 * 25 fields of name 256 and value 1,024. `allowed_mentions` is empty, so no
 * `@everyone`, role or user in the event pings anyone, and markdown in event
 * values is escaped.
 */
export function discordMessage(message: ChatMessage): Record<string, unknown> {
  const embed: Record<string, unknown> = {};
  if (message.title) embed.title = fit(escape(message.title), 256);
  if (message.url) embed.url = message.url;
  if (message.text) embed.description = fit(escape(message.text), 4096);
  if (message.fields.length > 0)
    embed.fields = message.fields.slice(0, 25).map((f) => ({ name: fit(escape(f.label), 256), value: fit(escape(f.value), 1024), inline: true }));
  return { embeds: [embed], allowed_mentions: { parse: [] } };
}

function escape(text: string): string {
  return text.replace(/([\\*_~`|>[\]()#-])/g, '\\$1');
}
