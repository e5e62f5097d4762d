import type { BodyOf, FieldIssue, ResponseOf } from '../../api/client';

/**
 * The rule document (README "Automations") as the visual builder edits it, and
 * back. Pure data, no React: `fromBuilder(toBuilder(rule))` gives the rule back
 * unchanged for every shape the API stores, so opening and saving a rule never
 * rewrites it behind the user's back.
 */

/** A rule as the API answers it. */
export type Rule = ResponseOf<'/v1/tenants/{tenantId}/rules/{id}', 'get'>;
/** A rule as created or replaced (`POST …/rules`, `PUT …/rules/:id`). */
export type RuleInput = BodyOf<'/v1/tenants/{tenantId}/rules', 'post'>;
type ActionInput = RuleInput['actions'][number];

export const OPERATORS = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'contains',
  'starts_with',
  'ends_with',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'not_exists',
  'matches',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** How each operator reads in the builder's select. */
export const OPERATOR_LABELS: Record<Operator, string> = {
  equals: 'equals',
  not_equals: 'does not equal',
  in: 'is one of',
  not_in: 'is none of',
  contains: 'contains',
  starts_with: 'starts with',
  ends_with: 'ends with',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  exists: 'exists',
  not_exists: 'does not exist',
  matches: 'matches the pattern (RE2)',
};

/** Operators that compare with no value. */
export const NO_VALUE_OPS: readonly Operator[] = ['exists', 'not_exists'];
/** Operators whose value is a list. */
export const LIST_OPS: readonly Operator[] = ['in', 'not_in'];
/** Operators `ignoreCase` applies to (libs/conditions). */
export const CASE_OPS: readonly Operator[] = ['equals', 'not_equals', 'in', 'not_in', 'contains', 'starts_with', 'ends_with', 'matches'];

export type Scalar = string | number | boolean | null;
/** A list item being typed may be empty for a moment; empty items are left out of the rule. */
export type ComparisonValue = Scalar | (Scalar | undefined)[] | undefined;

export interface ComparisonNode {
  kind: 'comparison';
  id: string;
  path: string;
  op: Operator;
  value: ComparisonValue;
  ignoreCase?: boolean;
}

/**
 * `all` or `any` of its children, negated when `not`. `bare` keeps the shapes
 * without a list: a single comparison as the whole condition, `{ not: <one node> }`,
 * or no condition at all (the root, empty); it shows as a group of one.
 */
export interface GroupNode {
  kind: 'group';
  id: string;
  match: 'all' | 'any';
  not: boolean;
  bare: boolean;
  children: ConditionNode[];
}

/** A raw JSON Logic rule (`{ "jsonLogic": … }`), edited as JSON text and kept as it is. */
export interface RawNode {
  kind: 'raw';
  id: string;
  text: string;
}

export type ConditionNode = ComparisonNode | GroupNode | RawNode;

export interface ChatTemplateState {
  title?: string;
  text: string;
  fields?: { label: string; value: string }[];
  url?: string;
}

/** An action; `key` empty means "its position", as the API assigns it. */
export type ActionState =
  | { type: 'deliver'; id: string; key: string; endpointIds: string[]; transform: string | null }
  | { type: 'chat'; id: string; key: string; endpointIds: string[]; template: ChatTemplateState }
  | { type: 'invoke'; id: string; key: string; contractId: string; input: string | null };

export interface BuilderState {
  name: string;
  enabled: boolean;
  eventTypes: string[];
  conditions: GroupNode;
  actions: ActionState[];
}

/** A path conditions may name, with what the schema says of it so operators and values fit. */
export interface FieldOption {
  path: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null' | 'any';
  enum?: Scalar[];
  format?: string;
  description?: string;
}

export interface EndpointOption {
  id: string;
  label: string;
  /** The chat tool of a chat endpoint (README "Chat outputs"); null for a webhook endpoint. */
  chatTool: string | null;
}

export interface ContractOption {
  id: string;
  name: string;
}

let lastId = 0;
/** Client ids: stable for a node's life in the editor (React keys, drag and drop), never sent to the API. */
export function newId(prefix = 'n'): string {
  lastId += 1;
  return `${prefix}${lastId}`;
}

