import { z } from 'zod';

/** Bounds every condition is held to, so that no condition can cost much to evaluate or store. */
export const CONDITION_LIMITS = {
  /** Comparisons and groups in one condition. */
  maxNodes: 100,
  /** Groups inside groups. */
  maxDepth: 8,
  /** Characters of a string value, and of a `matches` pattern. */
  maxStringLength: 1024,
  /** Values of an `in` list. */
  maxListLength: 200,
} as const;

/**
 * The comparisons of the condition language. Every one is false, never an
 * error, when the value at the path is missing or of another type (a number
 * never equals a string). Strings compare case-sensitively unless the
 * comparison has `ignoreCase: true`.
 */
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

/** Where a comparison looks: `type`, `id`, `tenantId`, `occurredAt`, or a path into `data` (`data.customer.tier`, `data.lines.0.sku`). */
export const CONDITION_PATH = z
  .string()
  .max(256, 'must be at most 256 characters')
  .regex(
    /^(type|id|tenantId|occurredAt|data(\.[A-Za-z0-9_$-]+)*)$/,
    'must be type, id, tenantId, occurredAt, or data followed by dot-separated keys (data.customer.tier; a number indexes a list)',
  );

const SCALAR = z.union([
  z.string().max(CONDITION_LIMITS.maxStringLength, `must be at most ${CONDITION_LIMITS.maxStringLength} characters`),
  z.number(),
  z.boolean(),
  z.null(),
]);
export type Scalar = z.infer<typeof SCALAR>;

/** One comparison: the value at `path`, the operator, and what it is compared with. */
export const ComparisonSchema = z
  .object({
    path: CONDITION_PATH,
    op: z.enum(OPERATORS, { error: `must be one of ${OPERATORS.join(', ')}` }),
    value: z.union([SCALAR, z.array(SCALAR).max(CONDITION_LIMITS.maxListLength, `must list at most ${CONDITION_LIMITS.maxListLength} values`)]).optional(),
    ignoreCase: z.boolean().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message });
    if (c.op === 'exists' || c.op === 'not_exists') {
      if (c.value !== undefined) fail(`must be left out for ${c.op}`);
      return;
    }
    if (c.value === undefined) return fail(`is required for ${c.op}`);
    if (c.op === 'in' || c.op === 'not_in') {
      if (!Array.isArray(c.value)) fail(`must be a list for ${c.op}`);
      return;
    }
    if (Array.isArray(c.value)) return fail(`must be a single value for ${c.op} (a list is for in and not_in)`);
    if ((c.op === 'starts_with' || c.op === 'ends_with' || c.op === 'matches') && typeof c.value !== 'string') fail(`must be a string for ${c.op}`);
    if (['gt', 'gte', 'lt', 'lte'].includes(c.op) && typeof c.value !== 'number' && typeof c.value !== 'string')
      fail(`must be a number, or a string (compared as text, e.g. ISO 8601 times) for ${c.op}`);
  });
export type Comparison = z.infer<typeof ComparisonSchema>;

/**
 * A condition as a tree a UI can edit: `all` (every one holds; an empty `all`
 * always holds), `any` (at least one does; an empty `any` never holds), `not`,
 * a comparison, or, for power users, a raw JSON Logic rule (`{ "jsonLogic": … }`,
 * with the operators `RAW_OPERATORS` allows).
 */
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | Comparison | { jsonLogic: unknown };
