import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { RE2JS } from 're2js';
import type { SchemaViolation } from '@hookline/contracts';
import type { JsonSchema } from '../builtin/builtin-event-type';

/**
 * `pattern` and `patternProperties` run on RE2 (re2js: linear time in the
 * input, no backreferences or lookaround), never on JavaScript's backtracking
 * engine: a tenant's schema cannot make ingest spend seconds on one string.
 */
function linearRegExp(pattern: string, flags: string) {
  const compiled = RE2JS.compile(pattern, flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
  // Ajv shares one compiled pattern per distinct `toString()` within a schema.
  return { test: (input: string) => compiled.matcher(input).find(), toString: () => `re2:${flags}:${pattern}` };
}
linearRegExp.code = 'linearRegExp';

/**
 * The one Ajv set-up Hookline validates event data with: JSON Schema 2020-12,
 * every error reported (not only the first), formats (`date-time`, `email`,
 * `uri`, …) checked, patterns in linear time, and unknown keywords refused,
 * so a misspelt keyword is refused when the schema is saved rather than
 * silently ignored when it is used. Remote `$ref`s are never fetched.
 */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    // Unknown keywords and non-JSON numbers are refused; what the standard allows (a `required` name
    // without a `properties` entry, `properties` without `type: "object"`) is not.
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    code: { regExp: linearRegExp },
  });
  addFormats(ajv);
  return ajv;
}

/** One violation of a schema: where in `data` (a JSON pointer, `""` for `data` itself) and the rule broken; the event carries them under schema mode `warn`. */
export type { SchemaViolation };

/** Violations at most reported per event: enough to fix it, not a 256 KiB essay. */
export const MAX_VIOLATIONS = 20;

/** Ajv's errors as violations: the instance pointer and a sentence naming the keyword's rule. */
export function violationsOf(errors: readonly ErrorObject[] | null | undefined): SchemaViolation[] {
  return (errors ?? []).slice(0, MAX_VIOLATIONS).map((e) => ({ pointer: pointerOf(e), rule: ruleOf(e) }));
}

/** A missing required property is reported at the property, not at its parent. */
function pointerOf(e: ErrorObject): string {
  if (e.keyword === 'required') return `${e.instancePath}/${escapePointer(String((e.params as { missingProperty: string }).missingProperty))}`;
  if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
    const extra =
      (e.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty ??
      (e.params as { unevaluatedProperty?: string }).unevaluatedProperty;
    if (extra !== undefined) return `${e.instancePath}/${escapePointer(extra)}`;
  }
  return e.instancePath;
}

function ruleOf(e: ErrorObject): string {
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') return 'is not allowed by the schema';
  if (e.keyword === 'enum') return `must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
  return e.message ?? `fails "${e.keyword}"`;
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export type { ErrorObject, ValidateFunction };
export type { JsonSchema };