// ---------------------------------------------------------------- rule → builder

/** A rule as answered (server fields are ignored) or as sent. */
export type RuleDocument = Pick<Rule, 'name' | 'enabled' | 'trigger' | 'conditions' | 'actions'> | RuleInput;

export function toBuilder(rule: RuleDocument): BuilderState {
  return {
    name: rule.name,
    enabled: rule.enabled ?? true,
    eventTypes: [...rule.trigger.eventTypes],
    conditions: rootToBuilder(rule.conditions ?? null),
    actions: rule.actions.map(actionToBuilder),
  };
}

export function emptyBuilder(): BuilderState {
  return { name: '', enabled: true, eventTypes: [], conditions: rootToBuilder(null), actions: [] };
}

function rootToBuilder(condition: Record<string, unknown> | null): GroupNode {
  if (condition === null) return { kind: 'group', id: newId('g'), match: 'all', not: false, bare: true, children: [] };
  const node = nodeToBuilder(condition);
  return node.kind === 'group' ? node : { kind: 'group', id: newId('g'), match: 'all', not: false, bare: true, children: [node] };
}

function nodeToBuilder(condition: unknown): ConditionNode {
  const c = condition as Record<string, unknown>;
  if (Array.isArray(c.all) || Array.isArray(c.any)) {
    const match = Array.isArray(c.all) ? 'all' : 'any';
    return { kind: 'group', id: newId('g'), match, not: false, bare: false, children: (c[match] as unknown[]).map(nodeToBuilder) };
  }
  if ('not' in c) {
    const inner = nodeToBuilder(c.not);
    // `{ not: { all|any: [...] } }` is one negated group; `{ not: <anything else> }` a negated group of one.
    if (inner.kind === 'group' && !inner.not && !inner.bare) return { ...inner, not: true };
    return { kind: 'group', id: newId('g'), match: 'all', not: true, bare: true, children: [inner] };
  }
  if ('jsonLogic' in c) return { kind: 'raw', id: newId('r'), text: JSON.stringify(c.jsonLogic, null, 2) };
  const comparison: ComparisonNode = {
    kind: 'comparison',
    id: newId('c'),
    path: String(c.path ?? ''),
    op: c.op as Operator,
    value: Array.isArray(c.value) ? [...(c.value as Scalar[])] : (c.value as Scalar | undefined),
  };
  if (typeof c.ignoreCase === 'boolean') comparison.ignoreCase = c.ignoreCase;
  return comparison;
}

function actionToBuilder(action: Rule['actions'][number] | ActionInput): ActionState {
  const id = newId('a');
  const key = action.key ?? '';
  if (action.type === 'deliver') return { type: 'deliver', id, key, endpointIds: [...action.endpointIds], transform: action.transform ?? null };
  if (action.type === 'invoke') return { type: 'invoke', id, key, contractId: action.contractId, input: action.input ?? null };
  const t = action.template as Record<string, unknown>;
  const template: ChatTemplateState = { text: typeof t.text === 'string' ? t.text : '' };
  if (typeof t.title === 'string') template.title = t.title;
  if (Array.isArray(t.fields)) template.fields = (t.fields as { label: string; value: string }[]).map((f) => ({ label: f.label, value: f.value }));
  if (typeof t.url === 'string') template.url = t.url;
  return { type: 'chat', id, key, endpointIds: [...action.endpointIds], template };
}

// ---------------------------------------------------------------- builder → rule

/** A raw JSON Logic node whose text is not JSON: the rule cannot be sent until it is. */
export class RawJsonError extends Error {
  constructor(
    readonly nodeId: string,
    message: string,
  ) {
    super(message);
    this.name = 'RawJsonError';
  }
}

export function fromBuilder(state: BuilderState): RuleInput {
  return build(state).rule;
}

