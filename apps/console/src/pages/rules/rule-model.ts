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

// ---------------------------------------------------------------- tree edits (each returns a new tree)

export function findNode(root: GroupNode, id: string): ConditionNode | undefined {
  if (root.id === id) return root;
  for (const child of root.children) {
    if (child.id === id) return child;
    if (child.kind === 'group') {
      const found = findNode(child, id);
      if (found) return found;
    }
  }
  return undefined;
}

/** The group holding `id`, and its index there. */
export function findParent(root: GroupNode, id: string): { parent: GroupNode; index: number } | undefined {
  const index = root.children.findIndex((c) => c.id === id);
  if (index >= 0) return { parent: root, index };
  for (const child of root.children) {
    if (child.kind === 'group') {
      const found = findParent(child, id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Whether `id` is `node` or inside it. */
export function containsNode(node: ConditionNode, id: string): boolean {
  return node.id === id || (node.kind === 'group' && node.children.some((c) => containsNode(c, id)));
}

function mapGroups(node: GroupNode, fn: (group: GroupNode) => GroupNode): GroupNode {
  const children = node.children.map((c) => (c.kind === 'group' ? mapGroups(c, fn) : c));
  return fn(children.every((c, i) => c === node.children[i]) ? node : { ...node, children });
}

export function updateNode<N extends ConditionNode>(root: GroupNode, id: string, change: (node: N) => N): GroupNode {
  if (root.id === id) return change(root as N) as GroupNode;
  return mapGroups(root, (g) => (g.children.some((c) => c.id === id) ? { ...g, children: g.children.map((c) => (c.id === id ? change(c as N) : c)) } : g));
}

export function removeNode(root: GroupNode, id: string): GroupNode {
  return mapGroups(root, (g) => (g.children.some((c) => c.id === id) ? { ...g, children: g.children.filter((c) => c.id !== id) } : g));
}

/** A child added by the user turns a bare group into a real one: a rule built from nothing gets `{ all: [...] }`. */
export function addChild(root: GroupNode, groupId: string, node: ConditionNode): GroupNode {
  return updateNode<GroupNode>(root, groupId, (g) => ({ ...g, bare: false, children: [...g.children, node] }));
}

/** Up (-1) or down (+1) within its group; nothing at either end. */
export function moveWithin(root: GroupNode, id: string, delta: -1 | 1): GroupNode {
  const at = findParent(root, id);
  if (!at) return root;
  const to = at.index + delta;
  if (to < 0 || to >= at.parent.children.length) return root;
  return updateNode<GroupNode>(root, at.parent.id, (g) => ({ ...g, children: moveItem(g.children, at.index, to) }));
}

/**
 * Moves `id` to position `index` of group `targetId`: within its own group it takes
 * that position (as a sortable list reorders), into another group it goes before
 * the child now at `index` (the end past the last); never into itself or its own descendants.
 */
export function moveNode(root: GroupNode, id: string, targetId: string, index: number): GroupNode {
  const from = findParent(root, id);
  const node = findNode(root, id);
  if (!from || !node || containsNode(node, targetId)) return root;
  if (from.parent.id === targetId) {
    const to = Math.min(index, from.parent.children.length - 1);
    return updateNode<GroupNode>(root, targetId, (g) => ({ ...g, children: moveItem(g.children, from.index, to) }));
  }
  const without = removeNode(root, id);
  return updateNode<GroupNode>(without, targetId, (g) => {
    const children = [...g.children];
    children.splice(Math.min(index, children.length), 0, node);
    return { ...g, bare: false, children };
  });
}

export function moveItem<T>(list: T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

// ---------------------------------------------------------------- fields from a JSON Schema

/** The envelope fields every event has, which conditions may name besides `data.…`. */
export const ENVELOPE_FIELDS: FieldOption[] = [
  { path: 'type', type: 'string', description: 'The event type' },
  { path: 'id', type: 'string', description: 'The event id' },
  { path: 'tenantId', type: 'string' },
  { path: 'occurredAt', type: 'string', format: 'date-time', description: 'When it happened (ISO 8601; compares as text)' },
];

const TYPES: FieldOption['type'][] = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

/**
 * The paths under `data` that a type's JSON Schema (of `data`) declares, each
 * with its type, enum values, format and description; through `allOf`,
 * `anyOf`, `oneOf` and local `$ref`s, as the API's undeclared-path check reads
 * them. Lists are offered whole (for `contains`), not item by item.
 */
export function fieldsFromSchema(schema: unknown): FieldOption[] {
  const out = new Map<string, FieldOption>();
  const root = schema as Record<string, unknown>;
  const visit = (node: unknown, path: string, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 12) return;
    const s = resolveRef(root, node as Record<string, unknown>);
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(s[k])) for (const v of s[k] as unknown[]) visit(v, path, depth + 1);
    const props = s.properties;
    if (!props || typeof props !== 'object') return;
    for (const [key, child] of Object.entries(props as Record<string, unknown>)) {
      if (!/^[A-Za-z0-9_$-]+$/.test(key) || !child || typeof child !== 'object') continue;
      const childPath = `${path}.${key}`;
      const c = resolveRef(root, child as Record<string, unknown>);
      const field = describe(childPath, c);
      const known = out.get(childPath);
      out.set(childPath, known ? { ...field, ...known, enum: known.enum ?? field.enum } : field);
      visit(c, childPath, depth + 1);
    }
  };
  visit(schema, 'data', 0);
  return [...out.values()];
}

function resolveRef(root: Record<string, unknown>, node: Record<string, unknown>): Record<string, unknown> {
  if (typeof node.$ref !== 'string' || !node.$ref.startsWith('#/')) return node;
  let target: unknown = root;
  for (const part of node.$ref.slice(2).split('/')) target = (target as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return target && typeof target === 'object' ? (target as Record<string, unknown>) : node;
}

function describe(path: string, s: Record<string, unknown>): FieldOption {
  const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is FieldOption['type'] => TYPES.includes(t as FieldOption['type']));
  let type: FieldOption['type'] = types.find((t) => t !== 'null') ?? types[0] ?? 'any';
  const values = Array.isArray(s.enum) ? (s.enum as unknown[]) : 'const' in s ? [s.const] : undefined;
  const scalars = values?.filter((v): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  if (type === 'any' && scalars?.length) type = typeof scalars.find((v) => v !== null) as FieldOption['type'];
  const field: FieldOption = { path, type };
  if (scalars?.length) field.enum = scalars;
  if (typeof s.format === 'string') field.format = s.format;
  if (typeof s.description === 'string') field.description = s.description;
  return field;
}

/** Fields of several types (a trigger of many), each path once, first come first kept. */
export function mergeFields(lists: FieldOption[][]): FieldOption[] {
  const out = new Map<string, FieldOption>();
  for (const list of lists) for (const f of list) if (!out.has(f.path)) out.set(f.path, f);
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** The operators that make sense for a field's type (the one in use always stays offered). */
export function operatorsFor(field: FieldOption | undefined, current?: Operator): Operator[] {
  let ops: Operator[];
  switch (field?.type) {
    case 'number':
    case 'integer':
      ops = ['equals', 'not_equals', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'exists', 'not_exists'];
      break;
    case 'boolean':
      ops = ['equals', 'not_equals', 'exists', 'not_exists'];
      break;
    case 'array':
      ops = ['contains', 'exists', 'not_exists'];
      break;
    case 'object':
      ops = ['exists', 'not_exists', 'equals', 'not_equals'];
      break;
    case 'string':
      ops = field.enum
        ? ['equals', 'not_equals', 'in', 'not_in', 'exists', 'not_exists']
        : ['equals', 'not_equals', 'in', 'not_in', 'contains', 'starts_with', 'ends_with', 'matches', 'gt', 'gte', 'lt', 'lte', 'exists', 'not_exists'];
      break;
    default:
      ops = [...OPERATORS];
  }
  return current && !ops.includes(current) ? [...ops, current] : ops;
}

/** The value a comparison keeps when its operator changes: none for exists, a list for in, one value otherwise. */
export function valueForOperator(value: ComparisonValue, op: Operator): ComparisonValue {
  if (NO_VALUE_OPS.includes(op)) return undefined;
  if (LIST_OPS.includes(op)) return Array.isArray(value) ? value : value === undefined ? [] : [value];
  return Array.isArray(value) ? value[0] : value;
}

/** Trigger patterns matched by an event type name (`*`, `invoice.*`, `invoice.paid`), as endpoints match them. */
export function patternMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}
