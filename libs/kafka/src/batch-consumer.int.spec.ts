import { randomBytes } from 'node:crypto';
import { EventsAcceptedTopic } from '@hookline/contracts';
import pino from 'pino';
import { BatchConsumer } from './batch-consumer';
import { FETCH_IN_BULK } from './consumer-defaults';
import { createKafka, TopicNames } from './kafka-client';
import type { ConsumedMessage } from './message';

/*
 * BatchConsumer against the e2e tier's broker: a batch's offset is committed
 * once it is handled, so the group's next consumer starts after it.
 */
const brokers = () => {
  const value = process.env.HOOKLINE_TEST_KAFKA_BROKERS;
  if (!value) throw new Error('HOOKLINE_TEST_KAFKA_BROKERS is not set: run this suite in the e2e tier');
  return value.split(',');
};

const waitUntil = async (what: string, done: () => boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('BatchConsumer', () => {
  const names = new TopicNames(`bc-${randomBytes(4).toString('hex')}.`);
  const topic = names.of(EventsAcceptedTopic);
  const groupId = names.group('batch-consumer-test');
  const kafka = createKafka({ clientId: 'batch-consumer-test', brokers: brokers() });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  const consumerInto = (handled: string[]) =>
    new BatchConsumer(kafka, names, logger, {
      groupId,
      topics: [EventsAcceptedTopic],
      // Answered at once or after 250 ms: the bulk policy must not hold a small batch back for good.
      fetch: FETCH_IN_BULK,
      park: async () => undefined,
      handle: async (messages: ConsumedMessage[]) => void handled.push(...messages.map((m) => String(m.value))),
    });

  const send = (values: string[]) => producer.send({ topic, messages: values.map((value, i) => ({ key: `k${i % 4}`, value })) });

  it('commits what it handled, so the next consumer of the group redoes nothing, also when fetching in bulk', async () => {
    const first = Array.from({ length: 40 }, (_, i) => `m${i}`);
    await send(first);
    const handledBefore: string[] = [];
    const before = consumerInto(handledBefore);
    await before.start();
    await waitUntil('the first 40 messages to be handled', () => handledBefore.length >= first.length);
    await before.stop();
    expect([...handledBefore].sort()).toEqual([...first].sort());

    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    const written = ends.filter((p) => p.high !== '0');
    const committedAt = new Map(committed[0].partitions.map((p) => [p.partition, p.offset]));
    expect(written.map((p) => committedAt.get(p.partition))).toEqual(written.map((p) => p.high));

    const handledAfter: string[] = [];
    const after = consumerInto(handledAfter);
    await after.start();
    await send(['marker']);
    await waitUntil('the marker to be handled', () => handledAfter.includes('marker'));
    await after.stop();
    expect(handledAfter).toEqual(['marker']);
  });
});
