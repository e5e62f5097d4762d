import type { Condition } from './condition';

/** A condition as the JSON Logic rule the engine runs; comparisons become the `hl:*` operators. */
export function toJsonLogic(condition: Condition): unknown {
  if ('all' in condition) return condition.all.length === 0 ? true : { and: condition.all.map(toJsonLogic) };
  if ('any' in condition) return condition.any.length === 0 ? false : { or: condition.any.map(toJsonLogic) };
  if ('not' in condition) return { '!': [toJsonLogic(condition.not)] };
  if ('jsonLogic' in condition) return { '!!': [condition.jsonLogic] };
  return { [`hl:${condition.op}`]: [{ var: condition.path }, condition.value ?? null, condition.ignoreCase === true] };
}
