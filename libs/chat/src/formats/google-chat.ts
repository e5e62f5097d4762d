import { fit, type ChatMessage } from '../chat-message';

/**
 * Google Chat: an incoming-webhook message with one card (`cardsV2`): the
 * title as the card's header, the text and each field as widgets, and a
 * button for the link, plus `text` so notifications say something. Card text
 * takes Google Chat's HTML subset, so `&`, `<` and `>` are escaped there.
 */
export function googleChatMessage(message: ChatMessage, cardId: string): Record<string, unknown> {
  const widgets: Record<string, unknown>[] = [];
  if (message.text) widgets.push({ textParagraph: { text: fit(escape(message.text), 4000) } });
  for (const f of message.fields) widgets.push({ decoratedText: { topLabel: fit(escape(f.label), 128), text: fit(escape(f.value), 1000) } });
  if (message.url) widgets.push({ buttonList: { buttons: [{ text: 'Open', onClick: { openLink: { url: message.url } } }] } });
  const card: Record<string, unknown> = { sections: [{ widgets: widgets.length > 0 ? widgets : [{ textParagraph: { text: ' ' } }] }] };
  if (message.title) card.header = { title: fit(message.title, 200) };
  return { text: fit(message.title ?? message.text, 4000), cardsV2: [{ cardId, card }] };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
