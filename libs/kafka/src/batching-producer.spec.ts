import { EventsAcceptedTopic, type EventEnvelope, type EventId, type TenantId } from '@hookline/contracts';
import type { ProducerBatch } from 'kafkajs';
import { BatchingProducer } from './batching-producer';
import { TopicNames, type KafkaClient } from './kafka-client';

/**
 * How sends are gathered into produce requests, against a stand-in for
 * KafkaJS' producer that records each request and acknowledges it when told.
 * (Sending to a real broker is in the end-to-end suites.)
 */
class FakeKafkaProducer {
  readonly requests: string[][] = [];
  private readonly acks: (() => void)[] = [];
  async connect() {}
  async disconnect() {}
  sendBatch(batch: ProducerBatch): Promise<void> {
    this.requests.push(batch.topicMessages!.flatMap((t) => t.messages.map((m) => JSON.parse(String(m.value)).id as string)));
    return new Promise((resolve) => this.acks.push(resolve));
  }
  ackAll() {
    this.acks.splice(0).forEach((ack) => ack());
  }
}

const event = (id: string): EventEnvelope => ({
  id: id as EventId,
  tenantId: 't1' as TenantId,
  type: 'invoice.paid',
  data: {},
  occurredAt: '2026-11-29T00:00:00.000Z',
  receivedAt: '2026-11-29T00:00:00.000Z',
});
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function producerWith(options: { lingerMs?: number; maxBatch?: number }) {
  const fake = new FakeKafkaProducer();
  const kafka = { engine: { producer: () => fake } } as unknown as KafkaClient;
  return { fake, producer: new BatchingProducer(kafka, new TopicNames('t.'), options) };
}

describe(BatchingProducer.name, () => {
  it('with lingerMs 0, sends what was sent in one turn of the event loop as one request, and a later send as another', async () => {
    const { fake, producer } = producerWith({ lingerMs: 0 });
    void producer.send(EventsAcceptedTopic, [{ value: event('a') }]);
    void producer.send(EventsAcceptedTopic, [{ value: event('b') }, { value: event('c') }]);
    expect(fake.requests).toEqual([]);
    await nextTurn();
    void producer.send(EventsAcceptedTopic, [{ value: event('d') }]);
    await nextTurn();
    expect(fake.requests).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('by default waits a moment, gathering sends from several turns into one request', async () => {
    const { fake, producer } = producerWith({});
    void producer.send(EventsAcceptedTopic, [{ value: event('a') }]);
    await nextTurn();
    void producer.send(EventsAcceptedTopic, [{ value: event('b') }]);
    await nextTurn();
    expect(fake.requests).toEqual([]);
    await sleep(10);
    expect(fake.requests).toEqual([['a', 'b']]);
  });

  it('sends at once when maxBatch messages are waiting', async () => {
    const { fake, producer } = producerWith({ lingerMs: 1000, maxBatch: 2 });
    void producer.send(EventsAcceptedTopic, [{ value: event('a') }, { value: event('b') }]);
    expect(fake.requests).toEqual([['a', 'b']]);
    fake.ackAll();
    await producer.disconnect();
  });

  it('resolves a send only once the broker acknowledged its request', async () => {
    const { fake, producer } = producerWith({ lingerMs: 0 });
    let done = false;
    const sending = producer.send(EventsAcceptedTopic, [{ value: event('a') }]).then(() => (done = true));
    await nextTurn();
    await nextTurn();
    expect(fake.requests).toHaveLength(1);
    expect(done).toBe(false);
    fake.ackAll();
    await sending;
    expect(done).toBe(true);
  });
});
