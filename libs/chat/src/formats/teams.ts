import { fit, type ChatMessage } from '../chat-message';

/**
 * Microsoft Teams: a message carrying one Adaptive Card (schema 1.4), as an
 * incoming webhook or a Workflows webhook takes it: a bold title, the text,
 * the fields as a FactSet, and an "Open" action for the link. Text blocks
 * wrap; Teams renders no HTML in them.
 */
export function teamsMessage(message: ChatMessage): Record<string, unknown> {
  const body: Record<string, unknown>[] = [];
  if (message.title) body.push({ type: 'TextBlock', text: fit(message.title, 256), weight: 'Bolder', size: 'Medium', wrap: true });
  if (message.text) body.push({ type: 'TextBlock', text: fit(message.text, 4000), wrap: true });
  if (message.fields.length > 0) body.push({ type: 'FactSet', facts: message.fields.map((f) => ({ title: fit(f.label, 128), value: fit(f.value, 1000) })) });
  const card: Record<string, unknown> = { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body };
  if (message.url) card.actions = [{ type: 'Action.OpenUrl', title: 'Open', url: message.url }];
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}
