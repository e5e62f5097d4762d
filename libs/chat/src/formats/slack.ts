import { fit, type ChatMessage } from '../chat-message';

/**
 * Slack: an incoming-webhook message (`POST` to the webhook URL) with Block
 * Kit blocks and a `text` fallback for notifications. Limits from Slack's
 * documentation: a header's plain text 150 characters, a section's text 3,000.
 * `&`, `<` and `>` are escaped in every mrkdwn text, as Slack asks, so nothing
 * of the event becomes a mention or a link.
 */
export function slackMessage(message: ChatMessage): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [];
  if (message.title) blocks.push({ type: 'header', text: { type: 'plain_text', text: fit(message.title, 150), emoji: true } });
  if (message.text) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fit(escape(message.text), 3000) } });
  if (message.fields.length > 0) {
    blocks.push({ type: 'section', fields: message.fields.map((f) => ({ type: 'mrkdwn', text: fit(`*${escape(f.label)}*\n${escape(f.value)}`, 2000) })) });
  }
  if (message.url) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open' }, url: fit(message.url, 3000) }] });
  }
  return { text: fit(escape([message.title, message.text].filter(Boolean).join(': ')), 3000), blocks };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
