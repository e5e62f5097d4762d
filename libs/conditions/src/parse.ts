import { describeIssues, type FieldIssue } from '@hookline/contracts';
import { CONDITION_LIMITS, ComparisonSchema, type Condition } from './condition';
import { COMPARISON_METHODS, RAW_OPERATORS, re2 } from './engine';

const RAW = new Set<string>([...RAW_OPERATORS, ...Object.keys(COMPARISON_METHODS)]);

/**
 * Checks a condition as stored and edited: each node is a group (`all`, `any`,
 * `not`), a comparison or a raw JSON Logic rule, within `CONDITION_LIMITS`;
 * every problem is named by its field (`filter.all.2.value`) and rule, so a UI
 * can put the message beside the node.
 */
export function parseCondition(value: unknown, field: string): { ok: true; condition: Condition } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  let nodes = 0;
  const walk = (node: unknown, at: string, depth: number): void => {
    nodes += 1;
    if (nodes === CONDITION_LIMITS.maxNodes + 1) issues.push({ field, rule: `must hold at most ${CONDITION_LIMITS.maxNodes} comparisons and groups` });
    if (depth > CONDITION_LIMITS.maxDepth) return void issues.push({ field: at, rule: `must nest groups at most ${CONDITION_LIMITS.maxDepth} deep` });
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      return void issues.push({
        field: at,
        rule: 'must be an object: { all: [...] }, { any: [...] }, { not: {...} }, { path, op, value }, or { jsonLogic: {...} }',
      });
    }
    const keys = Object.keys(node);
    const group = keys.find((k) => k === 'all' || k === 'any' || k === 'not' || k === 'jsonLogic');
    if (group && keys.length > 1) return void issues.push({ field: at, rule: `must hold only "${group}" (found ${keys.join(', ')})` });
    if (group === 'all' || group === 'any') {
      const items = (node as Record<string, unknown>)[group];
      if (!Array.isArray(items)) return void issues.push({ field: `${at}.${group}`, rule: 'must be a list of conditions' });
      items.forEach((item, i) => walk(item, `${at}.${group}.${i}`, depth + 1));
      return;
    }
    if (group === 'not') return walk((node as { not: unknown }).not, `${at}.not`, depth + 1);
    if (group === 'jsonLogic') return checkRaw((node as { jsonLogic: unknown }).jsonLogic, `${at}.jsonLogic`, issues);
    const parsed = ComparisonSchema.safeParse(node);
    if (!parsed.success)
      return void issues.push(...describeIssues(parsed.error).map((i) => ({ field: i.field === '(root)' ? at : `${at}.${i.field}`, rule: i.rule })));
    if (parsed.data.op === 'matches') {
      const problem = patternProblem(parsed.data.value as string);
      if (problem) issues.push({ field: `${at}.value`, rule: problem });
    }
  };
  walk(value, field, 0);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, condition: value as Condition };
}

/** Why a `matches` pattern is refused (RE2 syntax only: no backreferences, no lookaround), or null. */
export function patternProblem(pattern: string): string | null {
  try {
    re2(pattern, false);
    return null;
  } catch (err) {
    return `must be an RE2 pattern (no backreferences or lookaround): ${(err as Error).message}`;
  }
}

/** A raw JSON Logic rule: only the operators the engine has, within the same size bound. */
function checkRaw(rule: unknown, at: string, issues: FieldIssue[]): void {
  let nodes = 0;
  const walk = (node: unknown, path: string, depth: number): void => {
    nodes += 1;
    if (nodes === CONDITION_LIMITS.maxNodes * 4 + 1)
      issues.push({ field: at, rule: `must hold at most ${CONDITION_LIMITS.maxNodes * 4} values and operations` });
    if (depth > CONDITION_LIMITS.maxDepth * 2) return void issues.push({ field: path, rule: `must nest at most ${CONDITION_LIMITS.maxDepth * 2} deep` });
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}.${i}`, depth + 1));
    if (typeof node === 'string' && node.length > CONDITION_LIMITS.maxStringLength)
      return void issues.push({ field: path, rule: `must be at most ${CONDITION_LIMITS.maxStringLength} characters` });
    if (typeof node !== 'object' || node === null) return;
    const keys = Object.keys(node);
    if (keys.length !== 1) return void issues.push({ field: path, rule: 'must be an operation: an object with exactly one operator' });
    const op = keys[0];
    if (!RAW.has(op)) return void issues.push({ field: path, rule: `uses "${op}", which conditions do not allow (allowed: ${[...RAW].join(', ')})` });
    const args = (node as Record<string, unknown>)[op];
    if (op === 'hl:matches' && Array.isArray(args) && typeof args[1] === 'string') {
      const problem = patternProblem(args[1]);
      if (problem) issues.push({ field: `${path}.${op}.1`, rule: problem });
    }
    walk(args, `${path}.${op}`, depth + 1);
  };
  walk(rule, at, 0);
}
