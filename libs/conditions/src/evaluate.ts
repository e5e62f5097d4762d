import type { Comparison, Condition } from './condition';
import { toJsonLogic } from './compile';
import { ENGINE } from './engine';

/** What a condition is evaluated on: the event's envelope fields and its data. */
export interface ConditionSubject {
  id: string;
  type: string;
  tenantId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** A condition compiled once for many evaluations. */
export class CompiledCondition {
  private readonly rule: unknown;

  constructor(readonly condition: Condition) {
    this.rule = toJsonLogic(condition);
  }

  /** Whether the event matches; a rule that fails to evaluate does not match. */
  matches(subject: ConditionSubject): boolean {
    try {
      return ENGINE.run(this.rule, subject) === true;
    } catch {
      return false;
    }
  }
}

/** Why a condition did or did not match, node by node: for trial runs and the console. */
export type Explanation =
  | { kind: 'all' | 'any'; matched: boolean; items: Explanation[] }
  | { kind: 'not'; matched: boolean; item: Explanation }
  | { kind: 'comparison'; matched: boolean; path: string; op: Comparison['op']; value?: Comparison['value']; actual: unknown; ignoreCase?: boolean }
  | { kind: 'jsonLogic'; matched: boolean };

/** Evaluates every node (no short cut), with the value found at each comparison's path (null when there is none). */
export function explain(condition: Condition, subject: ConditionSubject): Explanation {
  if ('all' in condition || 'any' in condition) {
    const kind = 'all' in condition ? 'all' : 'any';
    const items = ('all' in condition ? condition.all : condition.any).map((c) => explain(c, subject));
    return { kind, matched: kind === 'all' ? items.every((i) => i.matched) : items.some((i) => i.matched), items };
  }
  if ('not' in condition) {
    const item = explain(condition.not, subject);
    return { kind: 'not', matched: !item.matched, item };
  }
  if ('jsonLogic' in condition) return { kind: 'jsonLogic', matched: new CompiledCondition(condition).matches(subject) };
  const actual = ENGINE.run({ var: condition.path }, subject) as unknown;
  return {
    kind: 'comparison',
    matched: new CompiledCondition(condition).matches(subject),
    path: condition.path,
    op: condition.op,
    ...(condition.value === undefined ? {} : { value: condition.value }),
    actual,
    ...(condition.ignoreCase ? { ignoreCase: true } : {}),
  };
}
