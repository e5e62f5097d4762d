import { describeIssues, EventInputSchema, MAX_EVENT_BYTES, type EventInput, type FieldIssue } from '@hookline/contracts';

export const MAX_BATCH = 500;

/**
 * Validates one event input: the envelope schema, then the 256 KiB payload
 * limit. `path` prefixes field names (e.g. `events.3`) inside a batch.
 */
export function validateEventInput(value: unknown, path = ''): { ok: true; value: EventInput } | { ok: false; issues: FieldIssue[] } {
  const at = (field: string) => [path, field === '(root)' ? '' : field].filter(Boolean).join('.') || '(root)';
  const parsed = EventInputSchema.safeParse(value);
  if (!parsed.success) return { ok: false, issues: describeIssues(parsed.error).map((i) => ({ ...i, field: at(i.field) })) };
  const size = Buffer.byteLength(JSON.stringify(parsed.data.data));
  if (size > MAX_EVENT_BYTES) return { ok: false, issues: [{ field: at('data'), rule: `must be at most ${MAX_EVENT_BYTES} bytes as JSON (got ${size})` }] };
  return { ok: true, value: parsed.data };
}
