/**
 * The one thing the store needs from PostgreSQL. Declared here so this library
 * depends on no database library: a TypeORM `DataSource` (what service-kit
 * provides as DATA_SOURCE) and a `pg` `Pool` both fit as they are.
 */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * The rows of a query result from either runner: TypeORM returns the rows
 * array, `pg` a result object with `rows`. (TypeORM returns `[rows, count]` for
 * a bare UPDATE or DELETE, which is why every statement in the store that
 * changes rows is wrapped in `WITH ... SELECT`.)
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown } | null)?.rows;
  if (Array.isArray(rows)) return rows as T[];
  throw new TypeError('SqlRunner.query returned neither a rows array nor a result with rows');
}
