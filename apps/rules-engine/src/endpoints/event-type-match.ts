/**
 * Whether an endpoint subscribed to `patterns` wants an event of `type`.
 * `*` matches every type; `invoice.*` matches every type under `invoice.`
 * (`invoice.paid`, `invoice.payment.failed`) but not `invoice` itself;
 * anything else matches exactly.
 */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}
