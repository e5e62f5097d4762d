import { describeIssues, EventInputSchema, type EventInput, type FieldIssue } from '@hookline/contracts';

export const MAX_BATCH = 500;

/**
 * Validates one event input against the ingestion contract's schema (the
 * envelope and the 256 KiB payload limit). `path` prefixes field names (e.g.
 * `events.3`) inside a batch.
 */
export function validateEventInput(value: unknown, path = ''): { ok: true; value: EventInput } | { ok: false; issues: FieldIssue[] } {
  const at = (field: string) => [path, field === '(root)' ? '' : field].filter(Boolean).join('.') || '(root)';
  const parsed = EventInputSchema.safeParse(value);
  if (!parsed.success) return { ok: false, issues: describeIssues(parsed.error).map((i) => ({ ...i, field: at(i.field) })) };
  return { ok: true, value: parsed.data };
}
