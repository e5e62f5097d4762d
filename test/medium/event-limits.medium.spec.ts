import {
  EventInputSchema,
  MAX_DATA_DEPTH,
  MAX_KEY_BYTES,
  MAX_STRING_BYTES,
  OCCURRED_AT_MAX,
  OCCURRED_AT_MIN,
  type EventEnvelope,
  type EventId,
  type TenantId,
} from '@hookline/contracts';
import { freshDatabase } from '@hookline/testing';
import { DeliveryLogRepository } from '../../apps/log-store/src/record-log/delivery-log.repository';

/**
 * The limits ingest enforces are the store's own: an event at the edge of
 * every rule is written by log-store as it is, and one step past the date
 * range or a lone surrogate is what PostgreSQL refuses (so the rules are not
 * stricter than they need to be, nor looser).
 */
describe('event limits against the delivery log on PostgreSQL', () => {
  const database = freshDatabase();
  let n = 0;
  const envelope = (input: Record<string, unknown>): EventEnvelope => {
    const parsed = EventInputSchema.parse({ tenantId: 'acme', type: 'invoice.paid', data: {}, ...input });
    return {
      id: `evt_edge_${++n}` as EventId,
      tenantId: parsed.tenantId as TenantId,
      type: parsed.type,
      data: parsed.data,
      occurredAt: parsed.occurredAt ? new Date(parsed.occurredAt).toISOString() : '2026-11-22T10:00:00.000Z',
      receivedAt: '2026-11-22T10:00:00.000Z',
    };
  };
  const stored = async (id: string) =>
    ((await database.db.query(`SELECT data::text AS data, occurred_at FROM events WHERE id = $1`, [id])) as { data: string; occurred_at: Date }[])[0];

  it('stores an event at the edge of every rule as it was accepted', async () => {
    let deep: unknown = 'bottom';
    for (let i = 1; i < MAX_DATA_DEPTH; i++) deep = [deep];
    const data = {
      deep,
      ['k'.repeat(MAX_KEY_BYTES)]: 'é'.repeat(MAX_STRING_BYTES / 2),
      numbers: [9007199254740992, -9007199254740992, 1.7976931348623157e308, 5e-324, 0.30000000000000004],
      unicode: '😀 中 \u2028 \ufffd',
      ['__proto__']: 'own',
    };
    const events = [envelope({ occurredAt: OCCURRED_AT_MIN, data: JSON.parse(JSON.stringify(data)) }), envelope({ occurredAt: OCCURRED_AT_MAX })];
    await new DeliveryLogRepository(database.db).insertEvents(events);
    for (const event of events) {
      const row = await stored(event.id);
      expect(row.occurred_at.toISOString()).toBe(event.occurredAt);
      expect(JSON.parse(row.data)).toEqual(JSON.parse(JSON.stringify(event.data)));
    }
  });

  it.each([
    ['a date one millisecond before the range', `SELECT '0000-12-31T23:59:59.999Z'::timestamptz`, /out of range/],
    ['a date one millisecond after the range', `SELECT '${new Date(Date.parse(OCCURRED_AT_MAX) + 1).toISOString()}'::timestamptz`, /out of range/],
    ['a lone surrogate in jsonb', `SELECT '{"a":"\\ud800"}'::jsonb`, /invalid input syntax for type json/],
    ['NUL in jsonb', `SELECT '{"a":"\\u0000"}'::jsonb`, /unsupported Unicode escape sequence/],
  ])('is refused by PostgreSQL: %s', async (_what, sql, error) => {
    await expect(database.db.query(sql)).rejects.toThrow(error);
  });
});
