import { DEPTH_RULE, EventsIngestedTopic, EXACT_NUMBER_RULE, MAX_JSON_DEPTH } from '@hookline/contracts';
import { parseJson, type ConsumedMessage } from './message';
import { decode } from './received';

describe(parseJson.name, () => {
  it('parses a JSON value', () => {
    expect(parseJson(Buffer.from('{"a":[1,"x",null]}'))).toEqual({ ok: true, value: { a: [1, 'x', null] } });
  });

  it('gives a reason for an empty value and for broken JSON', () => {
    expect(parseJson(null)).toEqual({ ok: false, reason: 'message value is empty' });
    expect(parseJson(Buffer.from('{"a":'))).toEqual({ ok: false, reason: expect.stringMatching(/^message value is not valid JSON: /) });
  });

  it('refuses a value nested 100,000 levels deep with the field and the rule, instead of throwing', () => {
    const deep = Buffer.from('{"data":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}');
    const field = ['data', ...Array(MAX_JSON_DEPTH - 1).fill('0')].join('.');
    expect(parseJson(deep)).toEqual({ ok: false, reason: `${field}: ${DEPTH_RULE(MAX_JSON_DEPTH)}`, issue: { field, rule: DEPTH_RULE(MAX_JSON_DEPTH) } });
  });

  it('refuses a number that parsing would change', () => {
    expect(parseJson(Buffer.from('{"data":{"n":12345678901234567890}}'))).toMatchObject({
      ok: false,
      issue: { field: 'data.n', rule: `${EXACT_NUMBER_RULE} (got 12345678901234567890)` },
    });
  });
});

describe('a hostile message on the ingestion topic', () => {
  const message = (value: string): ConsumedMessage => ({
    topic: 'hookline.events.ingested.v1',
    partition: 0,
    offset: '5',
    key: 'acme',
    value: Buffer.from(value),
    headers: {},
  });

  it.each([
    ['nested too deep', `{"tenantId":"acme","type":"a","data":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`, `data.x${'.0'.repeat(MAX_JSON_DEPTH - 2)}`],
    ['with an inexact number', '{"tenantId":"acme","type":"a","data":{"x":9007199254740993}}', 'data.x'],
    ['with a year-0 date', '{"tenantId":"acme","type":"a","data":{},"occurredAt":"0000-01-01T00:00:00Z"}', 'occurredAt'],
    ['with NUL in data', '{"tenantId":"acme","type":"a","data":{"x":"\\u0000"}}', 'data.x'],
    ['with a lone surrogate in data', '{"tenantId":"acme","type":"a","data":{"\\ud800":1}}', 'data.\ud800'],
  ])('is dead-lettered %s, naming the field', (_what, value, field) => {
    const decoded = decode(EventsIngestedTopic, message(value), 'ingest');
    expect(decoded).toMatchObject({ ok: false, deadLetter: { issues: [{ field }], value } });
    if (!decoded.ok) expect(decoded.deadLetter.reason.startsWith(`${field}: `)).toBe(true);
  });
});
