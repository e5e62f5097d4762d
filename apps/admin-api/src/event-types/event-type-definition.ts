import type { FieldIssue } from '@hookline/contracts';
import { schemaProblem, violationsAgainst, type JsonSchema } from '@hookline/catalog';
import { validationFailed } from '@hookline/service-kit';

/**
 * A custom type's schema and example as they may be saved: the schema
 * compiles (JSON Schema 2020-12, no unknown keyword, no remote `$ref`,
 * patterns RE2 accepts), and the example, if any, validates against it. A
 * violation in the example is named by its JSON pointer in the body
 * (`/example/customer/tier`).
 */
export function checkDefinition(schema: JsonSchema, example: Record<string, unknown> | null): void {
  const problem = schemaProblem(schema);
  if (problem) throw validationFailed([{ field: 'schema', rule: problem }]);
  if (!example) return;
  const issues: FieldIssue[] = violationsAgainst(schema, example).map((v) => ({ field: `/example${v.pointer}`, rule: v.rule }));
  if (issues.length > 0) throw validationFailed(issues);
}
