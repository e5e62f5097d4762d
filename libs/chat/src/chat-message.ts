import { z } from 'zod';

export { CHAT_TOOLS, type ChatTool } from '@hookline/contracts';

const TEMPLATE_TEXT = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/**
 * What a chat message says, as an operator writes it: plain text in which
 * `{{ path }}` is replaced by the event's value at that path (`{{ data.subject }}`,
 * `{{ type }}`; a path as in conditions). Each tool's formatter turns it into
 * that tool's own message JSON, with the title in bold and the fields as
 * label/value pairs; nothing in the template or the event is read as markup.
 */
export const ChatTemplateSchema = z
  .object({
    title: TEMPLATE_TEXT(256).optional(),
    text: TEMPLATE_TEXT(2000),
    fields: z
      .array(z.object({ label: TEMPLATE_TEXT(128), value: TEMPLATE_TEXT(512) }).strict())
      .max(10, 'must hold at most 10 fields')
      .default([]),
    /** A link to open (the ticket, the invoice); shown as a button or a linked title. */
    url: TEMPLATE_TEXT(1024).optional(),
  })
  .strict();
export type ChatTemplate = z.input<typeof ChatTemplateSchema>;

/** A template rendered for one event: plain text, every placeholder replaced. */
export interface ChatMessage {
  title?: string;
  text: string;
  fields: { label: string; value: string }[];
  url?: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_$.-]+)\s*\}\}/g;

/** The value at a dotted path (a number indexes a list), or undefined. */
function valueAt(subject: unknown, path: string): unknown {
  let value: unknown = subject;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A value as text: strings as they are, other scalars printed, objects and lists as JSON, nothing as "". */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Replaces every `{{ path }}` of `text` with the event's value there. */
export function fillPlaceholders(text: string, event: unknown): string {
  return text.replace(PLACEHOLDER, (_all, path: string) => asText(valueAt(event, path)));
}

/** The template rendered for an event; a part that renders empty is left out (a field without a value, a blank title or link). */
export function renderTemplate(template: ChatTemplate, event: unknown): ChatMessage {
  const parsed = ChatTemplateSchema.parse(template);
  const fill = (t: string | undefined) => (t === undefined ? undefined : fillPlaceholders(t, event).trim() || undefined);
  return {
    ...(fill(parsed.title) ? { title: fill(parsed.title) } : {}),
    text: fill(parsed.text) ?? '',
    fields: parsed.fields.map((f) => ({ label: fill(f.label) ?? '', value: fill(f.value) ?? '' })).filter((f) => f.label && f.value),
    ...(fill(parsed.url) ? { url: fill(parsed.url) } : {}),
  };
}

/** `text` cut to `max` characters (UTF-16 code units, as the tools count), ending in "…" when cut. */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
