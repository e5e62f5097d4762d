import { LIST_OPS, NO_VALUE_OPS, OPERATORS, type ComparisonValue, type FieldOption, type Operator, type Scalar } from './rule-model';

/** The paths a condition may name, read from the trigger type's JSON Schema, and the operators and values that fit each. */
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
