import { LogicEngine } from 'json-logic-engine';
import { RE2JS } from 're2js';

/*
 * The one JSON Logic engine conditions run on (json-logic-engine, interpreted:
 * rules are data, never turned into JavaScript). Only the operators below
 * exist in it: the comparisons of the condition language (`hl:*`), and the
 * standard ones a raw rule may use. Everything that builds large values or
 * loops (map, reduce, merge, cat, …) is left out, so an evaluation's time and
 * memory are bounded by the rule's size and the event's (256 KiB at most).
 */

type Value = unknown;

const lower = (v: Value, ignoreCase: Value): Value => (ignoreCase === true && typeof v === 'string' ? v.toLowerCase() : v);
const sameKind = (a: Value, b: Value) => (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');

/** A missing path reads as null (JSON Logic's `var`), so `equals null` holds for both, and every other comparison is false on it. */
const absent = (v: Value) => v === null || v === undefined;

function equals(a: Value, b: Value, ignoreCase: Value): boolean {
  return (absent(a) ? null : lower(a, ignoreCase)) === lower(b, ignoreCase);
}

function contains(a: Value, b: Value, ignoreCase: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return (lower(a, ignoreCase) as string).includes(lower(b, ignoreCase) as string);
  if (Array.isArray(a)) return a.some((item) => equals(item, b, ignoreCase));
  return false;
}

function compare(a: Value, b: Value): number | null {
  if (!sameKind(a, b)) return null;
  return (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;
}

/** Compiled RE2 patterns, shared by every rule that uses the same one (bounded). */
const patterns = new Map<string, RE2JS>();
export function re2(pattern: string, ignoreCase: boolean): RE2JS {
  const key = `${ignoreCase ? 'i' : '-'}${pattern}`;
  let compiled = patterns.get(key);
  if (!compiled) {
    compiled = RE2JS.compile(pattern, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    if (patterns.size >= 10_000) patterns.delete(patterns.keys().next().value as string);
    patterns.set(key, compiled);
  }
  return compiled;
}

/** The condition language's comparisons, as JSON Logic operators: `[value at path, operand, ignoreCase]`. */
export const COMPARISON_METHODS: Record<string, (args: Value[]) => boolean> = {
  'hl:equals': ([a, b, i]) => equals(a, b, i),
  'hl:not_equals': ([a, b, i]) => !absent(a) && !equals(a, b, i),
  'hl:in': ([a, list, i]) => Array.isArray(list) && list.some((item) => equals(a, item, i)),
  'hl:not_in': ([a, list, i]) => !absent(a) && Array.isArray(list) && !list.some((item) => equals(a, item, i)),
  'hl:contains': ([a, b, i]) => contains(a, b, i),
  'hl:starts_with': ([a, b, i]) => typeof a === 'string' && typeof b === 'string' && (lower(a, i) as string).startsWith(lower(b, i) as string),
  'hl:ends_with': ([a, b, i]) => typeof a === 'string' && typeof b === 'string' && (lower(a, i) as string).endsWith(lower(b, i) as string),
  'hl:gt': ([a, b]) => (compare(a, b) ?? 0) > 0,
  'hl:gte': ([a, b]) => compare(a, b) !== null && compare(a, b)! >= 0,
  'hl:lt': ([a, b]) => (compare(a, b) ?? 0) < 0,
  'hl:lte': ([a, b]) => compare(a, b) !== null && compare(a, b)! <= 0,
  'hl:exists': ([a]) => !absent(a),
  'hl:not_exists': ([a]) => absent(a),
  'hl:matches': ([a, pattern, i]) =>
    typeof a === 'string' &&
    typeof pattern === 'string' &&
    re2(pattern, i === true)
      .matcher(a)
      .find(),
};

/** Standard JSON Logic operators a raw rule may use besides the comparisons above. */
export const RAW_OPERATORS = [
  'and',
  'or',
  '!',
  '!!',
  '==',
  '===',
  '!=',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  '??',
] as const;

function createEngine(): LogicEngine {
  const engine = new LogicEngine();
  // Only what a condition may use: the standard operators above, and the comparisons.
  for (const name of Object.keys(engine.methods)) if (!(RAW_OPERATORS as readonly string[]).includes(name)) delete engine.methods[name];
  for (const [name, method] of Object.entries(COMPARISON_METHODS))
    engine.addMethod(name, (args: Value) => method(Array.isArray(args) ? args : [args]), { deterministic: true });
  return engine;
}

export const ENGINE = createEngine();
