import type { z } from 'zod';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `events.3.type`; `(root)` for the whole value. */
  field: string;
  /** The rule the value broke, in words. */
  rule: string;
}

/** Turns schema issues into `field: rule` pairs that name what to fix. */
export function describeIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    rule: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

export function formatIssues(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.rule}`).join('; ');
}
