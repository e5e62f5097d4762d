import { EventsDeadLetteredTopic, EventsIngestedTopic } from '@hookline/contracts';
import { createKafka, TopicNames } from '@hookline/kafka';
import { readTopic, stackForSuite } from '../harness/test-stack';

const DEAD_LETTER_MARKER = 'not json: the dead-letter marker';

describe('events written straight to the Kafka ingestion topic', () => {
  // One request at a time per endpoint: deliveries reach an endpoint in the order their requests were queued.
  const { stack, receiver } = stackForSuite({ env: { DISPATCHER_ENDPOINT_CONCURRENCY: '1' } });
  const kafka = createKafka({ clientId: 'ingestion-test', brokers: [stack.brokers] });
  const producer = kafka.producer();

  beforeAll(() => producer.connect());
  afterAll(() => producer.disconnect());

  it('delivers valid messages and dead-letters invalid ones with the reason and the original bytes', async () => {
    expect((await stack.api('admin-api', 'POST', '/v1/tenants/hooli/endpoints', { url: `${receiver.url}/kafka`, eventTypes: ['chat.*'] })).status).toBe(201);
    const topic = new TopicNames(stack.prefix).of(EventsIngestedTopic);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await producer.send({
      topic,
      messages: [
        { key: 'hooli', value: JSON.stringify({ tenantId: 'hooli', type: 'chat.message.sent', id: 'msg_1', data: { text: 'hi' } }), headers: { traceparent } },
        { key: 'hooli', value: '{"tenantId": "hooli", "type": ' },
        { key: 'hooli', value: JSON.stringify({ tenantId: 'hooli', type: 'chat.message.sent', data: 'not an object' }) },
        // Only Hookline emits its own event types; a producer's is refused like any invalid message.
        { key: 'hooli', value: JSON.stringify({ tenantId: 'hooli', type: 'endpoint.disabled', id: 'msg_forged', data: { endpoint: { id: 'x' } } }) },
        // Markers: whatever the messages above lead to is ahead of these on the partition, so it is delivered or dead-lettered first.
        { key: 'hooli', value: JSON.stringify({ tenantId: 'hooli', type: 'chat.message.sent', id: 'msg_marker', data: { text: 'marker' } }) },
        { key: 'hooli', value: DEAD_LETTER_MARKER },
      ],
    });

    await receiver.waitFor((r) => r.headers['webhook-id'] === 'msg_marker', { what: 'the marker' });
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual(['msg_1', 'msg_marker']);
    // The producer's trace is continued, not restarted.
    expect(receiver.requests[0].headers.traceparent.split('-')[1]).toBe('4bf92f3577b34da6a3ce929d0e0e4736');

    const deadLetters = (await readTopic(stack, EventsDeadLetteredTopic, (values) => values.some((v) => v.includes(DEAD_LETTER_MARKER)))).map(
      (v) => JSON.parse(v) as { reason: string; issues: { field: string }[]; value: string | null; source: { topic: string } },
    );

    expect(deadLetters.map((d) => d.value)).toEqual([
      '{"tenantId": "hooli", "type": ',
      expect.stringContaining('not an object'),
      expect.stringContaining('msg_forged'),
      DEAD_LETTER_MARKER,
    ]);
    expect(deadLetters[0].reason).toMatch(/^\(root\): message value is not valid JSON/);
    expect(deadLetters[1].issues).toEqual([{ field: 'data', rule: 'must be a JSON object' }]);
    expect(deadLetters[2]).toMatchObject({
      reason: "type: is reserved for Hookline's own events",
      issues: [{ field: 'type', rule: "is reserved for Hookline's own events" }],
    });
    expect(deadLetters.every((d) => d.source.topic === topic)).toBe(true);
  });
});
