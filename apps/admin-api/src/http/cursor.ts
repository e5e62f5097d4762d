import { BadRequestException } from '@nestjs/common';

/** Opaque keyset cursor: the (createdAt, id) of the last row of a page. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at);
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new BadRequestException({ error: 'validation_failed', message: 'cursor: must be a cursor returned by a previous page', issues: [{ field: 'cursor', rule: 'must be a cursor returned by a previous page' }] });
  }
  return { createdAt, id };
}
