import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deliveryBody, EventEnvelopeSchema } from './event.schema';
import { OPERATIONAL_EVENT_EXAMPLES } from './operational-event-examples';
import { DeliveryExhaustedEventDataSchema, EndpointStateEventDataSchema, OPERATIONAL_EVENT_TYPES, subjectEndpointOf } from './operational-events';

const examples = Object.entries(OPERATIONAL_EVENT_EXAMPLES);
const schemaOf = (type: string) => (type === 'delivery.exhausted' ? DeliveryExhaustedEventDataSchema : EndpointStateEventDataSchema);

/** The JSON block under each type's heading in the README's "Operational events" section. */
function documentedExamples(): Map<string, unknown> {
  const readme = readFileSync(resolve(__dirname, '../../../../README.md'), 'utf8');
  const start = readme.indexOf('\n## Operational events\n');
  expect(start).toBeGreaterThan(-1);
  const section = readme.slice(start + 1, readme.indexOf('\n## ', start + 1));
  const found = new Map<string, unknown>();
  for (const [, type, json] of section.matchAll(/^#### `([a-z.]+)`\n[\s\S]*?```json\n([\s\S]*?)```/gm)) found.set(type, JSON.parse(json));
  return found;
}

describe('operational event examples', () => {
  it('cover every operational event type, each under its own key', () => {
    expect(examples.map(([key]) => key).sort()).toEqual([...OPERATIONAL_EVENT_TYPES].sort());
    for (const [key, example] of examples) expect(example.type).toBe(key);
  });

  it.each(examples)('%s: its data parses with its payload schema unchanged, and it is a valid envelope about its endpoint', (type, example) => {
    expect(schemaOf(type).parse(example.data)).toEqual(example.data);
    const envelope = EventEnvelopeSchema.parse({ ...example, receivedAt: example.occurredAt });
    expect(JSON.parse(deliveryBody(envelope))).toEqual(example);
    expect(subjectEndpointOf(envelope)).toBe(example.data.endpoint.id);
  });

  it('are what the README shows, one per type', () => {
    expect(Object.fromEntries(documentedExamples())).toEqual(OPERATIONAL_EVENT_EXAMPLES);
  });

  it('refuse a payload that breaks its schema (the check can fail)', () => {
    const { data } = OPERATIONAL_EVENT_EXAMPLES['delivery.exhausted'];
    expect(DeliveryExhaustedEventDataSchema.safeParse({ ...data, alsoExhausted: -1 }).success).toBe(false);
    expect(EndpointStateEventDataSchema.safeParse({ ...OPERATIONAL_EVENT_EXAMPLES['endpoint.paused'].data, state: 'asleep' }).success).toBe(false);
  });
});
