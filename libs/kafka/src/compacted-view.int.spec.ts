import { randomBytes } from 'node:crypto';
import { EndpointsChangedTopic } from '@hookline/contracts';
import pino from 'pino';
import { CompactedView } from './compacted-view';
import { createKafka, TopicNames } from './kafka-client';
import { kafkaJsOf } from './kafkajs/kafkajs-client';

/*
 * CompactedView against the e2e tier's broker: `syncToLatest` resolves only
 * once every record written before the call is applied, also when calls share
 * one request for the end offsets, and also for a partition whose records are
 * all gone. Records here are tombstones (a key deleted), which the view
 * applies without a schema.
 */
const brokers = () => {
  const value = process.env.HOOKLINE_TEST_KAFKA_BROKERS;
  if (!value) throw new Error('HOOKLINE_TEST_KAFKA_BROKERS is not set: run this suite in the e2e tier');
  return value.split(',');
};

describe('CompactedView', () => {
  const names = new TopicNames(`cv-${randomBytes(4).toString('hex')}.`);
  const topic = names.of(EndpointsChangedTopic);
  const kafka = createKafka({ clientId: 'compacted-view-test', brokers: brokers() });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const logger = pino({ level: 'silent' });
  const views: CompactedView<typeof EndpointsChangedTopic>[] = [];

  const openView = async (applied: string[]) => {
    const view = new CompactedView(kafka, names, EndpointsChangedTopic, logger, 'compacted-view-test', { onChange: (key) => void applied.push(key) });
    views.push(view);
    await view.start();
    return view;
  };
  const write = (key: string, partition?: number) =>
    producer.send({ topic, messages: [{ key, value: null, ...(partition === undefined ? {} : { partition }) }] });

  beforeAll(async () => {
    await admin.connect();
    // Not compacted: the last test deletes a partition's records, which Kafka refuses on compact-only topics.
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await producer.connect();
  });
  afterAll(async () => {
    for (const view of views) await view.stop();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('has applied, once syncToLatest resolves, the record written just before the call', async () => {
    const applied: string[] = [];
    const view = await openView(applied);
    for (let i = 0; i < 30; i++) {
      await write(`just-before-${i}`);
      await view.syncToLatest();
      expect(applied).toContain(`just-before-${i}`);
    }
  });

  it('lets callers of the same moment share a request, but never one sent before a caller called', async () => {
    const applied: string[] = [];
    const view = await openView(applied);
    for (let i = 0; i < 20; i++) {
      await write(`first-${i}`);
      const together = [view.syncToLatest(), view.syncToLatest()];
      // The shared request is sent on the next turn of the event loop; a record written after that needs a request of its own.
      await new Promise((resolve) => setImmediate(resolve));
      await write(`later-${i}`);
      const later = view.syncToLatest();
      await Promise.all(together);
      expect(applied).toContain(`first-${i}`);
      await later;
      expect(applied).toContain(`later-${i}`);
    }
  });

  it('catches up at start with a partition whose records are all deleted, which it never reads from', async () => {
    for (let i = 0; i < 5; i++) await write(`gone-${i}`, 1);
    const [end] = (await admin.fetchTopicEnds(topic)).filter((e) => e.partition === 1);
    const kafkaJsAdmin = kafkaJsOf(kafka).admin();
    await kafkaJsAdmin.connect();
    await kafkaJsAdmin.fetchTopicMetadata({ topics: [topic] });
    await kafkaJsAdmin.deleteTopicRecords({ topic, partitions: [{ partition: 1, offset: end.offset }] });
    await kafkaJsAdmin.disconnect();

    const applied: string[] = [];
    const view = await openView(applied);
    expect(applied.filter((key) => key.startsWith('gone-'))).toEqual([]);
    await write('after-the-gap', 1);
    await view.syncToLatest();
    expect(applied).toContain('after-the-gap');
  });
});
