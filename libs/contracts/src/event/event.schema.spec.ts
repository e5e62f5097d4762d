import { describeIssues } from '../validation';
import { DATA_DEPTH_RULE, KEY_RULE, MAX_DATA_DEPTH, MAX_KEY_BYTES, MAX_STRING_BYTES, NUL_RULE, STRING_RULE, SURROGATE_RULE } from './event-data.rules';
import { EventEnvelopeSchema, EventInputSchema, OCCURRED_AT_MAX, OCCURRED_AT_MIN, RESERVED_TYPE_RULE } from './event.schema';
import { OPERATIONAL_EVENT_TYPES } from './operational-event-types';

const base = { tenantId: 'acme', type: 'invoice.paid' };
/** The `field: rule` pairs an input breaks; empty when it passes. */
const issuesOf = (input: Record<string, unknown>) => {
  const parsed = EventInputSchema.safeParse({ ...base, data: {}, ...input });
  return parsed.success ? [] : describeIssues(parsed.error);
};
const nestedData = (depth: number): Record<string, unknown> => {
  let data: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) data = { a: data };
  return data;
};

describe('EventInputSchema edge rules (what the delivery log can store)', () => {
  const OCCURRED_AT_RULE = `must be between ${OCCURRED_AT_MIN} and ${OCCURRED_AT_MAX} once converted to UTC`;

  it('accepts occurredAt at both ends of the range, offsets included', () => {
    for (const occurredAt of ['0001-01-01T00:00:00Z', '0001-01-01T01:00:00+01:00', '9999-12-31T23:59:59.999Z', '9999-12-31T18:59:59-05:00'])
      expect(issuesOf({ occurredAt })).toEqual([]);
  });

  it('refuses occurredAt outside years 0001-9999 as a UTC instant (regression: year 0 was accepted and jammed log-store)', () => {
    for (const occurredAt of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-05:00'])
      expect(issuesOf({ occurredAt })).toEqual([{ field: 'occurredAt', rule: OCCURRED_AT_RULE }]);
  });

  it('names only the date-time rule for an occurredAt that is no date', () => {
    expect(issuesOf({ occurredAt: 'yesterday' })).toEqual([{ field: 'occurredAt', rule: 'must be an ISO 8601 date-time' }]);
  });

  it('refuses NUL in any string value or key of data, naming its path', () => {
    expect(issuesOf({ data: { a: 'x\u0000y' } })).toEqual([{ field: 'data.a', rule: NUL_RULE }]);
    expect(issuesOf({ data: { a: [{ ['k\u0000']: 1 }] } })).toEqual([{ field: 'data.a.0.k\u0000', rule: `keys ${NUL_RULE}` }]);
  });

  it('refuses NUL in id, tenantId and type by their own patterns', () => {
    expect(issuesOf({ id: 'a\u0000', tenantId: 'ac\u0000me', type: 'a\u0000' }).map((i) => i.field)).toEqual(['tenantId', 'type', 'id']);
  });

  it('refuses lone UTF-16 surrogates in values and keys and keeps pairs', () => {
    expect(issuesOf({ data: { a: '\ud800', b: 'x\udc00', ['\ud83dk']: 1, ok: '\ud83d\ude00' } })).toEqual([
      { field: 'data.\ud83dk', rule: `keys ${SURROGATE_RULE}` },
      { field: 'data.a', rule: SURROGATE_RULE },
      { field: 'data.b', rule: SURROGATE_RULE },
    ]);
    expect(issuesOf({ data: { '😀': '😀 é 中' } })).toEqual([]);
  });

  it(`accepts keys of ${MAX_KEY_BYTES} bytes and strings of ${MAX_STRING_BYTES} bytes as UTF-8, and refuses one byte more`, () => {
    expect(issuesOf({ data: { ['k'.repeat(MAX_KEY_BYTES)]: 's'.repeat(MAX_STRING_BYTES) } })).toEqual([]);
    expect(issuesOf({ data: { ['é'.repeat(MAX_KEY_BYTES / 2) + 'x']: 1, s: 'é'.repeat(MAX_STRING_BYTES / 2) + 'x' } })).toEqual([
      { field: `data.${'é'.repeat(64)}…`, rule: KEY_RULE },
      { field: 'data.s', rule: STRING_RULE },
    ]);
  });

  it(`accepts data nested ${MAX_DATA_DEPTH} levels and refuses one more, naming the level`, () => {
    expect(issuesOf({ data: nestedData(MAX_DATA_DEPTH) })).toEqual([]);
    expect(issuesOf({ data: nestedData(MAX_DATA_DEPTH + 1) })).toEqual([{ field: `data${'.a'.repeat(MAX_DATA_DEPTH)}`, rule: DATA_DEPTH_RULE }]);
  });

  it('refuses data built 100,000 levels deep without exhausting the stack (the Kafka path gets parsed values too)', () => {
    expect(issuesOf({ data: nestedData(100_000) })).toEqual([{ field: `data${'.a'.repeat(MAX_DATA_DEPTH)}`, rule: DATA_DEPTH_RULE }]);
  });

  it('refuses a non-finite number (what 1e400 becomes once parsed)', () => {
    expect(issuesOf({ data: { n: [1, JSON.parse('1e400')] } })).toEqual([{ field: 'data.n.1', rule: 'must be a finite number (at most about ±1.8e308)' }]);
  });

  it('reports at most 20 issues for one data', () => {
    expect(issuesOf({ data: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, '\u0000'])) })).toHaveLength(20);
  });

  it('keeps data as sent, an own "__proto__" key included', () => {
    const data = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    const parsed = EventInputSchema.parse({ ...base, data });
    expect(JSON.stringify(parsed.data)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('still refuses data that is not an object', () => {
    for (const data of [null, [], 'x', 1]) expect(issuesOf({ data })).toEqual([{ field: 'data', rule: 'must be a JSON object' }]);
  });
});

describe("Hookline's own event types", () => {
  it.each(OPERATIONAL_EVENT_TYPES)('refuses %s from a producer, naming type and the rule, but lets the accepted envelope carry it', (type) => {
    expect(issuesOf({ type })).toEqual([{ field: 'type', rule: RESERVED_TYPE_RULE }]);
    const envelope = { id: 'evt_1', tenantId: 'acme', type, data: {}, occurredAt: OCCURRED_AT_MIN, receivedAt: OCCURRED_AT_MIN };
    expect(EventEnvelopeSchema.safeParse(envelope).success).toBe(true);
  });

  it('leaves neighbouring producer types alone', () => {
    for (const type of ['endpoint.created', 'delivery.exhausted.late', 'endpoint', 'deliveries.exhausted', 'endpoint_disabled'])
      expect(issuesOf({ type })).toEqual([]);
  });
});
