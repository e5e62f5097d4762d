import jsonata from 'jsonata';

/** Bounds every transformation is held to. */
export const TRANSFORM_LIMITS = {
  /** Characters of the expression. */
  maxExpressionLength: 4096,
  /** Wall-clock time of one evaluation. */
  timeoutMs: 50,
  /** Nesting of evaluation steps (recursion included). */
  maxDepth: 200,
  /** The result as JSON, in bytes: what a delivery body may be. */
  maxOutputBytes: 256 * 1024,
} as const;

type Expression = ReturnType<typeof jsonata>;
type AstNode = { type?: string; value?: unknown; procedure?: AstNode; [key: string]: unknown };

/** Functions a transformation may not call: `$eval` runs text as an expression, beyond what was checked when it was saved. */
const FORBIDDEN_FUNCTIONS = new Set(['eval']);

/**
 * Why a JSONata expression cannot be a transformation, or null: it must parse,
 * fit in 4,096 characters, and use no regular expression (JSONata runs them on
 * JavaScript's backtracking engine, which a crafted pattern can keep busy for
 * seconds; use `$contains`, `$split`, `$substringBefore` and the like with
 * text) and no `$eval`.
 */
export function transformProblem(expression: string): string | null {
  if (expression.length > TRANSFORM_LIMITS.maxExpressionLength) return `must be at most ${TRANSFORM_LIMITS.maxExpressionLength} characters`;
  let ast: AstNode;
  try {
    ast = jsonata(expression).ast() as AstNode;
  } catch (err) {
    const e = err as { message?: string; position?: number };
    return `is not a valid JSONata expression: ${e.message ?? String(err)}${e.position === undefined ? '' : ` (at character ${e.position})`}`;
  }
  return astProblem(ast);
}

function astProblem(node: unknown): string | null {
  if (Array.isArray(node)) {
    for (const item of node) {
      const problem = astProblem(item);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof node !== 'object' || node === null) return null;
  const n = node as AstNode;
  if (n.type === 'regex') return 'must not use regular expressions (they run on a backtracking engine); match text with $contains, $split or $substringBefore';
  if (n.type === 'function' && n.procedure?.type === 'variable' && FORBIDDEN_FUNCTIONS.has(String(n.procedure.value)))
    return `must not call $${String(n.procedure.value)}`;
  for (const value of Object.values(n)) {
    const problem = astProblem(value);
    if (problem) return problem;
  }
  return null;
}

/**
 * What one evaluation produced: a JSON value, or why there is none. `reason`
 * names the failure without any value of the event (fit for a log); `detail`
 * is JSONata's own message, which may quote one (fit for the API caller who
 * owns the event, in a trial run).
 */
export type TransformResult = { ok: true; value: unknown } | { ok: false; reason: string; detail?: string };

/**
 * A transformation compiled once (a checked JSONata expression), evaluated on
 * an event with a time and depth bound; its result must be JSON of at most
 * 256 KiB. An evaluation that fails, runs over a bound or produces nothing
 * answers why, never throws.
 */
export class CompiledTransform {
  private readonly expression: Expression;
  private started = 0;
  private depth = 0;
  /** Evaluations of one expression run one at a time: the bound's clock and depth are the expression's. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly source: string) {
    const problem = transformProblem(source);
    if (problem) throw new Error(`transform ${problem}`);
    this.expression = jsonata(source);
    this.expression.assign(Symbol.for('jsonata.__evaluate_entry') as unknown as string, () => {
      this.depth += 1;
      if (this.depth > TRANSFORM_LIMITS.maxDepth) throw { code: 'HL01', message: `nests deeper than ${TRANSFORM_LIMITS.maxDepth} steps` };
      if (Date.now() - this.started > TRANSFORM_LIMITS.timeoutMs) throw { code: 'HL02', message: `ran longer than ${TRANSFORM_LIMITS.timeoutMs} ms` };
    });
    this.expression.assign(Symbol.for('jsonata.__evaluate_exit') as unknown as string, () => {
      this.depth -= 1;
    });
  }

  run(input: unknown): Promise<TransformResult> {
    const result = this.tail.then(() => this.evaluate(input));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async evaluate(input: unknown): Promise<TransformResult> {
    this.started = Date.now();
    this.depth = 0;
    let value: unknown;
    try {
      value = await this.expression.evaluate(input);
    } catch (err) {
      const e = err as { code?: string; message?: string; position?: number };
      // Hookline's own bounds say nothing of the event; JSONata's messages may quote a value of it.
      if (e.code?.startsWith('HL')) return { ok: false, reason: `failed: ${e.message}` };
      const at = e.position === undefined ? '' : ` at character ${e.position}`;
      return { ok: false, reason: `failed: JSONata error ${e.code ?? 'unknown'}${at}`, detail: e.message ?? String(err) };
    }
    if (value === undefined) return { ok: false, reason: 'produced nothing (no part of the event matched)' };
    if (typeof value === 'function' || (typeof value === 'object' && value !== null && '_jsonata_lambda' in value)) {
      return { ok: false, reason: 'did not produce JSON (a function)' };
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (err) {
      return { ok: false, reason: `did not produce JSON: ${(err as Error).message}` };
    }
    if (json === undefined) return { ok: false, reason: 'did not produce JSON (a function)' };
    const bytes = Buffer.byteLength(json);
    if (bytes > TRANSFORM_LIMITS.maxOutputBytes) return { ok: false, reason: `produced ${bytes} bytes of JSON, more than ${TRANSFORM_LIMITS.maxOutputBytes}` };
    return { ok: true, value: JSON.parse(json) as unknown };
  }
}
