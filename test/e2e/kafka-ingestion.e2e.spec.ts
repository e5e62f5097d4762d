import { patchKafkaJsIdleTimer } from '@hookline/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { stackForSuite } from '../harness/test-stack';

describe('events written straight to the Kafka ingestion topic', () => {
  const { stack, receiver } = stackForSuite();
  patchKafkaJsIdleTimer(); // as the services' clients are (else an idle connection arms a negative timer)
  const kafka = new Kafka({ clientId: 'ingestion-test', brokers: [stack.brokers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();

  beforeAll(() => producer.connect());
  afterAll(() => producer.disconnect());

  it('delivers valid messages and dead-letters invalid ones with the reason and the original bytes', async () => {
    await stack.api('admin-api', 'POST', '/v1/tenants/hooli/endpoints', { url: `${receiver.url}/kafka`, eventTypes: ['chat.*'] });
    const topic = `${stack.prefix}hookline.events.ingested.v1`;
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await producer.send({
      topic,
      messages: [
        { key: 'hooli', value: JSON.stringify({ tenantId: 'hooli', type: 'chat.message.sent', id: 'msg_1', data: { text: 'hi' } }), headers: { traceparent } },
        { key: 'hooli', value: '{"tenantId": "hooli", "type": ' },
        { key: 'hooli', value: JSON.stringify({ tenantId: 'hooli', type: 'chat.message.sent', data: 'not an object' }) },
      ],
    });

    await receiver.waitFor((reqs) => reqs.some((r) => r.headers['webhook-id'] === 'msg_1'));
    const delivered = receiver.requests.find((r) => r.headers['webhook-id'] === 'msg_1')!;
    // The producer's trace is continued, not restarted.
    expect(delivered.headers.traceparent.split('-')[1]).toBe('4bf92f3577b34da6a3ce929d0e0e4736');

    const consumer = kafka.consumer({ groupId: `dlq-reader-${Date.now()}` });
    const deadLetters: { reason: string; issues: { field: string }[]; value: string | null; source: { topic: string } }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: `${stack.prefix}hookline.events.dead-lettered.v1`, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void deadLetters.push(JSON.parse(message.value!.toString())) });
    for (let i = 0; i < 100 && deadLetters.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();

    expect(deadLetters).toHaveLength(2);
    expect(deadLetters[0].reason).toMatch(/^\(root\): message value is not valid JSON/);
    expect(deadLetters[0].value).toBe('{"tenantId": "hooli", "type": ');
    expect(deadLetters[1].issues).toEqual([{ field: 'data', rule: 'must be a JSON object' }]);
    expect(deadLetters.every((d) => d.source.topic === topic)).toBe(true);
    expect(receiver.requests).toHaveLength(1);
  });
});