/** The rule, and where each node and action sits in it as the API names fields (`conditions.all.0.value`, `actions.1`). */
function build(state: BuilderState): { rule: RuleInput; fields: [string, string][] } {
  const fields: [string, string][] = [
    ['name', 'name'],
    ['enabled', 'enabled'],
    ['trigger', 'trigger'],
  ];
  const root = state.conditions;
  const conditions = root.bare && !root.not && root.children.length === 0 ? null : nodeFromBuilder(root, 'conditions', fields);
  if (conditions === null) fields.push([root.id, 'conditions']);
  const actions = state.actions.map((a, i) => {
    fields.push([a.id, `actions.${i}`]);
    return actionFromBuilder(a);
  });
  return { rule: { name: state.name, enabled: state.enabled, trigger: { eventTypes: [...state.eventTypes] }, conditions, actions }, fields };
}

function nodeFromBuilder(node: ConditionNode, field: string, fields: [string, string][]): Record<string, unknown> {
  fields.push([node.id, field]);
  if (node.kind === 'raw') {
    try {
      return { jsonLogic: JSON.parse(node.text) as unknown };
    } catch (error) {
      throw new RawJsonError(node.id, `The JSON Logic expression is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (node.kind === 'comparison') {
    const out: Record<string, unknown> = { path: node.path, op: node.op };
    if (Array.isArray(node.value)) out.value = node.value.filter((v) => v !== undefined);
    else if (node.value !== undefined) out.value = node.value;
    if (node.ignoreCase !== undefined) out.ignoreCase = node.ignoreCase;
    return out;
  }
  const inner = node.not ? `${field}.not` : field;
  const body =
    node.bare && node.children.length === 1
      ? nodeFromBuilder(node.children[0], inner, fields)
      : { [node.match]: node.children.map((child, i) => nodeFromBuilder(child, `${inner}.${node.match}.${i}`, fields)) };
  return node.not ? { not: body } : body;
}

function actionFromBuilder(action: ActionState): ActionInput {
  const key = action.key.trim() ? { key: action.key.trim() } : {};
  if (action.type === 'deliver') return { ...key, type: 'deliver', endpointIds: [...action.endpointIds], transform: action.transform };
  if (action.type === 'invoke') return { ...key, type: 'invoke', contractId: action.contractId, input: action.input };
  const t = action.template;
  return {
    ...key,
    type: 'chat',
    endpointIds: [...action.endpointIds],
    template: {
      ...(t.title !== undefined && { title: t.title }),
      text: t.text,
      ...(t.fields !== undefined && { fields: t.fields.map((f) => ({ label: f.label, value: f.value })) }),
      ...(t.url !== undefined && { url: t.url }),
    },
  };
}

/**
 * The API's field issues (`conditions.all.1.value`, `actions.0.endpointIds.2`)
 * by the client id of the node or action they concern (the deepest one whose
 * field the issue names), so each shows beside its node; `name`, `enabled` and
 * `trigger` keep their own keys. Issues that fit nowhere are under "".
 */
export function issuesByNode(state: BuilderState, issues: FieldIssue[]): Record<string, string[]> {
  let fields: [string, string][];
  try {
    fields = build(state).fields;
  } catch {
    fields = [];
  }
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    let best: [string, string] | undefined;
    for (const entry of fields) {
      const f = entry[1];
      if ((issue.field === f || issue.field.startsWith(`${f}.`)) && (!best || f.length >= best[1].length)) best = entry;
    }
    const at = best?.[0] ?? '';
    (out[at] ??= []).push(best && issue.field !== best[1] ? `${issue.field.slice(best[1].length + 1)}: ${issue.rule}` : issue.rule);
  }
  return out;
}

// ---------------------------------------------------------------- new nodes and actions

export function newComparison(path = ''): ComparisonNode {
  return { kind: 'comparison', id: newId('c'), path, op: 'equals', value: undefined };
}

export function newGroup(): GroupNode {
  return { kind: 'group', id: newId('g'), match: 'all', not: false, bare: false, children: [] };
}

export function newRaw(): RawNode {
  return { kind: 'raw', id: newId('r'), text: '{ "==": [{ "var": "type" }, "invoice.paid"] }' };
}

export function newAction(type: ActionState['type']): ActionState {
  const id = newId('a');
  if (type === 'deliver') return { type, id, key: '', endpointIds: [], transform: null };
  if (type === 'chat') return { type, id, key: '', endpointIds: [], template: { text: '' } };
  return { type, id, key: '', contractId: '', input: null };
}
