import { validationFailed } from '@hookline/service-kit';

/** Where a keyset page starts: the (createdAt, id) of the last row of the page before. */
export interface PagePosition {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque keyset cursor: the (createdAt, id) of the last row of a page. */
function encodeCursor(row: PagePosition): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

/** `idPattern`: what a row id of the list looks like (a UUID unless given), checked before it reaches a query. */
export function decodeCursor(cursor: string | undefined, idPattern: RegExp = UUID): PagePosition | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at);
  // The id goes into a uuid comparison: anything else would be a database error, not the client's 400.
  if (!id || !idPattern.test(id) || Number.isNaN(createdAt.getTime()))
    throw validationFailed([{ field: 'cursor', rule: 'must be a cursor returned by a previous page' }]);
  return { createdAt, id };
}

/**
 * Splits `limit + 1` fetched rows into a page and the cursor of the next one:
 * the extra row only tells whether another page exists.
 */
export function toPage<T extends PagePosition>(rows: T[], limit: number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
}
